"""Running the day: the gate (find or register someone, give a badge) and the stations (check a badge in, tick the
steps, the short quiz), on tablets that may lose the network."""
from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app import outbox, policy, qr
from app.errors import DomainError
from app.events import bp, run, services
from app.events.models import Event, Participant, Station, StationVisit
from app.extensions import db
from app.people import services as people
from app.people.models import Person
from app.transactions import read_only

SEARCH_SHOWN = 12


def _event(event_id: int, action: str = "events.run") -> Event:
    event = db.session.scalars(select(Event).where(Event.id == event_id).options(
        selectinload(Event.stations), selectinload(Event.shifts))).first()
    if event is None:
        abort(404)
    policy.authorize(action, event)
    return event


def _station(event: Event, station_id: int) -> Station:
    station = next((s for s in event.stations if s.id == station_id), None)
    if station is None:
        abort(404)
    return station


def _actor() -> Person:
    return current_user._get_current_object()  # type: ignore[attr-defined]


# --- the gate ------------------------------------------------------------------------------------

def _render_gate(event: Event, entered: dict[str, Any] | None = None, error: str = "", status: int = 200) -> Any:
    query = (request.args.get("q") or "").strip()[:300]
    found: list[Person] = []
    registered: dict[int, Participant] = {}
    card = services.person_of_card(query, _card_secret()) if query else None
    if card is not None:  # a learner's sign-in card, scanned into the search box: that person, if of this commune
        person = db.session.get(Person, card)
        found = [person] if person and person.commune_id == event.commune_id and person.erased_at is None else []
    elif query:
        found = list(db.session.scalars(people.search(event.commune_id, query).limit(SEARCH_SHOWN)))
    if found:
        registered = {p.person_id: p for p in db.session.scalars(select(Participant).where(
            Participant.event_id == event.id, Participant.person_id.in_([p.id for p in found])))}
    consented = run.consented_ids([p.id for p in found])
    arrived = db.session.scalar(select(func.count()).where(Participant.event_id == event.id,
                                                           Participant.arrived_at.is_not(None)))
    entered = entered or {"full_name": query if query and card is None and not any(c.isdigit() for c in query)
                          else ""}
    return render_template("events/gate.html", event=event, query=query, found=found, registered=registered,
                           consented=consented, arrived=arrived, entered=entered, error=error,
                           client_id=outbox.new_client_id("gate"), villages=event.commune.villages), status


@bp.get("/<int:event_id>/gate")
@read_only
@policy.requires("events.run")
def gate(event_id: int) -> Any:
    """The gate's tablet: find someone by name (without diacritics) or phone, or register a newcomer."""
    return _render_gate(_event(event_id))


@bp.post("/<int:event_id>/gate")
@policy.requires("events.run")
def register(event_id: int) -> Any:
    """Register the person found, or the newcomer entered, and show their badge (a form sent twice registers once)."""
    event = _event(event_id)
    form = request.form
    client_id = form.get("client_id", "")
    if not outbox.CLIENT_ID.match(client_id):
        client_id = outbox.new_client_id("gate")
    entry = run.GateEntry.read(form)
    for attempt in range(2):
        try:
            participant = run.register_at_gate(event, entry, actor=_actor(), client_id=client_id,
                                               may_act_on=lambda p: policy.outranks(current_user, p))
            db.session.commit()
            break
        except DomainError as error:
            db.session.rollback()
            return _render_gate(event, entry.as_entered(), str(error.message), 422)
        except IntegrityError:
            # Another gate registered the same person (or this form arrived twice) at the same moment: the second
            # try finds what the first stored.
            db.session.rollback()
            if attempt:
                raise
    return redirect(url_for("events.badge", event_id=event.id, participant_id=participant.id), 303)


@bp.get("/<int:event_id>/participants/<int:participant_id>/badge")
@read_only
@policy.requires("events.run")
def badge(event_id: int, participant_id: int) -> str:
    """A participant's badge: name, village, the code in large letters and as a QR code; printable."""
    event = _event(event_id)
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.event_id != event.id:
        abort(404)
    done = db.session.scalar(select(func.count()).where(StationVisit.participant_id == participant.id,
                                                        StationVisit.completed.is_(True)))
    return render_template("events/badge.html", event=event, participant=participant, person=participant.person,
                           qr_svg=qr.svg(participant.badge_code), done=done)


# --- the stations --------------------------------------------------------------------------------

@bp.get("/<int:event_id>/stations/<int:station_id>")
@read_only
@policy.requires("events.run")
def station(event_id: int, station_id: int) -> str:
    """A station's tablet: scan or type a badge, tick the steps done, hand the tablet over for the quiz."""
    event = _event(event_id)
    station = _station(event, station_id)
    checked_in = db.session.scalar(select(func.count()).where(StationVisit.station_id == station.id))
    return render_template("events/station.html", event=event, station=station, quiz=run.quiz_page(station),
                           checked_in=checked_in, client_id=outbox.new_client_id("station"))


def _card_secret() -> str:
    return str(current_app.config["SECRET_KEY"])


@bp.post("/<int:event_id>/stations/<int:station_id>/visit")
@policy.requires("events.run")
def record_visit(event_id: int, station_id: int) -> Response:
    """Record a check-in (steps and quiz answers) from the plain form, the page without JavaScript."""
    event = _event(event_id)
    station = _station(event, station_id)
    client_id = request.form.get("client_id", "")
    if not outbox.CLIENT_ID.match(client_id):
        client_id = outbox.new_client_id("station")
    answers = {key[2:]: value for key, value in request.form.items() if key.startswith("q-") and value}
    try:
        participant = services.find_participant(event, request.form.get("code", ""), card_secret=_card_secret(),
                                                 actor=_actor())
        run.record(station, participant, ticks=request.form.getlist("tick"), answers=answers, actor=_actor(),
                   client_id=client_id)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    except IntegrityError:
        db.session.rollback()  # the same form twice at once: the first one stored it
        flash(_("Đã ghi nhận rồi."), "success")
    else:
        flash(_("Đã ghi nhận thẻ %(code)s tại trạm %(station)s.", code=participant.badge_code, station=station.name),
              "success")
    return redirect(url_for("events.station", event_id=event.id, station_id=station.id), 303)


@bp.post("/<int:event_id>/stations/<int:station_id>/sync")
@policy.requires("events.run")
def sync(event_id: int, station_id: int) -> tuple[Response, int]:
    """Take a station tablet's check-ins and quiz answers (made offline perhaps): each stored once."""
    event = _event(event_id)
    station = _station(event, station_id)
    actor, secret = _actor(), _card_secret()
    answer, status = outbox.receive(
        request.get_json(silent=True), known=services.known_client_ids,
        handle=lambda item: run.handle_item(event, station, item, actor=actor, card_secret=secret))
    return jsonify(answer), status

