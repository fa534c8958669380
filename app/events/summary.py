"""An event's figures afterwards: who came, what each station did, who came from where (village, audience, age
band), the volunteers and their hours, and who asked to join a class.

Every part is one SQL aggregate, so the summary costs the same few statements for a weekly session of twelve people
and for a 10/10 day of two thousand. Counts are of participants (each person once per event); the disabled group is
only ever shown as "<5" below five (`app/indicators.py`), and not at all in the documents that leave the office
(`summary_document.py`).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import and_, case, distinct, func, literal, select

from app.events.kinds import DUTIES, SOURCES
from app.events.models import Event, Participant, Shift, Station, StationAnswer, StationVisit
from app.extensions import db
from app.indicators import AGE_BAND_LABELS, AGE_BANDS, SUPPRESS_BELOW, age_band
from app.people import breakdowns
from app.people.audiences import LABELS, Audience
from app.people.models import Person
from app.places.models import Village
from app.vietnam import VIETNAM, search_key

SENSITIVE = frozenset({Audience.DISABLED.value})
UNKNOWN = "unknown"  # the group key of a participant whose village or birth year is not recorded
NO_VILLAGE = _l("Chưa rõ thôn, tổ dân phố")
NO_BIRTH_YEAR = _l("Chưa rõ năm sinh")


def day_bounds(event: Event) -> tuple[dt.datetime, dt.datetime]:
    """The event's day in Vietnam, as UTC instants [start, end)."""
    start = dt.datetime.combine(event.held_on, dt.time(), VIETNAM)
    return start.astimezone(dt.UTC), (start + dt.timedelta(days=1)).astimezone(dt.UTC)


@dataclass(frozen=True)
class Attendance:
    """Who registered, who came, who was new, how they were registered, and the follow-up into classes."""

    registered: int
    arrived: int
    no_show: int  # registered beforehand (signed up, a village's list) and did not come
    newcomers: int  # came, and were first recorded in the system on the day
    tried: int  # came and visited at least one station
    by_source: dict[str, int]  # arrived, by how they were registered (kinds.SOURCES)
    asked_class: int
    enrolled: int


def attendance(event: Event) -> Attendance:
    """Count the event's participants in one statement."""
    start, end = day_bounds(event)
    came = Participant.arrived_at.is_not(None)
    visited = (select(StationVisit.participant_id).where(StationVisit.event_id == event.id).distinct()
               .subquery())
    columns = [
        func.count(Participant.id),
        func.count(Participant.arrived_at),
        func.count(case((Participant.arrived_at.is_(None), literal(1)))),
        func.count(case((and_(came, Person.created_at >= start, Person.created_at < end), literal(1)))),
        func.count(visited.c[0]),
        func.count(case((Participant.wants_class.is_(True), literal(1)))),
        func.count(Participant.enrolled_class_id),
        *(func.count(case((and_(came, Participant.source == code), literal(1)))) for code in SOURCES),
    ]
    row = db.session.execute(
        select(*columns).select_from(Participant).join(Person, Person.id == Participant.person_id)
        .outerjoin(visited, visited.c[0] == Participant.id).where(Participant.event_id == event.id)).one()
    registered, arrived, no_show, newcomers, tried, asked, enrolled, *sources = (int(v or 0) for v in row)
    return Attendance(registered=registered, arrived=arrived, no_show=no_show, newcomers=newcomers, tried=tried,
                      by_source=dict(zip(SOURCES, sources, strict=True)), asked_class=asked, enrolled=enrolled)


@dataclass(frozen=True)
class StationFigures:
    """What happened at one station: visits, visits with every step done, quiz answers and their average score."""

    station_id: int
    name: str
    visits: int
    completed: int
    answers: int
    average: float | None  # percent, None without answers


def stations(event: Event) -> list[StationFigures]:
    """Count each station's visits, completed checklists and quiz answers in one statement."""
    query = (select(Station.id, Station.name, func.count(distinct(StationVisit.id)),
                    func.count(distinct(case((StationVisit.completed.is_(True), StationVisit.id)))),
                    func.count(StationAnswer.id), func.avg(StationAnswer.score))
             .select_from(Station).outerjoin(StationVisit, StationVisit.station_id == Station.id)
             .outerjoin(StationAnswer, StationAnswer.visit_id == StationVisit.id)
             .where(Station.event_id == event.id)
             .group_by(Station.id, Station.name, Station.position).order_by(Station.position, Station.id))
    return [StationFigures(sid, name, int(visits), int(done), int(answers),
                           None if average is None else round(100.0 * float(average), 1))
            for sid, name, visits, done, answers, average in db.session.execute(query)]


@dataclass(frozen=True)
class Group:
    """One group of arrived participants: its key, its label and how many."""

    key: str
    label: str
    count: int
    sensitive: bool = False

    @property
    def suppressed(self) -> bool:
        """A sensitive count this small could point at someone: it is shown as "<5"."""
        return self.sensitive and 0 < self.count < SUPPRESS_BELOW

    @property
    def shown(self) -> str:
        return f"<{SUPPRESS_BELOW}" if self.suppressed else str(self.count)


