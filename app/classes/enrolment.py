"""Rules for enrolment: seats and the waiting list, consent first, walk-ins, self-enrolment, withdrawal.

A full class puts newcomers on the waiting list; staff may instead seat someone above capacity (a walk-in who
is in the room): the enrolment records it and who decided, and they hold a seat like anyone enrolled.

Seats are counted inside the transaction after taking a lock on the class (SELECT … FOR UPDATE on
PostgreSQL; on SQLite a no-op UPDATE takes the database's single write lock), so two people taking
the last seat at the same moment cannot both get it.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, func, select, update
from sqlalchemy.orm import aliased

from app import vietnam
from app.classes.models import Class, Enrolment
from app.errors import DomainError
from app.extensions import db, utcnow
from app.people import services as people
from app.people.models import Consent, Person
from app.places.models import Village

STATUSES = {"enrolled": _l("Đã ghi danh"), "waitlisted": _l("Danh sách chờ"), "withdrawn": _l("Đã rút")}
SOURCES = {"self": _l("Tự đăng ký"), "walk_in": _l("Đến tận lớp"), "import": _l("Nhập từ danh sách"),
           "staff": _l("Cán bộ ghi danh"), "event": _l("Đăng ký tại ngày hội, điểm học tập số")}
# Learners may enrol themselves in open or running classes; staff may also fill a planned one.
SELF_ENROL_STATUSES = ("open", "running")
STAFF_ENROL_STATUSES = ("planned", "open", "running")
WALK_IN_CONSENT = {"verbal": _l("Đồng ý bằng lời (người hướng dẫn làm chứng)"),
                   "paper": _l("Đã ký phiếu đồng ý")}


def lock_class(klass: Class) -> int:
    """Lock the class against concurrent seat changes until the transaction ends; return its stored capacity."""
    if db.session.get_bind().dialect.name == "postgresql":
        capacity = db.session.scalar(select(Class.capacity).where(Class.id == klass.id).with_for_update())
    else:
        db.session.execute(update(Class).where(Class.id == klass.id).values(capacity=Class.capacity)
                           .execution_options(synchronize_session=False))
        capacity = db.session.scalar(select(Class.capacity).where(Class.id == klass.id))
    return int(capacity or 0)


def enrolled_count(klass: Class) -> int:
    """Count the learners holding a seat."""
    return int(db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.class_id == klass.id, Enrolment.status == "enrolled")) or 0)


def count_rows(class_ids: Iterable[int]) -> Select[Any]:
    """The query behind `counts`: (class_id, status, n) for the enrolled and the waiting of each class."""
    return (select(Enrolment.class_id, Enrolment.status, func.count().label("n"))
            .where(Enrolment.class_id.in_(list(class_ids)), Enrolment.status.in_(("enrolled", "waitlisted")))
            .group_by(Enrolment.class_id, Enrolment.status))


def counts(class_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Return enrolled and waitlisted counts per class, in one query."""
    ids = list(class_ids)
    found: dict[int, dict[str, int]] = {i: {"enrolled": 0, "waitlisted": 0} for i in ids}
    if ids:
        for class_id, status, n in db.session.execute(count_rows(ids)):
            found[class_id][status] = n
    return found


def _has_consent() -> Any:
    return exists().where(Consent.person_id == Enrolment.person_id, Consent.purpose == "learning",
                          Consent.withdrawn_at.is_(None))


def waiting_list(klass: Class) -> list[Enrolment]:
    """Return the waiting list in the order seats will be offered."""
    return list(db.session.scalars(select(Enrolment).where(Enrolment.class_id == klass.id,
                                                           Enrolment.status == "waitlisted")
                                   .order_by(Enrolment.requested_at, Enrolment.id)))


def waitlist_position(enrolment: Enrolment) -> int | None:
    """Return a waitlisted person's place in the queue (1 = next), or None when not waiting."""
    return waitlist_positions([enrolment]).get(enrolment.id)


def waitlist_positions(waiting: Iterable[Enrolment]) -> dict[int, int]:
    """Return each waitlisted enrolment's place in its queue (1 = next), by enrolment id, in one query."""
    ids = [e.id for e in waiting if e.status == "waitlisted"]
    if not ids:
        return {}
    mine, ahead = aliased(Enrolment), aliased(Enrolment)
    found = dict.fromkeys(ids, 1)
    for enrolment_id, n in db.session.execute(
            select(mine.id, func.count(ahead.id)).join(ahead, (ahead.class_id == mine.class_id)
                                                       & (ahead.status == "waitlisted")
                                                       & ((ahead.requested_at < mine.requested_at)
                                                          | ((ahead.requested_at == mine.requested_at)
                                                             & (ahead.id < mine.id))))
            .where(mine.id.in_(ids)).group_by(mine.id)):
        found[enrolment_id] = int(n) + 1
    return found


