"""A person's events in their personal data (right of access), and what erasing them leaves: anonymous counts for
the day's figures, nothing that leads back to them (no badge that still scans, no wish to be called, no roster)."""
from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.errors import DomainError
from app.events import services
from app.events.models import Event, Participant, Shift, StationVisit
from app.events.personal import erased_badge_code
from app.extensions import db
from app.people import services as people
from app.people.models import Person
from tests.conftest import login
from tests.events.conftest import Day


def _take_part(day: Day) -> Participant:
    huong = services.register(day.event, day.huong, source="signup", actor=day.youth, wants_class=True)
    services.check_in(day.vneid, huong, ticks=list(range(len(day.vneid.checklist))), actor=day.instructor,
                      client_id="visit-1")
    services.check_in(day.qr, huong, ticks=[0], actor=day.instructor, client_id="visit-2")
    for question in services.quiz_questions(day.qr)[:2]:
        right = max(range(len(question.answers)), key=lambda i: question.answers[i]["fraction"])
        services.answer(day.qr, huong, question.id, day.qr.quiz_keys[str(question.id)]["options"][right],
                        actor=day.instructor, client_id=f"answer-{question.id:08d}")
    return huong


def test_the_persons_participations_are_in_their_data(day: Day) -> None:
    huong = _take_part(day)
    db.session.commit()
    data = people.personal_data(db.session.get(Person, day.huong.id))
    [entry] = data["event_participations"]
    assert entry["event"] == day.event.name and entry["held_on"] == day.event.held_on.isoformat()
    assert entry["badge_code"] == huong.badge_code and entry["registered"] == "Tự đăng ký trước"
    assert entry["wants_class"] is True and entry["arrived_at"] is not None
    assert [(s["station"], s["completed"], s["quiz_answers"], s["quiz_score"]) for s in entry["stations"]] == [
        (day.vneid.name, True, 0, 0.0), (day.qr.name, False, 2, 2.0)]
    assert people.personal_data(db.session.get(Person, day.binh.id))["event_participations"] == []


def test_a_volunteers_roster_places_are_in_their_data(day: Day) -> None:
    db.session.add(Shift(event_id=day.event.id, person_id=day.instructor.id, duty="station", station_id=day.qr.id,
                         starts_at=dt.time(7, 30), ends_at=dt.time(11, 30)))
    db.session.commit()
    [shift] = people.personal_data(day.instructor)["event_volunteering"]
    assert shift == {"event": day.event.name, "held_on": day.event.held_on.isoformat(), "duty": "Hướng dẫn tại trạm",
                     "station": day.qr.name, "from": "07:30:00", "to": "11:30:00"}


def test_the_data_export_page_includes_the_events(client: FlaskClient, day: Day) -> None:
    _take_part(day)
    db.session.commit()
    data = login(client, day.huong).get(f"/people/{day.huong.id}/data.json").get_json()
    assert data["event_participations"][0]["event"] == day.event.name


def test_erasure_keeps_the_counts_and_drops_what_leads_back(day: Day) -> None:
    huong = _take_part(day)
    old_code = huong.badge_code
    # Hương also helped on the day: a place on the roster, and she registered Bình at the gate.
    db.session.add(Shift(event_id=day.event.id, person_id=day.huong.id, duty="guide", starts_at=dt.time(7, 30),
                         ends_at=dt.time(9)))
    services.register(day.event, day.binh, source="gate", actor=day.huong, consent_method="verbal")
    db.session.commit()
    people.erase_person(db.session.get(Person, day.huong.id), actor=day.officer)
    db.session.commit()
    db.session.expire_all()
    row = db.session.get(Participant, huong.id)
    assert row is not None and row.village_id == day.dong.id and row.birth_year == 1955  # still counted
    assert db.session.scalar(select(func.count()).select_from(StationVisit)
                             .where(StationVisit.participant_id == huong.id)) == 2
    assert row.badge_code == erased_badge_code(huong.id) and not row.wants_class and row.client_id is None
    with pytest.raises(DomainError):  # the printed badge no longer finds anyone
        services.find_participant(db.session.get(Event, day.event.id), old_code, card_secret="x", actor=None)
    assert db.session.scalar(select(func.count()).select_from(Shift).where(Shift.person_id == day.huong.id)) == 0
    binh = db.session.scalar(select(Participant).where(Participant.person_id == day.binh.id))
    assert binh.registered_by_id is None
    assert people.personal_data(db.session.get(Person, day.huong.id))["event_participations"][0]["badge_code"] == \
        erased_badge_code(huong.id)


def test_a_volunteers_erasure_leaves_what_they_recorded_without_their_name(day: Day) -> None:
    huong = _take_part(day)
    db.session.commit()
    people.erase_person(db.session.get(Person, day.instructor.id), actor=day.officer)
    db.session.commit()
    recorded = set(db.session.scalars(select(StationVisit.recorded_by_id).where(
        StationVisit.participant_id == huong.id)))
    assert recorded == {None}
    assert db.session.get(Participant, huong.id).badge_code == huong.badge_code  # Hương's badge untouched


@pytest.mark.parametrize("participant_id", [1, 35, 36, 1295, 2**31 - 1])
def test_an_erased_badge_code_is_never_a_real_one(participant_id: int) -> None:
    code = erased_badge_code(participant_id)
    assert code.startswith("0") and "0" not in services.BADGE_ALPHABET and len(code) <= 8
    assert services.clean_code(code) == code  # typed back, it names this one row, not another's badge
    assert len({erased_badge_code(n) for n in range(1, 2000)}) == 1999
