"""The participants list: found by name without diacritics or by badge, filtered by village and arrival, a page at a
time, stations completed counted in the database; the organisers' spreadsheet; nothing for another commune."""
from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.events import planning, services
from app.events.models import Participant, Shift
from app.extensions import db
from app.policy import Role
from app.vietnam import local_today
from tests import factories
from tests.conftest import login
from tests.events.conftest import Day, build, consent
from tests.statements import counting


def _url(d: Day, **query: Any) -> str:
    args = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/events/{d.event.id}/participants" + (f"?{args}" if args else "")


def _crowd(d: Day, n: int, *, prefix: str = "Người") -> list[Participant]:
    """Register n people (alternate villages, every other one arrived, some stations done)."""
    made = []
    for i in range(n):
        person = factories.person(d.commune, name=f"{prefix} Thứ {i:03d}", village=d.dong if i % 2 else d.tay,
                                  birth_year=1950 + i % 30, with_phone=False, account=False)
        consent(person)
        p = services.register(d.event, person, source="signup", actor=None, arrived=bool(i % 2))
        for station in (d.vneid, d.qr)[: i % 3]:
            services.check_in(station, p, ticks=list(range(len(station.checklist))), actor=d.youth,
                              client_id=f"v-{p.id}-{station.id}")
        made.append(p)
    return made


def test_the_list_shows_each_participant_with_what_they_did(client: FlaskClient, day: Day) -> None:
    huong = services.register(day.event, day.huong, source="gate", actor=day.youth, wants_class=True)
    services.check_in(day.vneid, huong, ticks=list(range(len(day.vneid.checklist))), actor=day.youth, client_id="a1")
    services.check_in(day.qr, huong, ticks=[0], actor=day.youth, client_id="a2")  # not completed
    binh = services.register(day.event, day.binh, source="import", actor=day.youth, consent_method="paper",
                             arrived=False)
    db.session.commit()
    text = login(client, day.youth).get(_url(day)).get_data(as_text=True)
    for value in (day.huong.full_name, huong.badge_code, day.dong.name, "1955", binh.badge_code, "Chưa đến",
                  "Danh sách thôn gửi"):
        assert value in text, value
    row = text[text.index(huong.badge_code):text.index("</tr>", text.index(huong.badge_code))]
    assert '<td data-label="Trạm đã hoàn thành">1</td>' in row and "Có" in row
    assert f"/events/{day.event.id}/participants/{huong.id}/badge" in text


def test_search_without_diacritics_and_by_badge_code(client: FlaskClient, day: Day) -> None:
    services.register(day.event, day.huong, source="gate", actor=day.youth)
    consent(day.binh)
    binh = services.register(day.event, day.binh, source="gate", actor=day.youth)
    db.session.commit()
    login(client, day.youth)
    found = client.get(_url(day, q="nguyen thi huong")).get_data(as_text=True)
    assert day.huong.full_name in found and day.binh.full_name not in found
    by_code = client.get(_url(day, q=binh.badge_code.lower()[:3] + "-" + binh.badge_code.lower()[3:]))
    assert day.binh.full_name in by_code.get_data(as_text=True)
    assert day.huong.full_name not in by_code.get_data(as_text=True)
    none = client.get(_url(day, q="%_%")).get_data(as_text=True)  # LIKE wildcards are letters here
    assert day.huong.full_name not in none and "Chưa có ai" in none


def test_filters_by_village_and_arrival(client: FlaskClient, day: Day) -> None:
    crowd = _crowd(day, 6)
    db.session.commit()
    login(client, day.youth)
    text = client.get(_url(day, village=day.dong.id, status="arrived")).get_data(as_text=True)
    shown = {p.person.full_name for p in crowd if p.person.full_name in text}
    assert shown == {p.person.full_name for p in crowd if p.village_id == day.dong.id and p.arrived_at}
    waiting = client.get(_url(day, status="waiting")).get_data(as_text=True)
    assert {p.person.full_name for p in crowd if p.person.full_name in waiting} == {
        p.person.full_name for p in crowd if p.arrived_at is None}
    for junk in ("village=abc", "village=99999999999", "status=<b>", "page=0", "page=x", "page=99999",
                 "q=" + "a" * 500):
        assert client.get(_url(day) + "?" + junk).status_code in (200, 400), junk


def test_the_list_is_paged(client: FlaskClient, day: Day) -> None:
    _crowd(day, 53)
    db.session.commit()
    login(client, day.youth)
    first = client.get(_url(day)).get_data(as_text=True)
    second = client.get(_url(day, page=2)).get_data(as_text=True)
    assert "53 người" in first and "Trang 1 / 2" in first
    assert "Người Thứ 000" in first and "Người Thứ 052" not in first and "Người Thứ 052" in second


