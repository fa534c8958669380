"""A finished class whose learners attended, passed and practised: the starting point for certificates."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from app import vietnam
from app.attendance import marks
from app.catalog import services as catalog
from app.classes import enrolment, sessions
from app.classes.models import Enrolment
from app.extensions import db, utcnow
from app.policy import Role
from app.quizzes import practical
from app.quizzes import services as quizzes
from app.quizzes.types import type_of
from tests import factories

NAMES = ("Nguyễn Thị Hương", "Trần Văn Bình", "Lê Thị Ánh Tuyết")


def pass_module(person: Any, module: Any) -> None:
    """Answer every question right and tick every task, as a good learner would."""
    attempt = quizzes.start_attempt(person, module, now=utcnow())
    for question in quizzes.questions_of(attempt):
        quizzes.save_answer(attempt, question.id, type_of(question).best_response(question), now=utcnow())
    quizzes.submit(attempt, now=utcnow())
    for task in module.current.tasks:
        practical.tick(person, module, task.code, by=None, on=utcnow())


@pytest.fixture
def finished(curriculum) -> dict[str, Any]:
    """A class on NCT-05 with three learners: two attended every session, one missed most."""
    commune = factories.commune()
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    module = catalog.module_by_code("NCT-05")
    start = vietnam.local_today() - dt.timedelta(weeks=5)
    klass = factories.school_class(commune, instructors=(instructor,), modules=(module,), starts_on=start, weeks=4)
    for week in range(4):
        sessions.add_session(klass, on=start + dt.timedelta(weeks=week), start=dt.time(8), end=dt.time(10),
                             venue=klass.venue, module=module)
    learners = [factories.person(commune, name=name) for name in NAMES]
    for learner in learners:
        enrolment.enrol(klass, learner, source="staff")
    for session in klass.sessions:
        for learner in learners:
            row = db.session.scalars(select(Enrolment).where(Enrolment.class_id == klass.id,
                                                             Enrolment.person_id == learner.id)).one()
            status = "absent" if learner is learners[2] and session.date > start else "present"
            marks.mark(session, row, status, actor=instructor, now=utcnow())
    for learner in learners:
        pass_module(learner, module)
    db.session.commit()
    return {"commune": commune, "officer": officer, "instructor": instructor, "class": klass, "module": module,
            "learners": learners}


@pytest.fixture
def rate_limited(app_factory) -> Iterator[Any]:
    """An app with rate limits on; afterwards the shared limiter is off and empty again for the other tests."""
    from app.extensions import limiter

    limited = app_factory(RATELIMIT_ENABLED=True)
    with limited.app_context():
        limiter.reset()
    yield limited
    # The limiter is one object: the last app initialised switched it on for every app.
    limiter.enabled = False
    with limited.app_context():
        limiter.reset()
