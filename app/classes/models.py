"""Classes, their staff and modules, dated sessions with their change history, enrolments and calendar feeds.

For features built on top (attendance, quizzes, certificates):
- `ClassSession` is one dated meeting; attendance marks hang on (`class_sessions.id`, `enrolments.id`).
  Only sessions with `status == "scheduled"` take place; cancelled ones stay for history and calendars.
- `Enrolment` is the learner's place in a class (one row per class and person, never deleted);
  `status == "enrolled"` are the learners, `"waitlisted"` wait in (`requested_at`, `id`) order,
  `"withdrawn"` left (the row and its history stay). `above_capacity` marks a learner an instructor seated in a
  full class (`seated_by_id` says who); they hold a seat like anyone enrolled.
- Cancelling a class writes a `ClassCancellation`; the `SessionChange` rows of the sessions it cancelled point
  at it, so undoing it restores exactly those (`services.restore_class`).
- `Class.modules` (ordered `ClassModule` rows) are the catalogue modules the class covers; quizzes use them.
- A finished class with its learners: `Class.status == "finished"` and its enrolled `Enrolment` rows
  (`services.learners(klass)`).
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, String, Text, Time, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, utcnow
from app.policy import Scope
from app.vietnam import VIETNAM

if TYPE_CHECKING:
    from app.catalog.models import Module
    from app.people.models import Person
    from app.places.models import Commune, Venue


class Class(db.Model):
    """An in-person class of a commune for one audience, at a venue, covering one or more modules."""

    __tablename__ = "classes"
    __table_args__ = (Index("ix_classes_commune_id_status", "commune_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(String(30))  # app.people.audiences.Audience
    status: Mapped[str] = mapped_column(String(20), default="planned")  # services.STATUSES
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id", ondelete="SET NULL"), index=True)
    capacity: Mapped[int]
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    # What learners with disabilities can count on in this class.
    wheelchair_access: Mapped[bool] = mapped_column(default=False)
    large_print: Mapped[bool] = mapped_column(default=False)
    sign_language: Mapped[bool] = mapped_column(default=False)
    hearing_loop: Mapped[bool] = mapped_column(default=False)
    access_notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    commune: Mapped[Commune] = relationship()
    venue: Mapped[Venue | None] = relationship()
    modules: Mapped[list[ClassModule]] = relationship(order_by="ClassModule.position", cascade="all, delete-orphan",
                                                      back_populates="class_")
    staff: Mapped[list[ClassStaff]] = relationship(cascade="all, delete-orphan", back_populates="class_",
                                                   lazy="selectin")
    sessions: Mapped[list[ClassSession]] = relationship(
        order_by="[ClassSession.date, ClassSession.start_time, ClassSession.id]", cascade="all, delete-orphan",
        back_populates="class_")
    enrolments: Mapped[list[Enrolment]] = relationship(cascade="all, delete-orphan", back_populates="class_")

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id, self.venue.village_id if self.venue else None)

    @property
    def assigned_ids(self) -> set[int]:
        """People who staff the class (instructors and assistants)."""
        return {s.person_id for s in self.staff}

    @property
    def instructors(self) -> list[Person]:
        return [s.person for s in self.staff if s.role == "instructor"]

    @property
    def assistants(self) -> list[Person]:
        return [s.person for s in self.staff if s.role == "assistant"]

    @property
    def module_list(self) -> list[Module]:
        return [m.module for m in self.modules]

    def __str__(self) -> str:
        return self.title


class ClassModule(db.Model):
    """A catalogue module a class covers, in teaching order."""

    __tablename__ = "class_modules"

    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="RESTRICT"), primary_key=True,
                                           index=True)
    position: Mapped[int] = mapped_column(default=0)

    class_: Mapped[Class] = relationship(back_populates="modules")
    module: Mapped[Module] = relationship(lazy="joined")


class ClassStaff(db.Model):
    """A person who runs a class: an instructor or an assistant."""

    __tablename__ = "class_staff"

    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
    role: Mapped[str] = mapped_column(String(20))  # instructor | assistant

    class_: Mapped[Class] = relationship(back_populates="staff")
    person: Mapped[Person] = relationship(lazy="joined")


class ClassSession(db.Model):
    """One dated meeting of a class, in Vietnam wall-clock time; cancelled sessions are kept."""

    __tablename__ = "class_sessions"
    __table_args__ = (Index("ix_class_sessions_date_venue_id", "date", "venue_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    start_time: Mapped[dt.time] = mapped_column(Time)
    end_time: Mapped[dt.time] = mapped_column(Time)
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id", ondelete="SET NULL"))
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="SET NULL"))
    topic: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="scheduled")  # scheduled | cancelled
    sequence: Mapped[int] = mapped_column(default=0)  # iCalendar SEQUENCE: bumped on every change
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    class_: Mapped[Class] = relationship(back_populates="sessions")
    venue: Mapped[Venue | None] = relationship()
    module: Mapped[Module | None] = relationship()
    changes: Mapped[list[SessionChange]] = relationship(order_by="SessionChange.at", cascade="all, delete-orphan",
                                                        back_populates="session")

    @property
    def access_scope(self) -> Scope:
        return self.class_.access_scope

    @property
    def assigned_ids(self) -> set[int]:
        return self.class_.assigned_ids

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start_time, tzinfo=VIETNAM)

    @property
    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end_time, tzinfo=VIETNAM)

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def hours(self) -> str:
        return f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"

    @property
    def what(self) -> str:
        """What is taught: the module's title and/or the topic."""
        title = self.module.current.title_vi if self.module and self.module.current else ""
        return " – ".join(part for part in (title, self.topic) if part)


