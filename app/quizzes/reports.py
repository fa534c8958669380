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
    """Share of right answers per question across the learners' submitted attempts, hardest first.

    A question that was shown but left unanswered counts as not right, as it did in the score. Grouped by the
    question's key, so a question kept across module versions is one row. A class has a few dozen attempts.
    """
    if not person_ids:
        return []
    attempts = db.session.execute(select(Attempt.id, Attempt.question_ids).where(
        Attempt.person_id.in_(person_ids), Attempt.module_id == module_id, Attempt.status == "submitted")).all()
    if not attempts:
        return []
    scores = {(attempt_id, question_id): score for attempt_id, question_id, score in db.session.execute(
        select(AttemptAnswer.attempt_id, AttemptAnswer.question_id, AttemptAnswer.score)
        .where(AttemptAnswer.attempt_id.in_([a.id for a in attempts])))}
    shown: dict[int, list[float]] = {}
    for attempt_id, question_ids in attempts:
        for question_id in question_ids:
            shown.setdefault(question_id, []).append(scores.get((attempt_id, question_id), 0.0))
    rows: dict[str, dict[str, Any]] = {}
    for question in db.session.scalars(select(Question).where(Question.id.in_(shown)).order_by(Question.id)):
        row = rows.setdefault(question.key, {"key": question.key, "text": question.text, "marks": []})
        row["marks"] += shown[question.id]
    return sorted(({"key": r["key"], "text": r["text"], "right": sum(r["marks"]) / len(r["marks"]),
                    "answers": len(r["marks"])} for r in rows.values()), key=lambda r: (r["right"], r["key"]))


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
