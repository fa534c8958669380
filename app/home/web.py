"""What every page shares: security headers, asset versions, menu and template helpers."""
from __future__ import annotations

import hashlib
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, has_request_context, request, session, url_for
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context

from app import config, inputs, policy
from app.home import nav

TEXT_SIZES = ("1", "2", "3")

HSTS = "max-age=31536000"  # a year; subdomains are left to whoever runs them
# Endpoints that stand for another site (the bundled mock of the VNeID provider): their links keep the
# request's (trusted) host, as a real provider's would, rather than PUBLIC_BASE_URL.
OWN_HOST_ENDPOINTS = ("mockvneid.",)

# No inline script or style anywhere: pages pass data to scripts through data- attributes.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "media-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'")


@lru_cache(maxsize=256)
def _file_version(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def _version(filename: str) -> str:
    path = Path(current_app.static_folder or "") / filename
    return _file_version(str(path), path.stat().st_mtime) if path.exists() else "0"


_static_urls: dict[tuple[str, str], str] = {}


def static_url(filename: str) -> str:
    """Return a static file's URL with a content hash, so it can be cached for a year."""
    if current_app.debug:  # files change while developing; look every time
        return url_for("static", filename=filename, v=_version(filename))
    key = (request.script_root if has_request_context() else "", filename)
    if key not in _static_urls:
        _static_urls[key] = url_for("static", filename=filename, v=_version(filename))
    return _static_urls[key]


def commune_for(action: str) -> int | None:
    """Return the commune the current person works in for an action (their own, for admins)."""
    if not current_user.is_authenticated:
        return None
    allowed = policy.commune_ids(current_user, action)
    if allowed is None or current_user.commune_id in allowed:
        return int(current_user.commune_id)
    return min(allowed) if allowed else None


# The menu depends only on who holds which roles where (and the person's own commune): built once per
# combination in each process, rather than a policy check and a URL per entry on every page.
_menus: dict[tuple[Any, ...], tuple[tuple[str, str, Any], ...]] = {}
MENUS_KEPT = 512


def _menu_key() -> tuple[Any, ...]:
    user = current_user
    if not (user.is_authenticated and user.is_active):
        return (request.script_root,)
    roles = sorted((a.role, a.commune_id, a.village_id or 0) for a in policy.active_assignments(user))
    return (request.script_root, user.commune_id, *roles)


def _menu_entries() -> tuple[tuple[str, str, Any], ...]:
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
        entries.append((item.endpoint, href, item.label))
    return tuple(entries)


def menu() -> list[dict[str, Any]]:
    """Return the menu entries the current person may see."""
    key = _menu_key()
    entries = _menus.get(key)
    if entries is None:
        if len(_menus) >= MENUS_KEPT:
            _menus.clear()
        entries = _menus[key] = _menu_entries()
    return [{"href": href, "label": label, "current": request.endpoint == endpoint}
            for endpoint, href, label in entries]


def use_public_base_url(app: Flask) -> None:
    """Make every absolute URL (url_for with _external=True) start with PUBLIC_BASE_URL when it is set.

    Links in QR codes, credentials, calendars, e-mails and redirect URIs then never depend on the Host
    header a client sent; without PUBLIC_BASE_URL the host is one of TRUSTED_HOSTS (others get 400).
    """
    build = app.url_for

    @wraps(build)
    def url_for_public(endpoint: str, *, _external: bool | None = None, **values: Any) -> str:
        base = app.config.get("PUBLIC_BASE_URL")
        # Outside a request (CLI, jobs) Flask builds from SERVER_NAME as usual.
        if base and _external and has_request_context() and not endpoint.startswith(OWN_HOST_ENDPOINTS):
            values.pop("_scheme", None)
            return base.rstrip("/") + build(endpoint, _external=False, **values)
        return build(endpoint, _external=_external, **values)

    app.url_for = url_for_public  # type: ignore[method-assign]
    app.jinja_env.globals["url_for"] = url_for_public  # templates took the original when the env was made


TRANSLATIONS = "_translations"  # the page's catalogue, put in every template's context


def _catalogue(context: Context) -> Any:
    return context.get(TRANSLATIONS) or get_translations()


def install_gettext(app: Flask) -> None:
    """Translate a template's strings from the catalogue its page looked up once.

    Flask-Babel's template functions look the catalogue up again for every string (locale, domain and cache,
    each through Flask's context-locals): about a tenth of a small page's time. Templates rendered without
    the context (imported macros) fall back to that lookup.
    """
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=pass_context(lambda context, string: _catalogue(context).ugettext(string)),
        ngettext=pass_context(lambda context, singular, plural, n:
                              _catalogue(context).ungettext(singular, plural, n)),
        pgettext=pass_context(lambda context, message_context, string:
                              _catalogue(context).upgettext(message_context, string)),
        npgettext=pass_context(lambda context, message_context, singular, plural, n:
                               _catalogue(context).unpgettext(message_context, singular, plural, n)),
        newstyle=True,
    )


def _in_kiosk_mode() -> bool:
    from app.kiosk.routes import COOKIE  # the kiosk marks the tablet with a cookie, a learner's session with a flag

    return bool(session.get("kiosk") or request.cookies.get(COOKIE))


def register(app: Flask) -> None:
    """Install headers and template helpers."""
    app.config.setdefault("SEND_FILE_MAX_AGE_DEFAULT", 365 * 24 * 3600)
    # Flask answers 400 to a Host outside this list before any view runs (see errors.untrusted_host).
    app.config["TRUSTED_HOSTS"] = config.trusted_hosts(app.config.get("TRUSTED_HOSTS"),
                                                       app.config.get("PUBLIC_BASE_URL"))
    use_public_base_url(app)
    install_gettext(app)
    inputs.register(app)

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)")
        if app.config.get("SESSION_COOKIE_SECURE"):  # served over HTTPS: browsers must never fall back to HTTP
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if _in_kiosk_mode() and request.endpoint != "static":
            # A shared tablet keeps nothing in its cache or back button, whatever the view asked for
            # (static files are public and content-hashed, so they stay cacheable).
            response.headers["Cache-Control"] = "no-store"
        elif current_user and getattr(current_user, "is_authenticated", False):
            # Nothing personal stays in the browser's cache or back button.
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
            TRANSLATIONS: get_translations(),
        }
