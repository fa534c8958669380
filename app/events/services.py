"""Running an event: registering people (beforehand, from a village's list, at the gate), badges, and what each
participant does at a station (checklist steps and the short quiz).

Registration never makes two participants of one person: a person is found again by phone, or by name (without
diacritics), birth year and village, before a new one is created; an event holds each person once (unique), and a
write sent twice under one client id is answered with what the first stored. A station keeps one visit per
participant: a second check-in adds the steps newly done.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import vietnam
from app.errors import DomainError
from app.events.models import Event, Participant, Station, StationAnswer, StationVisit
from app.extensions import db, utcnow
from app.kiosk.services import person_from_card
from app.people import names
from app.people import services as people
from app.people.models import Person
from app.places.models import Village
from app.quizzes.keys import Keys
from app.quizzes.types import type_of

CONSENT = "event"
BADGE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B: read aloud and typed without doubt
BADGE_LENGTH = 6
CONSENT_METHODS = ("verbal", "paper", "online", "guardian")
CARD_PATH = re.compile(r"/kiosk/card/([A-Za-z0-9_.-]+)")


# --- badges ---------------------------------------------------------------------------------------

def new_badge_code() -> str:
    """Return a random badge code (6 characters of an alphabet without look-alikes)."""
    return "".join(secrets.choice(BADGE_ALPHABET) for _ in range(BADGE_LENGTH))


def clean_code(raw: Any) -> str:
    """Read a typed or scanned badge code: upper case, spaces and dashes dropped."""
    return re.sub(r"[\s\-]", "", str(raw or "")).upper()[:40]


def _free_code(event: Event) -> str:
    while True:
        code = new_badge_code()
        taken = db.session.scalar(select(Participant.id).where(Participant.event_id == event.id,
                                                                 Participant.badge_code == code))
        if taken is None:
            return code


# --- finding people -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Newcomer:
    """Someone not yet known to the system, with the least the law allows: name, birth year, village; phone optional."""

    full_name: str
    birth_year: int | None
    village_id: int | None
    phone: str | None = None


def _village(event: Event, village_id: int | None) -> Village:
    village = db.session.get(Village, village_id) if village_id else None
    if village is None or village.commune_id != event.commune_id:
        raise DomainError(_l("Vui lòng chọn thôn/tổ dân phố."), field="village_id")
    return village


def same_person(event: Event, data: Newcomer) -> Person | None:
    """Find the commune's person a newcomer already is: by phone and name (a couple often shares one phone), else
    by name, birth year and village (all without diacritics)."""
    try:
        phone = names.normalise_phone(data.phone)
    except ValueError:
        phone = None
    key = vietnam.search_key(vietnam.clean_name(data.full_name or ""))
    if not key:
        return None
    base = select(Person).where(Person.commune_id == event.commune_id, Person.erased_at.is_(None),
                                Person.name_search == key)
    if phone:
        found: Person | None = db.session.scalar(base.where(Person.phone == phone))
        if found is not None:
            return found
    if data.birth_year is None or data.village_id is None:
        return None
    return db.session.scalars(base.where(Person.birth_year == data.birth_year, Person.village_id == data.village_id)
                              .order_by(Person.id).limit(1)).first()


# --- registering ----------------------------------------------------------------------------------

def participant_by_client_id(client_id: str) -> Participant | None:
    """Return the participant a gate's write stored under this client id, if any."""
    return db.session.scalar(select(Participant).where(Participant.client_id == client_id))


def _stored_before(event: Event, client_id: str | None) -> Participant | None:
    """Return what an earlier copy of this write stored; a client id of another event's write is refused."""
    done = participant_by_client_id(client_id) if client_id else None
    if done is not None and done.event_id != event.id:
        raise DomainError(_l("Dữ liệu gửi lên không đọc được."))
    return done


def participant_of(event: Event, person: Person) -> Participant | None:
    """Return the person's registration for the event, if any."""
    return db.session.scalar(select(Participant).where(Participant.event_id == event.id,
                                                         Participant.person_id == person.id))


def _consent(person: Person, method: str | None, actor: Person | None) -> None:
    if people.active_consent(person, CONSENT) is not None:
        return
    if method not in CONSENT_METHODS:
        raise DomainError(_l("Hãy hỏi và đánh dấu rằng %(name)s đồng ý cho ghi nhận thông tin tham gia.",
                             name=person.full_name), field="consent")
    people.record_consent(person, purpose=CONSENT, method=method, recorded_by=actor,
                          policy_version=current_app.config["CONSENT_POLICY_VERSION"])


