"""The gate and the stations over HTTP: who may use them, a registration and a check-in stored once, nothing of
the answer key on a station's page, bad input answered in words."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.events import services
from app.events.models import Participant, Shift, StationAnswer, StationVisit
from app.extensions import db
from app.people.models import Person
from app.policy import Role
from tests import factories
from tests.conftest import login
from tests.events.conftest import Day


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _client_id(html: str) -> str:
    found = re.search(r'name="client_id" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _newcomer(day: Day, client_id: str, **changes: Any) -> dict[str, Any]:
    form = {"client_id": client_id, "full_name": "Lò Văn Páo", "birth_year": "1949", "village_id": str(day.dong.id),
            "phone": "", "consent": "verbal"}
    form.update(changes)
    return form


# --- the gate ------------------------------------------------------------------------------------

def test_the_gate_finds_people_by_name_without_diacritics_and_not_those_of_another_commune(
        day: Day, client: FlaskClient) -> None:
    factories.person(day.other_commune, name="Nguyễn Thị Hường")
    db.session.commit()
    login(client, day.youth)
    page = client.get(f"/events/{day.event.id}/gate?q=nguyen thi huong").text
    assert "Nguyễn Thị Hương" in page
    assert "Nguyễn Thị Hường" not in page


def test_a_walk_in_is_registered_and_gets_a_badge_and_a_form_sent_twice_registers_once(
        day: Day, client: FlaskClient) -> None:
    login(client, day.youth)
    client_id = _client_id(client.get(f"/events/{day.event.id}/gate").text)
    first = client.post(f"/events/{day.event.id}/gate", data=_newcomer(day, client_id, wants_class="1"))
    assert first.status_code == 303
    again = client.post(f"/events/{day.event.id}/gate", data=_newcomer(day, client_id, wants_class="1"))
    assert again.headers["Location"] == first.headers["Location"]
    participant = db.session.scalars(select(Participant)).one()
    assert participant.wants_class and participant.arrived_at is not None and participant.source == "gate"
    badge = client.get(first.headers["Location"]).text
    assert "Lò Văn Páo" in badge and participant.badge_code[:3] in badge and "<svg" in badge


def test_a_walk_in_without_consent_or_with_a_bad_year_is_told_why_and_nothing_is_written(
        day: Day, client: FlaskClient) -> None:
    login(client, day.youth)
    people_before = _count(Person)
    for changes in ({"consent": ""}, {"birth_year": "19a9"}, {"birth_year": "١٩٤٩"}, {"village_id": "²"},
                    {"village_id": str(10**30)}, {"full_name": ""}, {"phone": "12345"}):
        answer = client.post(f"/events/{day.event.id}/gate", data=_newcomer(day, "gate-bad00001", **changes))
        assert answer.status_code == 422, changes
        assert 'role="alert"' in answer.text
    assert _count(Participant) == 0 and _count(Person) == people_before


def test_a_learners_card_scanned_into_the_gate_search_finds_them(day: Day, client: FlaskClient, app: Any) -> None:
    from urllib.parse import quote

    from app.kiosk.services import card_token

    login(client, day.youth)
    card = f"http://localhost/kiosk/card/{card_token(day.binh, app.config['SECRET_KEY'])}"
    page = client.get(f"/events/{day.event.id}/gate?q={quote(card)}").text
    assert "Trần Văn Bình" in page and "Nguyễn Thị Hương" not in page
    forged = client.get(f"/events/{day.event.id}/gate?q={quote('/kiosk/card/forged')}").text
    assert "Trần Văn Bình" not in forged


def test_the_gate_registers_someone_found_asking_consent_only_of_those_who_never_gave_it(
        day: Day, client: FlaskClient) -> None:
    login(client, day.youth)
    page = client.get(f"/events/{day.event.id}/gate?q=binh").text
    assert f'id="consent-{day.binh.id}"' in page
    page = client.get(f"/events/{day.event.id}/gate?q=huong").text
    assert f'id="consent-{day.huong.id}"' not in page
    answer = client.post(f"/events/{day.event.id}/gate", data={"client_id": "gate-00000042",
                                                               "person_id": str(day.huong.id)})
    assert answer.status_code == 303
    assert db.session.scalars(select(Participant)).one().person_id == day.huong.id


def test_the_gate_never_registers_a_person_of_another_commune(day: Day, client: FlaskClient) -> None:
    stranger = factories.person(day.other_commune, name="Mai Văn Khách")
    db.session.commit()
    login(client, day.youth)
    answer = client.post(f"/events/{day.event.id}/gate", data={"client_id": "gate-00000043",
                                                               "person_id": str(stranger.id), "consent": "verbal"})
    assert answer.status_code == 422
    assert "Mai Văn Khách" not in answer.text
    assert _count(Participant) == 0


def test_a_volunteer_on_the_roster_runs_the_gate_and_others_do_not(day: Day, client: FlaskClient) -> None:
    login(client, day.instructor)
    assert client.get(f"/events/{day.event.id}/gate").status_code == 403
    db.session.add(Shift(event_id=day.event.id, person_id=day.instructor.id, duty="gate",
                         starts_at=dt.time(7, 30), ends_at=dt.time(11, 30)))
    db.session.commit()
    assert client.get(f"/events/{day.event.id}/gate").status_code == 200
    outsider = factories.person(day.other_commune, name="Mai Văn Khách", role=Role.OFFICER)
    db.session.commit()
    login(client, outsider)
    assert client.get(f"/events/{day.event.id}/gate").status_code == 403
    assert client.get(f"/events/{day.event.id}/stations/{day.qr.id}").status_code == 403


# --- the stations --------------------------------------------------------------------------------

def _arrived(day: Day) -> Participant:
    participant = services.register(day.event, day.huong, source="gate", actor=day.youth)
    db.session.commit()
    return participant


def test_a_stations_page_shows_the_quiz_without_its_answer_key(day: Day, client: FlaskClient) -> None:
    login(client, day.youth)
    page = client.get(f"/events/{day.event.id}/stations/{day.qr.id}").text
    for question in services.quiz_questions(day.qr):
        keys = day.qr.quiz_keys[str(question.id)]["options"]
        assert all(f'value="{key}"' in page for key in keys)
        for index in range(len(question.answers)):
            assert f'name="q-{question.id}" value="{index}"' not in page
    assert "fraction" not in page


def test_a_stations_batch_sent_twice_stores_each_visit_and_answer_once(day: Day, client: FlaskClient) -> None:
    participant = _arrived(day)
    login(client, day.youth)
    question = day.qr.quiz_question_ids[0]
    batch = {"device": "tablet-1", "items": [
        {"client_id": "visit-10000001", "device_time": "2026-10-10T08:00:00+07:00", "kind": "visit",
         "code": participant.badge_code.lower(), "ticks": [0, 1, 2]},
        {"client_id": "answer-1000001", "kind": "answer", "code": participant.badge_code, "question": question,
         "choice": day.qr.quiz_keys[str(question)]["options"][0]},
    ]}
    url = f"/events/{day.event.id}/stations/{day.qr.id}/sync"
    first = client.post(url, json=batch)
    assert first.status_code == 200 and sorted(first.json["stored"]) == ["answer-1000001", "visit-10000001"]
    again = client.post(url, json=batch)
    assert again.status_code == 200 and sorted(again.json["stored"]) == ["answer-1000001", "visit-10000001"]
    assert _count(StationVisit) == 1 and _count(StationAnswer) == 1
    assert db.session.scalars(select(StationVisit)).one().completed


def test_a_station_refuses_an_unknown_badge_in_words_and_keeps_the_rest(day: Day, client: FlaskClient) -> None:
    participant = _arrived(day)
    login(client, day.youth)
    url = f"/events/{day.event.id}/stations/{day.qr.id}/sync"
    answer = client.post(url, json={"device": "t", "items": [
        {"client_id": "visit-20000001", "kind": "visit", "code": "ZZZZZZ", "ticks": []},
        {"client_id": "visit-20000002", "kind": "visit", "code": participant.badge_code, "ticks": [9]},
        {"client_id": "visit-20000003", "kind": "visit", "code": participant.badge_code, "ticks": [0]},
        {"client_id": "visit-20000004", "kind": "nonsense", "code": participant.badge_code},
    ]})
    assert answer.status_code == 200
    assert answer.json["stored"] == ["visit-20000003"]
    assert [f["client_id"] for f in answer.json["failed"]] == ["visit-20000001", "visit-20000002", "visit-20000004"]
    assert "ZZZZZZ" in answer.json["failed"][0]["message"]
    assert client.post(url, json={"items": "nope"}).status_code == 400


def test_a_badge_of_another_event_is_not_found_at_this_station(day: Day, client: FlaskClient) -> None:
    from app.events import planning

    other = planning.create_event(day.commune, kind="weekly", name="Mỗi tuần một kỹ năng số", held_on=day.event.held_on,
                                  opens_at=dt.time(8), closes_at=dt.time(10), actor=None)
    stranger = services.register(other, day.huong, source="gate", actor=None)
    db.session.commit()
    login(client, day.youth)
    answer = client.post(f"/events/{day.event.id}/stations/{day.qr.id}/sync", json={"device": "t", "items": [
        {"client_id": "visit-30000001", "kind": "visit", "code": stranger.badge_code, "ticks": []}]})
    assert answer.status_code == 422 and _count(StationVisit) == 0


def test_the_plain_form_records_a_check_in_with_answers(day: Day, client: FlaskClient) -> None:
    participant = _arrived(day)
    login(client, day.youth)
    question = day.qr.quiz_question_ids[1]
    form = {"client_id": "station-plain-01", "code": participant.badge_code, "tick": ["0", "2"],
            f"q-{question}": day.qr.quiz_keys[str(question)]["options"][1]}
    answer = client.post(f"/events/{day.event.id}/stations/{day.qr.id}/visit", data=form)
    assert answer.status_code == 303
    visit = db.session.scalars(select(StationVisit)).one()
    assert visit.ticks == [0, 2] and not visit.completed and len(visit.answers) == 1
    refused = client.post(f"/events/{day.event.id}/stations/{day.qr.id}/visit", data={"code": "ZZZZZZ"},
                          follow_redirects=True)
    assert "ZZZZZZ" in refused.text


def test_a_station_of_another_event_is_not_found(day: Day, client: FlaskClient) -> None:
    from app.events import planning

    other = planning.create_event(day.commune, kind="mobile", name="Điểm lưu động chợ Tiên Minh",
                                  held_on=day.event.held_on, opens_at=dt.time(8), closes_at=dt.time(10), actor=None)
    station = planning.add_station(other, topic="vietqr")
    db.session.commit()
    login(client, day.youth)
    assert client.get(f"/events/{day.event.id}/stations/{station.id}").status_code == 404