def _statements(client: FlaskClient, url: str) -> int:
    client.get(url)  # warm-up: the session's first look-up of the signed-in person is not the page's cost
    with counting() as ran:
        response = client.get(url)
    assert response.status_code == 200
    return len(ran)


def test_the_page_costs_the_same_statements_for_3_or_120_participants(client: FlaskClient, ctx: Any) -> None:
    small = build()
    _crowd(small, 3)
    # The large event is in the fixture's other commune, with its own organiser.
    organiser = factories.person(small.other_commune, name="Cao Văn Đạt", role=Role.YOUTH_ORGANISER)
    big_village = factories.village(small.other_commune, "Thôn Bắc")
    event = planning.create_event(small.other_commune, kind="day", name="Ngày hội lớn", held_on=local_today(),
                                  opens_at=dt.time(7), closes_at=dt.time(17), actor=organiser)
    station = planning.add_station(event, topic="scam")
    for i in range(120):
        person = factories.person(small.other_commune, name=f"Người Lớn {i:03d}", village=big_village,
                                  with_phone=False, account=False)
        consent(person)
        p = services.register(event, person, source="gate", actor=None)
        services.check_in(station, p, ticks=list(range(len(station.checklist))), actor=None, client_id=f"b{i}")
    db.session.commit()
    few = _statements(login(client, small.youth), _url(small))
    many = _statements(login(client, organiser), f"/events/{event.id}/participants")
    assert few == many, (few, many)
    assert few <= 8, few


def test_another_communes_organiser_sees_nothing(client: FlaskClient, day: Day) -> None:
    services.register(day.event, day.huong, source="gate", actor=day.youth)
    outsider = factories.person(day.other_commune, name="Mai Văn Khách", role=Role.OFFICER)
    db.session.commit()
    login(client, outsider)
    for url in (_url(day), f"/events/{day.event.id}/participants.csv"):
        reply = client.get(url)
        assert reply.status_code == 403 and day.huong.full_name not in reply.get_data(as_text=True)
    assert client.get("/events/99999/participants").status_code == 404


def test_a_volunteer_not_on_the_roster_cannot_see_the_list(client: FlaskClient, day: Day) -> None:
    assert login(client, day.instructor).get(_url(day)).status_code == 403


def test_the_organisers_export_keeps_diacritics_and_is_formula_safe(client: FlaskClient, day: Day) -> None:
    evil = factories.person(day.commune, name="=HYPERLINK(\"http://x\") Lê", village=day.dong, with_phone=False,
                            account=False)
    consent(evil)
    services.register(day.event, evil, source="gate", actor=day.youth)
    services.register(day.event, day.huong, source="gate", actor=day.youth, wants_class=True)
    db.session.commit()
    login(client, day.youth)
    csv = client.get(f"/events/{day.event.id}/participants.csv")
    text = csv.data.decode("utf-8-sig")
    assert csv.status_code == 200 and "Nguyễn Thị Hương" in text and day.huong.phone in text
    assert "\"'=HYPERLINK" in text and "attachment" in csv.headers["Content-Disposition"]
    xlsx = client.get(f"/events/{day.event.id}/participants.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][:2] == ["Mã thẻ", "Họ và tên"]
    assert any(row[1] == "Nguyễn Thị Hương" and row[-1] == "Có" for row in cells[1:])
    assert all(not str(row[1]).startswith("=") for row in cells[1:])
    filtered = client.get(f"/events/{day.event.id}/participants.csv?q=huong").data.decode("utf-8-sig")
    assert "Nguyễn Thị Hương" in filtered and "HYPERLINK" not in filtered
    assert client.get(f"/events/{day.event.id}/participants.pdf").status_code == 404


def test_the_export_is_for_the_organisers_only(client: FlaskClient, day: Day) -> None:
    db.session.add(Shift(event_id=day.event.id, person_id=day.instructor.id, duty="gate", starts_at=dt.time(7, 30),
                         ends_at=dt.time(11, 30)))
    db.session.commit()
    login(client, day.instructor)  # on the roster: may look people up, not take the list away
    assert client.get(_url(day)).status_code == 200
    assert client.get(f"/events/{day.event.id}/participants.csv").status_code == 403
    assert "participants.csv" not in client.get(_url(day)).get_data(as_text=True)


@pytest.mark.browser
def test_the_list_is_accessible_and_fits_a_phone(axe_scan: Any, phone: Any, day: Day) -> None:
    from tests import axe

    _crowd(day, 4)
    db.session.commit()
    assert axe_scan([_url(day), _url(day, q="nguoi", status="arrived")],
                    sign_in=lambda page: axe.sign_in(page, day.youth.phone, factories.PIN)) == []
    axe.sign_in(phone, day.youth.phone, factories.PIN)
    phone.goto(_url(day))
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.screenshot(path=str(factories.artifact("events-participants-phone.png")), full_page=True)