def register(event: Event, person: Person, *, source: str, actor: Person | None, consent_method: str | None = None,
             arrived: bool = True, wants_class: bool = False, client_id: str | None = None,
             now: dt.datetime | None = None) -> Participant:
    """Register a person of the commune for the event (once: a second registration returns the first, marking an
    arrival); raise DomainError without their consent to the event's purpose (given now, or before)."""
    now = now or utcnow()
    if (done := _stored_before(event, client_id)) is not None:
        return done
    if person.commune_id != event.commune_id or person.erased_at is not None:
        raise DomainError(_l("Người này không thuộc xã tổ chức hoạt động."), field="person_id")
    found = participant_of(event, person)
    if found is not None:
        if arrived and found.arrived_at is None:
            found.arrived_at = now
        found.wants_class = found.wants_class or wants_class
        db.session.flush()
        return found
    _consent(person, consent_method, actor)
    participant = Participant(event_id=event.id, person_id=person.id, badge_code=_free_code(event), source=source,
                              village_id=person.village_id, birth_year=person.birth_year, wants_class=wants_class,
                              registered_at=now, arrived_at=now if arrived else None,
                              registered_by_id=actor.id if actor else None, client_id=client_id)
    db.session.add(participant)
    db.session.flush()
    people.audit(actor, person, "event.register", f"event={event.id} source={source}")
    return participant


def register_newcomer(event: Event, data: Newcomer, *, source: str, actor: Person | None,
                      consent_method: str | None, arrived: bool = True, wants_class: bool = False,
                      client_id: str | None = None, now: dt.datetime | None = None) -> Participant:
    """Register someone by name, birth year, village (and phone): the commune's person they already are, or a new
    one. Nothing is written when a field is wrong or consent is missing."""
    if (done := _stored_before(event, client_id)) is not None:
        return done
    if consent_method not in CONSENT_METHODS:
        raise DomainError(_l("Hãy hỏi và đánh dấu rằng người tham gia đồng ý cho ghi nhận thông tin."),
                          field="consent")
    if data.birth_year is None:
        raise DomainError(_l("Vui lòng nhập năm sinh."), field="birth_year")
    village = _village(event, data.village_id)
    person = same_person(event, data)
    if person is None:
        phone = data.phone
        try:
            taken = names.normalise_phone(phone)
        except ValueError:
            taken = None  # create_person names the fault
        if taken and db.session.scalar(select(Person.id).where(Person.phone == taken)) is not None:
            # The number is someone else's (a shared phone, or someone of another commune): never say whose;
            # register without it.
            phone = None
        person = people.create_person(commune=event.commune, full_name=data.full_name,
                                      birth_year=data.birth_year, village=village, phone=phone, created_by=actor)
    return register(event, person, source=source, actor=actor, consent_method=consent_method, arrived=arrived,
                    wants_class=wants_class, client_id=client_id, now=now)


# --- at a station ---------------------------------------------------------------------------------

def person_of_card(raw: str, secret: str) -> int | None:
    """Read a learner's sign-in card (its QR code holds a link to the class tablet) as a person id."""
    match = CARD_PATH.search(raw or "")
    return person_from_card(match.group(1), secret) if match else None


def find_participant(event: Event, raw: Any, *, card_secret: str, actor: Person | None) -> Participant:
    """Return the participant a scanned or typed badge (or a learner's sign-in card) names, or raise DomainError.

    A learner's card of someone who consented before registers them on the spot.
    """
    text = str(raw or "").strip()[:300]
    person_id = person_of_card(text, card_secret)
    if person_id is not None:
        person = db.session.get(Person, person_id)
        if person is None or person.commune_id != event.commune_id or person.erased_at is not None:
            raise DomainError(_l("Không đọc được thẻ này ở hoạt động của xã."), field="code")
        known = participant_of(event, person)
        if known is not None:
            return known
        if people.active_consent(person, CONSENT) is None:
            raise DomainError(_l("Mời %(name)s ra bàn đón tiếp để đăng ký trước.", name=person.full_name),
                              field="code")
        return register(event, person, source="card", actor=actor)
    code = clean_code(text)
    found: Participant | None = db.session.scalar(select(Participant).where(
        Participant.event_id == event.id, Participant.badge_code == code)) if code else None
    if found is None:
        raise DomainError(_l("Không tìm thấy thẻ có mã %(code)s ở hoạt động này.", code=code or "—"), field="code")
    return found


