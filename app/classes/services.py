"""Rules for classes: creating and changing them, their status, modules and staff."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.catalog.models import Module
from app.classes import enrolment, sessions
from app.classes.models import Class, ClassCancellation, ClassModule, ClassSession, ClassStaff, Enrolment, SessionChange
from app.errors import DomainError
from app.extensions import db, utcnow
from app.people.audiences import Audience
from app.people.models import Person, RoleAssignment
from app.people.services import audit
from app.places.models import Commune, Venue
from app.policy import STAFF, Role
from app.vietnam import day, local_now, local_today

STATUSES = {
    "planned": _l("Dự kiến"),
    "open": _l("Đang nhận đăng ký"),
    "running": _l("Đang học"),
    "finished": _l("Đã kết thúc"),
    "cancelled": _l("Đã hủy"),
}
# Which status may follow which; anything else is refused with a clear message.
NEXT_STATUSES = {
    "planned": {"open", "running", "cancelled"},
    "open": {"planned", "running", "cancelled"},
    "running": {"open", "finished", "cancelled"},
    "finished": {"running"},
    "cancelled": {"planned"},
}
ACTIVE_STATUSES = ("planned", "open", "running")
STAFF_ROLES = {"instructor": _l("Người hướng dẫn"), "assistant": _l("Trợ giảng")}
ACCESS_FACTS = {
    "wheelchair_access": _l("Xe lăn vào được"),
    "large_print": _l("Tài liệu chữ to"),
    "sign_language": _l("Có phiên dịch ngôn ngữ ký hiệu"),
    "hearing_loop": _l("Có vòng từ hỗ trợ máy trợ thính"),
}
MAX_CAPACITY = 500


def _check(commune: Commune, *, title: str, audience: str, venue: Venue | None, capacity: int | None,
           starts_on: dt.date | None, ends_on: dt.date | None) -> str:
    title = " ".join((title or "").split())
    if len(title) < 3:
        raise DomainError(_l("Vui lòng nhập tên lớp."), field="title")
    if len(title) > 200:
        raise DomainError(_l("Tên lớp quá dài (tối đa 200 ký tự)."), field="title")
    if audience not in {a.value for a in Audience}:
        raise DomainError(_l("Vui lòng chọn đối tượng của lớp."), field="audience")
    if venue is None:
        raise DomainError(_l("Vui lòng chọn địa điểm học."), field="venue_id")
    if venue.commune_id != commune.id:
        raise DomainError(_l("Địa điểm không thuộc xã này."), field="venue_id")
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        raise DomainError(_l("Sức chứa của lớp phải từ 1 đến %(max)s học viên.", max=MAX_CAPACITY), field="capacity")
    if capacity > venue.capacity:
        raise DomainError(_l("%(venue)s chỉ có %(seats)s chỗ ngồi; lớp không thể nhận %(capacity)s học viên.",
                             venue=venue.name, seats=venue.capacity, capacity=capacity), field="capacity")
    if starts_on is None:
        raise DomainError(_l("Vui lòng nhập ngày khai giảng."), field="starts_on")
    if ends_on is None:
        raise DomainError(_l("Vui lòng nhập ngày kết thúc."), field="ends_on")
    if ends_on < starts_on:
        raise DomainError(_l("Ngày kết thúc phải từ ngày khai giảng (%(start)s) trở đi.", start=day(starts_on)),
                          field="ends_on")
    if (ends_on - starts_on).days > 366:
        raise DomainError(_l("Một lớp kéo dài tối đa một năm."), field="ends_on")
    return title


def _set_access(klass: Class, access: Mapping[str, bool], notes: str) -> None:
    for fact in ACCESS_FACTS:
        setattr(klass, fact, bool(access.get(fact)))
    klass.access_notes = (notes or "").strip()[:2000]


def set_modules(klass: Class, modules: Sequence[Module]) -> None:
    """Replace the modules a class covers, in the order given."""
    wanted: list[Module] = []
    for module in modules:
        if module not in wanted:
            wanted.append(module)
    keep = {cm.module_id: cm for cm in klass.modules}
    klass.modules = [keep.get(m.id) or ClassModule(module_id=m.id, module=m) for m in wanted]
    for position, cm in enumerate(klass.modules):
        cm.position = position


def create_class(commune: Commune, *, title: str, audience: str, venue: Venue | None, capacity: int | None,
                 starts_on: dt.date | None, ends_on: dt.date | None, modules: Sequence[Module] = (),
                 access: Mapping[str, bool] | None = None, access_notes: str = "", description: str = "",
                 created_by: Person | None = None) -> Class:
    """Create a planned class after checking every field."""
    clean = _check(commune, title=title, audience=audience, venue=venue, capacity=capacity, starts_on=starts_on,
                   ends_on=ends_on)
    klass = Class(commune_id=commune.id, title=clean, audience=audience, status="planned", venue=venue,
                  capacity=capacity, starts_on=starts_on, ends_on=ends_on, description=(description or "").strip(),
                  created_by_id=created_by.id if created_by else None)
    _set_access(klass, access or {}, access_notes)
    db.session.add(klass)
    set_modules(klass, modules)
    db.session.flush()
    audit(created_by, None, "class.create", f"class={klass.id}")
    return klass


def update_class(klass: Class, *, title: str, audience: str, venue: Venue | None, capacity: int | None,
                 starts_on: dt.date | None, ends_on: dt.date | None, modules: Sequence[Module],
                 access: Mapping[str, bool], access_notes: str = "", description: str = "",
                 actor: Person | None = None) -> list[Enrolment]:
    """Change a class; return the learners promoted from the waiting list if seats were added."""
    clean = _check(klass.commune, title=title, audience=audience, venue=venue, capacity=capacity,
                   starts_on=starts_on, ends_on=ends_on)
    assert starts_on is not None and ends_on is not None and capacity is not None  # checked above
    outside = db.session.scalar(select(func.count()).select_from(ClassSession).where(
        ClassSession.class_id == klass.id, ClassSession.status == "scheduled",
        (ClassSession.date < starts_on) | (ClassSession.date > ends_on)))
    if outside:
        raise DomainError(_l("Có %(n)s buổi học nằm ngoài thời gian mới (%(start)s – %(end)s). Hãy dời hoặc hủy "
                             "các buổi đó trước.", n=outside, start=day(starts_on), end=day(ends_on)),
                          field="starts_on")
    klass.title, klass.audience, klass.venue = clean, audience, venue
    klass.starts_on, klass.ends_on = starts_on, ends_on
    klass.description = (description or "").strip()
    _set_access(klass, access, access_notes)
    set_modules(klass, modules)
    promoted = enrolment.set_capacity(klass, capacity)
    db.session.flush()
    audit(actor, None, "class.update", f"class={klass.id}")
    return promoted


def set_status(klass: Class, status: str, *, actor: Person | None = None, today: dt.date | None = None) -> None:
    """Move a class to another status; cancelling it cancels its upcoming sessions (see `cancel_class`)."""
    if status == klass.status:
        return
    if status not in STATUSES:
        raise DomainError(_l("Trạng thái lớp không hợp lệ."), field="status")
    if status not in NEXT_STATUSES[klass.status]:
        raise DomainError(_l("Không thể chuyển lớp từ \"%(old)s\" sang \"%(new)s\".", old=STATUSES[klass.status],
                             new=STATUSES[status]), field="status")
    if status in ("open", "running") and not klass.instructors:
        raise DomainError(_l("Lớp cần có ít nhất một người hướng dẫn trước khi mở."), field="status")
    if status == "cancelled":
        cancel_class(klass, actor=actor, today=today)
        return
    klass.status = status
    db.session.flush()
    audit(actor, None, "class.status", f"class={klass.id} status={status}")


# --- cancelling a class, and undoing that ----------------------------------------------------------

@dataclass
class CancelPreview:
    """What cancelling a class would do: the upcoming sessions it cancels and the people it tells."""

    sessions: int
    learners: int
    waiting: int


def cancel_preview(klass: Class, *, today: dt.date | None = None) -> CancelPreview:
    """Count what cancelling the class would cancel and whom it would tell (without changing anything)."""
    today = today or local_today()
    upcoming = db.session.scalar(select(func.count()).select_from(ClassSession).where(
        ClassSession.class_id == klass.id, ClassSession.status == "scheduled", ClassSession.date >= today))
    count = enrolment.counts([klass.id])[klass.id]
    return CancelPreview(sessions=int(upcoming or 0), learners=count["enrolled"], waiting=count["waitlisted"])


def check_can_cancel(klass: Class) -> None:
    """Refuse to cancel a class already cancelled, or in a status that cannot be cancelled."""
    if klass.status == "cancelled":
        raise DomainError(_l("Lớp này đã hủy rồi."), field="status")
    if "cancelled" not in NEXT_STATUSES[klass.status]:
        raise DomainError(_l("Không thể hủy lớp đang ở trạng thái \"%(status)s\".", status=STATUSES[klass.status]),
                          field="status")


def cancel_class(klass: Class, *, reason: str = "", actor: Person | None = None,
                 today: dt.date | None = None) -> ClassCancellation:
    """Cancel a class and its sessions from today on; learners see each cancelled session. It can be undone."""

    check_can_cancel(klass)
    today = today or local_today()
    reason = " ".join((reason or "").split())[:255]
    record = ClassCancellation(class_id=klass.id, previous_status=klass.status, reason=reason,
                               by_id=actor.id if actor else None)
    db.session.add(record)
    for session in klass.sessions:
        if session.date >= today and session.status == "scheduled":
            change = sessions.cancel_session(session, reason=reason or str(_l("Lớp đã hủy")), actor=actor)
            if change is not None:
                change.cancellation = record
    klass.status = "cancelled"
    db.session.flush()
    audit(actor, None, "class.status", f"class={klass.id} status=cancelled cancellation={record.id}")
    return record


def open_cancellation(klass: Class) -> ClassCancellation | None:
    """Return the cancellation a cancelled class is in (the latest not undone), if one was recorded."""
    if klass.status != "cancelled":
        return None
    return db.session.scalar(select(ClassCancellation).where(ClassCancellation.class_id == klass.id,
                                                             ClassCancellation.undone_at.is_(None))
                             .order_by(ClassCancellation.at.desc(), ClassCancellation.id.desc()).limit(1))


@dataclass
class RestorePlan:
    """What undoing a class's cancellation does: the status it returns to and the fate of each session."""

    status: str
    cancellation: ClassCancellation | None
    returning: list[ClassSession] = field(default_factory=list)  # come back on the schedule
    past: list[ClassSession] = field(default_factory=list)  # their time has come: they stay cancelled
    blocked: list[tuple[ClassSession, list[str]]] = field(default_factory=list)  # time or place taken since


