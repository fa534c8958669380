"""Marking attendance: single taps, "everyone present", paper entry and batches from a device's offline queue.

Every write carries a client id. A client id already recorded is a no-op, so a batch sent twice (a retry after
a timeout, a page reloaded with marks still queued) changes nothing. Between two writes for the same learner
and session, the later one by the device's clock wins; a device clock more than five minutes ahead of the
server, or further behind than any offline queue waits (a clock reset to 1970), counts as the server's
time: the mark is kept, and the history shows what the device said. Every write is kept in the history,
including an older write that arrived after a newer one (it is recorded as not applied).

Concurrency: the current-mark rows a batch touches are created if missing (INSERT … ON CONFLICT DO NOTHING)
and then locked (SELECT … FOR UPDATE on PostgreSQL; on SQLite the insert takes the database's single write
lock), always in enrolment order so two batches cannot deadlock. Under the lock the client ids are checked
again, so a batch re-sent while the first copy is still being saved is a no-op too.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import and_, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.attendance import settings
from app.attendance.models import PLACEHOLDER_TIME, AttendanceChange, AttendanceMark
from app.catalog.models import Module, ModuleVersion
from app.classes.models import Class, ClassSession, ClassStaff, Enrolment
from app.errors import DomainError
from app.extensions import db
from app.people.models import Person
from app.places.models import Venue, Village
from app.vietnam import VIETNAM

STATUSES = {"present": _l("Có mặt"), "late": _l("Muộn"), "absent": _l("Vắng"), "excused": _l("Có phép")}
ATTENDED = ("present", "late")
SOURCES = {"tap": _l("Chạm trên máy"), "everyone": _l("\"Mọi người có mặt\""), "qr": _l("Quét mã QR"),
           "code": _l("Nhập mã"), "paper": _l("Nhập từ tờ ký tên"), "sync": _l("Gửi khi có mạng lại")}
DEVICE_SOURCES = ("tap", "everyone", "sync")  # what a device may say about its own writes
CLOCK_AHEAD = dt.timedelta(minutes=5)
QUEUE_AGE = dt.timedelta(days=30)  # the longest a tablet's offline queue plausibly waits
MAX_BATCH = 500
CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


@dataclass(frozen=True)
class Write:
    """One mark as a device (or a form) sends it."""

    enrolment_id: int
    status: str
    client_id: str
    device_time: dt.datetime | None = None
    source: str = "tap"


@dataclass
class Outcome:
    """What became of a batch: client ids now safely recorded, and writes refused with the reason."""

    stored: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    applied: int = 0  # writes that became the current mark
    superseded: int = 0  # writes kept in the history only: a newer one was already there
    replayed: int = 0  # client ids recorded before
    skipped: int = 0  # check-ins for someone already in (keep_attended)


def new_client_id(prefix: str = "srv") -> str:
    """Return a fresh client id for a write made on the server (a form, a check-in)."""
    return f"{prefix}-{uuid.uuid4().hex}"


def effective_time(device_time: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """Return the time a write is ordered by: the device's, unless missing or implausibly far from the server's."""
    if device_time is None or device_time.tzinfo is None or not -QUEUE_AGE <= device_time - now <= CLOCK_AHEAD:
        return now
    return device_time


def _problem(session: ClassSession, write: Write, enrolment: Enrolment | None, today: dt.date) -> str | None:
    if session.status != "scheduled":
        return str(_l("Buổi học này đã bị hủy; không điểm danh được."))
    if write.status not in STATUSES:
        return str(_l("Trạng thái điểm danh không hợp lệ."))
    if write.source not in SOURCES:
        return str(_l("Nguồn điểm danh không hợp lệ."))
    if enrolment is None or enrolment.class_id != session.class_id:
        return str(_l("Học viên này không thuộc lớp."))
    if enrolment.status != "enrolled":
        return str(_l("%(name)s không còn trong danh sách lớp.", name=enrolment.person.full_name))
    if write.status != "excused" and session.date > today:
        return str(_l("Buổi học ngày %(day)s chưa diễn ra; trước buổi học chỉ ghi được \"có phép\".",
                      day=session.date.strftime("%d/%m/%Y")))
    return None


def _insert_ignoring_duplicates(rows: list[dict[str, Any]]) -> None:
    dialect = db.session.get_bind().dialect.name
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(make(AttendanceMark).values(rows)
                       .on_conflict_do_nothing(index_elements=["session_id", "enrolment_id"]))


def _lock_marks(session: ClassSession, first: dict[int, Write], now: dt.datetime) -> dict[int, AttendanceMark]:
    """Create missing mark rows (as placeholders) and lock every row the batch touches, in enrolment order."""
    ids = sorted(first)
    _insert_ignoring_duplicates([{"session_id": session.id, "enrolment_id": eid, "status": first[eid].status,
                                  "source": first[eid].source, "effective_time": PLACEHOLDER_TIME,
                                  "marked_by_id": None, "updated_at": now} for eid in ids])
    rows = db.session.scalars(select(AttendanceMark).where(AttendanceMark.session_id == session.id,
                                                           AttendanceMark.enrolment_id.in_(ids))
                              .order_by(AttendanceMark.enrolment_id).with_for_update()
                              .execution_options(populate_existing=True))
    return {row.enrolment_id: row for row in rows}


def _known(client_ids: Iterable[str]) -> set[str]:
    ids = list(client_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(AttendanceChange.client_id).where(AttendanceChange.client_id.in_(ids))))


def record(session: ClassSession, writes: Sequence[Write], *, actor: Person | None, now: dt.datetime,
           device: str = "", keep_attended: bool = False) -> Outcome:
    """Record a batch of writes for one session; replays are no-ops and the later write by device time wins.

    With `keep_attended`, a write for someone already present or late is skipped (self check-in twice).
    """
    outcome = Outcome()
    known = _known({w.client_id for w in writes})
    fresh: list[Write] = []
    seen: set[str] = set()
    for write in writes:
        if write.client_id in known or write.client_id in seen:
            outcome.stored.append(write.client_id)
            outcome.replayed += 1
        else:
            seen.add(write.client_id)
            fresh.append(write)
    enrolments = {e.id: e for e in db.session.scalars(
        select(Enrolment).where(Enrolment.id.in_({w.enrolment_id for w in fresh})))} if fresh else {}
    today = now.astimezone(VIETNAM).date()
    valid: list[tuple[Write, dt.datetime]] = []
    for write in fresh:
        problem = _problem(session, write, enrolments.get(write.enrolment_id), today)
        if problem:
            outcome.failed.append({"client_id": write.client_id, "message": problem})
        else:
            valid.append((write, effective_time(write.device_time, now)))
    if not valid:
        return outcome
    valid.sort(key=lambda pair: (pair[0].enrolment_id, pair[1]))
    first: dict[int, Write] = {}
    for write, _time in valid:
        first.setdefault(write.enrolment_id, write)
    marks = _lock_marks(session, first, now)
    known = _known(w.client_id for w, _t in valid)  # again, under the lock: a copy of this batch may just have landed
    history: list[dict[str, Any]] = []
    for write, when in valid:
        if write.client_id in known:
            outcome.stored.append(write.client_id)
            outcome.replayed += 1
            continue
        mark = marks[write.enrolment_id]
        placeholder = mark.effective_time == PLACEHOLDER_TIME
        old = None if placeholder else mark.status
        if keep_attended and old in ATTENDED:
            outcome.stored.append(write.client_id)
            outcome.skipped += 1
            continue
        applies = placeholder or when >= mark.effective_time
        if applies:
            mark.status, mark.source, mark.effective_time = write.status, write.source, when
            mark.marked_by_id, mark.updated_at = (actor.id if actor else None), now
            outcome.applied += 1
        else:
            outcome.superseded += 1
        history.append({"session_id": session.id, "enrolment_id": write.enrolment_id, "client_id": write.client_id,
                        "old_status": old, "new_status": write.status, "applied": applies, "source": write.source,
                        "device": device[:40], "by_id": actor.id if actor else None,
                        "device_time": write.device_time, "effective_time": when, "server_time": now})
        outcome.stored.append(write.client_id)
    db.session.flush()
    if history:
        db.session.execute(insert(AttendanceChange), history)
    unfilled = [m.id for m in marks.values() if m.effective_time == PLACEHOLDER_TIME]
    if unfilled:  # every write for a new row was skipped: leave no placeholder behind
        db.session.execute(delete(AttendanceMark).where(AttendanceMark.id.in_(unfilled)))
    return outcome


def mark(session: ClassSession, enrolment: Enrolment, status: str, *, actor: Person | None, now: dt.datetime,
         source: str = "tap") -> Outcome:
    """Record one mark made on the server's page (no script, or a single form); raise DomainError if refused."""
    outcome = record(session, [Write(enrolment.id, status, new_client_id(source), now, source)], actor=actor, now=now)
    if outcome.failed:
        raise DomainError(outcome.failed[0]["message"])
    return outcome


