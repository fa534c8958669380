"""Language and time zone for each request: Vietnamese unless the person chose English."""
from __future__ import annotations

from flask import current_app, has_request_context, session
from flask_login import current_user


def select_locale() -> str:
    """Pick the session's language, then the person's saved one, then the default (Vietnamese)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # command line and background work speak the default language
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    saved = getattr(current_user, "locale", None) if current_user else None
    if saved in languages:
        return str(saved)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def select_timezone() -> str:
    """Show every time in Vietnam's time zone."""
    return "Asia/Ho_Chi_Minh"
