"""Học Vụ Số: a learning system for the "Bình dân học vụ số" movement."""
from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import config as app_config
from app import inputs, transactions
from app.extensions import babel, compress, csrf, db, limiter, login_manager, render_migration_type


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure the application."""
    # INSTANCE_PATH moves the one data root (secrets, SQLite database, keys) out of the source tree.
    app = Flask(__name__, instance_path=os.environ.get("INSTANCE_PATH") or None, instance_relative_config=True)
    configure(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_web(app)
    return app


def configure(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Load settings from the environment, then apply explicit overrides (tests, scripts)."""
    overrides = dict(overrides or {})
    # Settings passed in explicitly stand in for their environment variables, so a test app
    # never writes secret files or opens the default database.
    env = dict(os.environ)
    for key, env_key in _OVERRIDE_ENV.items():
        if overrides.get(key):
            env[env_key] = str(overrides[key])
    app.config.from_mapping(app_config.from_env(Path(app.instance_path), env))
    app.config.from_mapping(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = app_config.normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if proxies := app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )


_OVERRIDE_ENV = {
    "SECRET_KEY": "SECRET_KEY",
    "DATA_ENCRYPTION_KEY": "DATA_ENCRYPTION_KEY",
    "SQLALCHEMY_DATABASE_URI": "DATABASE_URL",
}


def register_extensions(app: Flask) -> None:
    """Bind every extension to the app."""
    from app import counters  # noqa: F401  (the database:// storage for rate limits, and its table)
    from app.home import locale

    db.init_app(app)
    transactions.register(app)  # its hook must run before any other that reads the database
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=locale.select_locale, timezone_selector=locale.select_timezone)
    limiter.init_app(app)
    compress.init_app(app)


FEATURES = (
    "home", "auth", "places", "people", "imports", "catalog",
    "mockvneid", "quizzes", "classes", "attendance", "kiosk", "certificates", "digital", "families", "mentoring",
    "teams", "markets", "events", "reports",
)


def register_blueprints(app: Flask) -> None:
    """Register each feature's blueprint, once its routes are loaded."""
    inputs.install_converters(app)  # before any rule compiles
    for name in FEATURES:
        importlib.import_module(f"app.{name}.routes")
        app.register_blueprint(importlib.import_module(f"app.{name}").bp)


def register_cli(app: Flask) -> None:
    """Register the `flask <feature> ...` command groups."""
    from app.catalog.cli import courses_cli
    from app.certificates.cli import certificates_cli
    from app.demo.cli import demo_cli
    from app.mockvneid.cli import mockvneid_cli
    from app.people.cli import people_cli
    from app.places.cli import places_cli
    from app.reports.cli import reports_cli

    for group in (demo_cli, places_cli, people_cli, courses_cli, mockvneid_cli, certificates_cli, reports_cli):
        app.cli.add_command(group)
    if os.environ.get("FLASK_RUN_FROM_CLI") == "true" or app.testing:
        # `flask db ...` (and the migration tests) need Flask-Migrate, which brings Alembic and Mako: 12 MB in
        # every process. A web server never runs a migration, so it never loads them.
        from flask_migrate import Migrate

        Migrate(app, db, render_as_batch=True, compare_type=True, render_item=render_migration_type)


def register_web(app: Flask) -> None:
    """Register error pages, security headers and template helpers."""
    from app import errors
    from app.home import web

    errors.register(app)
    web.register(app)
