"""Planning pages: a commune's events and an event's page with its stations (the roster and the printables are in
roster_routes.py)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app import policy
from app.catalog.models import Module
from app.catalog.services import active_modules, current_framework
from app.errors import DomainError, show_on_form
from app.events import bp, demo, planning  # noqa: F401  (demo registers its step)
from app.events.forms import EventForm, NewEventForm, NewStationForm, StationForm
from app.events.kinds import EVENT_KINDS, TOPICS
from app.events.models import Event, Shift, Station
from app.extensions import db
from app.forms import CleanForm, choices
from app.people.models import Person
from app.places.models import Commune, Venue
from app.transactions import read_only
from app.vietnam import local_today

PAST_SHOWN = 30
DAY_OPENS, DAY_CLOSES = dt.time(7, 30), dt.time(16, 30)  # what the new-event form suggests


def _lang() -> str:
    return str(get_locale() or "vi")[:2]


def actor() -> Person:
    """Return the signed-in person."""
    return current_user._get_current_object()  # type: ignore[attr-defined]


def load_event(event_id: int, action: str) -> Event:
    """Load an event with its stations, venues and shifts, or 404; check the action on it."""
    event = db.session.scalars(select(Event).where(Event.id == event_id).options(
        selectinload(Event.stations).selectinload(Station.module), selectinload(Event.stations)
        .selectinload(Station.venue), selectinload(Event.venues), selectinload(Event.shifts))).first()
    if event is None:
        abort(404)
    policy.authorize(action, event)
    return event


def _station(event: Event, station_id: int) -> Station:
    return next((s for s in event.stations if s.id == station_id), None) or abort(404)


def _venues_of(commune_id: int, keep: list[Venue] | None = None) -> list[Venue]:
    found = list(db.session.scalars(select(Venue).where(Venue.commune_id == commune_id, Venue.active.is_(True))
                                    .order_by(Venue.name)))
    return found + [v for v in keep or [] if v not in found]


def _picked_venues(commune_id: int, ids: list[int] | None) -> list[Venue]:
    wanted = [i for i in ids or [] if i]
    # Another commune's venue is read too, so the service names the fault instead of dropping it silently.
    return list(db.session.scalars(select(Venue).where(Venue.id.in_(wanted)))) if wanted else []


def _module(module_id: int | None) -> Module | None:
    return db.session.get(Module, module_id) if module_id else None


def _module_choices(label: Any) -> list[Any]:
    lang = _lang()
    return choices([(0, label), *((m.id, f"{m.code} – {m.current.title(lang)}" if m.current else m.code)
                                  for m in active_modules())])


def check_csrf() -> bool:
    """Check a plain POST's CSRF token (flashing the refusal)."""
    if CleanForm().validate_on_submit():
        return True
    flash(_("Phiên làm việc đã hết hạn. Vui lòng tải lại trang và thử lại."), "error")
    return False


# --- a commune's events --------------------------------------------------------------------------

def _new_form(commune: Commune) -> NewEventForm:
    form = NewEventForm()
    form.venues.choices = choices((v.id, v.name) for v in _venues_of(commune.id))
    form.module_id.choices = _module_choices(_("— Theo nội dung có sẵn —"))
    if not form.is_submitted():
        form.kind.data, form.opens_at.data, form.closes_at.data = "day", DAY_OPENS, DAY_CLOSES
    return form


def _render_index(commune: Commune, form: NewEventForm | None = None, status: int = 200) -> tuple[str, int]:
    whole = policy.can(current_user, "events.view", commune)
    query = select(Event).where(Event.commune_id == commune.id).options(selectinload(Event.stations),
                                                                        selectinload(Event.venues))
    if not whole:  # staff who are not organisers see the events they are rostered on
        query = query.where(Event.id.in_(select(Shift.event_id).where(Shift.person_id == current_user.id)))
    today = local_today()
    upcoming = list(db.session.scalars(query.where(Event.held_on >= today).order_by(Event.held_on, Event.opens_at)))
    past = list(db.session.scalars(query.where(Event.held_on < today).order_by(Event.held_on.desc(),
                                                                               Event.opens_at).limit(PAST_SHOWN)))
    counts = planning.participant_counts([e.id for e in upcoming + past])
    if form is None and policy.can(current_user, "events.manage", commune):
        form = _new_form(commune)
    # Staff who see only the events they are rostered on may run those (the events.run rule's assigned roles).
    run = policy.can(current_user, "events.run", commune) or not whole
    return render_template("events/index.html", commune=commune, upcoming=upcoming, past=past, counts=counts,
                           form=form, kinds=EVENT_KINDS, whole=whole, run=run), status