def read_ticks(station: Station, raw: Any) -> list[int]:
    """Read the checklist steps ticked (indexes), or raise DomainError."""
    if raw in (None, ""):
        return []
    values = raw if isinstance(raw, list | tuple) else [raw]
    try:
        if any(isinstance(v, bool) for v in values):
            raise ValueError(values)
        ticks = sorted({int(str(v).strip()) for v in values})
    except ValueError:
        raise DomainError(_l("Bước trong danh sách không hợp lệ."), field="ticks") from None
    if any(not 0 <= t < len(station.checklist) for t in ticks):
        raise DomainError(_l("Bước trong danh sách không hợp lệ."), field="ticks")
    return ticks


def _arrive(participant: Participant, at: dt.datetime) -> None:
    if participant.arrived_at is None:
        participant.arrived_at = at


def check_in(station: Station, participant: Participant, *, ticks: list[int], actor: Person | None, client_id: str,
             at: dt.datetime | None = None, device_time: dt.datetime | None = None) -> StationVisit:
    """Record a participant at a station with the steps done: one visit per participant and station (steps add up)."""
    if participant.event_id != station.event_id:
        raise DomainError(_l("Thẻ này không thuộc hoạt động của trạm."), field="code")
    at = at or utcnow()
    visit = db.session.scalar(select(StationVisit).where(StationVisit.station_id == station.id,
                                                           StationVisit.participant_id == participant.id))
    if visit is None:
        visit = StationVisit(event_id=station.event_id, station_id=station.id, participant_id=participant.id,
                             ticks=[], visited_at=at, device_time=device_time, client_id=client_id,
                             recorded_by_id=actor.id if actor else None)
        db.session.add(visit)
    merged = sorted(set(visit.ticks or []) | set(ticks))
    visit.ticks = merged
    visit.completed = len(merged) == len(station.checklist)
    _arrive(participant, at)
    db.session.flush()
    return visit


def answer(station: Station, participant: Participant, question_id: Any, choice: Any, *, actor: Person | None,
           client_id: str, at: dt.datetime | None = None) -> StationAnswer:
    """Store a participant's answer to one of the station's quiz questions (named by the station's opaque keys);
    the latest answer to a question counts."""
    try:
        qid = int(str(question_id))
    except ValueError:
        qid = 0
    if qid not in (station.quiz_question_ids or []):
        raise DomainError(_l("Câu hỏi không thuộc bài của trạm này."), field="question")
    question = next(q for q in quiz_questions(station) if q.id == qid)
    kind = type_of(question)
    try:
        response = kind.read(question, Keys((station.quiz_keys or {}).get(str(qid))).from_page(choice))
    except (ValueError, TypeError):
        raise DomainError(_l("Câu trả lời không hợp lệ."), field="answer") from None
    at = at or utcnow()
    visit = db.session.scalar(select(StationVisit).where(StationVisit.station_id == station.id,
                                                           StationVisit.participant_id == participant.id))
    if visit is None:
        visit = check_in(station, participant, ticks=[], actor=actor, client_id=f"{client_id}:visit"[:64], at=at)
    row = db.session.scalar(select(StationAnswer).where(StationAnswer.visit_id == visit.id,
                                                          StationAnswer.question_id == qid))
    if row is None:
        row = StationAnswer(visit_id=visit.id, question_id=qid, client_id=client_id)
        db.session.add(row)
    row.response, row.score, row.answered_at = response, kind.score(question, response), at
    db.session.flush()
    return row


def quiz_questions(station: Station) -> list[Any]:
    """Return the station's quiz questions in their drawn order."""
    from app.catalog.models import Question

    ids = list(station.quiz_question_ids or [])
    if not ids:
        return []
    found = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def known_client_ids(ids: list[str]) -> set[str]:
    """Return which client ids a station's writes already stored (visits and answers)."""
    known = set(db.session.scalars(select(StationVisit.client_id).where(StationVisit.client_id.in_(ids))))
    return known | set(db.session.scalars(select(StationAnswer.client_id).where(StationAnswer.client_id.in_(ids))))
