"""In a real browser at phone size: a team member goes offline, records two visits, comes back online; the database
holds exactly those two visits and the updated person records."""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from app.digital.models import DigitalFact
from app.extensions import db
from app.teams.models import Visit, VisitHelp
from tests import factories
from tests.teams.conftest import build, consent, household

pytestmark = pytest.mark.browser


def sign_in(page: Page, phone: str) -> None:
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", level=1).wait_for()


def stored() -> tuple[int, int, dict[tuple[int, str], tuple[int, str]], list[tuple[int | None, str]]]:
    db.session.expire_all()
    visits = db.session.scalar(select(func.count()).select_from(Visit))
    distinct = db.session.scalar(select(func.count(Visit.client_id.distinct())))
    facts = {(p, f): (v, s) for p, f, v, s in db.session.execute(
        select(DigitalFact.person_id, DigitalFact.fact, DigitalFact.value, DigitalFact.source))}
    helps = sorted((tuple(r) for r in db.session.execute(select(VisitHelp.person_id, VisitHelp.kind)).all()), key=str)
    return visits, distinct, facts, helps


def test_two_visits_recorded_offline_are_stored_exactly_once_when_back_online(phone: Page, ctx) -> None:
    place = build()
    anh = factories.person(place.commune, name="Lê Thị Ánh", village=place.dong, birth_year=1975)
    consent(anh)
    second = household(place.dong, "Số 3, ngõ 5", "Ngõ 5", anh)
    db.session.commit()
    page = phone
    sign_in(page, place.nam.phone)
    page.goto(f"/teams/{place.team.id}/plan")
    expect(page.get_by_role("heading", name="Kế hoạch đi từng nhà")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(factories.artifact("teams-plan-phone.png")))
    status, waiting = page.locator("#visit-status"), page.locator("[data-outbox-count]")

    page.context.set_offline(True)
    actions: list[str] = []
    started = time.perf_counter()

    def act(what: str, doing) -> None:  # noqa: ANN001
        actions.append(what)
        doing()

    act("household", lambda: page.get_by_label("Hộ gia đình").select_option(str(place.home.id)))
    huong = page.locator(f'fieldset[data-helped="{place.huong.id}"]')
    binh = page.locator(f'fieldset[data-helped="{place.binh.id}"]')
    expect(binh).to_contain_text("chưa đồng ý ghi nhận")
    act("vneid", lambda: huong.get_by_label("Cài VNeID và kích hoạt mức 2").check())
    act("smartphone", lambda: huong.get_by_label("Làm quen điện thoại thông minh").check())
    act("scam", lambda: binh.get_by_label("Nhận biết lừa đảo trên mạng").check())
    act("still needed", lambda: page.get_by_label("Còn cần hỗ trợ gì").fill("Cụ muốn học gọi video cho con"))
    page.screenshot(path=str(factories.artifact("teams-visit-form-phone.png")), full_page=True)
    act("save", lambda: page.get_by_role("button", name="Lưu lần đến nhà").click())
    expect(status).to_contain_text("Đã lưu lần đến nhà Số 12, ngõ 3 trên máy")
    assert time.perf_counter() - started < 60 and len(actions) <= 6, actions

    act("household", lambda: page.get_by_label("Hộ gia đình").select_option(str(second.id)))
    act("payment", lambda: page.locator(f'fieldset[data-helped="{anh.id}"]')
        .get_by_label("Mở tài khoản thanh toán điện tử").check())
    act("save", lambda: page.get_by_role("button", name="Lưu lần đến nhà").click())
    expect(status).to_contain_text("Số 3, ngõ 5")
    expect(waiting).to_have_text("2 lần đến nhà đang chờ gửi")
    time.sleep(0.5)
    assert stored()[0] == 0  # nothing reached the server while offline

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(waiting).to_have_text("Đã gửi hết các lần đến nhà", timeout=15000)
    expect(status).to_contain_text("Đã gửi")
    visits, distinct, facts, helps = stored()
    assert (visits, distinct) == (2, 2)
    assert facts == {(place.huong.id, "vneid"): (2, "visit"), (place.huong.id, "smartphone"): (1, "visit"),
                     (anh.id, "payment_account"): (1, "visit")}
    assert (None, "spot_scam") in helps and (place.binh.id, "spot_scam") not in helps

    page.reload()  # a reload sends nothing again
    expect(waiting).to_have_text("Đã gửi hết các lần đến nhà")
    assert stored()[:2] == (2, 2)
