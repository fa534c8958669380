"""The volunteer roster of an event: who does what (the gate, a station, guiding, the screen) in which time slot.

A volunteer is never in two places at once: a shift that overlaps another of the same person on the same day (at
this event or another of the commune) is refused. Staff of the commune on the roster may run the gate and the
stations (Event.assigned_ids, the events.run rule); the others are youth-union members on the printed roster.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import policy
from app.errors import DomainError
from app.events.kinds import DUTIES
from app.events.models import Event, Shift, Station
from app.extensions import db
from app.people import services as people
from app.people.models import Person, RoleAssignment
from app.text import clean_text

NOTE_MAX = 200


def _hm(value: dt.time) -> str:
    return value.strftime("%H:%M")


def add_shift(event: Event, person: Person, *, duty: str, station: Station | None, starts_at: dt.time,
              ends_at: dt.time, note: str = "", actor: Person | None) -> Shift:
    """Put a person of the commune on the roster for a slot within the event's hours, or raise DomainError."""
    if person.commune_id != event.commune_id or person.erased_at is not None:
        raise DomainError(_l("Người này không thuộc xã tổ chức hoạt động."), field="person_id")
    kind = DUTIES.get(duty)
    if kind is None:
        raise DomainError(_l("Hãy chọn việc cần làm."), field="duty")
    if not kind.at_station:
        station = None
    elif station is None or station.event_id != event.id:
        raise DomainError(_l("Hãy chọn trạm người này hướng dẫn."), field="station_id")
    if ends_at <= starts_at:
        raise DomainError(_l("Giờ kết thúc ca phải sau giờ bắt đầu."), field="ends_at")
    if starts_at < event.opens_at or ends_at > event.closes_at:
        raise DomainError(_l("Ca phải nằm trong giờ của hoạt động (%(opens)s–%(closes)s).",
                             opens=_hm(event.opens_at), closes=_hm(event.closes_at)), field="starts_at")
    note = clean_text(note or "")
    if len(note) > NOTE_MAX:
        raise DomainError(_l("Ghi chú dài quá %(n)s ký tự.", n=NOTE_MAX), field="note")
    clash = db.session.execute(
        select(Shift.starts_at, Shift.ends_at, Event.name).join(Event, Event.id == Shift.event_id)
        .where(Shift.person_id == person.id, Event.held_on == event.held_on, Shift.starts_at < ends_at,
               Shift.ends_at > starts_at).order_by(Shift.starts_at).limit(1)).first()
    if clash is not None:
        raise DomainError(_l("%(name)s đã có ca %(start)s–%(end)s (%(event)s) trùng giờ.", name=person.full_name,
                             start=_hm(clash[0]), end=_hm(clash[1]), event=clash[2]), field="person_id")
    shift = Shift(person_id=person.id, duty=duty, station_id=station.id if station else None, starts_at=starts_at,
                  ends_at=ends_at, note=note)
    event.shifts.append(shift)
    db.session.flush()
    people.audit(actor, person, "event.shift", f"event={event.id} duty={duty} {_hm(starts_at)}-{_hm(ends_at)}")
    return shift


def remove_shift(shift: Shift, *, actor: Person | None) -> None:
    """Take a shift off the roster."""
    people.audit(actor, shift.person, "event.shift_removed", f"event={shift.event_id} shift={shift.id}")
    shift.event.shifts.remove(shift)
    db.session.flush()


@dataclass
class Place:
    """Where volunteers stand in a slot: the gate, one station, guiding, the screen."""

    label: str
    shifts: list[Shift] = field(default_factory=list)


@dataclass
class Slot:
    """One time slot of the roster and its places, in the order of the day's layout."""

    starts_at: dt.time
    ends_at: dt.time
    places: list[Place] = field(default_factory=list)


def shifts_of(event: Event) -> list[Shift]:
    """Return the event's shifts with their person and station (two queries), by slot."""
    return list(db.session.scalars(
        select(Shift).where(Shift.event_id == event.id)
        .options(selectinload(Shift.person), selectinload(Shift.station))
        .order_by(Shift.starts_at, Shift.ends_at, Shift.id)))


def _place_order(shift: Shift) -> tuple[int, int, str]:
    duties = list(DUTIES)
    position = shift.station.position if shift.station is not None else 0
    name = shift.person.name_search if shift.person is not None else ""
    return duties.index(shift.duty) if shift.duty in duties else len(duties), position, name


def slots(shifts: list[Shift]) -> list[Slot]:
    """Group shifts by time slot, then by place (the gate first, then the stations in order)."""
    found: dict[tuple[dt.time, dt.time], Slot] = {}
    for shift in sorted(shifts, key=lambda s: (s.starts_at, s.ends_at, *_place_order(s))):
        slot = found.setdefault((shift.starts_at, shift.ends_at), Slot(shift.starts_at, shift.ends_at))
        duty = DUTIES.get(shift.duty)
        label = shift.station.name if shift.station is not None else str(duty.label if duty else shift.duty)
        if not slot.places or slot.places[-1].label != label:
            slot.places.append(Place(label))
        slot.places[-1].shifts.append(shift)
    return list(found.values())


def staff_ids(event: Event, person_ids: set[int]) -> set[int]:
    """Return which of these people hold a role in the commune that lets them run the gate and stations."""
    run = policy.RULES["events.run"]
    roles = [str(r) for r in run.roles | run.assigned]
    if not person_ids:
        return set()
    return set(db.session.scalars(select(RoleAssignment.person_id).where(
        RoleAssignment.person_id.in_(person_ids), RoleAssignment.commune_id == event.commune_id,
        RoleAssignment.role.in_(roles)).distinct()))


def volunteer_hours(shifts: list[Shift]) -> float:
    """Add up the hours on the roster."""
    return sum(s.hours for s in shifts)
