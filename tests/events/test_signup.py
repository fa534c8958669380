"""The public sign-up page: a resident registers before the day from their own phone and gets a badge code; the page
answers the same whether or not they were known, never uses or shows another person's data, and refuses politely
when sign-up is closed or the day is over."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.events import planning, signup
from app.events.models import Event, Participant
from app.events.services import CONSENT
from app.extensions import db
from app.people import services as people
from app.people.models import AuditEvent, Consent, Person
from app.vietnam import VIETNAM, local_today
from tests import factories
from tests.events.conftest import Day, build

NEXT_WEEK = dt.timedelta(days=7)


@pytest.fixture
def soon(ctx: Any) -> Day:
    """The commune's day, a week from now (sign-up open)."""
    return build(local_today() + NEXT_WEEK)


def _url(event: Event) -> str:
    return f"/events/signup/{event.signup_code}"


def _form(d: Day, **changes: Any) -> dict[str, Any]:
    form = {"full_name": "Phạm Văn Tư", "birth_year": "1957", "village_id": str(d.dong.id), "phone": "",
            "consent": "y", "client_id": signup.new_client_id()}
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def _count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _participants(d: Day) -> list[Participant]:
    db.session.expire_all()
    return list(db.session.scalars(select(Participant).where(Participant.event_id == d.event.id)
                                   .order_by(Participant.id)))


def _code_on(page: str) -> str:
    found = re.search(r'class="badge-code">([A-Z0-9]{3})&#8239;([A-Z0-9]{3})<', page)
    assert found, page
    return found.group(1) + found.group(2)


# --- the page ------------------------------------------------------------------------------------

def test_the_page_shows_the_event_and_the_form_but_no_counts_or_names(client: FlaskClient, soon: Day) -> None:
    people.record_consent(soon.binh, purpose=CONSENT, method="paper", policy_version="test", recorded_by=None)
    from app.events import services

    services.register(soon.event, soon.huong, source="gate", actor=None)
    db.session.commit()
    page = client.get(_url(soon.event))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert soon.event.name in text and (local_today() + NEXT_WEEK).strftime("%d/%m/%Y") in text
    assert "07:30" in text and "16:30" in text and soon.venue.name in text
    assert soon.huong.full_name not in text and soon.youth.full_name not in text
    assert "người đã" not in text  # no count of who signed up
    for name in ("full_name", "birth_year", "village_id", "phone", "wants_class", "consent", "client_id"):
        assert f'name="{name}"' in text
    assert soon.dong.name in text and soon.tay.name in text
    assert soon.other_commune.name not in text
    assert "cấp thẻ tham gia" in text  # the purpose's own words, next to the tick


def test_an_unknown_code_is_not_found(client: FlaskClient, soon: Day) -> None:
    assert client.get("/events/signup/nothing-here").status_code == 404
    assert client.post("/events/signup/nothing-here", data=_form(soon)).status_code == 404
    assert client.get("/events/signup/" + "x" * 300).status_code == 404


def test_the_page_speaks_english_after_the_language_switch(app_factory: Any, soon: Day) -> None:
    # Another app: requests made inside the test's own context would share its cached language.
    client = app_factory().test_client()
    assert 'lang="vi"' in client.get(_url(soon.event)).get_data(as_text=True)
    client.post("/preferences/language", data={"lang": "en"})
    text = client.get(_url(soon.event)).get_data(as_text=True)
    assert 'lang="en"' in text and "Full name" in text


# --- signing up ----------------------------------------------------------------------------------

def test_a_newcomer_signs_up_and_sees_their_badge_code_and_qr(client: FlaskClient, soon: Day) -> None:
    before = _count(Person)
    reply = client.post(_url(soon.event), data=_form(soon, phone="0987 654 321", wants_class="y"))
    text = reply.get_data(as_text=True)
    assert reply.status_code == 200 and reply.headers["Cache-Control"] == "no-store"
    [participant] = _participants(soon)
    assert _code_on(text) == participant.badge_code and "<svg" in text
    assert "Phạm Văn Tư" in text and soon.dong.name in text
    assert participant.source == "signup" and participant.arrived_at is None and participant.wants_class
    person = participant.person
    assert (person.full_name, person.birth_year, person.village_id, person.phone) == (
        "Phạm Văn Tư", 1957, soon.dong.id, "0987654321")
    assert _count(Person) == before + 1
    consent = db.session.scalar(select(Consent).where(Consent.person_id == person.id, Consent.purpose == CONSENT))
    assert consent is not None and consent.method == "online" and consent.recorded_by_id is None


