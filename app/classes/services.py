"""Rules for classes: creating and changing them, their status, modules and staff."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.catalog.models import Module
from app.classes import enrolment
from app.classes.models import VIETNAM, Class, ClassModule, ClassSession, ClassStaff, Enrolment
from app.errors import DomainError
from app.extensions import db
from app.people.audiences import Audience
from app.people.models import Person, RoleAssignment
from app.people.services import audit
from app.places.models import Commune, Venue
from app.policy import STAFF, Role

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


def local_now() -> dt.datetime:
    """Return the current time in Vietnam."""
    return dt.datetime.now(VIETNAM)


def local_today() -> dt.date:
    """Return today's date in Vietnam (the date classes are scheduled by)."""
    return local_now().date()


def day(value: dt.date) -> str:
    """Format a date the Vietnamese way (dd/mm/yyyy) for messages."""
    return value.strftime("%d/%m/%Y")


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
    """Move a class to another status; cancelling it cancels its upcoming sessions (kept, with history)."""
    from app.classes import sessions

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
        today = today or local_today()
        for session in klass.sessions:
            if session.date >= today and session.status == "scheduled":
                sessions.cancel_session(session, reason=str(_l("Lớp đã hủy")), actor=actor)
    klass.status = status
    db.session.flush()
    audit(actor, None, "class.status", f"class={klass.id} status={status}")


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
    from app.classes import sessions

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
