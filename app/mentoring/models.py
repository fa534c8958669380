"""Digital ambassadors and the people they guide, each guidance contact, and the commune office's help desk."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, utcnow
from app.people.models import Person
from app.policy import Scope

ACTIVE = text("ended_at IS NULL")


class Mentorship(db.Model):
    """An ambassador guides a mentee from `since` until `ended_at`; a mentee has at most one active ambassador."""

    __tablename__ = "mentorships"
    __table_args__ = (
        # The database itself refuses a second active link for a mentee (two ambassadors tapping at once).
        Index("uq_mentorships_active_mentee", "mentee_id", unique=True, sqlite_where=ACTIVE, postgresql_where=ACTIVE),
        Index("ix_mentorships_ambassador_active", "ambassador_id", "ended_at"),
        Index("ix_mentorships_commune", "commune_id", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"))
    ambassador_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    since: Mapped[dt.date]
    ended_at: Mapped[dt.datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    ambassador: Mapped[Person] = relationship(foreign_keys=[ambassador_id])
    mentee: Mapped[Person] = relationship(foreign_keys=[mentee_id])

    @property
    def access_scope(self) -> Scope:
        return self.mentee.access_scope

    @property
    def assigned_ids(self) -> set[int]:
        return {self.ambassador_id}


class Contact(db.Model):
    """One guidance contact: on a day, an ambassador helped a mentee with one framework skill."""

    __tablename__ = "mentoring_contacts"
    __table_args__ = (
        Index("ix_mentoring_contacts_ambassador_on", "ambassador_id", "contacted_on"),
        Index("ix_mentoring_contacts_mentee_on", "mentee_id", "contacted_on"),
        Index("ix_mentoring_contacts_commune_on", "commune_id", "contacted_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"))
    # Kept without the ambassador when they ask to be erased: the mentee was still guided that day.
    ambassador_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    contacted_on: Mapped[dt.date]
    skill: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(200), default="")
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    device_time: Mapped[dt.datetime | None]
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    ambassador: Mapped[Person | None] = relationship(foreign_keys=[ambassador_id])
    mentee: Mapped[Person] = relationship(foreign_keys=[mentee_id])


class HelpdeskEntry(db.Model):
    """A citizen helped at the commune office: a known resident (with consent) or just an age band and village."""

    __tablename__ = "helpdesk_entries"
    __table_args__ = (Index("ix_helpdesk_entries_commune_on", "commune_id", "helped_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"))
    helper_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    helped_on: Mapped[dt.date]
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    age_band: Mapped[str] = mapped_column(String(10), default="")
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id", ondelete="SET NULL"))
    service: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(String(200), default="")
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    device_time: Mapped[dt.datetime | None]
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    helper: Mapped[Person | None] = relationship(foreign_keys=[helper_id])
    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])


class MentoringSettings(db.Model):
    """A commune's own mentee target for each ambassador (the default applies until it chooses)."""

    __tablename__ = "mentoring_settings"
    __table_args__ = (CheckConstraint("mentee_target BETWEEN 1 AND 50", name="mentee_target_range"),)

    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), primary_key=True)
    mentee_target: Mapped[int] = mapped_column(default=5)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
