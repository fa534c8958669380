"""What the events feature holds about a person, for their right of access, and what erasure removes.

As a resident: the events they signed up for or came to, their badge, the stations they visited and how their
quiz went. As a volunteer: their places on the rosters. Erasure keeps a participation as an anonymous count (its
village and birth year, like the erased person's record, and the stations visited), so the day's figures do not
change; it drops the wish to join a class, replaces the badge code (a printed badge no longer finds the record)
and removes the person from rosters and from what they recorded for others.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from app.events.kinds import DUTIES, SOURCES
from app.events.models import Event, Participant, Shift, Station, StationAnswer, StationVisit
from app.extensions import db
from app.people import rights
from app.people.models import Person

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def erased_badge_code(participant_id: int) -> str:
    """Return a badge code no badge ever carries ("0" is not in the badge alphabet), unique within its event."""
    digits = ""
    number = participant_id
    while True:
        number, rest = divmod(number, len(DIGITS))
        digits = DIGITS[rest] + digits
        if not number:
            return "0" + digits


def _visits(participant_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    answers = (select(StationAnswer.visit_id, func.count().label("n"), func.sum(StationAnswer.score).label("score"))
               .group_by(StationAnswer.visit_id).subquery())
    rows = db.session.execute(
        select(StationVisit.participant_id, Station.name, StationVisit.completed, StationVisit.ticks,
               StationVisit.visited_at, answers.c.n, answers.c.score)
        .join(Station, Station.id == StationVisit.station_id).outerjoin(answers, answers.c.visit_id == StationVisit.id)
        .where(StationVisit.participant_id.in_(participant_ids)).order_by(StationVisit.visited_at, StationVisit.id))
    found: dict[int, list[dict[str, Any]]] = {}
    for participant_id, station, completed, ticks, visited_at, answered, score in rows:
        found.setdefault(participant_id, []).append({
            "station": station, "visited_at": rights.iso(visited_at), "steps_done": len(ticks or []),
            "completed": completed, "quiz_answers": answered or 0, "quiz_score": float(score or 0)})
    return found


@rights.data_section("event_participations")
def participations(person: Person) -> list[dict[str, Any]]:
    """The events the person signed up for or came to, with their badge and the stations they visited."""
    rows = db.session.execute(
        select(Participant, Event.name, Event.held_on).join(Event, Event.id == Participant.event_id)
        .where(Participant.person_id == person.id).order_by(Event.held_on, Participant.id)).all()
    visits = _visits([p.id for p, _name, _day in rows]) if rows else {}
    return [{"event": name, "held_on": rights.iso(day), "badge_code": p.badge_code,
             "registered": str(SOURCES.get(p.source, p.source)), "registered_at": rights.iso(p.registered_at),
             "arrived_at": rights.iso(p.arrived_at), "birth_year": p.birth_year, "wants_class": p.wants_class,
             "stations": visits.get(p.id, [])} for p, name, day in rows]


@rights.data_section("event_volunteering")
def volunteering(person: Person) -> list[dict[str, Any]]:
    """The person's places on events' volunteer rosters."""
    rows = db.session.execute(
        select(Event.name, Event.held_on, Shift.duty, Station.name, Shift.starts_at, Shift.ends_at)
        .join(Event, Event.id == Shift.event_id).outerjoin(Station, Station.id == Shift.station_id)
        .where(Shift.person_id == person.id).order_by(Event.held_on, Shift.starts_at, Shift.id))
    return [{"event": name, "held_on": rights.iso(day), "duty": str(DUTIES[duty].label) if duty in DUTIES else duty,
             "station": station, "from": rights.iso(start), "to": rights.iso(end)}
            for name, day, duty, station, start, end in rows]


@rights.on_erasure
def forget(person: Person, actor: Person | None) -> None:
    """Keep the person's participations as anonymous counts; drop them from rosters and from what they recorded."""
    for participant_id in list(db.session.scalars(select(Participant.id).where(Participant.person_id == person.id))):
        db.session.execute(update(Participant).where(Participant.id == participant_id).values(
            badge_code=erased_badge_code(participant_id), wants_class=False, client_id=None))
    db.session.execute(update(Participant).where(Participant.registered_by_id == person.id)
                       .values(registered_by_id=None))
    db.session.execute(update(StationVisit).where(StationVisit.recorded_by_id == person.id)
                       .values(recorded_by_id=None))
    db.session.execute(update(Shift).where(Shift.person_id == person.id).values(person_id=None))
    db.session.execute(update(Event).where(Event.created_by_id == person.id).values(created_by_id=None))
    db.session.flush()
