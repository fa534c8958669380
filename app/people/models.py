"""People, households, consent, sensitive data and roles."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.extensions import db, utcnow
from app.people.audiences import Audience, is_elderly
from app.policy import Scope
from app.vietnam import search_key

if TYPE_CHECKING:
    from app.auth.models import Account
    from app.places.models import Commune, Village


class Household(db.Model):
    """A household: the unit of the "digital family" model (one member learns, guides the rest)."""

    __tablename__ = "households"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="RESTRICT"), index=True)
    address: Mapped[str] = mapped_column(String(255))
    # The alley, lane or cluster within the village (ngõ, xóm, cụm) that a door-to-door team walks by.
    alley: Mapped[str] = mapped_column(String(80), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    village: Mapped[Village] = relationship()
    members: Mapped[list[Person]] = relationship(back_populates="household", order_by="Person.birth_year")

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id, self.village_id, resident=True)

    def __str__(self) -> str:
        return self.address


class Person(UserMixin, db.Model):
    """A resident known to the commune: learner, volunteer or officer."""

    __tablename__ = "people"
    __table_args__ = (Index("ix_people_commune_id_full_name", "commune_id", "full_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    # Folded copy of the name (no diacritics) so "nguyen thi huong" finds "Nguyễn Thị Hương".
    name_search: Mapped[str] = mapped_column(String(120), index=True)
    phone: Mapped[str | None] = mapped_column(String(15), unique=True)
    birth_year: Mapped[int | None]
    gender: Mapped[str | None] = mapped_column(String(10))
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="RESTRICT"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id", ondelete="SET NULL"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"),
                                                     index=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    erased_at: Mapped[datetime | None]

    commune: Mapped[Commune] = relationship()
    village: Mapped[Village | None] = relationship()
    household: Mapped[Household | None] = relationship(back_populates="members")
    tags: Mapped[list[PersonTag]] = relationship(cascade="all, delete-orphan")
    role_assignments: Mapped[list[RoleAssignment]] = relationship(
        foreign_keys="RoleAssignment.person_id", back_populates="person", cascade="all, delete-orphan",
    )
    consents: Mapped[list[Consent]] = relationship(
        foreign_keys="Consent.person_id", back_populates="person", cascade="all, delete-orphan",
        order_by="Consent.given_at.desc()",
    )
    disability: Mapped[DisabilityRecord | None] = relationship(
        foreign_keys="DisabilityRecord.person_id", cascade="all, delete-orphan"
    )
    account: Mapped[Account | None] = relationship(
        foreign_keys="Account.person_id", back_populates="person", cascade="all, delete-orphan",
    )

    @validates("full_name")
    def _fold_name(self, _key: str, value: str) -> str:
        self.name_search = search_key(value)
        return value

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id, self.village_id, resident=True)

    @property
    def owner_id(self) -> int:
        return self.id

    def get_id(self) -> str:
        """Name the signed-in account in the session: its id and session version ("12.3").

        Bumping the account's session version ends every session that carries the old one.
        """
        return f"{self.id}.{self.account.session_version if self.account else 0}"

    @property
    def is_active(self) -> bool:  # Flask-Login: only people with a working account sign in
        return self.account is not None and self.account.active and self.erased_at is None

    @property
    def active_roles(self) -> list[RoleAssignment]:
        return self.role_assignments

    @property
    def is_elderly(self) -> bool:
        return is_elderly(self.birth_year, datetime.now(UTC).year)

    @property
    def audiences(self) -> set[Audience]:
        found = {Audience(t.tag) for t in self.tags}
        if self.is_elderly:
            found.add(Audience.ELDERLY)
        if self.disability is not None:
            found.add(Audience.DISABLED)
        return found

    @property
    def initials(self) -> str:
        parts = self.full_name.split()
        return (parts[-1][:1] if parts else "?").upper()

    def __str__(self) -> str:
        return self.full_name


class PersonTag(db.Model):
    """An audience tag a person carries (small trader, public-sector staff, …)."""

    __tablename__ = "person_tags"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(30), primary_key=True)


class Consent(db.Model):
    """A provable consent to one purpose of processing, and its withdrawal (Law 91/2025/QH15)."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(30))
    method: Mapped[str] = mapped_column(String(20))
    policy_version: Mapped[str] = mapped_column(String(20))
    given_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(255), default="")
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    withdrawal_note: Mapped[str] = mapped_column(String(255), default="")

    person: Mapped[Person] = relationship(foreign_keys=[person_id], back_populates="consents")
    recorded_by: Mapped[Person | None] = relationship(foreign_keys=[recorded_by_id])

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def access_scope(self) -> Scope:
        return self.person.access_scope

    @property
    def owner_id(self) -> int:
        return self.person_id


class DisabilityRecord(db.Model):
    """Sensitive: the kind of disability and support needs, encrypted, kept only with consent."""

    __tablename__ = "disability_records"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id", ondelete="CASCADE"))
    kinds_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    needs_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    consent: Mapped[Consent] = relationship()


class RoleAssignment(db.Model):
    """A role held within a commune (and optionally one village); administrators hold it everywhere."""

    __tablename__ = "role_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    person: Mapped[Person] = relationship(foreign_keys=[person_id], back_populates="role_assignments")
    commune: Mapped[Commune | None] = relationship()
    village: Mapped[Village | None] = relationship()

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id, self.village_id)


class AuditEvent(db.Model):
    """A record of who did what to whose personal data, kept as the data-protection law expects."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[Person | None] = relationship(foreign_keys=[actor_id])