class SessionChange(db.Model):
    """A session moved, cancelled or restored: who, when, why, and what it was before and after."""

    __tablename__ = "session_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # moved | cancelled | restored
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(255), default="")
    old_date: Mapped[dt.date] = mapped_column(Date)
    old_start_time: Mapped[dt.time] = mapped_column(Time)
    old_end_time: Mapped[dt.time] = mapped_column(Time)
    old_venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id", ondelete="SET NULL"))
    new_date: Mapped[dt.date] = mapped_column(Date)
    new_start_time: Mapped[dt.time] = mapped_column(Time)
    new_end_time: Mapped[dt.time] = mapped_column(Time)
    new_venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id", ondelete="SET NULL"))
    # Set when the session was cancelled because its whole class was: undoing that cancellation restores it.
    cancellation_id: Mapped[int | None] = mapped_column(ForeignKey("class_cancellations.id", ondelete="SET NULL"),
                                                        index=True)

    session: Mapped[ClassSession] = relationship(back_populates="changes")
    by: Mapped[Person | None] = relationship()
    old_venue: Mapped[Venue | None] = relationship(foreign_keys=[old_venue_id])
    new_venue: Mapped[Venue | None] = relationship(foreign_keys=[new_venue_id])
    cancellation: Mapped[ClassCancellation | None] = relationship(back_populates="changes")


class ClassCancellation(db.Model):
    """A class was cancelled: from which status, by whom and why, and whether (and when) it was undone.

    The sessions it cancelled are the `SessionChange` rows pointing at it, so undoing it brings back exactly
    those (not sessions cancelled one by one before).
    """

    __tablename__ = "class_cancellations"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    previous_status: Mapped[str] = mapped_column(String(20))  # services.STATUSES
    reason: Mapped[str] = mapped_column(String(255), default="")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    undone_at: Mapped[dt.datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    class_: Mapped[Class] = relationship()
    by: Mapped[Person | None] = relationship(foreign_keys=[by_id])
    changes: Mapped[list[SessionChange]] = relationship(back_populates="cancellation")


class Enrolment(db.Model):
    """A person's place in a class: enrolled, on the waiting list, or withdrawn (kept, never deleted)."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("class_id", "person_id"),
                      Index("ix_enrolments_class_id_status", "class_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))  # enrolled | waitlisted | withdrawn
    source: Mapped[str] = mapped_column(String(20))  # self | walk_in | import | staff
    # When the place was (last) asked for: the waiting list is served in (requested_at, id) order.
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    enrolled_at: Mapped[dt.datetime | None]
    withdrawn_at: Mapped[dt.datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    # A learner seated although the class was full (a walk-in in the room), and who decided it.
    above_capacity: Mapped[bool] = mapped_column(default=False, server_default=false())
    seated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    class_: Mapped[Class] = relationship(back_populates="enrolments")
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    seated_by: Mapped[Person | None] = relationship(foreign_keys=[seated_by_id])

    @property
    def access_scope(self) -> Scope:
        return self.class_.access_scope

    @property
    def assigned_ids(self) -> set[int]:
        return self.class_.assigned_ids

    @property
    def owner_id(self) -> int:
        return self.person_id


class CalendarFeed(db.Model):
    """A secret subscription address for one calendar (a class's, an instructor's or a venue's)."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (Index("ix_calendar_feeds_kind_target_id", "kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # class | instructor | venue
    target_id: Mapped[int]
    # Kept readable so staff can copy the address again for a second phone; compared in constant time.
    token: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]