def test_the_same_form_sent_twice_registers_once(client: FlaskClient, soon: Day) -> None:
    form = _form(soon)
    first = client.post(_url(soon.event), data=form).get_data(as_text=True)
    people_after_first = _count(Person)
    second = client.post(_url(soon.event), data=form).get_data(as_text=True)
    assert len(_participants(soon)) == 1 and _count(Person) == people_after_first
    assert _code_on(first) == _code_on(second)


def test_signing_up_again_with_a_new_form_finds_the_same_registration(client: FlaskClient, soon: Day) -> None:
    first = client.post(_url(soon.event), data=_form(soon)).get_data(as_text=True)
    again = client.post(_url(soon.event), data=_form(soon, full_name="pham van tu")).get_data(as_text=True)
    assert len(_participants(soon)) == 1 and _code_on(first) == _code_on(again)


def _shape(page: str, *typed: str) -> str:
    """The answer page with what differs from one person to the next taken out."""
    page = re.sub(r'class="badge-code">[^<]*<', 'class="badge-code">CODE<', page)
    page = re.sub(r"<svg.*?</svg>", "QR", page, flags=re.S)
    page = re.sub(r"thẻ [A-Z0-9]{6}", "thẻ CODE", page)
    for text in typed:
        page = page.replace(text, "TYPED")
    return re.sub(r'name="csrf_token"[^>]*>', "", page)


def test_someone_already_known_gets_the_same_answer_as_a_newcomer(client: FlaskClient, soon: Day) -> None:
    known = client.post(_url(soon.event), data=_form(soon, full_name="nguyen thi huong", birth_year="1955"))
    new = client.post(_url(soon.event), data=_form(soon, full_name="nguyen thi huong", birth_year="1956"))
    assert known.status_code == new.status_code == 200
    known_page, new_page = known.get_data(as_text=True), new.get_data(as_text=True)
    # What the visitor typed, never the name on record.
    assert "Nguyễn Thị Hương" not in known_page and "nguyen thi huong" in known_page
    assert _shape(known_page, "1955") == _shape(new_page, "1956")
    huong, newcomer = _participants(soon)
    assert huong.person_id == soon.huong.id  # found again, not created twice
    assert newcomer.person_id != soon.huong.id and newcomer.person.birth_year == 1956


def test_someone_registered_beforehand_gets_the_same_answer_and_their_badge(client: FlaskClient, soon: Day) -> None:
    from app.events import services

    done = services.register(soon.event, soon.huong, source="import", actor=soon.youth, arrived=False)
    code = done.badge_code
    db.session.commit()
    page = client.post(_url(soon.event), data=_form(soon, full_name="Nguyễn Thị Hương", birth_year="1955"))
    assert _code_on(page.get_data(as_text=True)) == code and len(_participants(soon)) == 1


def test_another_communes_phone_is_neither_used_nor_shown(client: FlaskClient, soon: Day) -> None:
    stranger = factories.person(soon.other_commune, name="Mai Thị Lụa", birth_year=1960)
    number = stranger.phone
    db.session.commit()
    page = client.post(_url(soon.event), data=_form(soon, phone=number)).get_data(as_text=True)
    assert "Mai Thị Lụa" not in page and number not in page
    [participant] = _participants(soon)
    assert participant.person_id != stranger.id and participant.person.phone is None
    assert participant.person.commune_id == soon.commune.id
    assert db.session.get(Person, stranger.id).phone == number


def test_a_neighbours_phone_does_not_register_the_neighbour(client: FlaskClient, soon: Day) -> None:
    """Found by phone alone, anyone could sign a neighbour up (and see their badge) by typing their number."""
    number = soon.binh.phone
    page = client.post(_url(soon.event), data=_form(soon, phone=number)).get_data(as_text=True)
    assert soon.binh.full_name not in page
    [participant] = _participants(soon)
    assert participant.person_id != soon.binh.id and participant.person.phone is None
    assert people.active_consent(db.session.get(Person, soon.binh.id), CONSENT) is None


def test_ones_own_phone_finds_ones_record(client: FlaskClient, soon: Day) -> None:
    page = client.post(_url(soon.event), data=_form(soon, full_name="Nguyễn Thị Hương", birth_year="1955",
                                                    village_id=str(soon.tay.id), phone=soon.huong.phone))
    assert page.status_code == 200
    [participant] = _participants(soon)
    assert participant.person_id == soon.huong.id


