"""Rate limits without Redis hold across processes: counters in the database."""
from __future__ import annotations

import time

from flask import Flask

from app.counters import DatabaseStorage
from app.extensions import limiter


def test_counts_add_up_and_a_new_window_starts_afresh(app_factory) -> None:
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="database://")
    with app.app_context():
        storage = DatabaseStorage()
        assert storage.check()
        assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
        assert storage.get("k") == 3 and storage.get_expiry("k") > time.time()
        assert storage.incr("old", -1) == 1  # a window that has already ended
        assert storage.incr("old", 60) == 1
        storage.clear("k")
        assert storage.get("k") == 0
        assert storage.reset() == 1


def _limited(app: Flask) -> Flask:
    @app.get("/limited-for-test")
    @limiter.limit("3 per minute")
    def limited() -> str:
        return "ok"

    return app


def test_a_limit_holds_across_two_processes(app_factory) -> None:
    # Two app instances on one database stand in for two gunicorn workers without Redis.
    first, second = (_limited(app_factory(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="database://"))
                     for _ in range(2))
    with first.app_context():
        DatabaseStorage().reset()
    statuses = [app.test_client().get("/limited-for-test").status_code for app in (first, second) * 3]
    assert statuses == [200, 200, 200, 429, 429, 429]
