"""The landing page and signing in, in a real browser at tablet and phone size."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests import factories

pytestmark = pytest.mark.browser


def test_learner_signs_in_with_pin_on_a_tablet(tablet, ctx) -> None:
    learner = factories.person(factories.commune(), name="Nguyễn Thị Hương")
    db.session.commit()
    page = tablet
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("link", name="Đăng nhập").first.click()
    page.get_by_label("Số điện thoại").fill(learner.phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(factories.PIN)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Xin chào, Nguyễn Thị Hương").wait_for()
    page.screenshot(path=str(factories.artifact("home-tablet.png")))


def test_wrong_pin_shows_the_reason_on_a_phone(phone, ctx) -> None:
    learner = factories.person(factories.commune())
    db.session.commit()
    page = phone
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(learner.phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill("975310")
    page.get_by_role("button", name="Đăng nhập").click()
    assert "không đúng" in page.get_by_role("alert").inner_text()
    # Nothing scrolls sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_text_size_and_language_switch_work_without_a_mouse(tablet) -> None:
    page = tablet
    page.goto("/")
    page.get_by_role("button", name="Rất lớn").click()
    expect(page.locator("html")).to_have_class("ts-3")
    page.wait_for_load_state()
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "28px"
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") in ("Skip to main content",
                                                                          "Bỏ qua, đến nội dung chính")