def restore_plan(klass: Class, *, now: dt.datetime | None = None) -> RestorePlan:
    """Work out what undoing the class's cancellation would restore (without changing anything).

    Only the sessions that the class cancellation cancelled come back (not those cancelled one by one
    before), and only while they are still in the future and their time and place are still free.
    """

    if klass.status != "cancelled":
        raise DomainError(_l("Lớp này không bị hủy nên không cần khôi phục."), field="status")
    now = now or local_now()
    record = open_cancellation(klass)
    plan = RestorePlan(status=record.previous_status if record else "planned", cancellation=record)
    if record is None:
        return plan
    changes = db.session.scalars(select(SessionChange).join(ClassSession, ClassSession.id == SessionChange.session_id)
                                 .where(SessionChange.cancellation_id == record.id,
                                        ClassSession.status == "cancelled")
                                 .options(selectinload(SessionChange.session).selectinload(ClassSession.changes))
                                 .order_by(ClassSession.date, ClassSession.start_time, ClassSession.id))
    for change in changes:
        session = change.session
        if session.changes[-1].id != change.id:  # changed again since: not this cancellation's to undo
            continue
        if session.starts_at <= now:
            plan.past.append(session)
        elif problems := sessions.slot_problems(klass, session.date, session.start_time, session.end_time,
                                                session.venue, exclude_id=session.id):
            plan.blocked.append((session, problems))
        else:
            plan.returning.append(session)
    return plan


