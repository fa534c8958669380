"""Health checks: can this instance serve and save? Database reads and writes, the instance folder, the keys."""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.config import CITIZEN_KEY_FILE
from app.extensions import db

OK = "ok"


def database_reads() -> str:
    """Ask the database a trivial question."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return "unreachable"
    return OK


def database_writes() -> str:
    """Make a write the database must accept (it changes no row), in a transaction that is rolled back."""
    # A read-only database, a full disk on SQLite's journal, or a replica refuses even an empty UPDATE.
    try:
        with db.engine.connect() as conn, conn.begin() as transaction:
            conn.execute(text("UPDATE people SET id = id WHERE id < 0"))
            transaction.rollback()
    except SQLAlchemyError:
        return "read-only"
    return OK


def instance_writable(app: Flask) -> str:
    """Create and remove a file in the instance folder (uploads, generated keys, the SQLite database live there)."""
    try:
        with tempfile.NamedTemporaryFile(dir=app.instance_path, prefix=".healthz-"):
            pass
    except OSError:
        return "not writable"
    return OK


def keys_available(app: Flask) -> str:
    """SECRET_KEY and DATA_ENCRYPTION_KEY are set; the citizen ID key is set, on file, or can be made on first use."""
    if not app.config.get("SECRET_KEY") or not app.config.get("DATA_ENCRYPTION_KEY"):
        return "missing"
    if app.config.get("CITIZEN_ID_HMAC_KEY"):
        return OK
    path = Path(app.instance_path) / CITIZEN_KEY_FILE
    try:
        if path.read_text().strip():
            return OK
    except FileNotFoundError:
        # Generated on first use: fine as long as the folder takes it.
        return OK if instance_writable(app) == OK else "missing"
    except OSError:
        pass
    return "missing"


CHECKS: dict[str, Callable[[Flask], str]] = {
    "database": lambda app: database_reads(),
    "database_write": lambda app: database_writes(),
    "instance": instance_writable,
    "keys": keys_available,
}


def report(app: Flask) -> dict[str, str]:
    """Run every check; each answers "ok" or what is wrong."""
    return {name: check(app) for name, check in CHECKS.items()}
