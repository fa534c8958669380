"""What is known of a person's digital life, as dated facts: a history, the latest on or before a day counts."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, utcnow
from app.people.models import Person
from app.policy import Scope


class DigitalFact(db.Model):
    """One observation: on `observed_on`, the person had (value 1, or VNeID level 1/2) or had not (0) one thing."""

    __tablename__ = "digital_facts"
    __table_args__ = (
        Index("ix_digital_facts_fact_person", "fact", "person_id", "observed_on"),
        CheckConstraint("value >= 0 AND value <= 2", name="value_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    fact: Mapped[str] = mapped_column(String(20))
    value: Mapped[int] = mapped_column(SmallInteger)
    observed_on: Mapped[dt.date]
    source: Mapped[str] = mapped_column(String(12))
    # What the observation came from, when another feature wrote it ("visit:12", "contact:40").
    reference: Mapped[str | None] = mapped_column(String(40))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    recorded_by: Mapped[Person | None] = relationship(foreign_keys=[recorded_by_id])

    @property
    def access_scope(self) -> Scope:
        return self.person.access_scope

    @property
    def owner_id(self) -> int:
        return self.person_id
