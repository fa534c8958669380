"""Redirect targets that can only stay on this site (no open redirects)."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import request, url_for


def is_local(target: str | None) -> bool:
    """Tell whether a redirect target is a path on this site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def back_or(endpoint: str, **values: Any) -> str:
    """Return the `next` field or the referring page on this site, else the endpoint's URL."""
    target = request.values.get("next")
    if target is not None and is_local(target):
        return target
    referrer = request.referrer
    if referrer and urlsplit(referrer).netloc == request.host:
        parts = urlsplit(referrer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return url_for(endpoint, **values)
