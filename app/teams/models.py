"""Community digital technology teams (one per village), their members, and their door-to-door visits."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, utcnow
from app.people.models import Household, Person
from app.places.models import Village
from app.policy import Scope


class Team(db.Model):
    """A village's "Tổ công nghệ số cộng đồng": one per village."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    village: Mapped[Village] = relationship()
    members: Mapped[list[TeamMember]] = relationship(back_populates="team", cascade="all, delete-orphan",
                                                     order_by="(TeamMember.is_leader.desc(), TeamMember.id)")

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id, self.village_id)

    def __str__(self) -> str:
        return self.name


class TeamMember(db.Model):
    """A person in a team; one member of a team may be its leader (tổ trưởng)."""

    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("team_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    is_leader: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    team: Mapped[Team] = relationship(back_populates="members")
    person: Mapped[Person] = relationship()


class Visit(db.Model):
    """One door-to-door visit to a household: when, who went, what is still needed and when to come back.

    `client_id` is unique, so a visit recorded offline and sent twice is stored once; commune and village are
    copied from the household so the indicators count by them without joining households.
    """

    __tablename__ = "visits"
    __table_args__ = (
        Index("ix_visits_team_visited_on", "team_id", "visited_on"),
        Index("ix_visits_household_visited_on", "household_id", "visited_on"),
        Index("ix_visits_commune_visited_on", "commune_id", "visited_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"))
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"), index=True)
    visited_on: Mapped[dt.date]
    still_needed: Mapped[str] = mapped_column(String(300), default="")
    follow_up_on: Mapped[dt.date | None] = mapped_column(index=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    device_time: Mapped[dt.datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    team: Mapped[Team] = relationship()
    household: Mapped[Household] = relationship()
    visitors: Mapped[list[VisitMember]] = relationship(cascade="all, delete-orphan")
    helps: Mapped[list[VisitHelp]] = relationship(cascade="all, delete-orphan", order_by="VisitHelp.id")

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id, self.village_id)


class VisitMember(db.Model):
    """A team member who went on a visit (none once that person's data is erased: the visit still counts)."""

    __tablename__ = "visit_members"
    __table_args__ = (UniqueConstraint("visit_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)

    person: Mapped[Person | None] = relationship()


class VisitHelp(db.Model):
    """One kind of help given at a visit, to a named person (with consent) or to the household as a whole (none)."""

    __tablename__ = "visit_helps"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(40))

    person: Mapped[Person | None] = relationship()