def fill_seats(klass: Class, capacity: int | None = None) -> list[Enrolment]:
    """Offer free seats to the waiting list in order (the caller holds the class lock); return who got one."""
    free = (klass.capacity if capacity is None else capacity) - enrolled_count(klass)
    if free <= 0:
        return []
    # Someone who has since withdrawn their consent keeps waiting rather than being enrolled without it.
    queue = list(db.session.scalars(
        select(Enrolment).where(Enrolment.class_id == klass.id, Enrolment.status == "waitlisted", _has_consent())
        .order_by(Enrolment.requested_at, Enrolment.id).limit(free).execution_options(populate_existing=True)))
    now = utcnow()
    for row in queue:
        row.status, row.enrolled_at = "enrolled", now
        people.audit(None, row.person, "class.promote", f"class={klass.id}")
    db.session.flush()
    return queue


def set_capacity(klass: Class, capacity: int) -> list[Enrolment]:
    """Change a class's capacity: never below the learners already enrolled; more seats go to the waiting list."""
    lock_class(klass)
    taken = enrolled_count(klass)
    if capacity < taken:
        raise DomainError(_l("Lớp đã có %(n)s học viên ghi danh nên không thể giảm sức chứa xuống %(capacity)s. "
                             "Hãy để học viên rút bớt trước.", n=taken, capacity=capacity), field="capacity")
    klass.capacity = capacity
    db.session.flush()
    return fill_seats(klass, capacity)


def _ensure_consent(person: Person, method: str | None, actor: Person | None, note: str) -> None:
    if people.active_consent(person, "learning") is not None:
        return
    if method is None:
        raise DomainError(_l("Cần có sự đồng ý xử lý dữ liệu của %(name)s để tham gia lớp học trước khi ghi danh.",
                             name=person.full_name), field="consent")
    people.record_consent(person, purpose="learning", method=method, recorded_by=actor, note=note,
                          policy_version=current_app.config["CONSENT_POLICY_VERSION"])


def enrol(klass: Class, person: Person, *, source: str, actor: Person | None = None,
          consent_method: str | None = None, allowed_statuses: tuple[str, ...] = STAFF_ENROL_STATUSES,
          above_capacity: bool = False) -> Enrolment:
    """Give a person a seat, or a place on the waiting list when the class is full; enrolling twice is harmless.

    The person needs an active consent to the "learning" purpose; `consent_method` records one given just now.
    With `above_capacity` (staff only) someone who would wait is seated anyway, and the enrolment says so.
    """
    if source not in SOURCES:
        raise DomainError(_l("Nguồn ghi danh không hợp lệ."))
    if klass.status not in allowed_statuses:
        raise DomainError(_l("Lớp \"%(title)s\" không nhận ghi danh lúc này.", title=klass.title))
    if person.commune_id != klass.commune_id or person.erased_at is not None:
        # Never name someone of another commune to the staff of this one.
        raise DomainError(_l("Người này không thuộc xã của lớp này."))
    _ensure_consent(person, consent_method, actor, str(SOURCES[source]))
    capacity = lock_class(klass)
    row = db.session.scalar(select(Enrolment).where(Enrolment.class_id == klass.id, Enrolment.person_id == person.id)
                            .execution_options(populate_existing=True))
    if row is not None and row.status == "waitlisted" and above_capacity:
        return _seat(klass, row, capacity, actor)
    if row is not None and row.status in ("enrolled", "waitlisted"):
        return row
    fill_seats(klass, capacity)  # anyone already waiting goes first
    now = utcnow()
    full = enrolled_count(klass) >= capacity
    status = "enrolled" if not full or above_capacity else "waitlisted"
    if row is None:
        row = Enrolment(class_id=klass.id, person_id=person.id, created_by_id=actor.id if actor else None)
        db.session.add(row)
    row.status, row.source, row.requested_at = status, source, now
    row.enrolled_at = now if status == "enrolled" else None
    row.withdrawn_at, row.withdrawn_by_id = None, None
    seated = full and status == "enrolled"
    row.above_capacity, row.seated_by_id = seated, (actor.id if actor and seated else None)
    db.session.flush()
    people.audit(actor, person, "class.enrol", f"class={klass.id} status={status} source={source}"
                 + (" above_capacity" if row.above_capacity else ""))
    return row


