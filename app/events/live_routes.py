"""The live board on the venue's television: the page, its figures as JSON (polling) and as Server-Sent Events, the
organiser's link with a QR code, and replacing the link's key when it leaked.

A television is never signed in: the board's routes open with the event's board key in the address (`?key=`), or
for a signed-in person allowed to view the event. They are therefore marked public and check inside; anything
else is "not found", so a wrong key does not even tell that the event exists.
"""
from __future__ import annotations

import hmac
import json
import time
from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response as Redirect

from app import policy, qr
from app.events import bp, live
from app.events.models import Event
from app.extensions import db
from app.safe_redirect import back_or
from app.transactions import read_only

CHECK_SECONDS = 2.0  # how often a stream looks for changed figures
HEARTBEAT_SECONDS = 15.0  # a comment line when nothing changed, so proxies keep the connection open
RETRY_MS = 3000  # EventSource reconnects this long after a stream ends (or drops)
ONE_SHOT_RETRY_MS = 5000  # ... after a one-shot stream (see `_stream_seconds`)
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}  # the key in the address stays here


def _board_event(event_id: int) -> tuple[Event, str | None]:
    """The event whose board is asked for, and the key that opened it (None for a signed-in viewer), or 404."""
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    key = request.args.get("key", "")
    if key and hmac.compare_digest(key.encode(), event.board_key.encode()):
        return event, key
    if policy.can(current_user, "events.view", event):
        return event, None
    abort(404)


def _locale() -> str:
    return str(get_locale() or "vi")


def _figures(event: Event) -> dict[str, Any]:
    data = live.board(event.id, event.board_key, locale=_locale(),
                      seconds=current_app.config.get("LIVE_CACHE_SECONDS", live.CACHE_SECONDS))
    if data is None:  # the event was loaded just now: it cannot be gone, and its key is the one read
        abort(404)
    return data


def _private(response: Response) -> Response:
    response.headers.update(PRIVATE)
    return response


@bp.get("/<int:event_id>/live")
@read_only
@policy.public  # opened with the board key by a television nobody signs in to; `_board_event` checks
def live_board(event_id: int) -> Response:
    """Show the board: large figures, no names, updating itself without reloading."""
    event, key = _board_event(event_id)
    board = _figures(event)
    page = render_template("events/live.html", event=event, board=board,
                           stream_seconds=_stream_seconds(), key=key)
    return _private(Response(page, mimetype="text/html"))


@bp.get("/<int:event_id>/live.json")
@read_only
@policy.public  # as the board page: the key or a signed-in viewer, checked inside
def live_json(event_id: int) -> Response:
    """Return the board's figures as JSON (the page polls this when the stream fails)."""
    event, _key = _board_event(event_id)
    return _private(jsonify(_figures(event)))


def _stream_seconds() -> float:
    """How long a stream stays open: LIVE_STREAM_SECONDS, short in tests, and 0 (one message, then the browser
    reconnects) on a server whose worker serves one request at a time, where a long stream would hold it."""
    seconds = float(current_app.config.get("LIVE_STREAM_SECONDS", 2 if current_app.testing else 55))
    return seconds if request.environ.get("wsgi.multithread") else 0.0


def _message(data: dict[str, Any]) -> str:
    return f"data: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


def _stream(app: Flask, event_id: int, board_key: str, locale: str, first: dict[str, Any],
            seconds: float) -> Iterator[str]:
    """Send the figures, then again whenever they change, until `seconds` have passed.

    Runs after the request has ended: each check has an application context of its own, whose database session
    is removed (its connection returned to the pool) when the check is done, so nothing is held while it sleeps.
    """
    yield f"retry: {RETRY_MS if seconds else ONE_SHOT_RETRY_MS}\n\n"
    yield _message(first)
    sent, end = first["version"], time.monotonic() + seconds
    last = time.monotonic()
    cache_seconds = app.config.get("LIVE_CACHE_SECONDS", live.CACHE_SECONDS)
    while time.monotonic() + CHECK_SECONDS <= end:
        time.sleep(CHECK_SECONDS)
        with app.app_context(), force_locale(locale):
            data = live.board(event_id, board_key, locale=locale, seconds=cache_seconds)
        if data is None:  # the event is gone or its key was replaced: the reconnection decides
            return
        if data["version"] != sent:
            sent, last = data["version"], time.monotonic()
            yield _message(data)
        elif time.monotonic() - last >= HEARTBEAT_SECONDS:
            last = time.monotonic()
            yield ": keepalive\n\n"


@bp.get("/<int:event_id>/live/stream")
@read_only
@policy.public  # as the board page: the key or a signed-in viewer, checked inside
def live_stream(event_id: int) -> Response:
    """Stream the board's figures as Server-Sent Events for a bounded time; EventSource reconnects by itself."""
    event, _key = _board_event(event_id)
    first = _figures(event)
    # Not `stream_with_context`: that would keep the request (and its database session) alive for the whole
    # stream. The generator takes plain values and opens a short application context for each check instead.
    body = _stream(current_app._get_current_object(), event.id,  # type: ignore[attr-defined]
                   event.board_key, _locale(), first, _stream_seconds())
    response = Response(body, mimetype="text/event-stream")
    response.headers["X-Accel-Buffering"] = "no"  # nginx: pass each message on at once
    return _private(response)


@bp.post("/<int:event_id>/live/key")
@policy.requires("events.manage")
def live_key(event_id: int) -> Redirect:
    """Replace the board's key, so a link that leaked stops opening the board."""
    event = db.get_or_404(Event, event_id)
    policy.authorize("events.manage", event)
    live.replace_board_key(event)
    db.session.commit()
    flash(_("Đã đổi đường link bảng số liệu. Đường link cũ không mở được nữa: hãy mở đường link mới trên tivi."),
          "success")
    return redirect(back_or("events.live_board", event_id=event.id))


@bp.app_template_global()
def live_board_link(event: Event) -> dict[str, Any]:
    """The board's address with its key, and that address as a QR code, for the event's page."""
    url = url_for("events.live_board", event_id=event.id, key=event.board_key, _external=True)
    svg: Markup = qr.svg(url)
    return {"url": url, "qr": svg}
