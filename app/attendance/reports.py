"""Attendance reports, read-only, as SQL aggregates: per learner, per class, per village, and absentees.

What counts: scheduled sessions that have started (cancelled ones never count) and enrolled learners
(not waiting, not withdrawn). A session counts for a learner from the day they enrolled (Vietnam date), or
whenever they have a mark for it, so a walk-in who joined in week 3 is not counted absent for weeks 1 and 2.
Present and late are attended; excused is shown but not attended; no mark at all is "not marked yet", which
is never an absence: it is shown on its own and left out of the rate until someone marks it.
"The share of sessions attended" is attended / sessions marked (of those that count).

The absentee list: learners of active classes whose most recent marked sessions, N or more in a row, were
marked absent. Attending, or an excused absence, ends the run; a session not marked yet is skipped (it neither
counts nor ends the run). Window functions, so it runs on SQLite (3.25+) and PostgreSQL alike.
`absent_twice` is the short list for the staff home: learners with two or more recorded absences.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, and_, case, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import lazyload
from sqlalchemy.sql.expression import FunctionElement

from app.attendance.marks import ATTENDED, STATUSES
from app.attendance.models import AttendanceMark
from app.classes.models import Class, ClassSession, Enrolment
from app.extensions import db
from app.people.models import Person
from app.places.models import Venue, Village
from app.vietnam import VIETNAM, local_now

ACTIVE_CLASS_STATUSES = ("open", "running")


class vn_date(FunctionElement[dt.date]):  # noqa: N801 (an SQL function)
    """The Vietnam calendar date of a stored UTC instant (Vietnam keeps UTC+7 all year)."""

    type = Date()
    inherit_cache = True
    name = "vn_date"


@compiles(vn_date, "sqlite")
def _vn_date_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '+7 hours')"


@compiles(vn_date, "postgresql")
def _vn_date_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'Asia/Ho_Chi_Minh' AS DATE)"


@dataclass(frozen=True)
class Rate:
    """Counts of sessions that count, and how many were attended."""

    held: int = 0
    present: int = 0
    late: int = 0
    absent: int = 0
    excused: int = 0

    @property
    def attended(self) -> int:
        return self.present + self.late

    @property
    def marked(self) -> int:
        """Sessions that count and have a mark: the base of the rate."""
        return self.present + self.late + self.absent + self.excused

    @property
    def unmarked(self) -> int:
        """Sessions that count but nobody has marked yet: not an absence."""
        return self.held - self.marked

    @property
    def share(self) -> float | None:
        """Attended / sessions marked; None before any session that counts is marked."""
        return self.attended / self.marked if self.marked else None

    @property
    def percent(self) -> str:
        return "—" if self.share is None else f"{round(self.share * 100)}%"


def _slots(as_of: dt.datetime, *where: Any) -> Any:
    """Every (enrolled learner, session that counts for them) pair, with its mark's status (None: not marked)."""
    local = as_of.astimezone(VIETNAM)
    today, now_time = local.date(), local.time().replace(tzinfo=None)
    started = or_(ClassSession.date < today, and_(ClassSession.date == today, ClassSession.start_time <= now_time))
    joined = func.coalesce(Enrolment.enrolled_at, Enrolment.created_at)
    return (select(Enrolment.id.label("enrolment_id"), Enrolment.class_id.label("class_id"),
                   Enrolment.person_id.label("person_id"), ClassSession.id.label("session_id"),
                   ClassSession.date.label("date"), ClassSession.start_time.label("start_time"),
                   AttendanceMark.status.label("status"))
            .join(ClassSession, ClassSession.class_id == Enrolment.class_id)
            .join(Class, Class.id == Enrolment.class_id)
            .outerjoin(AttendanceMark, and_(AttendanceMark.session_id == ClassSession.id,
                                            AttendanceMark.enrolment_id == Enrolment.id))
            .where(Enrolment.status == "enrolled", ClassSession.status == "scheduled", started,
                   or_(ClassSession.date >= vn_date(joined), AttendanceMark.id.is_not(None)), *where)
            .subquery())


