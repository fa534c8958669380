"""What people read about classes: the commune view and its export, schedules, dashboards. Read-only."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import Select, false, func, literal_column, or_, select, union_all
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app import policy
from app.catalog.models import Module
from app.classes import bp
from app.classes import enrolment as enrolments
from app.classes.models import Class, ClassModule, ClassSession, ClassStaff, Enrolment, SessionChange
from app.classes.services import STATUSES
from app.extensions import db
from app.people.audiences import LABELS, Audience
from app.people.models import Person
from app.places.models import Venue, Village
from app.policy import Role
from app.vietnam import local_now, local_today

NOTICE_DAYS = 30  # learners see moves and cancellations made in the last month, for sessions still ahead
NOTICE_KINDS = ("moved", "cancelled", "restored")  # a cancellation shows while it holds, a restoration after it
T = TypeVar("T")


@dataclass(frozen=True)
class Filters:
    """The commune view's filters; None means any."""

    village_id: int | None = None
    audience: str | None = None
    status: str | None = None
    module_id: int | None = None


def commune_classes(commune_id: int, filters: Filters = Filters(), *, with_modules: bool = True) -> list[Class]:
    """Return a commune's classes matching the filters, by village then start date.

    Each comes with its venue, village and staff in the same statement, and its modules (a second statement) unless
    the caller says it shows none.
    """
    stmt = (select(Class).outerjoin(Venue, Venue.id == Class.venue_id)
            .outerjoin(Village, Village.id == Venue.village_id)
            .where(Class.commune_id == commune_id)
            .options(contains_eager(Class.venue).contains_eager(Venue.village), joinedload(Class.staff)))
    if with_modules:
        stmt = stmt.options(selectinload(Class.modules))
    if filters.village_id:
        stmt = stmt.where(Venue.village_id == filters.village_id)
    if filters.audience:
        stmt = stmt.where(Class.audience == filters.audience)
    if filters.status:
        stmt = stmt.where(Class.status == filters.status)
    if filters.module_id:
        stmt = stmt.where(Class.id.in_(select(ClassModule.class_id).where(ClassModule.module_id == filters.module_id)))
    return list(db.session.scalars(stmt.order_by(Village.name.is_(None), Village.name, Class.starts_on.desc(),
                                                 Class.id)).unique())


def class_page(class_id: int) -> Class | None:
    """Return a class with what its page shows: venue, staff and modules (one statement), and its sessions with their
    venues, modules and changes (a second)."""
    return db.session.scalars(
        select(Class).where(Class.id == class_id)
        .options(joinedload(Class.venue), joinedload(Class.staff), joinedload(Class.modules),
                 selectinload(Class.sessions).options(joinedload(ClassSession.venue), joinedload(ClassSession.module),
                                                      joinedload(ClassSession.changes)))).unique().first()


def _status_counts(commune_id: int) -> Select[Any]:
    return select(Class.status, func.count().label("n")).where(Class.commune_id == commune_id).group_by(Class.status)


def status_counts(commune_id: int) -> dict[str, int]:
    """Count a commune's classes by status."""
    found = dict.fromkeys(STATUSES, 0)
    found.update(dict(db.session.execute(_status_counts(commune_id)).all()))  # type: ignore[arg-type]
    return found


def _session_counts(class_ids: list[int]) -> Select[Any]:
    return (select(ClassSession.class_id, func.count().label("n"))
            .where(ClassSession.class_id.in_(class_ids), ClassSession.status == "scheduled")
            .group_by(ClassSession.class_id))


def session_counts(class_ids: list[int]) -> dict[int, int]:
    """Count scheduled (not cancelled) sessions per class."""
    if not class_ids:
        return {}
    return dict(db.session.execute(_session_counts(class_ids)).all())  # type: ignore[arg-type]


@dataclass(frozen=True)
class ListFigures:
    """The class list's figures: enrolled and waiting per class, sessions per class, the commune's classes by status."""

    enrolment: dict[int, dict[str, int]]
    sessions: dict[int, int]
    statuses: dict[str, int]