def villages(event: Event) -> list[Group]:
    """Count arrived participants by the village they gave, in one statement (villages by name, unknown last)."""
    query = (select(Participant.village_id, Village.name, func.count())
             .select_from(Participant).outerjoin(Village, Village.id == Participant.village_id)
             .where(Participant.event_id == event.id, Participant.arrived_at.is_not(None))
             .group_by(Participant.village_id, Village.name))
    rows = sorted(db.session.execute(query), key=lambda r: (r[1] is None, search_key(r[1] or "")))
    return [Group(str(vid), name, int(n)) if vid is not None and name is not None else
            Group(UNKNOWN, str(NO_VILLAGE), int(n)) for vid, name, n in rows]


def audiences(event: Event) -> list[Group]:
    """Count arrived participants in each audience (one may be in several), in one statement.

    Every audience is listed, none found counting 0; the disabled one (from a disability record, which needs its
    own consent) is marked sensitive.
    """
    groups = breakdowns.audience_groups(event.held_on.year).subquery()
    query = (select(groups.c.audience, func.count(distinct(Participant.person_id)))
             .select_from(Participant).join(groups, groups.c.person_id == Participant.person_id)
             .where(Participant.event_id == event.id, Participant.arrived_at.is_not(None))
             .group_by(groups.c.audience))
    found = {str(key): int(n) for key, n in db.session.execute(query)}
    return [Group(a.value, str(LABELS[a]), found.get(a.value, 0), a.value in SENSITIVE)
            for a in Audience if a is not Audience.GENERAL]


def age_bands(event: Event) -> list[Group]:
    """Count arrived participants by age band in the event's year (one statement, grouped by birth year)."""
    query = (select(Participant.birth_year, func.count())
             .where(Participant.event_id == event.id, Participant.arrived_at.is_not(None))
             .group_by(Participant.birth_year))
    counts: dict[str, int] = {}
    for year, n in db.session.execute(query):  # one row per birth year: a few dozen at most
        band = age_band(year, event.held_on.year) or UNKNOWN
        counts[band] = counts.get(band, 0) + int(n)
    groups = [Group(key, str(AGE_BAND_LABELS[key]), counts.get(key, 0)) for key, _low, _high in AGE_BANDS]
    if counts.get(UNKNOWN):
        groups.append(Group(UNKNOWN, str(NO_BIRTH_YEAR), counts[UNKNOWN]))
    return groups


@dataclass(frozen=True)
class ShiftRow:
    """One slot of the roster as the summary prints it."""

    person_id: int
    name: str
    duty: str
    station: str
    starts_at: dt.time
    ends_at: dt.time
    hours: float


@dataclass(frozen=True)
class Volunteer:
    """A volunteer's day: their slots' hours (overlapping slots counted once) and their duties."""

    person_id: int
    name: str
    hours: float
    duties: tuple[str, ...]


@dataclass(frozen=True)
class Roster:
    shifts: list[ShiftRow]
    volunteers: list[Volunteer]

    @property
    def total_hours(self) -> float:
        return sum(v.hours for v in self.volunteers)


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _covered(slots: Sequence[tuple[dt.time, dt.time]]) -> float:
    """Hours covered by the slots, where two that overlap count once."""
    total, reach = 0, -1
    for start, end in sorted((_minutes(a), _minutes(b)) for a, b in slots):
        start = max(start, reach)
        if end > start:
            total += end - start
        reach = max(reach, end)
    return total / 60


def roster(event: Event) -> Roster:
    """Read the roster's filled slots (one statement) and add up each volunteer's hours."""
    query = (select(Person.id, Person.full_name, Shift.duty, Station.name, Shift.starts_at, Shift.ends_at)
             .join(Person, Person.id == Shift.person_id).outerjoin(Station, Station.id == Shift.station_id)
             .where(Shift.event_id == event.id, Person.erased_at.is_(None))
             .order_by(Shift.starts_at, Person.name_search, Shift.id))
    rows: list[ShiftRow] = []
    for person_id, name, duty, station, starts, ends in db.session.execute(query):
        label: LazyString | str = DUTIES[duty].label if duty in DUTIES else duty
        rows.append(ShiftRow(person_id, name, str(label), station or "", starts, ends,
                             _covered([(starts, ends)])))
    people: dict[int, list[ShiftRow]] = {}
    for row in rows:
        people.setdefault(row.person_id, []).append(row)
    volunteers = [Volunteer(pid, slots[0].name, _covered([(s.starts_at, s.ends_at) for s in slots]),
                            tuple(dict.fromkeys(f"{s.duty} – {s.station}" if s.station else s.duty for s in slots)))
                  for pid, slots in people.items()]
    # Vietnamese lists go by given name (the last word), then the whole name.
    return Roster(rows, sorted(volunteers, key=lambda v: (search_key(v.name).split()[-1:], search_key(v.name))))


@dataclass(frozen=True)
class Summary:
    """Everything the summary page and its documents show."""

    event: Event
    attendance: Attendance
    stations: list[StationFigures]
    villages: list[Group]
    audiences: list[Group]
    age_bands: list[Group]
    roster: Roster


def summarise(event: Event) -> Summary:
    """Read the event's summary: six statements whatever the size of the day."""
    return Summary(event, attendance(event), stations(event), villages(event), audiences(event), age_bands(event),
                   roster(event))