@bp.get("/communes/<int:commune_id>")
@read_only
@policy.requires("events.view")
def index(commune_id: int) -> tuple[str, int]:
    """List the commune's events, coming ones first, with how many registered and came; organisers add one."""
    commune = db.get_or_404(Commune, commune_id)
    if not policy.can(current_user, "events.view", commune) and commune.id not in (
            policy.commune_ids(current_user, "events.view") or set()):
        abort(403)
    return _render_index(commune)


@bp.post("/communes/<int:commune_id>/new")
@policy.requires("events.manage")
def new(commune_id: int) -> Any:
    """Create an event (a weekly session or a mobile point with its one station)."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("events.manage", commune)
    form = _new_form(commune)
    if form.validate_on_submit():
        teaching = planning.Teaching(form.topic.data or "", form.station_name.data or "",
                                     _module(form.module_id.data))
        try:
            event = planning.plan_event(
                commune, kind=form.kind.data or "", name=form.name.data or "", held_on=form.held_on.data,
                opens_at=form.opens_at.data, closes_at=form.closes_at.data,
                venues=_picked_venues(commune.id, form.venues.data), place_note=form.place_note.data or "",
                teaching=teaching, actor=actor())
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "name")
        else:
            db.session.commit()
            flash(_("Đã tạo “%(name)s”. Bây giờ hãy thêm trạm và phân công tình nguyện viên.", name=event.name),
                  "success")
            return redirect(url_for("events.show", event_id=event.id))
    return _render_index(commune, form, 422)


# --- an event's page -----------------------------------------------------------------------------

@bp.get("/<int:event_id>")
@read_only
@policy.requires("events.view")
def show(event_id: int) -> str:
    """Show an event: details, stations in order with what each teaches, and the links to run and follow it."""
    event = load_event(event_id, "events.view")
    manage = policy.can(current_user, "events.manage", event)
    framework = current_framework()
    single = EVENT_KINDS[event.kind].single_station
    add_form = NewStationForm() if manage and not (single and event.stations) else None
    registered, arrived = planning.participant_counts([event.id]).get(event.id, (0, 0))
    return render_template(
        "events/show.html", event=event, kind=EVENT_KINDS[event.kind], manage=manage, add_form=add_form,
        run=policy.can(current_user, "events.run", event), skills=framework.skill_titles(_lang()) if framework
        else {}, visits=planning.visit_counts(event), registered=registered, arrived=arrived, lang=_lang(),
        topics=TOPICS, volunteers=len(event.assigned_ids))


def _event_form(event: Event) -> EventForm:
    data = None
    if request.method == "GET":
        data = {"kind": event.kind, "name": event.name, "held_on": event.held_on, "opens_at": event.opens_at,
                "closes_at": event.closes_at, "venues": [v.id for v in event.venues], "place_note": event.place_note}
    form = EventForm(data=data)
    form.venues.choices = choices((v.id, v.name) for v in _venues_of(event.commune_id, list(event.venues)))
    return form


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@read_only
@policy.requires("events.manage")
def edit(event_id: int) -> Any:
    """Change an event's kind, name, day, hours and place."""
    event = load_event(event_id, "events.manage")
    form = _event_form(event)
    if form.validate_on_submit():
        try:
            planning.update_event(event, kind=form.kind.data or "", name=form.name.data or "",
                                  held_on=form.held_on.data, opens_at=form.opens_at.data,
                                  closes_at=form.closes_at.data, place_note=form.place_note.data or "",
                                  venues=_picked_venues(event.commune_id, form.venues.data))
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "name")
        else:
            db.session.commit()
            flash(_("Đã lưu “%(name)s”.", name=event.name), "success")
            return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/edit.html", event=event, form=form), 422 if form.errors else 200


@bp.post("/<int:event_id>/signup-open")
@policy.requires("events.manage")
def toggle_signup(event_id: int) -> Response:
    """Close or reopen the public pre-registration page."""
    event = load_event(event_id, "events.manage")
    if check_csrf():
        is_open = request.form.get("open") == "1"
        planning.set_signup_open(event, is_open)
        db.session.commit()
        flash(_("Đã mở đăng ký trước.") if is_open else _("Đã đóng đăng ký trước."), "success")
    if request.form.get("back") == "poster":
        return redirect(url_for("events.poster", event_id=event.id))
    return redirect(url_for("events.show", event_id=event.id) + "#signup")