def learners(session: ClassSession) -> list[Enrolment]:
    """Return the session's class list: enrolled learners by name, with their village."""
    return list(db.session.scalars(
        select(Enrolment).join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.class_id == session.class_id, Enrolment.status == "enrolled")
        .options(selectinload(Enrolment.person).selectinload(Person.village))
        .order_by(Person.name_search, Person.id)))


def current(session: ClassSession) -> dict[int, AttendanceMark]:
    """Return the current marks of a session by enrolment id."""
    return {m.enrolment_id: m for m in db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.session_id == session.id))}


@dataclass(frozen=True)
class RollCallRow:
    """One learner on the roll call: their enrolment id, what the row shows, and their current mark (None: none)."""

    id: int
    full_name: str
    village: str | None
    above_capacity: bool
    status: str | None

    @property
    def initials(self) -> str:
        parts = self.full_name.split()  # as Person.initials: the given name's first letter
        return (parts[-1][:1] if parts else "?").upper()


def status_labels() -> dict[str, Markup]:
    """Return the status labels translated once, for a page that repeats them on every row (as safe as `_l`)."""
    return {key: Markup(str(label)) for key, label in STATUSES.items()}


def session_for_roll_call(session_id: int) -> tuple[ClassSession, int] | None:
    """Return a session with its class, staff, venues and module, and its commune's late window, in one query."""
    row = db.session.execute(
        select(ClassSession, settings.rule_in_force("late_window_minutes", Class.commune_id))
        .join(ClassSession.class_).where(ClassSession.id == session_id)
        .options(contains_eager(ClassSession.class_).options(
                     joinedload(Class.venue).load_only(Venue.village_id),
                     joinedload(Class.staff).lazyload(ClassStaff.person)),
                 joinedload(ClassSession.venue).load_only(Venue.name),
                 joinedload(ClassSession.module).load_only(Module.current_version_id)
                 .joinedload(Module.current).load_only(ModuleVersion.title_vi))).unique().first()
    return (row[0], int(row[1])) if row else None


