"""Read-only views of a class's assessment results: per learner, per question and per skill."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.catalog.models import Question
from app.extensions import db
from app.quizzes.models import Attempt, AttemptAnswer


@dataclass(frozen=True)
class LearnerResult:
    """A learner's standing on one module."""

    person_id: int
    attempts: int
    best: float | None
    passed: bool
    assisted: bool
    in_progress: bool


def by_learner(person_ids: list[int], module_id: int) -> dict[int, LearnerResult]:
    """Summarise each learner's attempts at a module."""
    rows = db.session.execute(
        select(Attempt.person_id, func.count().filter(Attempt.status == "submitted"), func.max(Attempt.score),
               func.max(func.coalesce(Attempt.passed, False).cast(db.Integer)),
               func.max((Attempt.assisted_by_id.is_not(None)).cast(db.Integer)),
               func.max((Attempt.status == "in_progress").cast(db.Integer)))
        .where(Attempt.person_id.in_(person_ids), Attempt.module_id == module_id)
        .group_by(Attempt.person_id)).all() if person_ids else []
    found = {pid: LearnerResult(pid, 0, None, False, False, False) for pid in person_ids}
    for pid, count, best, passed, assisted, open_ in rows:
        found[pid] = LearnerResult(pid, count, best, bool(passed), bool(assisted), bool(open_))
    return found


def by_question(person_ids: list[int], module_id: int) -> list[dict[str, Any]]:
    """Share of right answers per question across the learners' submitted attempts, hardest first."""
    if not person_ids:
        return []
    rows = db.session.execute(
        select(Question.key, func.max(Question.text), func.avg(AttemptAnswer.score), func.count())
        .join(AttemptAnswer, AttemptAnswer.question_id == Question.id)
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(Attempt.person_id.in_(person_ids), Attempt.module_id == module_id, Attempt.status == "submitted")
        .group_by(Question.key).order_by(func.avg(AttemptAnswer.score), Question.key)).all()
    return [{"key": key, "text": text, "right": float(avg or 0), "answers": count} for key, text, avg, count in rows]


def by_skill(person_ids: list[int], module_id: int) -> dict[str, float]:
    """Average score per skill over the learners' submitted attempts (a class has a few dozen at most)."""
    totals: dict[str, list[float]] = {}
    attempts = db.session.scalars(select(Attempt.skill_scores).where(
        Attempt.person_id.in_(person_ids), Attempt.module_id == module_id, Attempt.status == "submitted")) \
        if person_ids else []
    for scores in attempts:
        for skill, value in (scores or {}).items():
            totals.setdefault(skill, []).append(value)
    return {skill: sum(values) / len(values) for skill, values in sorted(totals.items())}
