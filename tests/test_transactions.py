"""Views marked read-only run their GET requests without a database transaction, and may not write."""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.places.models import Commune
from app.transactions import ReadOnlyRequestError, read_only


def _autocommit() -> bool:
    """Tell whether the request's connection runs each statement on its own (no BEGIN, no ROLLBACK)."""
    dbapi = db.session.connection().connection.dbapi_connection
    if hasattr(dbapi, "autocommit"):  # psycopg
        return bool(dbapi.autocommit)
    return dbapi.isolation_level is None  # sqlite3


def _communes() -> int:
    return db.session.scalar(select(func.count(Commune.id))) or 0


@pytest.fixture
def routed(app_factory: Any) -> Flask:
    application: Flask = app_factory()

    def connection_mode() -> str:
        _communes()
        return "autocommit" if _autocommit() else "transaction"

    def write() -> str:
        db.session.add(Commune(name="Xã Thử", code="99999"))
        db.session.commit()
        return "written"

    application.add_url_rule("/t/marked", "marked", read_only(lambda: connection_mode()), methods=["GET", "POST"])
    application.add_url_rule("/t/unmarked", "unmarked", connection_mode)
    application.add_url_rule("/t/write", "write", read_only(write))
    return application


def test_a_marked_page_reads_without_a_transaction(routed: Flask) -> None:
    assert routed.test_client().get("/t/marked").get_data(as_text=True) == "autocommit"


def test_unmarked_pages_and_posts_keep_their_transaction(routed: Flask) -> None:
    client = routed.test_client()
    assert client.get("/t/unmarked").get_data(as_text=True) == "transaction"
    assert client.post("/t/marked").get_data(as_text=True) == "transaction"


def test_the_connection_goes_back_to_transactions_after_a_read_only_page(routed: Flask) -> None:
    client = routed.test_client()
    for _ in range(3):  # the pool hands the same connection out again
        assert client.get("/t/marked").get_data(as_text=True) == "autocommit"
        assert client.get("/t/unmarked").get_data(as_text=True) == "transaction"
    with routed.app_context():
        assert not _autocommit()


def test_a_read_only_page_that_writes_is_stopped_before_anything_is_written(routed: Flask) -> None:
    with routed.app_context():
        before = _communes()
    with pytest.raises(ReadOnlyRequestError):
        routed.test_client().get("/t/write")
    with routed.app_context():
        assert _communes() == before