def list_figures(commune_id: int, class_ids: list[int]) -> ListFigures:
    """Return `enrolment.counts`, `session_counts` and `status_counts` for the class list in one query."""
    enrolled, sessions, statuses = (enrolments.count_rows(class_ids).subquery(), _session_counts(class_ids).subquery(),
                                    _status_counts(commune_id).subquery())
    rows = union_all(
        select(literal_column("'enrolment'"), enrolled.c.class_id, enrolled.c.status, enrolled.c.n),
        select(literal_column("'sessions'"), sessions.c.class_id, literal_column("''"), sessions.c.n),
        select(literal_column("'status'"), literal_column("0"), statuses.c.status, statuses.c.n))
    found = ListFigures({i: {"enrolled": 0, "waitlisted": 0} for i in class_ids}, {}, dict.fromkeys(STATUSES, 0))
    for kind, class_id, status, n in db.session.execute(rows):
        if kind == "enrolment":
            found.enrolment[class_id][status] = n
        elif kind == "sessions":
            found.sessions[class_id] = n
        else:
            found.statuses[status] = n
    return found


EXPORT_HEADERS = ("Tên lớp", "Đối tượng", "Trạng thái", "Thôn/Tổ dân phố", "Địa điểm", "Học phần", "Người hướng dẫn",
                  "Trợ giảng", "Ngày khai giảng", "Ngày kết thúc", "Sức chứa", "Đã ghi danh", "Danh sách chờ",
                  "Số buổi học")


def export_rows(classes: list[Class]) -> Iterator[list[Any]]:
    """Rows of the commune view's export, one per class, with counts from aggregate queries."""
    ids = [c.id for c in classes]
    counts, sessions = enrolments.counts(ids), session_counts(ids)
    for c in classes:
        village = c.venue.village.name if c.venue and c.venue.village else ""
        yield [c.title, str(LABELS[Audience(c.audience)]), str(STATUSES[c.status]), village,
               c.venue.name if c.venue else "", ", ".join(m.code for m in c.module_list),
               ", ".join(p.full_name for p in c.instructors), ", ".join(p.full_name for p in c.assistants),
               c.starts_on.strftime("%d/%m/%Y"), c.ends_on.strftime("%d/%m/%Y"), c.capacity,
               counts[c.id]["enrolled"], counts[c.id]["waitlisted"], sessions.get(c.id, 0)]


def open_classes(commune_id: int, *, module_id: int | None = None, today: dt.date | None = None) -> list[Class]:
    """Return the classes a learner can join now (open or running, not yet ended), soonest first."""
    today = today or local_today()
    stmt = (select(Class).where(Class.commune_id == commune_id, Class.status.in_(enrolments.SELF_ENROL_STATUSES),
                                Class.ends_on >= today)
            .options(selectinload(Class.venue), selectinload(Class.modules).selectinload(ClassModule.module)))
    if module_id:
        stmt = stmt.where(Class.id.in_(select(ClassModule.class_id).where(ClassModule.module_id == module_id)))
    return list(db.session.scalars(stmt.order_by(Class.starts_on, Class.id)))


_ONCE = "classes_once"


def _once(key: tuple[Any, ...], read: Callable[[], T]) -> T:
    """Read once per request: what several home panels need is kept on flask.g until the request ends."""
    if not has_request_context():
        return read()
    found: dict[tuple[Any, ...], Any] = g.setdefault(_ONCE, {})
    if key not in found:
        found[key] = read()
    return cast(T, found[key])


@bp.teardown_app_request
def _forget_once(_error: BaseException | None) -> None:
    # flask.g belongs to the app context, which can outlive a request (tests, CLI): forget with the request.
    g.pop(_ONCE, None)


def _sessions(stmt: Any) -> list[ClassSession]:
    """Run a query for sessions, by time, each with its class and the class's staff, its venue and its module: one
    statement (a session has one class, one venue, one module and a class a handful of staff)."""
    return list(db.session.scalars(stmt.options(
        joinedload(ClassSession.class_).joinedload(Class.staff), joinedload(ClassSession.venue),
        joinedload(ClassSession.module))
        .order_by(ClassSession.date, ClassSession.start_time, ClassSession.id)).unique())