def restore_class(klass: Class, *, actor: Person | None = None, now: dt.datetime | None = None) -> RestorePlan:
    """Undo a class's cancellation: its previous status, and its sessions that are still to come; return the plan."""

    plan = restore_plan(klass, now=now)
    if plan.status in ("open", "running") and not klass.instructors:
        raise DomainError(_l("Lớp cần có ít nhất một người hướng dẫn trước khi mở lại. Hãy phân công người hướng "
                             "dẫn trước."), field="status")
    klass.status = plan.status
    db.session.flush()
    restored = []
    for session in plan.returning:
        try:
            sessions.restore_session(session, reason=str(_l("Lớp được khôi phục")), actor=actor)
        except sessions.ScheduleError as error:
            plan.blocked.append((session, [str(p) for p in error.problems]))
        else:
            restored.append(session)
    plan.returning = restored
    if plan.cancellation is not None:
        plan.cancellation.undone_at = utcnow()
        plan.cancellation.undone_by_id = actor.id if actor else None
    db.session.flush()
    audit(actor, None, "class.status", f"class={klass.id} status={plan.status} restored={len(restored)}")
    return plan


def staff_candidates(commune: Commune) -> list[Person]:
    """Return the people who may run classes in a commune: those holding a staff role there."""
    holders = select(RoleAssignment.person_id).where(RoleAssignment.commune_id == commune.id,
                                                     RoleAssignment.role.in_([r.value for r in STAFF]))
    return list(db.session.scalars(select(Person).where(Person.erased_at.is_(None), Person.id.in_(holders))
                                   .order_by(Person.name_search, Person.id)))


