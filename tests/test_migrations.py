"""Migrations from an empty database give exactly the models' schema, on SQLite and PostgreSQL."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.extensions import db
from tests.conftest import ROOT, make_app


@pytest.fixture
def empty_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a brand-new, empty database of the same kind as the test database."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"hvs_migrations_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _diff(app) -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        return compare_metadata(context, db.metadata)


def test_migrations_build_exactly_the_models_schema(empty_database: str) -> None:
    app = make_app(empty_database)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        assert _diff(app) == []
        db.engine.dispose()


def test_migrations_can_be_undone_and_redone(empty_database: str) -> None:
    app = make_app(empty_database)
    with app.app_context():
        directory = str(ROOT / "migrations")
        upgrade(directory=directory)
        downgrade(directory=directory, revision="base")
        with db.engine.connect() as conn:
            tables = set(db.inspect(conn).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade(directory=directory)
        assert _diff(app) == []
        db.engine.dispose()
