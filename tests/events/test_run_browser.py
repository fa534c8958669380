"""In a real browser: a walk-in registered at the gate on a tablet, checked in at a station with the quiz on a
phone-sized tablet, and the live board on the venue's television counting them without reloading."""
from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from app.events.models import Participant, StationAnswer, StationVisit
from app.extensions import db
from tests import factories
from tests.events.conftest import build

pytestmark = pytest.mark.browser


def sign_in(page: Page, phone: str) -> None:
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", level=1).wait_for()


def stored() -> tuple[int, int, int]:
    db.session.expire_all()
    return tuple(db.session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[return-value]
                 for model in (Participant, StationVisit, StationAnswer))


def test_a_walk_in_is_registered_checked_in_and_counted_on_the_live_board(
        tablet: Page, phone: Page, browser: Any, live_server: str, ctx: Any, curriculum: Any) -> None:
    day = build()
    board_key = day.event.board_key
    # The television: opened once with the board's key, never signed in, never reloaded.
    television = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN",
                                     base_url=live_server).new_page()
    television.goto(f"/events/{day.event.id}/live?key={board_key}")
    television.evaluate("window.__notReloaded = true")
    arrived = television.locator("[data-live-total=arrived]")
    expect(arrived).to_have_text("0")

    # The gate: search first (nobody), then register the newcomer with the name already typed.
    page = tablet
    sign_in(page, day.youth.phone)
    page.goto(f"/events/{day.event.id}/gate")
    page.get_by_label("Họ tên (gõ không dấu cũng được), số điện thoại, hoặc quét thẻ học viên").fill("Lo Van Pao")
    page.get_by_role("button", name="Tìm").click()
    page.locator("#full_name").fill("Lò Văn Páo")
    page.locator("#birth_year").fill("1949")
    page.locator("#village_id").select_option(str(day.tay.id))
    page.locator("#consent-new").check()
    page.get_by_label("Muốn tham gia lớp học sau ngày hội").check()
    page.get_by_role("button", name="Đăng ký, in thẻ").click()
    expect(page.locator(".card-name")).to_have_text("Lò Văn Páo")
    code = re.sub(r"\W", "", page.locator(".badge-code").inner_text())
    assert len(code) == 6
    page.screenshot(path=str(factories.artifact("events-badge-tablet.png")))
    expect(arrived).to_have_text("1", timeout=15000)

    # The station, on a small tablet held by the volunteer: type the code, tick the steps, hand over for the quiz.
    station = phone
    sign_in(station, day.youth.phone)
    station.goto(f"/events/{day.event.id}/stations/{day.qr.id}")
    assert station.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    station.get_by_label("Mã thẻ (quét mã QR hoặc gõ 6 ký tự)").fill(code.lower())
    for step in day.qr.checklist:
        station.get_by_label(step).check()
    for question in station.locator("[data-question]").all():
        question.locator("label.choice").first.click()
    station.screenshot(path=str(factories.artifact("events-station-phone.png")), full_page=True)
    station.get_by_role("button", name="Lưu và mời người tiếp theo").click()
    expect(station.locator("#station-status")).to_contain_text(code)
    expect(station.locator("[data-outbox-count]")).to_have_text("Đã gửi hết", timeout=15000)
    assert stored() == (1, 1, 3)
    assert station.get_by_label("Mã thẻ (quét mã QR hoặc gõ 6 ký tự)").input_value() == ""

    # The board counts the station's completed visit, still without a reload.
    expect(television.locator("[data-live-total=completed]")).to_have_text("1", timeout=15000)
    assert television.evaluate("window.__notReloaded === true")
    assert "Lò Văn Páo" not in television.content()
    television.screenshot(path=str(factories.artifact("events-live-board.png")))
    television.context.close()
