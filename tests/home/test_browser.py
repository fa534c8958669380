"""The landing page, signing in and the staff homes' tasks, in a real browser at tablet and phone size."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from app.attendance import panels as attendance_panels
from app.extensions import db
from app.policy import Role
from app.vietnam import VIETNAM, local_today
from tests import axe, factories

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
    expect(page.locator("html")).to_have_class(re.compile(r"\bts-3\b"))  # the menu's script adds a class too
    page.wait_for_load_state()
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "28px"
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") in ("Skip to main content",
                                                                          "Bỏ qua, đến nội dung chính")


def _busy_day(finished: dict[str, Any]) -> dict[str, Any]:
    """Next to the finished class (waiting for confirmation, one learner absent in a row): a class meeting today
    whose session yesterday was never marked."""
    commune = finished["commune"]
    klass = factories.school_class(commune, title="Lớp Zalo thôn Bắc",
                                   at=factories.venue(commune, "Nhà văn hóa thôn Bắc"),
                                   starts_on=local_today() - dt.timedelta(days=7), weeks=4,
                                   instructors=(finished["instructor"],))
    factories.enrol_learners(klass, 3)
    factories.class_session(klass, on=local_today() - dt.timedelta(days=1))
    factories.session_now(klass)
    organiser = factories.person(commune, name="Vũ Minh Quân", role=Role.YOUTH_ORGANISER)
    db.session.commit()
    return {"today": klass, "organiser": organiser}


def test_officer_goes_from_home_to_confirming_a_class_on_a_laptop(tablet, finished) -> None:
    klass, officer = finished["class"], finished["officer"]
    _busy_day(finished)
    page = tablet
    axe.sign_in(page, officer.phone, factories.PIN)
    todo = page.get_by_role("region", name="Việc cần làm hôm nay và tuần này")
    expect(todo.get_by_role("heading", name="1 lớp có học viên chờ xác nhận")).to_be_visible()
    expect(todo.get_by_role("heading", name="Hôm nay có 1 buổi học")).to_be_visible()
    expect(todo.get_by_role("heading", name="1 buổi học chưa điểm danh")).to_be_visible()
    expect(todo.get_by_role("heading", name="1 học viên vắng từ 2 buổi trở lên")).to_be_visible()
    expect(page.get_by_role("list", name="Việc bạn có thể làm")).to_have_count(0)  # the menu is not the page
    todo.get_by_role("link", name=f"{klass.title} · 2 học viên chờ xác nhận").click()
    expect(page.get_by_role("heading", level=1, name="Hoàn thành và giấy chứng nhận")).to_be_visible()
    page.get_by_role("button", name="Xác nhận hoàn thành cho mọi học viên đủ điều kiện").click()
    expect(page.get_by_role("status").filter(has_text="Đã xác nhận hoàn thành cho 2 học viên.")).to_be_visible()
    page.get_by_role("link", name=klass.title).first.click()
    section = page.get_by_role("region", name="Hoàn thành và chứng nhận")
    expect(section).to_contain_text("Đủ điều kiện")
    assert section.locator("dd").all_inner_texts() == ["2", "2", "0"]
    expect(section).to_contain_text("2 học viên chờ cấp chứng nhận")
    section.get_by_role("link", name="Xác nhận hoàn thành và cấp chứng nhận").click()
    expect(page).to_have_url(f"{page.url.split('/classes/')[0]}/classes/{klass.id}/completion")
    page.goto("/")
    expect(page.get_by_text("chờ xác nhận")).to_have_count(0)
    page.screenshot(path=str(factories.artifact("officer-home-tablet.png")), full_page=True)


def test_the_class_list_reads_as_cards_on_a_phone(phone, finished) -> None:
    klass, officer = finished["class"], finished["officer"]
    page = phone
    axe.sign_in(page, officer.phone, factories.PIN)
    page.goto(f"/communes/{finished['commune'].id}/classes")
    row = page.locator("table.cards tbody tr").filter(has_text=klass.title)
    expect(row.locator('td[data-label="Hoàn thành"]')).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(factories.artifact("class-list-phone.png")), full_page=True)


def test_staff_homes_and_the_completion_pages_are_accessible(axe_scan, finished, monkeypatch) -> None:
    # The last weeks of a quarter, so the report task shows too.
    monkeypatch.setattr(attendance_panels, "local_now",
                        lambda: dt.datetime.combine(attendance_panels.quarter_end(local_today()) - dt.timedelta(days=5),
                                                    dt.time(9), tzinfo=VIETNAM))
    klass, officer = finished["class"], finished["officer"]
    extra = _busy_day(finished)

    def as_(person: Any) -> Any:
        return lambda page: axe.sign_in(page, person.phone, factories.PIN)

    assert axe_scan(["/", f"/communes/{finished['commune'].id}/classes", f"/classes/{klass.id}",
                     f"/classes/{klass.id}/completion"], sign_in=as_(officer)) == []
    assert axe_scan(["/"], sign_in=as_(extra["organiser"])) == []
    assert axe_scan(["/", f"/classes/{klass.id}"], sign_in=as_(finished["instructor"])) == []