def teaching(person: Person, first: dt.date, last: dt.date) -> list[ClassSession]:
    """Return the sessions between two dates of every class the person staffs (cancelled ones too)."""
    return _sessions(select(ClassSession).where(
        ClassSession.date.between(first, last),
        ClassSession.class_id.in_(select(ClassStaff.class_id).where(ClassStaff.person_id == person.id))))


TEACHING_DAYS = 7  # an instructor's home shows today and the next week


def teaching_week(person: Person) -> list[ClassSession]:
    """Return `teaching(person, today, today + TEACHING_DAYS days)`, read once per request and shared by the home
    panels of a class's staff (their day, their week, today's roll calls). Treat the answer as read-only."""
    today = local_today()
    return _once(("teaching_week", person.id, today),
                 lambda: teaching(person, today, today + dt.timedelta(days=TEACHING_DAYS)))


def staffs_any_class(person: Person) -> bool:
    """Tell whether the person is an instructor or assistant of any class."""
    return db.session.scalar(select(ClassStaff.class_id).where(ClassStaff.person_id == person.id).limit(1)) is not None


def monday_of(day: dt.date) -> dt.date:
    """Return the Monday of the week a date falls in."""
    return day - dt.timedelta(days=day.weekday())


def venue_week(venue: Venue, monday: dt.date) -> list[tuple[dt.date, list[ClassSession]]]:
    """Return each day of a week at a venue with its sessions (for the notice board)."""
    sessions = _sessions(select(ClassSession).where(ClassSession.venue_id == venue.id,
                                                    ClassSession.date.between(monday, monday + dt.timedelta(days=6))))
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    return [(d, [s for s in sessions if s.date == d]) for d in days]


@dataclass
class MyClass:
    """A learner's class on their dashboard: their place, the next session and recent changes."""

    enrolment: Enrolment
    next_session: ClassSession | None
    position: int | None
    notices: list[SessionChange] = field(default_factory=list)
    sessions: list[ClassSession] = field(default_factory=list)  # from today on, cancelled ones too, by time


def my_classes(person: Person, *, today: dt.date | None = None, now: dt.datetime | None = None) -> list[MyClass]:
    """Return the classes a person is enrolled or waiting in (not finished long ago), with notices.

    The next session is the first one from today that is not cancelled; given `now` (Vietnam time), the first that
    has not ended by then. Three statements however many classes: the enrolments with their classes and modules,
    the sessions from today with their venues, modules and changes, and the waiting list places.
    """
    today = now.date() if now is not None else today or local_today()
    rows = list(db.session.scalars(
        select(Enrolment).join(Enrolment.class_).outerjoin(Class.modules)
        .where(Enrolment.person_id == person.id, Enrolment.status.in_(("enrolled", "waitlisted")),
               Class.ends_on >= today - dt.timedelta(days=NOTICE_DAYS))
        .options(contains_eager(Enrolment.class_).contains_eager(Class.modules),
                 contains_eager(Enrolment.class_).lazyload(Class.staff))
        .order_by(Class.starts_on, Class.id, ClassModule.position)).unique())
    upcoming: dict[int, list[ClassSession]] = {row.class_id: [] for row in rows}
    if rows:
        for session in db.session.scalars(
                select(ClassSession).where(ClassSession.class_id.in_(list(upcoming)), ClassSession.date >= today)
                .options(joinedload(ClassSession.venue), joinedload(ClassSession.module),
                         joinedload(ClassSession.changes).joinedload(SessionChange.new_venue))
                .order_by(ClassSession.date, ClassSession.start_time, ClassSession.id)).unique():
            upcoming[session.class_id].append(session)
    positions = enrolments.waitlist_positions([row for row in rows if row.status == "waitlisted"])
    clock = now.time().replace(tzinfo=None) if now is not None else None
    since = dt.datetime.combine(today - dt.timedelta(days=NOTICE_DAYS), dt.time(), tzinfo=dt.UTC)
    found = []
    for row in rows:
        mine = upcoming[row.class_id]
        found.append(MyClass(
            enrolment=row, position=positions.get(row.id), sessions=mine,
            next_session=next((s for s in mine if not s.cancelled
                               and (clock is None or s.date > today or s.end_time > clock)), None),
            notices=[c for s in mine for c in s.changes if c.at >= since and c.kind in NOTICE_KINDS
                     and (c.kind != "cancelled" or s.cancelled) and (c.kind != "restored" or not s.cancelled)]))
    return found


