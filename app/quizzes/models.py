"""Assessment settings, attempts with their answers, and practical checks."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, utcnow
from app.policy import Scope


class AssessmentSettings(db.Model):
    """How a module is assessed: system defaults, a commune's, or a commune's for one module."""

    __tablename__ = "assessment_settings"
    __table_args__ = (UniqueConstraint("commune_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"))
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    question_count: Mapped[int] = mapped_column(default=10)
    pass_percent: Mapped[int] = mapped_column(default=70)
    max_attempts: Mapped[int] = mapped_column(default=3)
    wait_minutes: Mapped[int] = mapped_column(default=30)
    shuffle_questions: Mapped[bool] = mapped_column(default=True)
    shuffle_answers: Mapped[bool] = mapped_column(default=True)
    time_limit_minutes: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id)


class Attempt(db.Model):
    """One try at a module's assessment; it keeps pointing at the module version it was taken on."""

    __tablename__ = "attempts"
    __table_args__ = (
        Index("ix_attempts_person_id_module_id", "person_id", "module_id"),
        # At most one attempt under way per learner and module, however many starts race each other.
        Index("uq_attempts_open_person_id_module_id", "person_id", "module_id", unique=True,
              sqlite_where=text("status = 'in_progress'"), postgresql_where=text("status = 'in_progress'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id", ondelete="RESTRICT"))
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="in_progress")  # in_progress, submitted, abandoned
    assisted_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    # The draw: question ids in the order shown, and each question's answer order.
    question_ids: Mapped[list[int]] = mapped_column(JSON)
    answer_orders: Mapped[dict[str, list[int]]] = mapped_column(JSON)
    # The page names answers by these random keys, never by their place in the bank (see keys.py).
    option_keys: Mapped[dict[str, dict[str, list[str]]]] = mapped_column(JSON, default=dict, server_default="{}")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)  # pass mark etc. as they were at the start
    score: Mapped[float | None]
    passed: Mapped[bool | None]
    skill_scores: Mapped[dict[str, float] | None] = mapped_column(JSON)

    answers: Mapped[list[AttemptAnswer]] = relationship(back_populates="attempt", cascade="all, delete-orphan")

    @property
    def assisted(self) -> bool:
        return self.assisted_by_id is not None

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id)

    @property
    def owner_id(self) -> int:
        return self.person_id

    @property
    def assigned_ids(self) -> set[int]:
        return {self.assisted_by_id} if self.assisted_by_id else set()


class AttemptAnswer(db.Model):
    """The learner's answer to one question of an attempt; the latest (by device time) wins."""

    __tablename__ = "attempt_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="RESTRICT"))
    response: Mapped[Any] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(default=0.0)
    client_id: Mapped[str | None] = mapped_column(String(64))  # the device's id for this save: replays are no-ops
    client_time: Mapped[datetime | None]
    saved_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")


class PracticalCheck(db.Model):
    """An instructor saw the learner do a practical task; kept by module and task code across versions."""

    __tablename__ = "practical_checks"
    __table_args__ = (UniqueConstraint("person_id", "module_id", "task_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id", ondelete="RESTRICT"))
    task_code: Mapped[str] = mapped_column(String(40))
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id", ondelete="SET NULL"))
    checked_on: Mapped[datetime] = mapped_column(default=utcnow)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id)
