"""Shared fixtures: one app per run, a clean database for every test, signed-in clients."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import select, text

from app import create_app
from app.config import TEST_OVERRIDES
from app.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith(("postgres", "postgresql"))


def make_app(database_url: str, **overrides: Any) -> Flask:
    """Create an app for tests on the given database."""
    application = create_app({**TEST_OVERRIDES, "WTF_CSRF_ENABLED": False, "SQLALCHEMY_DATABASE_URI": database_url,
                              **overrides})

    # Test-client requests made inside the `ctx` fixture share its app context (and `g`), where
    # Flask-Login caches the user; forget it around each request, as a real server would.
    @application.before_request
    @application.teardown_request
    def _forget_cached_user(*_args: Any) -> None:
        g.pop("_login_user", None)

    return application


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # With the suite split across processes (`make test` runs pytest-xdist), each worker has a database of its
    # own: on SQLite a file in its own temporary folder, on PostgreSQL `<test database>_<worker>`.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    elif not worker:
        yield TEST_DATABASE_URL
    else:
        yield from _worker_database(TEST_DATABASE_URL, worker)


def _worker_database(url: str, worker: str) -> Iterator[str]:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from app.config import normalise_database_url

    base = make_url(normalise_database_url(url))
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    application = make_app(database_url)
    with application.app_context():
        reset_schema()
        db.create_all()
    yield application
    with application.app_context():
        db.engine.dispose()


def reset_schema() -> None:
    """Start from an empty database, whatever an earlier run (of this or another version) left there.

    `drop_all` only knows today's tables; a table an older or newer checkout created would keep
    a foreign key to one of ours and make the drop fail, so PostgreSQL drops the whole schema.
    """
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:  # a fresh file in the run's temporary folder
        db.drop_all()


def wipe(application: Flask) -> None:
    """Empty every table, so each test starts from a fresh database."""
    with application.app_context():
        db.session.remove()
        tables = db.metadata.sorted_tables
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(tables):
                    conn.execute(table.delete())


@pytest.fixture(autouse=True)
def _fresh_database(request: pytest.FixtureRequest) -> Iterator[None]:
    # Only tests that touch the app get a database; pure-function tests stay fast.
    uses_app = any(name in request.fixturenames for name in ("app", "ctx", "client", "tablet", "phone"))
    yield
    if uses_app:
        wipe(request.getfixturevalue("app"))


@pytest.fixture
def app_factory(database_url: str, app: Flask) -> Iterator[Any]:
    """Make extra apps with other settings on the test database; their connections close afterwards."""
    made: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        made.append(make_app(database_url, **overrides))
        return made[-1]

    yield factory
    for extra in made:
        with extra.app_context():
            db.engine.dispose()


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    """An application context with a request, as services and templates expect."""
    with app.test_request_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def session_user_id(application: Flask, person_id: int) -> str:
    """Return what a signed-in session stores for the person: their id and account's session version."""
    from app.auth.models import Account

    with application.app_context():
        version = db.session.scalar(select(Account.session_version).where(Account.person_id == person_id))
    return f"{person_id}.{version or 0}"


def login(client: FlaskClient, person: Any) -> FlaskClient:
    """Sign a person in on a test client (their account must be active)."""
    user_id = session_user_id(client.application, person.id)
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
    return client


ROOT = Path(__file__).resolve().parent.parent


# --- browser tests ---------------------------------------------------------------------------

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
TABLET = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


NO_CHROMIUM = f"Chromium not found at {CHROMIUM}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=NO_CHROMIUM)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    # Counted from the reports, which reach this process from every worker when the suite runs in parallel.
    skipped = sum(NO_CHROMIUM in str(report.longrepr) for report in terminalreporter.stats.get("skipped", []))
    if skipped:
        terminalreporter.write_line(
            f"NOTE: {skipped} browser tests were SKIPPED: Chromium not found at {CHROMIUM}. "
            "Install it with `apt-get install -y chromium` to run them.", yellow=True, bold=True)


@pytest.fixture(scope="session")
def live_server(database_url: str, app: Flask) -> Iterator[str]:
    """Serve the app (with CSRF on, as in production) on a free local port in a background thread."""
    import threading

    from werkzeug.serving import make_server

    served = make_app(database_url, WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with served.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def tablet(browser: Any, live_server: str, app: Flask) -> Iterator[Any]:
    """A fresh tablet-sized page (1280×800), Vietnamese, on the live server."""
    context = browser.new_context(viewport=TABLET, locale="vi-VN", base_url=live_server)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_scan(browser: Any, live_server: str, app: Flask) -> Any:
    """Scan pages with axe in Vietnamese and English at 390×844 and 800×1280 (see tests/axe.py)."""
    from tests import axe

    def scan(paths: list[str], sign_in: Any = None, prepare: Any = None) -> list[str]:
        return axe.scan(browser, live_server, list(paths), sign_in=sign_in, prepare=prepare)

    return scan


@pytest.fixture
def phone(browser: Any, live_server: str, app: Flask) -> Iterator[Any]:
    """A fresh phone-sized page (390×844), Vietnamese, on the live server."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", base_url=live_server, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    yield page
    context.close()


# --- curriculum ------------------------------------------------------------------------------

CURRICULUM_SAMPLE = ("nct-01", "nct-05", "nct-06", "4t-02")


@pytest.fixture(scope="session")
def sample_courses(tmp_path_factory: pytest.TempPathFactory, app: Flask) -> Any:
    """A few real modules, read once per run."""
    import shutil

    from app.catalog import content

    root = tmp_path_factory.mktemp("courses")
    shutil.copytree(ROOT / "courses" / "framework", root / "framework")
    for name in CURRICULUM_SAMPLE:
        shutil.copytree(ROOT / "courses" / "modules" / name, root / "modules" / name)
    codes = ", ".join(n.upper() for n in CURRICULUM_SAMPLE)
    (root / "tracks.yaml").write_text(f"- code: mau\n  audience: elderly\n  title: {{vi: Mẫu}}\n  modules: [{codes}]\n",
                                      encoding="utf-8")
    with app.app_context():
        return content.read_courses(root)


@pytest.fixture
def curriculum(ctx: Flask, sample_courses: Any) -> Any:
    """Load the sample modules into the (empty) test database and return the sync report."""
    from app.catalog import services

    report = services.sync(sample_courses)
    db.session.commit()
    return report
