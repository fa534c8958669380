"""The option-key migration: attempts under way carry on with fresh keys, racing duplicates are set aside,
finished attempts still show their results."""
from __future__ import annotations

import random
from dataclasses import asdict

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import column as sa_column
from sqlalchemy import func, insert, select
from sqlalchemy import table as sa_table

from app.catalog import services as catalog
from app.certificates import milestones
from app.extensions import db, utcnow
from app.quizzes import keys, services
from app.quizzes.models import Attempt, AttemptAnswer
from tests import factories
from tests.conftest import ROOT, make_app
from tests.test_migrations import empty_database  # noqa: F401  (fixture)

BEFORE = "5ec1a0000001"


def _old_attempt(learner, module, status: str, answered: int) -> int:
    """Write an attempt as the code before the migration did: no keys; answers stored as indexes."""
    version = module.current
    question_ids, orders = services.draw(version, services.DEFAULTS, random.Random(1))
    values = {"person_id": learner.id, "commune_id": learner.commune_id, "module_id": module.id,
              "module_version_id": version.id, "status": status, "started_at": utcnow(),
              "submitted_at": utcnow() if status == "submitted" else None, "question_ids": question_ids,
              "answer_orders": orders, "settings": asdict(services.DEFAULTS),
              "score": 0.0 if status == "submitted" else None,
              "passed": False if status == "submitted" else None, "skill_scores": {} if status == "submitted" else None}
    old = {name: Attempt.__table__.c[name].type for name in values}
    table = sa_table("attempts", sa_column("id"), *(sa_column(name, kind) for name, kind in old.items()))
    attempt_id = db.session.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
    for question_id in question_ids[:answered]:
        db.session.execute(insert(AttemptAnswer.__table__).values(
            attempt_id=attempt_id, question_id=question_id, response=0, score=1.0, saved_at=utcnow()))
    return attempt_id


def test_open_attempts_get_keys_and_duplicates_are_set_aside(empty_database: str, sample_courses,  # noqa: F811
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(empty_database)
    # Today's code keeps skill milestones after every flush; the schema this test starts from has no such table.
    monkeypatch.setattr(milestones, "_refresh", lambda _connection, _people: None)
    with app.app_context(), app.test_request_context():
        directory = str(ROOT / "migrations")
        upgrade(directory=directory, revision=BEFORE)
        catalog.sync(sample_courses)
        learner = factories.person(factories.commune(), name="Nguyễn Thị Hương")
        module = catalog.module_by_code("NCT-06")
        db.session.flush()
        done = _old_attempt(learner, module, "submitted", 3)
        kept = _old_attempt(learner, module, "in_progress", 4)  # the race left two open attempts
        extra = _old_attempt(learner, module, "in_progress", 1)
        db.session.commit()
        with db.engine.begin() as conn:  # the old schema has no option_keys: read it back without the model
            assert "option_keys" not in {c["name"] for c in db.inspect(conn).get_columns("attempts")}

        upgrade(directory=directory)
        db.session.expire_all()
        statuses = dict(db.session.execute(select(Attempt.id, Attempt.status)).all())
        assert statuses == {done: "submitted", kept: "in_progress", extra: "abandoned"}
        attempt = db.session.get(Attempt, kept)
        assert set(attempt.option_keys) == {str(q) for q in attempt.question_ids}
        questions = services.questions_of(attempt)
        shown = keys.page(attempt, questions, services.answers_by_question(attempt))
        assert [s.answer is not None for s in shown] == [True] * 4 + [False] * (len(shown) - 4)
        assert all(isinstance(o.key, str) and not o.key.isdigit() for s in shown for o in s.options)
        assert services.resume_index(attempt) == 4
        assert services.open_attempt(learner.id, module.id).id == kept
        assert db.session.get(Attempt, done).option_keys == {}
        assert len(services.review(db.session.get(Attempt, done))) == len(questions)
        db.session.remove()

        downgrade(directory=directory, revision=BEFORE)  # and back: no saved answer is lost either way
        with db.engine.begin() as conn:
            assert conn.execute(select(func.count()).select_from(AttemptAnswer.__table__)).scalar() == 3 + 4 + 1
        db.session.remove()
        db.engine.dispose()