# --- stations ------------------------------------------------------------------------------------

@bp.post("/<int:event_id>/stations")
@policy.requires("events.manage")
def add_station(event_id: int) -> Response:
    """Add a station from a ready-made topic (filled in) or of the organiser's own (to fill in next)."""
    event = load_event(event_id, "events.manage")
    form = NewStationForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("events.show", event_id=event.id) + "#new-station")
    try:
        station = planning.add_station(event, topic=form.topic.data or "", name=form.name.data or "")
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("events.show", event_id=event.id) + "#new-station")
    db.session.commit()
    flash(_("Đã thêm trạm “%(name)s”.", name=station.name), "success")
    if not station.topic:
        return redirect(url_for("events.edit_station", event_id=event.id, station_id=station.id))
    return redirect(url_for("events.show", event_id=event.id) + f"#station-{station.id}")


def _station_form(station: Station) -> StationForm:
    data = None
    if request.method == "GET":
        data = {"name": station.name, "description": station.description, "skills": list(station.skills or []),
                "module_id": station.module_id or 0, "checklist": "\n".join(station.checklist or []),
                "materials": station.materials, "venue_id": station.venue_id or 0,
                "quiz": bool(station.quiz_question_ids)}
    form = StationForm(data=data)
    framework = current_framework()
    titles = framework.skill_titles(_lang()) if framework else {}
    form.skills.choices = choices([*((code, f"{code} – {title}") for code, title in titles.items()),
                                   *((code, code) for code in station.skills or [] if code not in titles)])
    form.module_id.choices = _module_choices(_("— Không dùng học phần —"))
    keep = [station.venue] if station.venue else []
    form.venue_id.choices = choices([(0, _("— Chưa chọn —")), *((v.id, v.name) for v in
                                                               _venues_of(station.event.commune_id, keep))])
    return form


@bp.route("/<int:event_id>/stations/<int:station_id>/edit", methods=["GET", "POST"])
@read_only
@policy.requires("events.manage")
def edit_station(event_id: int, station_id: int) -> Any:
    """Change what a station teaches: skills, module, checklist, materials, place, its short quiz."""
    event = load_event(event_id, "events.manage")
    station = _station(event, station_id)
    form = _station_form(station)
    if form.validate_on_submit():
        venue = db.session.get(Venue, form.venue_id.data) if form.venue_id.data else None
        try:
            planning.update_station(
                station, name=form.name.data or "", description=form.description.data or "",
                skills=list(form.skills.data or []), module=_module(form.module_id.data),
                checklist=(form.checklist.data or "").splitlines(), materials=form.materials.data or "",
                venue=venue, quiz=bool(form.quiz.data), redraw=bool(form.redraw.data))
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "name")
        else:
            db.session.commit()
            flash(_("Đã lưu trạm “%(name)s”.", name=station.name), "success")
            return redirect(url_for("events.show", event_id=event.id) + f"#station-{station.id}")
    return render_template("events/station_form.html", event=event, station=station, form=form,
                           visits=planning.visit_counts(event).get(station.id, 0)), 422 if form.errors else 200


@bp.post("/<int:event_id>/stations/<int:station_id>/remove")
@policy.requires("events.manage")
def remove_station(event_id: int, station_id: int) -> Response:
    """Remove a station nobody has visited yet."""
    event = load_event(event_id, "events.manage")
    station = _station(event, station_id)
    if check_csrf():
        name = station.name
        try:
            planning.remove_station(station)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Đã xóa trạm “%(name)s”.", name=name), "success")
    return redirect(url_for("events.show", event_id=event.id) + "#stations")


@bp.post("/<int:event_id>/stations/<int:station_id>/move")
@policy.requires("events.manage")
def move_station(event_id: int, station_id: int) -> Response:
    """Move a station one place up or down."""
    event = load_event(event_id, "events.manage")
    station = _station(event, station_id)
    direction = request.form.get("direction")
    if check_csrf():
        if direction not in ("up", "down"):
            flash(_("Hãy chọn lên hoặc xuống."), "error")
        else:
            planning.move_station(station, -1 if direction == "up" else 1)
            db.session.commit()
    return redirect(url_for("events.show", event_id=event.id) + f"#station-{station.id}")