def test_a_form_shown_again_and_filled_in_for_someone_else_registers_them_too(client: FlaskClient,
                                                                             soon: Day) -> None:
    """The back button brings the same form (and its id) back: a grandchild signing up both grandparents."""
    form = _form(soon)
    first = client.post(_url(soon.event), data=form).get_data(as_text=True)
    second = client.post(_url(soon.event), data={**form, "full_name": "Phạm Thị Lài", "birth_year": "1959"})
    assert _code_on(first) != _code_on(second.get_data(as_text=True))
    assert [p.person.full_name for p in _participants(soon)] == ["Phạm Văn Tư", "Phạm Thị Lài"]
    again = client.post(_url(soon.event), data={**form, "full_name": "Phạm Thị Lài", "birth_year": "1959"})
    assert _code_on(again.get_data(as_text=True)) == _code_on(second.get_data(as_text=True))
    assert len(_participants(soon)) == 2


def test_a_client_id_from_elsewhere_does_not_name_a_registration(client: FlaskClient, soon: Day) -> None:
    from app.events import services

    gate = services.register(soon.event, soon.huong, source="gate", actor=soon.youth, client_id="gate-" + "a" * 32)
    other = planning.create_event(soon.commune, kind="mobile", name="Điểm học tập số lưu động",
                                  held_on=local_today() + NEXT_WEEK, opens_at=dt.time(8), closes_at=dt.time(11),
                                  actor=soon.youth)
    db.session.commit()
    form = _form(soon, full_name="Lý Thị Mai")
    elsewhere = _code_on(client.post(_url(other), data=form).get_data(as_text=True))
    theirs = db.session.scalar(select(Participant).where(Participant.event_id == other.id))
    for client_id in (gate.client_id, theirs.client_id, form["client_id"]):
        page = client.post(_url(soon.event), data={**form, "client_id": client_id})
        assert _code_on(page.get_data(as_text=True)) not in (gate.badge_code, elsewhere)
    assert {p.person.full_name for p in _participants(soon)} == {"Nguyễn Thị Hương", "Lý Thị Mai"}


# --- refusals --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "message"), [
    ({"full_name": ""}, "Vui lòng nhập họ và tên."),
    ({"full_name": "x" * 300}, "Tối đa 120 ký tự"),
    ({"birth_year": ""}, "Vui lòng nhập năm sinh."),
    ({"birth_year": "19x8"}, "Năm sinh cần 4 chữ số"),
    ({"birth_year": "1800"}, "Năm sinh phải từ 1900"),
    ({"birth_year": "9" * 400}, "Dữ liệu gửi lên có một số quá dài"),
    ({"village_id": ""}, "Vui lòng chọn thôn/tổ dân phố."),
    ({"village_id": "abc"}, "Vui lòng chọn thôn/tổ dân phố."),
    ({"village_id": str(2**40)}, "Vui lòng chọn thôn/tổ dân phố."),
    ({"phone": "123"}, "Số điện thoại không hợp lệ"),
    ({"consent": None}, "Cần đánh dấu đồng ý"),
    ({"client_id": "<script>"}, None),
])
def test_bad_input_gets_a_message_and_writes_nothing(client: FlaskClient, soon: Day, changes: dict[str, Any],
                                                      message: str | None) -> None:
    before = (_count(Person), _count(Consent), _count(AuditEvent))
    reply = client.post(_url(soon.event), data=_form(soon, **changes))
    text = reply.get_data(as_text=True)
    assert reply.status_code in (200, 400), text
    if message is None:  # a forged form id is replaced: the sign-up goes through
        assert len(_participants(soon)) == 1
        return
    assert message in text
    assert _participants(soon) == [] and (_count(Person), _count(Consent), _count(AuditEvent)) == before


def test_a_village_of_another_commune_is_refused(client: FlaskClient, soon: Day) -> None:
    elsewhere = factories.village(soon.other_commune, "Thôn Bắc")
    db.session.commit()
    text = client.post(_url(soon.event), data=_form(soon, village_id=str(elsewhere.id))).get_data(as_text=True)
    assert "Vui lòng chọn thôn/tổ dân phố." in text and _participants(soon) == []


def test_closed_sign_up_gets_a_friendly_message(client: FlaskClient, soon: Day) -> None:
    soon.event.signup_open = False
    db.session.commit()
    page = client.get(_url(soon.event)).get_data(as_text=True)
    assert "đã đóng đăng ký trước" in page and 'name="full_name"' not in page
    posted = client.post(_url(soon.event), data=_form(soon)).get_data(as_text=True)
    assert "đã đóng đăng ký trước" in posted and _participants(soon) == []


