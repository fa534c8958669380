"""What quizzes and practical checks hold about a person: their access export, and erasure of free-text notes."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.catalog.models import Module
from app.extensions import db
from app.people import rights
from app.people.models import Person
from app.quizzes.models import Attempt, PracticalCheck


@rights.data_section("quiz_attempts")
def attempts(person: Person) -> list[dict[str, Any]]:
    """Every quiz attempt: module, when, score, passed, whether an instructor assisted, skills shown."""
    rows = db.session.execute(select(Attempt, Module.code).join(Module, Module.id == Attempt.module_id)
                              .where(Attempt.person_id == person.id).order_by(Attempt.started_at)
                              .options(selectinload(Attempt.answers)))
    return [{"module": code, "status": a.status, "started_at": rights.iso(a.started_at),
             "submitted_at": rights.iso(a.submitted_at), "score_percent": a.score, "passed": a.passed,
             "assisted": a.assisted, "skill_scores": a.skill_scores, "answers_saved": len(a.answers)}
            for a, code in rows]


@rights.data_section("practical_checks")
def practical_checks(person: Person) -> list[dict[str, Any]]:
    """Every practical task an instructor saw the person do."""
    rows = db.session.execute(select(PracticalCheck, Module.code).join(Module, Module.id == PracticalCheck.module_id)
                              .where(PracticalCheck.person_id == person.id).order_by(PracticalCheck.checked_on))
    return [{"module": code, "task": c.task_code, "checked_on": rights.iso(c.checked_on), "note": c.note}
            for c, code in rows]


@rights.on_erasure
def forget_notes(person: Person, _actor: Person | None) -> None:
    """Instructors' notes are free text that may describe the person; the ticks themselves stay as counts."""
    db.session.execute(update(PracticalCheck).where(PracticalCheck.person_id == person.id).values(note=""))
    db.session.flush()
