"""Read-only requests: the pages people open every day read without opening a database transaction.

A view marked `@read_only` runs its GET (and HEAD) requests on a connection in autocommit mode: each
SELECT is its own statement, with no `BEGIN` before the first and no `ROLLBACK` at the end — two of the
four or five round trips a small page made (docs/PERFORMANCE.md, "Daily pages"). At PostgreSQL's READ
COMMITTED level every statement already saw its own snapshot, so what the page reads does not change.

Such a request may not write: an INSERT, UPDATE or DELETE, or a flush with changes, raises
`ReadOnlyRequestError` before anything reaches the database (in autocommit it could not be rolled back).
The test suite opens every marked page, so a view that starts writing is found there, not in use.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from app.extensions import db

F = TypeVar("F", bound=Callable[..., Any])
READ_ONLY = "hocvuso.read_only"  # in the WSGI environ of a request that may not write
AUTOCOMMIT = "hocvuso.autocommit"  # ... and that runs without a transaction
SAFE_METHODS = ("GET", "HEAD")


class ReadOnlyRequestError(RuntimeError):
    """A view marked read-only tried to write to the database."""


def read_only(view: F) -> F:
    """Mark a view whose GET requests only read: they run without a database transaction."""
    view.read_only = True  # type: ignore[attr-defined]
    return view


def in_read_only_request() -> bool:
    """Tell whether the current request runs read-only."""
    return has_request_context() and bool(request.environ.get(READ_ONLY))


def _begin() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if request.method not in SAFE_METHODS or not getattr(view, "read_only", False):
        return
    request.environ[READ_ONLY] = True
    # Work already begun in this context (a test's own session, shared with its requests) keeps its
    # transaction; the request is still refused any write.
    if not db.session().in_transaction():
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        request.environ[AUTOCOMMIT] = True


def _end(_error: BaseException | None) -> None:
    if request.environ.pop(AUTOCOMMIT, False):
        # No transaction to end on the server; this hands the connection back, which restores its
        # isolation level, so whatever uses this session next starts a normal transaction.
        db.session.rollback()


def _refuse_flush(session: Session, _context: Any, _instances: Any) -> None:
    if in_read_only_request() and (session.new or session.dirty or session.deleted):
        raise ReadOnlyRequestError(f"{request.endpoint} is marked read-only but changed objects")


def _refuse_writes(state: ORMExecuteState) -> None:
    if in_read_only_request() and (state.is_insert or state.is_update or state.is_delete):
        raise ReadOnlyRequestError(f"{request.endpoint} is marked read-only but ran {state.statement}")


def register(app: Flask) -> None:
    """Run marked views read-only. Register before any hook that reads the database (the signed-in person)."""
    app.before_request(_begin)
    app.teardown_request(_end)
    if not event.contains(db.session, "before_flush", _refuse_flush):
        event.listen(db.session, "before_flush", _refuse_flush)
        event.listen(db.session, "do_orm_execute", _refuse_writes)
