"""Starting an attempt under a lock: parallel starts (two taps, two tablets) give one open attempt, within the limit."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.catalog import services as catalog
from app.extensions import db, utcnow
from app.quizzes import services
from app.quizzes.models import Attempt
from tests import factories
from tests.conftest import login

STARTS = 8


def test_parallel_starts_give_one_open_attempt_and_never_pass_the_limit(app: Flask, ctx, curriculum,
                                                                         monkeypatch) -> None:
    commune = factories.commune()
    learner = factories.person(commune, name="Nguyễn Thị Hương")
    services.save_settings(commune_id=commune.id, module_id=None,
                           values={"max_attempts": 2, "wait_minutes": 0}, actor=None)
    module = catalog.module_by_code("NCT-06")
    services.submit(services.start_attempt(learner, module, now=utcnow() - timedelta(hours=1)),
                    now=utcnow() - timedelta(hours=1))  # one of two tries used
    db.session.commit()
    learner_id = learner.id
    db.session.remove()

    drawing = services.draw

    def slow_draw(*args, **kwargs):
        time.sleep(0.2)  # widen the gap between "may I start?" and the insert, as a busy server would
        return drawing(*args, **kwargs)

    monkeypatch.setattr(services, "draw", slow_draw)
    clients = [login(app.test_client(), learner) for _ in range(STARTS)]
    ready, statuses, errors = threading.Barrier(STARTS), [], []

    def start(client) -> None:
        try:
            ready.wait(10)
            statuses.append(client.post("/catalog/modules/NCT-06/quiz/start").status_code)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=start, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert statuses == [302] * STARTS  # every tap lands on the one attempt; none gets a server error
    counts = dict(db.session.execute(select(Attempt.status, func.count()).where(Attempt.person_id == learner_id)
                                     .group_by(Attempt.status)).all())
    assert counts == {"submitted": 1, "in_progress": 1}


def test_the_database_refuses_a_second_open_attempt(ctx, curriculum) -> None:
    learner = factories.person(factories.commune(), name="Trần Văn Bình")
    first = services.start_attempt(learner, catalog.module_by_code("NCT-06"), now=utcnow())
    db.session.commit()
    copy = {c.key: getattr(first, c.key) for c in Attempt.__table__.columns if c.key != "id"}
    db.session.add(Attempt(**copy))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    db.session.add(Attempt(**{**copy, "status": "submitted"}))  # finished attempts are not limited by it
    db.session.flush()