def _seat(klass: Class, row: Enrolment, capacity: int, actor: Person | None) -> Enrolment:
    """Move a waiting learner into the class now, above capacity when no seat is free (the caller holds the lock)."""
    if people.active_consent(row.person, "learning") is None:
        raise DomainError(_l("Cần có sự đồng ý xử lý dữ liệu của %(name)s để tham gia lớp học trước khi ghi danh.",
                             name=row.person.full_name), field="consent")
    full = enrolled_count(klass) >= capacity
    row.status, row.enrolled_at = "enrolled", utcnow()
    row.above_capacity, row.seated_by_id = full, (actor.id if actor and full else None)
    db.session.flush()
    people.audit(actor, row.person, "class.seat", f"class={klass.id}" + (" above_capacity" if full else ""))
    return row


def seat_above_capacity(enrolment: Enrolment, *, actor: Person | None) -> Enrolment:
    """Seat someone from the waiting list now, even though the class is full (they are in the room)."""
    klass = enrolment.class_
    if klass.status not in STAFF_ENROL_STATUSES:
        raise DomainError(_l("Lớp \"%(title)s\" không nhận ghi danh lúc này.", title=klass.title))
    capacity = lock_class(klass)
    db.session.refresh(enrolment)
    if enrolment.status == "enrolled":
        return enrolment
    if enrolment.status != "waitlisted":
        raise DomainError(_l("%(name)s không còn trong danh sách chờ.", name=enrolment.person.full_name))
    return _seat(klass, enrolment, capacity, actor)


def enrol_self(klass: Class, person: Person, *, consent_given: bool) -> Enrolment:
    """Enrol oneself from the catalogue or a class page; consent is recorded as given online, after a tick."""
    if people.active_consent(person, "learning") is None and not consent_given:
        raise DomainError(_l("Vui lòng đánh dấu ô đồng ý cho xử lý dữ liệu để tham gia lớp học."), field="consent")
    return enrol(klass, person, source="self", actor=person, consent_method="online" if consent_given else None,
                 allowed_statuses=SELF_ENROL_STATUSES)


def enrol_walk_in(klass: Class, *, full_name: str, birth_year: int | None, village: Village | None,
                  consent_method: str | None, actor: Person | None, above_capacity: bool = False) -> Enrolment:
    """Create a newcomer with only name, birth year and village, and enrol them, in one step."""
    if consent_method not in WALK_IN_CONSENT:
        raise DomainError(_l("Hãy đánh dấu rằng người học đã đồng ý (bằng lời hoặc ký phiếu) trước khi ghi danh."),
                          field="consent")
    if birth_year is None:
        raise DomainError(_l("Vui lòng nhập năm sinh."), field="birth_year")
    if village is None:
        raise DomainError(_l("Vui lòng chọn thôn/tổ dân phố."), field="village_id")
    same = db.session.scalar(select(Person).where(
        Person.commune_id == klass.commune_id, Person.erased_at.is_(None), Person.birth_year == birth_year,
        Person.village_id == village.id, Person.name_search == vietnam.search_key(vietnam.clean_name(full_name or ""))))
    if same is not None:
        raise DomainError(_l("Đã có %(name)s, sinh năm %(year)s, ở %(village)s. Hãy tìm người này và bấm \"Ghi danh\" "
                             "thay vì tạo mới.", name=same.full_name, year=birth_year, village=village.name),
                          field="full_name")
    person = people.create_person(commune=klass.commune, full_name=full_name, birth_year=birth_year, village=village,
                                  created_by=actor)
    return enrol(klass, person, source="walk_in", actor=actor, consent_method=consent_method,
                 above_capacity=above_capacity)


def withdraw(enrolment: Enrolment, *, actor: Person | None = None) -> list[Enrolment]:
    """Withdraw a learner (the record stays); a freed seat goes to the first on the waiting list."""
    klass = enrolment.class_
    capacity = lock_class(klass)
    db.session.refresh(enrolment)
    if enrolment.status == "withdrawn":
        return []
    held_seat = enrolment.status == "enrolled"
    enrolment.status, enrolment.withdrawn_at = "withdrawn", utcnow()
    enrolment.withdrawn_by_id = actor.id if actor else None
    db.session.flush()
    people.audit(actor, enrolment.person, "class.withdraw", f"class={klass.id}")
    return fill_seats(klass, capacity) if held_seat else []


def enrolment_of(klass: Class, person: Person) -> Enrolment | None:
    """Return a person's enrolment row in a class, whatever its status."""
    return db.session.scalar(select(Enrolment).where(Enrolment.class_id == klass.id,
                                                     Enrolment.person_id == person.id))
