"""Attendance marks: the current mark per session and learner, the append-only history, commune settings.

For features built on top (certificates, reports):
- `AttendanceMark` is the current status of one enrolled learner (`enrolments.id`) at one session
  (`class_sessions.id`): present | late | absent | excused. Present and late count as attended.
- `AttendanceChange` keeps every write, applied or not, with who, the device's time, the server's time,
  the device's client id (unique: a replayed client id changes nothing) and old -> new status.
- The share of sessions a learner attended is `app.attendance.reports.share_attended(klass, person)`
  (or `class_learners(klass)` for everyone): attended / sessions marked among those that count for them;
  sessions nobody has marked yet are `Rate.unmarked`, never absences.
- Learners with two or more recorded absences in active classes: `reports.absent_twice(commune_id | class_ids)`.
"""
from __future__ import annotations

import datetime as dt
from datetime import UTC
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, utcnow
from app.policy import Scope

if TYPE_CHECKING:
    from app.classes.models import ClassSession, Enrolment
    from app.people.models import Person

# A mark row is created and filled in the same transaction; this time marks it as not filled yet.
PLACEHOLDER_TIME = dt.datetime(1970, 1, 1, tzinfo=UTC)


class AttendanceMark(db.Model):
    """The current attendance status of one enrolled learner at one session: the latest write by device time."""

    __tablename__ = "attendance_marks"
    __table_args__ = (UniqueConstraint("session_id", "enrolment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))  # marks.STATUSES
    source: Mapped[str] = mapped_column(String(10))  # marks.SOURCES
    # The winning write's time on the device (clamped when the device clock runs far ahead).
    effective_time: Mapped[dt.datetime]
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    session: Mapped[ClassSession] = relationship()
    enrolment: Mapped[Enrolment] = relationship()


class AttendanceChange(db.Model):
    """One write to a mark, kept for ever: applied, or an older write that arrived after a newer one."""

    __tablename__ = "attendance_changes"
    __table_args__ = (Index("ix_attendance_changes_session_id_enrolment_id", "session_id", "enrolment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)  # the device's id for this write
    old_status: Mapped[str | None] = mapped_column(String(10))  # the current status when the write arrived
    new_status: Mapped[str] = mapped_column(String(10))
    applied: Mapped[bool]  # False: an older write (by device time) that arrived late; history only
    source: Mapped[str] = mapped_column(String(10))
    device: Mapped[str] = mapped_column(String(40), default="")  # the browser's own random id, when it sent one
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    device_time: Mapped[dt.datetime | None]  # as the device reported it
    effective_time: Mapped[dt.datetime]  # what the ordering used (device time, clamped)
    server_time: Mapped[dt.datetime] = mapped_column(default=utcnow)

    by: Mapped[Person | None] = relationship()
    enrolment: Mapped[Enrolment] = relationship()


class AttendanceSettings(db.Model):
    """A commune's attendance rules: the late window of the QR code, the grace period, the absentee streak."""

    __tablename__ = "attendance_settings"

    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), primary_key=True)
    late_window_minutes: Mapped[int]
    grace_minutes: Mapped[int]
    absentee_streak: Mapped[int]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id)