def _is_staff_of(person: Person, commune_id: int) -> bool:
    return any(a.role == Role.ADMIN or (a.role in STAFF and a.commune_id == commune_id)
               for a in person.role_assignments)


def set_staff(klass: Class, *, instructors: Iterable[Person], assistants: Iterable[Person] = (),
              actor: Person | None = None, today: dt.date | None = None) -> None:
    """Replace a class's instructors and assistants, refusing anyone already teaching elsewhere at its times."""

    roles: dict[int, tuple[Person, str]] = {}
    for person in assistants:
        roles[person.id] = (person, "assistant")
    for person in instructors:  # someone picked as both is the instructor
        roles[person.id] = (person, "instructor")
    if klass.status in ("open", "running") and not any(r == "instructor" for _p, r in roles.values()):
        raise DomainError(_l("Lớp đang mở cần có ít nhất một người hướng dẫn."), field="instructors")
    for person, _role in roles.values():
        if person.erased_at is not None or not _is_staff_of(person, klass.commune_id):
            raise DomainError(_l("%(name)s chưa là tình nguyện viên hay cán bộ của xã nên chưa thể phụ trách lớp.",
                                 name=person.full_name), field="instructors")
    added = [p for pid, (p, _r) in roles.items() if pid not in klass.assigned_ids]
    if added:
        today = today or local_today()
        for session in klass.sessions:
            if session.status != "scheduled" or session.date < today:
                continue
            clash = sessions.staff_clashes(session.date, session.start_time, session.end_time,
                                           [p.id for p in added], exclude_class_id=klass.id)
            if clash:
                raise DomainError(clash[0], field="instructors")
    current = {s.person_id: s for s in klass.staff}
    klass.staff = [current.get(pid) or ClassStaff(person_id=pid, person=person) for pid, (person, _r) in roles.items()]
    for row in klass.staff:
        row.role = roles[row.person_id][1]
    db.session.flush()
    audit(actor, None, "class.staff", f"class={klass.id} staff={sorted(roles)}")


def learners(klass: Class) -> list[Person]:
    """Return the people enrolled in a class (not those waiting or withdrawn), by name."""
    return list(db.session.scalars(
        select(Person).join(Enrolment, Enrolment.person_id == Person.id)
        .where(Enrolment.class_id == klass.id, Enrolment.status == "enrolled")
        .order_by(Person.name_search, Person.id)))
