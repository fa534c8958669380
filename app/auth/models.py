"""Sign-in: local credentials (a password, or a 6-digit PIN for learners who find passwords hard) and VNeID links."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, delete, event
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from app.extensions import db, utcnow
from app.people.models import Consent, Person

if TYPE_CHECKING:
    from typing import Any


class Account(db.Model):
    """A person's ability to sign in; credentials are stored only as salted hashes."""

    __tablename__ = "accounts"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    vouched_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    vouched_at: Mapped[datetime | None]
    # Bumped to end every session of the account: sign-out, a new secret, a lost role, erasure.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    person: Mapped[Person] = relationship(foreign_keys=[person_id], back_populates="account")
    vouched_by: Mapped[Person | None] = relationship(foreign_keys=[vouched_by_id])


class SignInGuard(db.Model):
    """Wrong secrets in a row for one account (sign-in and kiosk PIN alike) or one unknown phone number.

    Kept in the database so every process counts the same failures; keyed by account when the phone is
    known and by a keyed hash of the phone when it is not, so a lock looks the same either way.
    """

    __tablename__ = "sign_in_guards"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    lockouts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class VneidIdentity(db.Model):
    """A person's link to their VNeID account; the citizen ID number is kept only as a keyed hash."""

    __tablename__ = "vneid_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    # HMAC-SHA256 of the 12-digit number with a server key: matches a returning citizen, reveals nothing.
    citizen_id_hmac: Mapped[str] = mapped_column(String(64), unique=True)
    citizen_id_last3: Mapped[str] = mapped_column(String(3))
    issuer: Mapped[str | None] = mapped_column(String(255))
    subject: Mapped[str | None] = mapped_column(String(255))
    assurance_level: Mapped[int | None]
    # Staff may note the number before the person first logs in (an instructor-vouched account);
    # linked_at is set by the first VNeID login itself.
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    linked_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship(foreign_keys=[person_id])

    @property
    def masked_citizen_id(self) -> str:
        return "•" * 9 + self.citizen_id_last3


@event.listens_for(Person.erased_at, "set")
def _forget_vneid_link_on_erasure(person: Person, value: datetime | None, _old: Any, _initiator: Any) -> None:
    """Erasing a person's identifying data removes their VNeID link too (it identifies them)."""
    session = object_session(person)
    if value is not None and session is not None and person.id is not None:
        session.execute(delete(VneidIdentity).where(VneidIdentity.person_id == person.id))


@event.listens_for(Consent.withdrawn_at, "set")
def _unlink_vneid_on_withdrawal(consent: Consent, value: datetime | None, _old: Any, _initiator: Any) -> None:
    """Withdrawing consent to the VNeID purpose removes the link kept under it (as withdrawing disability
    consent deletes that record); the person keeps their account and any PIN."""
    session = object_session(consent)
    if value is not None and consent.purpose == "vneid" and session is not None:
        session.execute(delete(VneidIdentity).where(VneidIdentity.person_id == consent.person_id))