def _tallies(slots: Any) -> list[Any]:
    return [func.count().label("held"),
            *(func.coalesce(func.sum(case((slots.c.status == s, 1), else_=0)), 0).label(s) for s in STATUSES)]


def _rate(row: Any) -> Rate:
    return Rate(*(int(getattr(row, name) or 0) for name in ("held", *STATUSES)))


@dataclass(frozen=True)
class LearnerRate:
    """One learner of a class and their attendance."""

    enrolment: Enrolment
    person: Person
    rate: Rate


def class_learners(klass: Class, *, as_of: dt.datetime | None = None) -> list[LearnerRate]:
    """Return each enrolled learner of a class with their attendance, by name."""
    slots = _slots(as_of or local_now(), Enrolment.class_id == klass.id)
    tally = select(slots.c.enrolment_id, *_tallies(slots)).group_by(slots.c.enrolment_id).subquery()
    rows = db.session.execute(
        select(Enrolment, Person, *(getattr(tally.c, n) for n in ("held", *STATUSES)))
        .join(Person, Person.id == Enrolment.person_id).outerjoin(tally, tally.c.enrolment_id == Enrolment.id)
        .where(Enrolment.class_id == klass.id, Enrolment.status == "enrolled").order_by(Person.name_search, Person.id))
    return [LearnerRate(row.Enrolment, row.Person, _rate(row)) for row in rows]


def share_attended(klass: Class, person: Person, *, as_of: dt.datetime | None = None) -> Rate | None:
    """Return a learner's attendance in a class (`.share` is attended / sessions that count), None if not enrolled."""
    slots = _slots(as_of or local_now(), Enrolment.class_id == klass.id, Enrolment.person_id == person.id)
    enrolled = db.session.scalar(select(Enrolment.id).where(Enrolment.class_id == klass.id,
                                                            Enrolment.person_id == person.id,
                                                            Enrolment.status == "enrolled"))
    if enrolled is None:
        return None
    return _rate(db.session.execute(select(*_tallies(slots))).one())


Cells = dict[tuple[int, int], str]


def class_grid(klass: Class, *, as_of: dt.datetime | None = None) -> tuple[list[ClassSession], Cells]:
    """Return a class's sessions that have started, and each counted (enrolment, session) cell's status ("" = none)."""
    as_of = as_of or local_now()
    slots = _slots(as_of, Enrolment.class_id == klass.id)
    cells = {(r.enrolment_id, r.session_id): r.status or "" for r in db.session.execute(
        select(slots.c.enrolment_id, slots.c.session_id, slots.c.status))}
    local = as_of.astimezone(VIETNAM)
    held = [s for s in klass.sessions if s.status == "scheduled" and s.starts_at <= local]
    return held, cells


@dataclass(frozen=True)
class ClassRate:
    """A class of the commune and its attendance: learners, sessions held, and the share of places filled."""

    klass: Class
    village: str | None
    learners: int
    sessions: int
    rate: Rate


def commune_classes(commune_id: int, *, as_of: dt.datetime | None = None) -> list[ClassRate]:
    """Return each class of a commune that has held sessions, with its attendance."""
    slots = _slots(as_of or local_now(), Class.commune_id == commune_id)
    tally = select(slots.c.class_id, func.count(slots.c.enrolment_id.distinct()).label("learners"),
                   func.count(slots.c.session_id.distinct()).label("sessions"), *_tallies(slots)
                   ).group_by(slots.c.class_id).subquery()
    rows = db.session.execute(
        select(Class, Village.name.label("village"), tally).join(tally, tally.c.class_id == Class.id)
        .outerjoin(Venue, Venue.id == Class.venue_id).outerjoin(Village, Village.id == Venue.village_id)
        .order_by(Village.name.is_(None), Village.name, Class.starts_on.desc(), Class.id))
    return [ClassRate(row.Class, row.village, int(row.learners), int(row.sessions), _rate(row)) for row in rows]


@dataclass(frozen=True)
class VillageRate:
    """A village (None: not recorded) and the attendance of its learners across the commune's classes."""

    village_id: int | None
    name: str | None
    learners: int
    rate: Rate


