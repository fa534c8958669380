"""Events (a learning day, a weekly session, a mobile learning point), their stations and volunteers, the people
who take part, and what each did at each station.

Participants, station visits and station answers carry a unique `client_id`: a gate tablet or a station tablet that
sends the same write twice (the answer was lost on a weak connection) stores it once. A participant's village and
birth year are copied at registration, so the live board counts by them without joining people.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalog.models import Module, Question
from app.extensions import db, utcnow
from app.people.models import Person
from app.places.models import Commune, Venue
from app.policy import Scope

event_venues = Table(
    "event_venues", db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("venue_id", ForeignKey("venues.id", ondelete="CASCADE"), primary_key=True),
)


class Event(db.Model):
    """One event of a commune: its kind (see kinds.py), day, opening hours and venues.

    `signup_code` names the public pre-registration page (not the id, so events cannot be walked through);
    `board_key` opens the live board on a television that nobody signs in to.
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(160))
    held_on: Mapped[dt.date] = mapped_column(index=True)
    opens_at: Mapped[dt.time]
    closes_at: Mapped[dt.time]
    place_note: Mapped[str] = mapped_column(String(255), default="")  # where, when it is not one of the venues
    signup_code: Mapped[str] = mapped_column(String(16), unique=True)
    signup_open: Mapped[bool] = mapped_column(default=True)
    board_key: Mapped[str] = mapped_column(String(32))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    commune: Mapped[Commune] = relationship()
    venues: Mapped[list[Venue]] = relationship(secondary=event_venues, order_by="Venue.name")
    stations: Mapped[list[Station]] = relationship(back_populates="event", cascade="all, delete-orphan",
                                                   order_by="(Station.position, Station.id)")
    shifts: Mapped[list[Shift]] = relationship(back_populates="event", cascade="all, delete-orphan",
                                               order_by="(Shift.starts_at, Shift.id)")

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id)

    @property
    def assigned_ids(self) -> set[int]:
        """The volunteers on the roster (staff among them may run the gate and the stations)."""
        return {s.person_id for s in self.shifts if s.person_id is not None}

    def __str__(self) -> str:
        return self.name


class Station(db.Model):
    """A station of an event: one thing to try hands-on, a checklist of steps, materials, an optional short quiz.

    The quiz's questions are drawn from the module's bank once, when the station is set up, with opaque option
    keys (app/quizzes/keys.py): the station's tablet never learns which answer is right.
    """

    __tablename__ = "event_stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(120))
    topic: Mapped[str] = mapped_column(String(40), default="")  # a code of kinds.TOPICS, or "" for one of its own
    description: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)  # framework skill codes
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="SET NULL"))
    checklist: Mapped[list[str]] = mapped_column(JSON, default=list)
    materials: Mapped[str] = mapped_column(Text, default="")
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id", ondelete="SET NULL"))
    quiz_question_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    quiz_orders: Mapped[dict[str, list[int]]] = mapped_column(JSON, default=dict)
    quiz_keys: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    event: Mapped[Event] = relationship(back_populates="stations")
    module: Mapped[Module | None] = relationship()
    venue: Mapped[Venue | None] = relationship()

    @property
    def access_scope(self) -> Scope:
        return self.event.access_scope

    def __str__(self) -> str:
        return self.name


class Shift(db.Model):
    """A volunteer's place on the roster: a duty (the gate, a station, …) for a time slot of the day."""

    __tablename__ = "event_shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    duty: Mapped[str] = mapped_column(String(20))  # a code of kinds.DUTIES
    station_id: Mapped[int | None] = mapped_column(ForeignKey("event_stations.id", ondelete="SET NULL"))
    starts_at: Mapped[dt.time]
    ends_at: Mapped[dt.time]
    note: Mapped[str] = mapped_column(String(200), default="")

    event: Mapped[Event] = relationship(back_populates="shifts")
    person: Mapped[Person | None] = relationship()
    station: Mapped[Station | None] = relationship()

    @property
    def access_scope(self) -> Scope:
        return self.event.access_scope

    @property
    def hours(self) -> float:
        """The length of the slot in hours."""
        start = self.starts_at.hour * 60 + self.starts_at.minute
        end = self.ends_at.hour * 60 + self.ends_at.minute
        return max(0, end - start) / 60


class Participant(db.Model):
    """A person taking part in an event: registered beforehand or at the gate, with their badge code.

    `arrived_at` is empty for someone who signed up and has not come (yet).
    """

    __tablename__ = "event_participants"
    __table_args__ = (
        UniqueConstraint("event_id", "person_id"),
        UniqueConstraint("event_id", "badge_code"),
        Index("ix_event_participants_event_arrived", "event_id", "arrived_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    badge_code: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(12))  # a code of kinds.SOURCES
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id", ondelete="SET NULL"))
    birth_year: Mapped[int | None]
    wants_class: Mapped[bool] = mapped_column(default=False)
    registered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    arrived_at: Mapped[dt.datetime | None]
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    client_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    enrolled_class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    person: Mapped[Person] = relationship(foreign_keys=[person_id])

    @property
    def access_scope(self) -> Scope:
        return self.event.access_scope


class StationVisit(db.Model):
    """A participant's visit to a station: the checklist steps done. One row per participant and station."""

    __tablename__ = "event_station_visits"
    __table_args__ = (
        UniqueConstraint("station_id", "participant_id"),
        Index("ix_event_station_visits_event_visited", "event_id", "visited_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    station_id: Mapped[int] = mapped_column(ForeignKey("event_stations.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("event_participants.id", ondelete="CASCADE"), index=True)
    ticks: Mapped[list[int]] = mapped_column(JSON, default=list)  # indexes into the station's checklist
    completed: Mapped[bool] = mapped_column(default=False)
    visited_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    device_time: Mapped[dt.datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    client_id: Mapped[str] = mapped_column(String(64), unique=True)

    station: Mapped[Station] = relationship()
    participant: Mapped[Participant] = relationship()
    answers: Mapped[list[StationAnswer]] = relationship(cascade="all, delete-orphan", order_by="StationAnswer.id")


class StationAnswer(db.Model):
    """A participant's answer to one question of a station's quiz (the latest answer counts)."""

    __tablename__ = "event_station_answers"
    __table_args__ = (UniqueConstraint("visit_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("event_station_visits.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    response: Mapped[Any] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(default=0.0)
    answered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)

    question: Mapped[Question] = relationship()