def test_an_event_in_the_past_gets_a_friendly_message(client: FlaskClient, ctx: Any) -> None:
    past = build(local_today() - dt.timedelta(days=1))
    page = client.get(_url(past.event)).get_data(as_text=True)
    assert "đã diễn ra" in page and 'name="full_name"' not in page
    posted = client.post(_url(past.event), data=_form(past)).get_data(as_text=True)
    assert "đã diễn ra" in posted and _participants(past) == []


def test_the_day_itself_takes_sign_ups_until_closing_time(ctx: Any) -> None:
    d = build(dt.date(2026, 10, 10))
    at = lambda hour, minute: dt.datetime(2026, 10, 10, hour, minute, tzinfo=VIETNAM)  # noqa: E731
    assert signup.state(d.event, at(6, 0)) == signup.state(d.event, at(16, 29)) == signup.OPEN
    assert signup.state(d.event, at(16, 30)) == signup.PAST
    # By Vietnam's clock, whatever the server's: 23:00 UTC on the 9th is 06:00 on the day, 10:00 UTC is 17:00.
    assert signup.state(d.event, dt.datetime(2026, 10, 9, 23, 0, tzinfo=dt.UTC)) == signup.OPEN
    assert signup.state(d.event, dt.datetime(2026, 10, 10, 10, 0, tzinfo=dt.UTC)) == signup.PAST
    d.event.signup_open = False
    assert signup.state(d.event, at(8, 0)) == signup.CLOSED


# --- rate limit ------------------------------------------------------------------------------------

@pytest.fixture
def limited(app_factory: Any, app: Flask) -> Iterator[FlaskClient]:
    """An app with the sign-up limit on; afterwards the shared limiter is off and empty again."""
    from app.extensions import limiter

    strict = app_factory(RATELIMIT_ENABLED=True, EVENT_SIGNUP_LIMIT="3 per minute")
    with strict.app_context():
        limiter.reset()
    yield strict.test_client()
    limiter.enabled = False  # one object: the last app initialised switched it on for every app
    with strict.app_context():
        limiter.reset()


def test_sign_ups_from_one_address_are_rate_limited(limited: FlaskClient, soon: Day) -> None:
    for _ in range(3):
        assert limited.post(_url(soon.event), data=_form(soon, full_name="")).status_code == 200
    assert limited.post(_url(soon.event), data=_form(soon)).status_code == 429
    assert limited.get(_url(soon.event)).status_code == 200  # reading the page is not limited
    assert _participants(soon) == []


# --- in a real browser -----------------------------------------------------------------------------

@pytest.mark.browser
def test_a_cheap_phone_without_javascript_signs_up(browser: Any, live_server: str, soon: Day) -> None:
    """390×844, scripts off, CSRF on (the live server's): the plain form registers and shows the badge."""
    from playwright.sync_api import expect

    db.session.commit()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", base_url=live_server,
                                  is_mobile=True, has_touch=True, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(_url(soon.event))
        expect(page.get_by_role("heading", level=1)).to_have_text(soon.event.name)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_label("Họ và tên").fill("Phạm Văn Tư")
        page.get_by_label("Năm sinh").fill("1957")
        page.get_by_label("Thôn/tổ dân phố").select_option(label=soon.tay.name)
        page.get_by_label("Tôi đã đọc và đồng ý").check()
        button = page.get_by_role("button", name="Đăng ký")
        assert button.bounding_box()["height"] >= 48
        page.screenshot(path=str(factories.artifact("events-signup-phone.png")), full_page=True)
        button.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký xong!")
        code = page.locator(".badge-code").inner_text().replace("\u202f", "")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(factories.artifact("events-signup-done-phone.png")), full_page=True)
    finally:
        context.close()
    [participant] = _participants(soon)
    assert participant.badge_code == code and participant.village_id == soon.tay.id


@pytest.mark.browser
def test_the_sign_up_pages_are_accessible(axe_scan: Any, soon: Day) -> None:
    db.session.commit()
    closed = planning.create_event(soon.commune, kind="weekly", name="Mỗi tuần một kỹ năng số",
                                   held_on=local_today() + NEXT_WEEK, opens_at=dt.time(19), closes_at=dt.time(21),
                                   actor=soon.youth)
    closed.signup_open = False
    db.session.commit()
    assert axe_scan([_url(soon.event), _url(closed)]) == []