def roll_call(session: ClassSession) -> list[RollCallRow]:
    """Return the session's class list by name, each learner with their village and current mark, in one query."""
    mark = and_(AttendanceMark.session_id == session.id, AttendanceMark.enrolment_id == Enrolment.id)
    return [RollCallRow(*row) for row in db.session.execute(
        select(Enrolment.id, Person.full_name, Village.name, Enrolment.above_capacity, AttendanceMark.status)
        .join(Person, Person.id == Enrolment.person_id).outerjoin(Village, Village.id == Person.village_id)
        .outerjoin(AttendanceMark, mark)
        .where(Enrolment.class_id == session.class_id, Enrolment.status == "enrolled")
        .order_by(Person.name_search, Person.id))]


def tally(rows: Sequence[RollCallRow]) -> dict[str, int]:
    """Count the roll call's current marks by status, and those not marked yet."""
    found = dict.fromkeys((*STATUSES, "unmarked"), 0)
    for row in rows:
        found[row.status or "unmarked"] += 1
    return found


def everyone_present(session: ClassSession, *, actor: Person | None, now: dt.datetime) -> Outcome:
    """Mark every enrolled learner who has no mark yet as present; marks already made stay."""
    marked = current(session)
    writes = [Write(e.id, "present", new_client_id("everyone"), now, "everyone") for e in learners(session)
              if e.id not in marked]
    return record(session, writes, actor=actor, now=now)


def apply_sheet(session: ClassSession, statuses: dict[int, str], *, actor: Person | None,
                now: dt.datetime) -> Outcome:
    """Enter the marks from a signed paper sheet: only learners whose status differs are written."""
    marked = current(session)
    writes = [Write(eid, status, new_client_id("paper"), now, "paper") for eid, status in sorted(statuses.items())
              if eid not in marked or marked[eid].status != status]
    return record(session, writes, actor=actor, now=now)


def history(session: ClassSession) -> list[AttendanceChange]:
    """Return every write for a session, newest first, with who made it and for whom."""
    return list(db.session.scalars(
        select(AttendanceChange).where(AttendanceChange.session_id == session.id)
        .options(selectinload(AttendanceChange.by), selectinload(AttendanceChange.enrolment).selectinload(
            Enrolment.person))
        .order_by(AttendanceChange.server_time.desc(), AttendanceChange.id.desc())))


def counts(enrolments: Sequence[Enrolment], marks: dict[int, AttendanceMark]) -> dict[str, int]:
    """Count the class list's current marks by status, and those not marked yet."""
    found = dict.fromkeys((*STATUSES, "unmarked"), 0)
    for e in enrolments:
        found[marks[e.id].status if e.id in marks else "unmarked"] += 1
    return found