def commune_villages(commune_id: int, *, as_of: dt.datetime | None = None) -> list[VillageRate]:
    """Return the attendance of learners by the village they live in."""
    slots = _slots(as_of or local_now(), Class.commune_id == commune_id)
    tally = (select(Person.village_id, func.count(slots.c.person_id.distinct()).label("learners"),
                    *_tallies(slots))
             .join(Person, Person.id == slots.c.person_id).group_by(Person.village_id).subquery())
    rows = db.session.execute(select(tally, Village.name).outerjoin(Village, Village.id == tally.c.village_id)
                              .order_by(Village.name.is_(None), Village.name))
    return [VillageRate(row.village_id, row.name, int(row.learners), _rate(row)) for row in rows]


def total(rates: list[VillageRate]) -> Rate:
    """Add up the villages' rates into the commune's (a handful of rows, already aggregated)."""
    return Rate(*(sum(getattr(v.rate, name) for v in rates) for name in ("held", *STATUSES)))


@dataclass(frozen=True)
class Absentee:
    """A learner who missed their class's latest sessions in a row: who to visit or call."""

    person: Person
    klass: Class
    missed: int
    since: dt.date
    last_attended: dt.date | None


def absentees(commune_id: int, streak: int, *, as_of: dt.datetime | None = None,
              village_ids: set[int] | None = None) -> list[Absentee]:
    """Return learners of active classes who missed at least `streak` of their latest sessions in a row."""
    where = [Class.commune_id == commune_id, Class.status.in_(ACTIVE_CLASS_STATUSES)]
    slots = _slots(as_of or local_now(), *where)
    # 0 while walking back from the latest marked session through absences; the first attended/excused makes it 1+.
    # Sessions not marked yet are left out: they are not absences, and they do not end a run either.
    breaks = func.sum(case((slots.c.status == "absent", 0), else_=1)).over(
        partition_by=slots.c.enrolment_id,
        order_by=(slots.c.date.desc(), slots.c.start_time.desc(), slots.c.session_id.desc()), rows=(None, 0))
    ranked = (select(slots.c.enrolment_id, slots.c.date, breaks.label("breaks"))
              .where(slots.c.status.is_not(None)).subquery())
    run = (select(ranked.c.enrolment_id, func.count().label("missed"), func.min(ranked.c.date).label("since"))
           .where(ranked.c.breaks == 0).group_by(ranked.c.enrolment_id).having(func.count() >= streak).subquery())
    last = (select(slots.c.enrolment_id, func.max(slots.c.date).label("last_attended"))
            .where(slots.c.status.in_(ATTENDED)).group_by(slots.c.enrolment_id).subquery())
    stmt = (select(Person, Class, run.c.missed, run.c.since, last.c.last_attended)
            .select_from(run).join(Enrolment, Enrolment.id == run.c.enrolment_id)
            .join(Person, Person.id == Enrolment.person_id).join(Class, Class.id == Enrolment.class_id)
            .outerjoin(last, last.c.enrolment_id == run.c.enrolment_id)
            .order_by(run.c.missed.desc(), Person.name_search, Person.id, Class.id))
    if village_ids is not None:
        stmt = stmt.where(Person.village_id.in_(village_ids))
    return [Absentee(row.Person, row.Class, int(row.missed), _as_date(row.since), _as_date(row.last_attended))
            for row in db.session.execute(stmt)]


@dataclass(frozen=True)
class AbsentTwice:
    """A learner of an active class with recorded absences (sessions marked absent, not sessions left unmarked)."""

    person: Person
    klass: Class
    absences: int
    last_absent: dt.date


