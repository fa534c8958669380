"""The volunteer roster (adding and removing shifts, the printable roster) and the printable materials list and
sign-up poster."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app import policy, qr
from app.errors import DomainError, show_on_form
from app.events import bp, planning
from app.events import roster as rota
from app.events.forms import ShiftForm
from app.events.kinds import DUTIES
from app.events.models import Event
from app.events.plan_routes import actor, check_csrf, load_event
from app.extensions import db
from app.forms import choices
from app.people import services as people
from app.people.models import Person
from app.transactions import read_only

SEARCH_SHOWN = 20


# --- the roster ----------------------------------------------------------------------------------

def _shift_form(event: Event, found: list[Person]) -> ShiftForm:
    form = ShiftForm()
    form.person_id.choices = choices((p.id, p.full_name) for p in found)
    form.station_id.choices = choices([(0, _("— Không ở trạm —")), *((s.id, s.name) for s in event.stations)])
    if not form.is_submitted():
        form.starts_at.data, form.ends_at.data = event.opens_at, event.closes_at
    return form


def _render_roster(event: Event, form: ShiftForm | None = None, status: int = 200) -> tuple[str, int]:
    manage = policy.can(current_user, "events.manage", event)
    query = (request.values.get("q") or "").strip()[:80] if manage else ""
    found: list[Person] = []
    if query:
        reach = policy.village_ids(current_user, "people.search", event.commune_id)
        found = list(db.session.scalars(people.search(event.commune_id, query, villages=reach)
                                        .options(selectinload(Person.village)).limit(SEARCH_SHOWN)))
    if manage and form is None:
        form = _shift_form(event, found)
    shifts = rota.shifts_of(event)
    return render_template(
        "events/roster.html", event=event, manage=manage, query=query, found=found, form=form,
        slots=rota.slots(shifts), shifts=shifts, hours=rota.volunteer_hours(shifts), duties=DUTIES,
        staff=rota.staff_ids(event, {s.person_id for s in shifts if s.person_id})), status


@bp.get("/<int:event_id>/roster")
@read_only
@policy.requires("events.view")
def roster(event_id: int) -> tuple[str, int]:
    """The volunteer roster by time slot and place, with phone numbers, printable on A4; organisers add shifts."""
    return _render_roster(load_event(event_id, "events.view"))


@bp.post("/<int:event_id>/roster")
@policy.requires("events.manage")
def add_shift(event_id: int) -> Any:
    """Put someone of the commune on the roster for a slot."""
    event = load_event(event_id, "events.manage")
    form = _shift_form(event, [])
    if form.validate_on_submit():
        person = db.session.get(Person, form.person_id.data)
        station = next((s for s in event.stations if s.id == form.station_id.data), None)
        try:
            if person is None:
                raise DomainError(_("Hãy tìm và chọn một người."), field="person_id")
            shift = rota.add_shift(event, person, duty=form.duty.data or "", station=station,
                                     starts_at=form.starts_at.data, ends_at=form.ends_at.data,
                                     note=form.note.data or "", actor=actor())
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "person_id")
        else:
            db.session.commit()
            flash(_("Đã phân công %(name)s, %(start)s–%(end)s.", name=person.full_name,  # type: ignore[union-attr]
                    start=shift.starts_at.strftime("%H:%M"), end=shift.ends_at.strftime("%H:%M")), "success")
            return redirect(url_for("events.roster", event_id=event.id))
    return _render_roster(event, form, 422)


@bp.post("/<int:event_id>/shifts/<int:shift_id>/remove")
@policy.requires("events.manage")
def remove_shift(event_id: int, shift_id: int) -> Response:
    """Take a shift off the roster."""
    event = load_event(event_id, "events.manage")
    shift = next((s for s in event.shifts if s.id == shift_id), None) or abort(404)
    if check_csrf():
        rota.remove_shift(shift, actor=actor())
        db.session.commit()
        flash(_("Đã bỏ ca."), "success")
    return redirect(url_for("events.roster", event_id=event.id))


# --- printables ----------------------------------------------------------------------------------

@bp.get("/<int:event_id>/materials")
@read_only
@policy.requires("events.view")
def materials(event_id: int) -> str:
    """The materials to bring, station by station, as a printable checklist."""
    event = load_event(event_id, "events.view")
    shifts = rota.shifts_of(event)
    return render_template("events/materials.html", event=event, shifts=shifts, gate=planning.GATE_MATERIALS)


@bp.get("/<int:event_id>/poster")
@read_only
@policy.requires("events.view")
def poster(event_id: int) -> str:
    """A printable A4 poster with the QR code of the public pre-registration page."""
    event = load_event(event_id, "events.view")
    link = url_for("events.signup", signup_code=event.signup_code, _external=True)
    return render_template("events/poster.html", event=event, link=link, code=qr.svg(link, "M", 4),
                           manage=policy.can(current_user, "events.manage", event))
