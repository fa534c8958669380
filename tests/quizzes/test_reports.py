"""Class results: by question, a question left unanswered counts as not right; by skill and by learner."""
from __future__ import annotations

import random

from app.catalog import services as catalog
from app.extensions import utcnow
from app.quizzes import reports, services
from app.quizzes.types import type_of
from tests import factories


def test_unanswered_questions_count_as_not_right(curriculum, ctx) -> None:
    commune = factories.commune()
    module = catalog.module_by_code("NCT-05")
    keen, shy = factories.person(commune, name="Nguyễn Thị Hương"), factories.person(commune, name="Trần Văn Bình")
    attempts = [services.start_attempt(p, module, now=utcnow(), rng=random.Random(7)) for p in (keen, shy)]
    questions = services.questions_of(attempts[0])
    for question in questions:
        services.save_answer(attempts[0], question.id, type_of(question).best_response(question), now=utcnow())
    for attempt in attempts:  # the second learner submits without answering
        services.submit(attempt, now=utcnow())

    rows = reports.by_question([keen.id, shy.id], module.id)

    assert {r["key"] for r in rows} == {q.key for q in questions}
    assert all(r["answers"] == 2 and r["right"] == 0.5 for r in rows)
    assert reports.by_question([shy.id], module.id)[0]["right"] == 0.0
    assert reports.by_question([], module.id) == []
    assert set(reports.by_skill([keen.id, shy.id], module.id)) == set(module.current.skills)
