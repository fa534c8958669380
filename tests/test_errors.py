"""A page that meets a connection the database dropped is run again once; forms are not."""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy import exc as sa_exc

from app.extensions import db
from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL


def _dropped() -> sa_exc.OperationalError:
    return sa_exc.OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"),
                                   connection_invalidated=True)


@pytest.fixture
def flaky(app_factory: Any) -> tuple[Flask, list[str]]:
    """An app with a page whose first `fail` runs meet a dropped connection."""
    application: Flask = app_factory()
    calls: list[str] = []

    def page() -> str:
        calls.append("run")
        if len(calls) <= application.config["FAILURES"]:
            raise _dropped()
        return "ok"

    application.add_url_rule("/t/page", "page", page, methods=["GET", "POST"])
    return application, calls


def test_a_page_is_run_again_once_after_a_dropped_connection(flaky: tuple[Flask, list[str]]) -> None:
    application, calls = flaky
    application.config["FAILURES"] = 1
    response = application.test_client().get("/t/page")
    assert (response.status_code, response.get_data(as_text=True), len(calls)) == (200, "ok", 2)


def test_only_once_then_the_unavailable_page(flaky: tuple[Flask, list[str]]) -> None:
    application, calls = flaky
    application.config["FAILURES"] = 5
    response = application.test_client().get("/t/page")
    assert response.status_code == 503 and response.headers["Retry-After"] and len(calls) == 2


def test_a_form_is_never_sent_again(flaky: tuple[Flask, list[str]]) -> None:
    application, calls = flaky
    application.config["FAILURES"] = 1
    assert application.test_client().post("/t/page").status_code == 503
    assert len(calls) == 1


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL ends connections; SQLite has none to end")
def test_pages_survive_the_database_ending_their_connection(app_factory: Any) -> None:
    application: Flask = app_factory()
    application.add_url_rule("/t/backend", "backend", lambda: str(db.session.scalar(text("SELECT pg_backend_pid()"))))
    client = application.test_client()
    backend = int(client.get("/t/backend").get_data(as_text=True))  # its connection stays in the pool
    admin = create_engine(TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend}).scalar()
    admin.dispose()
    response = client.get("/t/backend")
    assert response.status_code == 200 and int(response.get_data(as_text=True)) != backend
