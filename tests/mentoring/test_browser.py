"""On a phone: an ambassador logs a guidance contact in a few taps, online and with the network down."""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from app.extensions import db
from app.mentoring import helpdesk, services
from app.mentoring.models import Contact
from tests import factories

pytestmark = pytest.mark.browser


def sign_in(page: Page, phone: str) -> None:
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", level=1).wait_for()


def contacts() -> list[tuple[int, str, str]]:
    db.session.expire_all()
    return list(db.session.execute(select(Contact.mentee_id, Contact.skill, Contact.client_id)).all())


def ready(place, page: Page) -> None:
    for mentee in place.residents[:3]:
        services.link(place.thu, mentee, commune_id=place.commune.id, actor=None)
    db.session.commit()
    sign_in(page, place.thu.phone)
    page.goto(f"/communes/{place.commune.id}/mentoring")
    page.wait_for_function("window.HVS && window.HVS.outbox")


def log(page: Page, name: str, taps: list[str]) -> None:
    """The ambassador's steps: tap the mentee, pick the skill, tap Lưu (each counted)."""
    taps.append("mentee")
    page.get_by_label(name).check()
    taps.append("skill")
    page.get_by_label("Kỹ năng đã hướng dẫn").select_option("2.6")
    taps.append("save")
    page.get_by_role("button", name="Lưu", exact=True).click()


def test_an_ambassador_logs_a_contact_in_at_most_four_taps_and_well_under_30_seconds(phone: Page, place) -> None:
    ready(place, phone)
    taps: list[str] = []
    started = time.monotonic()
    log(phone, "Vũ Thị Nga", taps)
    expect(phone.get_by_role("status").filter(has_text="Đã lưu lần hướng dẫn Vũ Thị Nga")).to_be_visible()
    expect(phone.locator("[data-outbox-count]")).to_have_text("Đã gửi hết.")
    elapsed = time.monotonic() - started
    assert len(taps) <= 4 and elapsed < 30
    assert [(m, s) for m, s, _ in contacts()] == [(place.residents[1].id, "2.6")]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone


def test_a_contact_logged_offline_is_stored_exactly_once_when_the_network_returns(phone: Page, place) -> None:
    ready(place, phone)
    phone.context.set_offline(True)
    log(phone, "Phạm Văn Đức", [])
    waiting = "1 lần hướng dẫn đang chờ gửi; máy sẽ tự gửi khi có mạng."
    expect(phone.locator("[data-outbox-count]")).to_have_text(waiting)
    assert contacts() == []
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    expect(phone.locator("[data-outbox-count]")).to_have_text("Đã gửi hết.", timeout=15000)
    stored = contacts()
    assert [(m, s) for m, s, _ in stored] == [(place.residents[0].id, "2.6")]
    # The phone sends its batch again (the answer was lost): still one contact.
    client_id = stored[0][2]
    answer = phone.evaluate("""async ([url, id]) => {
        const token = document.querySelector('meta[name=csrf-token]').content;
        const r = await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
            body: JSON.stringify({device: 'x', items: [{client_id: id, mentee_id: 0, skill: '2.6'}]})});
        return r.json(); }""", [f"/communes/{place.commune.id}/mentoring/contacts.json", client_id])
    assert answer["stored"] == [client_id]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 1


def test_a_refused_contact_is_shown_on_the_phone(phone: Page, place) -> None:
    ready(place, phone)
    # Meanwhile the officer ends the link: the contact the phone sends is refused with the reason.
    services.end(services.active_link(place.residents[2].id), actor=place.lan)
    db.session.commit()
    log(phone, "Ngô Văn Sáu", [])
    expect(phone.get_by_role("alert")).to_contain_text("Người này không phải người bạn đang hướng dẫn.")
    assert contacts() == []


def test_the_mentoring_pages_are_accessible_on_a_phone_and_a_tablet(axe_scan, place) -> None:
    services.link(place.thu, place.residents[0], commune_id=place.commune.id, actor=None)
    services.record_contact(place.thu, services.ContactFields(place.residents[0].id, "0.1", services.local_today(),
                                                              "Tập gọi video"), actor=None, client_id="axe-contact-01")
    helpdesk.record(place.commune, place.lan, helpdesk.HelpdeskFields(services.local_today(), "vneid",
                                                                               age_band="60_plus"),
                             client_id="axe-help-0001")
    db.session.commit()
    c = place.commune.id
    ambassador = axe_scan([f"/communes/{c}/mentoring", f"/communes/{c}/mentoring/link?q=V%C5%A9"],
                          sign_in=lambda page: sign_in(page, place.thu.phone))
    officer = axe_scan([f"/communes/{c}/mentoring/ambassadors", f"/communes/{c}/mentoring/settings",
                        f"/communes/{c}/helpdesk"], sign_in=lambda page: sign_in(page, place.lan.phone))
    assert ambassador + officer == []
