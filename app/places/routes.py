"""Commune overview, villages and venues."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import policy
from app.errors import DomainError, show_on_form
from app.extensions import db
from app.forms import choices
from app.people.models import Household, Person
from app.places import bp, services
from app.places.forms import CommuneForm, VenueForm, VillageForm
from app.places.models import Commune, Venue, Village


@bp.route("/communes", methods=["GET", "POST"])
@policy.requires("places.admin")
def communes() -> Any:
    """List communes and add one by its official code (administrators)."""
    form = CommuneForm()
    if form.validate_on_submit():
        try:
            commune = services.add_commune(form.code.data or "")
        except DomainError as error:
            show_on_form(form, error, "code")
        else:
            db.session.commit()
            flash(_("Đã thêm %(name)s.", name=commune.full_name), "success")
            return redirect(url_for("places.communes"))
    rows = db.session.scalars(select(Commune).order_by(Commune.province_code, Commune.name)).all()
    return render_template("places/communes.html", communes=rows, form=form)


@bp.get("/communes/<int:commune_id>")
@policy.requires("places.view")
def commune(commune_id: int) -> str:
    """Show a commune's villages and venues."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("places.view", commune)
    people = dict(db.session.execute(
        select(Person.village_id, func.count()).where(Person.commune_id == commune.id, Person.erased_at.is_(None))
        .group_by(Person.village_id)).all())
    venues = db.session.scalars(select(Venue).where(Venue.commune_id == commune.id).order_by(Venue.name)).all()
    return render_template("places/commune.html", commune=commune, venues=venues, people=people,
                           village_form=VillageForm())


@bp.post("/communes/<int:commune_id>/villages")
@policy.requires("places.manage")
def add_village(commune_id: int) -> Any:
    """Add a village to a commune."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("places.manage", commune)
    form = VillageForm()
    if form.validate_on_submit():
        try:
            village = services.save_village(commune, name=form.name.data or "", kind=form.kind.data)
        except DomainError as error:
            show_on_form(form, error, "name")
        else:
            db.session.commit()
            flash(_("Đã thêm %(name)s.", name=village.name), "success")
            return redirect(url_for("places.commune", commune_id=commune.id))
    return render_template("places/village_form.html", commune=commune, form=form, village=None), 400


@bp.route("/villages/<int:village_id>/edit", methods=["GET", "POST"])
@policy.requires("places.manage")
def edit_village(village_id: int) -> Any:
    """Rename a village or change its kind."""
    village = db.get_or_404(Village, village_id)
    policy.authorize("places.manage", village)
    form = VillageForm(obj=village)
    if form.validate_on_submit():
        try:
            services.save_village(village.commune, name=form.name.data or "", kind=form.kind.data, village=village)
        except DomainError as error:
            show_on_form(form, error, "name")
        else:
            db.session.commit()
            flash(_("Đã lưu."), "success")
            return redirect(url_for("places.commune", commune_id=village.commune_id))
    return render_template("places/village_form.html", commune=village.commune, form=form, village=village)


@bp.post("/villages/<int:village_id>/delete")
@policy.requires("places.manage")
def delete_village(village_id: int) -> Any:
    """Delete a village that has no people or households."""
    village = db.get_or_404(Village, village_id)
    policy.authorize("places.manage", village)
    in_use = db.session.scalar(select(func.count()).select_from(Person).where(Person.village_id == village.id))
    in_use = (in_use or 0) + (db.session.scalar(
        select(func.count()).select_from(Household).where(Household.village_id == village.id)) or 0)
    if in_use:
        flash(_("Không xóa được %(name)s vì còn người dân hoặc hộ gia đình thuộc thôn này.", name=village.name),
              "error")
    else:
        db.session.delete(village)
        db.session.commit()
        flash(_("Đã xóa %(name)s.", name=village.name), "success")
    return redirect(url_for("places.commune", commune_id=village.commune_id))


def _venue_form(commune: Commune, venue: Venue | None) -> VenueForm:
    form = VenueForm(obj=venue)
    form.village_id.choices = choices([(0, _("— Không thuộc thôn nào —"))] + [(v.id, v.name) for v in commune.villages])
    return form


@bp.route("/communes/<int:commune_id>/venues/new", methods=["GET", "POST"])
@policy.requires("places.manage")
def new_venue(commune_id: int) -> Any:
    """Add a venue."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("places.manage", commune)
    return _save_venue(commune, None)


@bp.route("/venues/<int:venue_id>/edit", methods=["GET", "POST"])
@policy.requires("places.manage")
def edit_venue(venue_id: int) -> Any:
    """Update a venue's facts."""
    venue = db.get_or_404(Venue, venue_id)
    policy.authorize("places.manage", venue)
    return _save_venue(venue.commune, venue)


def _save_venue(commune: Commune, venue: Venue | None) -> Any:
    form = _venue_form(commune, venue)
    if form.validate_on_submit():
        try:
            saved = services.save_venue(commune, values=form.data, venue=venue)
        except DomainError as error:
            show_on_form(form, error, "name")
        else:
            db.session.commit()
            flash(_("Đã lưu %(name)s.", name=saved.name), "success")
            return redirect(url_for("places.commune", commune_id=commune.id))
    return render_template("places/venue_form.html", commune=commune, form=form, venue=venue)