def my_classes_once(person: Person) -> list[MyClass]:
    """Return `my_classes(person, now=local_now())`, read once per request and shared by the home panels.

    Treat the answer as read-only: the next panel gets the same objects.
    """
    return _once(("my_classes", person.id), lambda: my_classes(person, now=local_now()))


def changes_label(change: SessionChange) -> str:
    """Describe a session change in one sentence for a learner."""
    title = change.session.class_.title
    if change.kind == "cancelled":
        return _("Buổi học lớp \"%(title)s\" ngày %(day)s (%(hours)s) đã bị hủy.", title=title,
                 day=change.old_date.strftime("%d/%m/%Y"),
                 hours=f"{change.old_start_time:%H:%M}–{change.old_end_time:%H:%M}")
    if change.kind == "restored":  # e.g. a cancelled class was restored: its session takes place after all
        return _("Buổi học lớp \"%(title)s\" ngày %(day)s (%(hours)s) sẽ diễn ra như lịch cũ.", title=title,
                 day=change.new_date.strftime("%d/%m/%Y"),
                 hours=f"{change.new_start_time:%H:%M}–{change.new_end_time:%H:%M}")
    where = change.new_venue.name if change.new_venue else ""
    return _("Buổi học lớp \"%(title)s\" ngày %(old)s đã dời sang %(hours)s ngày %(new)s%(where)s.", title=title,
             old=change.old_date.strftime("%d/%m/%Y"), new=change.new_date.strftime("%d/%m/%Y"),
             hours=f"{change.new_start_time:%H:%M}–{change.new_end_time:%H:%M}",
             where=(" " + _("tại %(venue)s", venue=where)) if where and change.new_venue_id != change.old_venue_id
             else "")


def modules_offered() -> list[Module]:
    """Return the active catalogue modules (for pickers), in catalogue order."""
    return list(db.session.scalars(select(Module).where(Module.active.is_(True), Module.current_version_id.is_not(None))
                                   .order_by(Module.position, Module.code)))


# --- what a commune's staff reach (home page tasks) ----------------------------------------------

def within_reach(person: Person, action: str) -> Any:
    """An SQL condition on Class: the classes where the person's own roles allow `action` (their commune, or only
    their village's venues and those of no village for a village-scoped role). Administrators: their own commune."""
    if policy.is_admin(person):
        return Class.commune_id == person.commune_id
    rule = policy.RULES[action]
    clauses = []
    for held in person.active_roles:
        if Role(held.role) not in rule.roles or not held.commune_id:
            continue
        if held.village_id is None:
            clauses.append(Class.commune_id == held.commune_id)
        else:  # as policy.roles_in: the village's classes, and those not tied to any village
            venues = select(Venue.id).where(or_(Venue.village_id == held.village_id, Venue.village_id.is_(None)))
            clauses.append((Class.commune_id == held.commune_id)
                           & or_(Class.venue_id.is_(None), Class.venue_id.in_(venues)))
    return or_(*clauses) if clauses else false()


def communes_of(person: Person, action: str) -> set[int]:
    """The communes where the person may take `action` by role (administrators: their own)."""
    found = policy.commune_ids(person, action)
    return {person.commune_id} if found is None else found


def sessions_on(where: Any, day: dt.date) -> list[ClassSession]:
    """Return the scheduled sessions on a day of the classes matching `where`, by time."""
    return _sessions(select(ClassSession).join(Class, Class.id == ClassSession.class_id)
                     .where(where, ClassSession.date == day, ClassSession.status == "scheduled"))