def absent_twice(commune_id: int | None = None, *, class_ids: Iterable[int] | None = None, at_least: int = 2,
                 village_ids: set[int] | None = None, as_of: dt.datetime | None = None,
                 limit: int | None = None, communes: Mapping[int, set[int] | None] | None = None) -> list[AbsentTwice]:
    """Return learners of open or running classes marked absent at least `at_least` times, most absences first.

    Give a commune, or class ids (or both); `village_ids` keeps learners living in those villages (a village team).
    Or give `communes`: several communes at once, each with the villages to keep (None: all of it), listed by
    absences, then commune by commune as one list per commune would be.
    Counts sessions that count for the learner (held, not cancelled, since they enrolled), in one query.
    """
    where: list[Any] = [Class.status.in_(ACTIVE_CLASS_STATUSES)]
    if commune_id is not None:
        where.append(Class.commune_id == commune_id)
    if class_ids is not None:
        where.append(Enrolment.class_id.in_(list(class_ids)))
    if communes is not None:
        where.append(Class.commune_id.in_(list(communes)))
    if commune_id is None and class_ids is None and communes is None:
        raise ValueError("absent_twice needs a commune or class ids")
    slots = _slots(as_of or local_now(), *where)
    tally = (select(slots.c.enrolment_id, func.count().label("absences"), func.max(slots.c.date).label("last_absent"))
             .where(slots.c.status == "absent").group_by(slots.c.enrolment_id)
             .having(func.count() >= at_least).subquery())
    by_commune = () if communes is None else (Class.commune_id,)
    stmt = (select(Person, Class, tally.c.absences, tally.c.last_absent).select_from(tally)
            .join(Enrolment, Enrolment.id == tally.c.enrolment_id).join(Person, Person.id == Enrolment.person_id)
            .join(Class, Class.id == Enrolment.class_id)
            .options(lazyload(Class.staff))  # the list shows names and titles; no query for each class's staff
            .order_by(tally.c.absences.desc(), *by_commune, tally.c.last_absent.desc(), Person.name_search,
                      Person.id, Class.id))
    if village_ids is not None:
        stmt = stmt.where(Person.village_id.in_(village_ids))
    if communes is not None and any(villages is not None for villages in communes.values()):
        stmt = stmt.where(or_(*(Class.commune_id == cid if villages is None
                                else and_(Class.commune_id == cid, Person.village_id.in_(villages))
                                for cid, villages in communes.items())))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [AbsentTwice(row.Person, row.Class, int(row.absences), _as_date(row.last_absent))
            for row in db.session.execute(stmt)]


def _as_date(value: Any) -> Any:
    # Aggregates of a date column come back as text on SQLite.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


# --- exports ---------------------------------------------------------------------------------

SHORT = {"present": "Có mặt", "late": "Muộn", "absent": "Vắng", "excused": "Có phép", "": "Chưa điểm danh"}


def class_export(klass: Class, *, as_of: dt.datetime | None = None) -> tuple[list[str], list[list[Any]]]:
    """Return the headers and rows of a class's attendance sheet for CSV/Excel: one row per learner."""
    as_of = as_of or local_now()
    held, cells = class_grid(klass, as_of=as_of)
    headers = ["STT", "Họ và tên", "Năm sinh", "Thôn/Tổ dân phố",
               *(f"{s.date:%d/%m/%Y} {s.start_time:%H:%M}" for s in held),
               "Có mặt", "Muộn", "Vắng", "Có phép", "Chưa điểm danh", "Số buổi tính", "Tỉ lệ đi học (%)"]
    rows = []
    for index, item in enumerate(class_learners(klass, as_of=as_of), start=1):
        p, r = item.person, item.rate
        marks = [SHORT[cells[(item.enrolment.id, s.id)]] if (item.enrolment.id, s.id) in cells else ""
                 for s in held]
        rows.append([index, p.full_name, p.birth_year or "", p.village.name if p.village else "", *marks,
                     r.present, r.late, r.absent, r.excused, r.unmarked, r.held,
                     "" if r.share is None else round(r.share * 100, 1)])
    return headers, rows


ABSENTEE_HEADERS = ["Họ và tên", "Năm sinh", "Thôn/Tổ dân phố", "Số điện thoại", "Lớp", "Số buổi vắng liên tiếp",
                    "Vắng từ ngày", "Lần cuối đi học"]


def absentee_rows(found: list[Absentee]) -> list[list[Any]]:
    """Return the absentee list as spreadsheet rows."""
    return [[a.person.full_name, a.person.birth_year or "", a.person.village.name if a.person.village else "",
             a.person.phone or "", a.klass.title, a.missed, a.since.strftime("%d/%m/%Y"),
             a.last_attended.strftime("%d/%m/%Y") if a.last_attended else ""] for a in found]
