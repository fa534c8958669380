"""The participants of an event for those running it: find someone, see who came and what they did; the organisers
take the list away as a spreadsheet, and bring villages' lists in through the imports page."""
from __future__ import annotations

from flask import Response, abort, render_template, request
from sqlalchemy import select

from app import inputs, policy, spreadsheets
from app.events import bp, participants
from app.events.importer import KIND
from app.events.kinds import SOURCES
from app.events.models import Event
from app.extensions import db
from app.transactions import read_only


def _event(event_id: int, action: str) -> Event:
    event: Event | None = db.session.scalar(select(Event).where(Event.id == event_id))
    if event is None:
        abort(404)
    policy.authorize(action, event)
    return event


def _filters() -> participants.Filters:
    args = request.args
    return participants.Filters.read(args.get("q"), args.get("village", type=inputs.record_id), args.get("status"))


@bp.get("/<int:event_id>/participants", endpoint="participants")
@read_only
@policy.requires("events.run")
def participant_list(event_id: int) -> str:
    """List the participants: search by name without diacritics or badge code, filter by village and arrival."""
    event = _event(event_id, "events.run")
    filters = _filters()
    page = participants.page(event, filters, request.args.get("page", 1, type=inputs.page_number))
    return render_template("events/participants.html", event=event, page=page, filters=filters,
                           villages=event.commune.villages, statuses=participants.STATUSES, sources=SOURCES,
                           import_kind=KIND)


@bp.get("/<int:event_id>/participants.<fmt>")
@read_only
@policy.requires("events.manage")
def participants_export(event_id: int, fmt: str) -> Response:
    """Download the participants (as filtered) as CSV or Excel."""
    event = _event(event_id, "events.manage")
    headers, rows = participants.export(event, _filters())
    return spreadsheets.download(fmt, headers, rows, name=participants.export_name(event))
