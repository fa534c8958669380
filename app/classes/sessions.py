"""Rules for sessions: scheduling without clashes, moving and cancelling with history, weekly series."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.catalog.models import Module
from app.classes.models import Class, ClassSession, ClassStaff, SessionChange
from app.errors import DomainError
from app.extensions import db
from app.people.models import Person
from app.places.models import Venue
from app.vietnam import day

WEEKDAYS = {0: _l("Thứ Hai"), 1: _l("Thứ Ba"), 2: _l("Thứ Tư"), 3: _l("Thứ Năm"), 4: _l("Thứ Sáu"),
            5: _l("Thứ Bảy"), 6: _l("Chủ nhật")}
SESSION_STATUSES = {"scheduled": _l("Theo lịch"), "cancelled": _l("Đã hủy")}
CHANGE_KINDS = {"moved": _l("Đổi lịch"), "cancelled": _l("Hủy buổi học"), "restored": _l("Khôi phục buổi học")}
MAX_WEEKS = 52


class ScheduleError(DomainError):
    """A session cannot take place as asked; every reason is listed."""

    def __init__(self, problems: list[Any], field: str | None = None) -> None:
        super().__init__(" ".join(str(p) for p in problems), field=field)
        self.problems = problems


def _hours(start: dt.time, end: dt.time) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def _overlapping(on: dt.date, start: dt.time, end: dt.time, exclude_id: int | None) -> Any:
    """Scheduled sessions on a date whose times overlap [start, end) — touching ends do not clash."""
    stmt = (select(ClassSession).join(Class, Class.id == ClassSession.class_id)
            .where(ClassSession.date == on, ClassSession.status == "scheduled",
                   ClassSession.start_time < end, ClassSession.end_time > start))
    if exclude_id is not None:
        stmt = stmt.where(ClassSession.id != exclude_id)
    return stmt


def staff_clashes(on: dt.date, start: dt.time, end: dt.time, person_ids: Iterable[int], *,
                  exclude_id: int | None = None, exclude_class_id: int | None = None) -> list[str]:
    """Describe each of these people already teaching (in any class) at that time."""
    ids = list(person_ids)
    if not ids:
        return []
    stmt = (_overlapping(on, start, end, exclude_id).add_columns(ClassStaff.person_id)
            .join(ClassStaff, ClassStaff.class_id == ClassSession.class_id).where(ClassStaff.person_id.in_(ids)))
    if exclude_class_id is not None:
        stmt = stmt.where(ClassSession.class_id != exclude_class_id)
    problems = []
    for session, person_id in db.session.execute(stmt.order_by(ClassSession.start_time)):
        person = db.session.get(Person, person_id)
        problems.append(str(_l("%(name)s đã dạy lớp \"%(title)s\" lúc %(hours)s ngày %(day)s.",
                               name=person.full_name if person else "?", title=session.class_.title,
                               hours=session.hours, day=day(on))))
    return problems


def slot_problems(klass: Class, on: dt.date | None, start: dt.time | None, end: dt.time | None,
                  venue: Venue | None, *, exclude_id: int | None = None) -> list[str]:
    """List every reason a class cannot meet then and there (empty when it can).

    Messages are plain (already translated) strings: they carry names people typed, so templates must
    escape them, which Jinja does for str but not for lazy strings.
    """
    return [str(p) for p in _slot_problems(klass, on, start, end, venue, exclude_id=exclude_id)]


def _slot_problems(klass: Class, on: dt.date | None, start: dt.time | None, end: dt.time | None,
                   venue: Venue | None, *, exclude_id: int | None) -> list[Any]:
    if on is None or start is None or end is None:
        return [_l("Vui lòng nhập ngày, giờ bắt đầu và giờ kết thúc.")]
    if end <= start:
        return [_l("Giờ kết thúc (%(end)s) phải sau giờ bắt đầu (%(start)s).", end=f"{end:%H:%M}",
                   start=f"{start:%H:%M}")]
    problems: list[Any] = []
    if not klass.starts_on <= on <= klass.ends_on:
        problems.append(_l("Ngày %(day)s nằm ngoài thời gian của lớp (từ %(start)s đến %(end)s).", day=day(on),
                           start=day(klass.starts_on), end=day(klass.ends_on)))
    if venue is None:
        problems.append(_l("Vui lòng chọn địa điểm."))
    elif venue.commune_id != klass.commune_id:
        problems.append(_l("Địa điểm không thuộc xã của lớp."))
    else:
        if venue.capacity < klass.capacity:
            problems.append(_l("%(venue)s chỉ có %(seats)s chỗ ngồi, ít hơn sức chứa của lớp (%(capacity)s học "
                               "viên).", venue=venue.name, seats=venue.capacity, capacity=klass.capacity))
        stmt = _overlapping(on, start, end, exclude_id).where(ClassSession.venue_id == venue.id,
                                                               ClassSession.class_id != klass.id)
        for other in db.session.scalars(stmt.order_by(ClassSession.start_time)):
            problems.append(_l("%(venue)s đã có lớp \"%(title)s\" lúc %(hours)s ngày %(day)s.", venue=venue.name,
                               title=other.class_.title, hours=other.hours, day=day(on)))
    stmt = _overlapping(on, start, end, exclude_id).where(ClassSession.class_id == klass.id)
    for other in db.session.scalars(stmt):
        problems.append(_l("Lớp đã có một buổi học khác lúc %(hours)s ngày %(day)s.", hours=other.hours,
                           day=day(on)))
    problems.extend(staff_clashes(on, start, end, klass.assigned_ids, exclude_id=exclude_id,
                                  exclude_class_id=klass.id))
    return problems


def _check_class_open(klass: Class) -> None:
    if klass.status in ("finished", "cancelled"):
        raise DomainError(_l("Lớp đã kết thúc hoặc đã hủy; không thể xếp thêm buổi học."))


def _check_module(klass: Class, module: Module | None) -> None:
    if module is not None and module.id not in {cm.module_id for cm in klass.modules}:
        raise DomainError(_l("Học phần này không thuộc chương trình của lớp."), field="module_id")


def add_session(klass: Class, *, on: dt.date | None, start: dt.time | None, end: dt.time | None,
                venue: Venue | None, module: Module | None = None, topic: str = "") -> ClassSession:
    """Schedule one session, refusing clashes, impossible times and dates outside the class."""
    _check_class_open(klass)
    _check_module(klass, module)
    problems = slot_problems(klass, on, start, end, venue)
    if problems:
        raise ScheduleError(problems, field="date")
    session = ClassSession(class_=klass, date=on, start_time=start, end_time=end, venue=venue, module=module,
                           topic=" ".join((topic or "").split())[:200])
    db.session.add(session)
    db.session.flush()
    return session


def _record(session: ClassSession, kind: str, *, actor: Person | None, reason: str, on: dt.date, start: dt.time,
            end: dt.time, venue: Venue | None) -> SessionChange:
    change = SessionChange(session=session, kind=kind, by_id=actor.id if actor else None,
                           reason=" ".join((reason or "").split())[:255],
                           old_date=session.date, old_start_time=session.start_time,
                           old_end_time=session.end_time, old_venue_id=session.venue_id,
                           new_date=on, new_start_time=start, new_end_time=end,
                           new_venue_id=venue.id if venue else None)
    db.session.add(change)
    session.sequence += 1
    return change


def move_session(session: ClassSession, *, on: dt.date | None, start: dt.time | None, end: dt.time | None,
                 venue: Venue | None, reason: str = "", actor: Person | None = None,
                 module: Module | None = None, topic: str | None = None) -> SessionChange | None:
    """Move a session to another date, time or venue, keeping where it was; also update what is taught."""
    klass = session.class_
    if module is not None or topic is not None:
        _check_module(klass, module)
        session.module = module
        session.topic = " ".join((topic or "").split())[:200]
    if (on, start, end, venue.id if venue else None) == (session.date, session.start_time, session.end_time,
                                                         session.venue_id):
        db.session.flush()
        return None
    if session.cancelled:
        raise DomainError(_l("Buổi học này đã hủy; hãy khôi phục trước khi đổi lịch."))
    problems = slot_problems(klass, on, start, end, venue, exclude_id=session.id)
    if problems:
        raise ScheduleError(problems, field="date")
    assert on is not None and start is not None and end is not None  # slot_problems checked them
    change = _record(session, "moved", actor=actor, reason=reason, on=on, start=start, end=end, venue=venue)
    session.date, session.start_time, session.end_time, session.venue = on, start, end, venue
    db.session.flush()
    return change


def cancel_session(session: ClassSession, *, reason: str = "", actor: Person | None = None) -> SessionChange | None:
    """Cancel a session; it stays, marked cancelled, so learners and calendars see the change."""
    if session.cancelled:
        return None
    change = _record(session, "cancelled", actor=actor, reason=reason, on=session.date, start=session.start_time,
                     end=session.end_time, venue=session.venue)
    session.status = "cancelled"
    db.session.flush()
    return change


def restore_session(session: ClassSession, *, reason: str = "", actor: Person | None = None) -> SessionChange | None:
    """Put a cancelled session back on the schedule, if its time and place are still free."""
    if not session.cancelled:
        return None
    _check_class_open(session.class_)
    problems = slot_problems(session.class_, session.date, session.start_time, session.end_time, session.venue,
                             exclude_id=session.id)
    if problems:
        raise ScheduleError(problems)
    change = _record(session, "restored", actor=actor, reason=reason, on=session.date, start=session.start_time,
                     end=session.end_time, venue=session.venue)
    session.status = "scheduled"
    db.session.flush()
    return change


# --- "one digital skill a week": weekly series ---------------------------------------------------

@dataclass
class PlannedSession:
    """One date of a weekly series, with the module it would teach and why it cannot happen (if so)."""

    on: dt.date
    module: Module | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class SeriesConflict(DomainError):
    """Some dates of a series clash; nothing was created, and each date says why."""

    def __init__(self, plan: list[PlannedSession]) -> None:
        bad = [p for p in plan if not p.ok]
        super().__init__(_l("%(bad)s trong %(total)s buổi không xếp được. Xem lý do từng ngày bên dưới.",
                            bad=len(bad), total=len(plan)), field="first_date")
        self.plan = plan


def plan_series(klass: Class, *, first_date: dt.date | None, weekday: int | None, start: dt.time | None,
                end: dt.time | None, weeks: int | None, venue: Venue | None,
                module_per_week: bool = False) -> list[PlannedSession]:
    """Work out a weekly series (without writing anything): each date, its module and its problems."""
    if first_date is None:
        raise DomainError(_l("Vui lòng nhập ngày bắt đầu."), field="first_date")
    if weekday is None or weekday not in WEEKDAYS:
        raise DomainError(_l("Vui lòng chọn thứ trong tuần."), field="weekday")
    if weeks is None or not 1 <= weeks <= MAX_WEEKS:
        raise DomainError(_l("Số tuần phải từ 1 đến %(max)s.", max=MAX_WEEKS), field="weeks")
    if start is None or end is None:
        raise DomainError(_l("Vui lòng nhập giờ bắt đầu và giờ kết thúc."), field="start_time")
    if end <= start:
        raise DomainError(_l("Giờ kết thúc (%(end)s) phải sau giờ bắt đầu (%(start)s).", end=f"{end:%H:%M}",
                             start=f"{start:%H:%M}"), field="end_time")
    first = first_date + dt.timedelta(days=(weekday - first_date.weekday()) % 7)
    modules = klass.module_list if module_per_week else []
    plan = []
    for week in range(weeks):
        on = first + dt.timedelta(weeks=week)
        plan.append(PlannedSession(on, modules[week] if week < len(modules) else None,
                                   slot_problems(klass, on, start, end, venue)))
    return plan


def create_series(klass: Class, *, first_date: dt.date | None, weekday: int | None, start: dt.time | None,
                  end: dt.time | None, weeks: int | None, venue: Venue | None, module_per_week: bool = False,
                  topic: str = "", skip_conflicts: bool = False) -> tuple[list[ClassSession], list[PlannedSession]]:
    """Create a weekly series. Clashing dates stop it (SeriesConflict) unless the caller chose to skip them;
    return the sessions created and the dates skipped."""
    _check_class_open(klass)
    plan = plan_series(klass, first_date=first_date, weekday=weekday, start=start, end=end, weeks=weeks,
                       venue=venue, module_per_week=module_per_week)
    skipped = [p for p in plan if not p.ok]
    if skipped and not skip_conflicts:
        raise SeriesConflict(plan)
    if len(skipped) == len(plan):
        raise DomainError(_l("Không ngày nào trong chuỗi xếp được buổi học."), field="first_date")
    created = [add_session(klass, on=p.on, start=start, end=end, venue=venue, module=p.module, topic=topic)
               for p in plan if p.ok]
    return created, skipped
