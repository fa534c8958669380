"""What every page shares: security headers, asset versions, menu and template helpers."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user

from app import policy
from app.home import nav

TEXT_SIZES = ("1", "2", "3")

# No inline script or style anywhere: pages pass data to scripts through data- attributes.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "media-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'")


@lru_cache(maxsize=256)
def _file_version(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def _version(filename: str) -> str:
    path = Path(current_app.static_folder or "") / filename
    return _file_version(str(path), path.stat().st_mtime) if path.exists() else "0"


_versions: dict[str, str] = {}


def static_url(filename: str) -> str:
    """Return a static file's URL with a content hash, so it can be cached for a year."""
    if current_app.debug:  # files change while developing; look every time
        return url_for("static", filename=filename, v=_version(filename))
    if filename not in _versions:
        _versions[filename] = _version(filename)
    return url_for("static", filename=filename, v=_versions[filename])


def commune_for(action: str) -> int | None:
    """Return the commune the current person works in for an action (their own, for admins)."""
    if not current_user.is_authenticated:
        return None
    allowed = policy.commune_ids(current_user, action)
    if allowed is None or current_user.commune_id in allowed:
        return int(current_user.commune_id)
    return min(allowed) if allowed else None


def menu() -> list[dict[str, Any]]:
    """Return the menu entries the current person may see."""
    entries = []
    for item in nav.ITEMS:
        if not (item.public or policy.can(current_user, item.action)):
            continue
        if item.needs_commune:
            commune_id = commune_for(item.action)
            if commune_id is None:
                continue
            href = url_for(item.endpoint, commune_id=commune_id)
        else:
            href = url_for(item.endpoint)
        entries.append({"href": href, "label": item.label,
                        "current": request.endpoint == item.endpoint})
    return entries


def register(app: Flask) -> None:
    """Install headers and template helpers."""
    app.config.setdefault("SEND_FILE_MAX_AGE_DEFAULT", 365 * 24 * 3600)

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)")
        if current_user and getattr(current_user, "is_authenticated", False):
            # Shared tablets: nothing personal stays in the browser's cache or back button.
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.context_processor
    def helpers() -> dict[str, Any]:
        return {
            "can": lambda action, target=None: policy.can(current_user, action, target),
            "static_url": static_url,
            "menu": menu,
            "locale": str(get_locale() or "vi"),
            "text_size": session.get("text_size", "1") if session.get("text_size") in TEXT_SIZES else "1",
        }
