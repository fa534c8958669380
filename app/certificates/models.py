"""Completion rules and records, certificates with their serial history, and the communes' signing keys."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, utcnow
from app.policy import Scope


class CompletionRules(db.Model):
    """What a learner must do to complete a class's modules, per commune (None: the system default)."""

    __tablename__ = "completion_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), unique=True)
    attendance_percent: Mapped[int] = mapped_column(default=70)
    require_assessment: Mapped[bool] = mapped_column(default=True)
    require_practical: Mapped[bool] = mapped_column(default=True)
    confirmation: Mapped[str] = mapped_column(String(10), default="officer")  # officer | auto
    officer_name: Mapped[str] = mapped_column(String(120), default="")  # printed on certificates
    officer_title: Mapped[str] = mapped_column(String(160), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id)


class Completion(db.Model):
    """A learner met (and, once confirmed, completed) a module, with the skills it shows."""

    __tablename__ = "completions"
    __table_args__ = (UniqueConstraint("person_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id", ondelete="RESTRICT"))
    framework_version_id: Mapped[int] = mapped_column(ForeignKey("framework_versions.id", ondelete="RESTRICT"))
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id", ondelete="SET NULL"), index=True)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"))
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    attendance_share: Mapped[float | None]
    status: Mapped[str] = mapped_column(String(10), default="eligible")  # eligible | confirmed
    eligible_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[dt.datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    skill_rows: Mapped[list[CompletionSkill]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id)

    @property
    def owner_id(self) -> int:
        return self.person_id


class CompletionSkill(db.Model):
    """One skill a completion shows, as a row, so the commune's figures count skills with SQL (the JSON list stays
    the record the certificate prints)."""

    __tablename__ = "completion_skills"

    completion_id: Mapped[int] = mapped_column(ForeignKey("completions.id", ondelete="CASCADE"), primary_key=True)
    skill: Mapped[str] = mapped_column(String(10), primary_key=True, index=True)


class SkillMilestone(db.Model):
    """A person's milestone and when it was reached: "basic" (every skill of the framework's basic digital skills, at
    the moment the last of them was first confirmed) or "group-6" (a first confirmed skill of that framework group:
    6 is AI, 4 online safety). Kept by `app.certificates.milestones` from completions, so the commune's figures
    count people with one indexed read instead of regrouping every completion."""

    __tablename__ = "skill_milestones"
    __table_args__ = (Index("ix_skill_milestones_milestone_reached_at", "milestone", "reached_at"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    milestone: Mapped[str] = mapped_column(String(20), primary_key=True)
    framework_version_id: Mapped[int] = mapped_column(ForeignKey("framework_versions.id", ondelete="CASCADE"))
    reached_at: Mapped[dt.datetime]


@event.listens_for(Completion.skills, "set")
def _index_skills(completion: Completion, value: list[str] | None, _old: Any, _initiator: Any) -> None:
    """Keep `skill_rows` equal to `skills` whenever the list is assigned (rows already there are kept)."""
    wanted = dict.fromkeys(str(s) for s in value or ())
    kept = [row for row in completion.skill_rows if row.skill in wanted]
    have = {row.skill for row in kept}
    completion.skill_rows = kept + [CompletionSkill(skill=s) for s in wanted if s not in have]


class SerialCounter(db.Model):
    """The last serial number used by a commune in a year; locked while a number is taken."""

    __tablename__ = "serial_counters"

    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class StatusListCounter(db.Model):
    """How many revocation status list entries a commune has handed out; its row is also the commune's
    issuing lock, held while certificates are issued or completions confirmed."""

    __tablename__ = "status_list_counters"

    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), primary_key=True)
    allocated: Mapped[int] = mapped_column(default=0)


COMPLETION, VOLUNTEER = "completion", "volunteer"
# What a certificate attests: completing the programme (a class's modules), or giving one's time as a volunteer at a
# learning event (the event named, the hours). Figures of the movement count completions only.
KINDS = (COMPLETION, VOLUNTEER)


class Certificate(db.Model):
    """A certificate: one serial for ever, valid or revoked, with every issued revision kept.

    A completion certificate names its class and the framework its skills belong to; a volunteer's names its event
    (one per event and person) and the hours, and has no framework.
    """

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("person_id", "class_id"), UniqueConstraint("commune_id", "status_index"),
                      UniqueConstraint("event_id", "person_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="RESTRICT"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20), default=COMPLETION, server_default=COMPLETION)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    hours: Mapped[float | None]  # a volunteer's hours at the event
    framework_version_id: Mapped[int | None] = mapped_column(ForeignKey("framework_versions.id", ondelete="RESTRICT"))
    achievement: Mapped[str] = mapped_column(String(300))
    module_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    skill_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    issued_on: Mapped[dt.date]
    officer_name: Mapped[str] = mapped_column(String(120))
    officer_title: Mapped[str] = mapped_column(String(160))
    status: Mapped[str] = mapped_column(String(10), default="valid")  # valid | revoked
    revoked_at: Mapped[dt.datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    revocation_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Its bit in the commune's revocation status list (Bitstring Status List), unique in the commune; every
    # revision signed since status lists points at it (the migration numbered older certificates too).
    status_index: Mapped[int | None]

    revisions: Mapped[list[CertificateRevision]] = relationship(
        back_populates="certificate", order_by="CertificateRevision.number", cascade="all, delete-orphan")

    @property
    def current(self) -> CertificateRevision:
        return self.revisions[-1]

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id)

    @property
    def owner_id(self) -> int:
        return self.person_id


class CertificateRevision(db.Model):
    """One issue of a certificate under its serial: the name as printed, and the signed credential."""

    __tablename__ = "certificate_revisions"
    __table_args__ = (UniqueConstraint("certificate_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="CASCADE"))
    number: Mapped[int]
    holder_name: Mapped[str] = mapped_column(String(120))
    birth_year: Mapped[int | None]
    reason: Mapped[str] = mapped_column(String(200), default="")
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    credential: Mapped[dict[str, Any]] = mapped_column(JSON)

    certificate: Mapped[Certificate] = relationship(back_populates="revisions")


class SigningKey(db.Model):
    """A commune's Ed25519 key for signing credentials; the private half is encrypted at rest."""

    __tablename__ = "signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    private_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[dt.datetime | None]
