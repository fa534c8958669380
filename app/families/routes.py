"""Digital families: the commune's coverage per village, the households not yet covered (on screen, printed, as a
spreadsheet), the commune's rule, and a household's alley."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import inputs, policy, spreadsheets
from app.errors import DomainError, show_on_form
from app.extensions import db
from app.families import (  # noqa: F401  (imported for what they register: indicator, demo)
    bp,
    demo,
    indicators,
    services,
    settings,
)
from app.families.forms import AlleyForm, RuleForm
from app.people import services as people
from app.people.models import Household
from app.places.models import Commune, Village
from app.transactions import read_only
from app.vietnam import local_today


def _day() -> tuple[dt.date, bool]:
    """The day asked for (?on=YYYY-MM-DD), or today; False when what was asked could not be used."""
    today = local_today()
    raw = request.args.get("on")
    if not raw:
        return today, True
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return today, False
    return (day, True) if dt.date(2000, 1, 1) <= day <= today else (today, False)


def _commune(commune_id: int, action: str) -> Commune:
    commune = db.session.scalars(select(Commune).where(Commune.id == commune_id)
                                 .options(joinedload(Commune.villages))).unique().first() or abort(404)
    policy.authorize(action, commune)
    return commune


def _villages(commune: Commune) -> tuple[list[Village], set[int] | None]:
    """The villages whose households the user may list, and the filter to apply (None: the whole commune)."""
    allowed = policy.village_ids(current_user, "families.list", commune.id)
    shown = [v for v in commune.villages if allowed is None or v.id in allowed]
    wanted = request.args.get("village", type=inputs.record_id)
    if wanted:
        if wanted not in {v.id for v in shown}:
            abort(404)
        return shown, {wanted}
    return shown, allowed


@bp.get("/communes/<int:commune_id>/families")
@read_only
@policy.requires("families.view")
def coverage(commune_id: int) -> str:
    """Show how many households of each village are digital families, under the commune's rule."""
    commune = _commune(commune_id, "families.view")
    day, understood = _day()
    figures = services.coverage(commune, day)
    return render_template("families/coverage.html", commune=commune, figures=figures, understood=understood,
                           rules=settings.RULES, today=local_today())


@bp.get("/communes/<int:commune_id>/families/households")
@read_only
@policy.requires("families.list")
def uncovered(commune_id: int) -> str:
    """List the households not yet covered, by village, alley and address, with what each member lacks."""
    commune = _commune(commune_id, "families.list")
    villages, chosen = _villages(commune)
    day, understood = _day()
    households = services.uncovered(commune, day, village_ids=chosen)
    village = next((v for v in villages if chosen and len(chosen) == 1 and v.id in chosen), None)
    return render_template("families/uncovered.html", commune=commune, households=households, villages=villages,
                           village=village, day=day, understood=understood, rule=settings.rule_for(commune.id),
                           rules=settings.RULES)


@bp.get("/communes/<int:commune_id>/families/households.<fmt>")
@policy.requires("families.list")
def uncovered_export(commune_id: int, fmt: str) -> Response:
    """Download the households not yet covered (one row per member) as Excel or CSV."""
    commune = _commune(commune_id, "families.list")
    if fmt not in spreadsheets.FORMATS:
        abort(404)
    _shown, chosen = _villages(commune)
    day, _understood = _day()
    rows = services.export_rows(services.uncovered(commune, day, village_ids=chosen))
    people.audit(current_user, None, "families.export", f"commune={commune.id}")
    db.session.commit()
    return spreadsheets.download(fmt, [str(h) for h in services.EXPORT_HEADERS], rows,
                                 name=_("Hộ chưa đạt Gia đình số - %(commune)s", commune=commune.name),
                                 sheet=_("Hộ chưa đạt"))


@bp.route("/communes/<int:commune_id>/families/settings", methods=["GET", "POST"])
@policy.requires("families.manage")
def settings_page(commune_id: int) -> Any:
    """Let the officer choose how the commune counts a digital family."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("families.manage", commune)
    form = RuleForm(data={"rule": settings.rule_for(commune.id)})
    if form.validate_on_submit():
        try:
            settings.save_rule(commune, form.rule.data, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "rule")
        else:
            db.session.commit()
            flash(_("Đã lưu cách tính “Gia đình số” của xã."), "success")
            return redirect(url_for("families.coverage", commune_id=commune.id))
    return render_template("families/settings.html", commune=commune, form=form)


@bp.post("/households/<int:household_id>/alley")
@policy.requires("families.alley")
def set_alley(household_id: int) -> Any:
    """Set the alley a household is on, then go back to the list it was changed from."""
    household = db.get_or_404(Household, household_id)
    policy.authorize("families.alley", household)
    form = AlleyForm()
    back = url_for("families.uncovered", commune_id=household.commune_id, village=household.village_id)
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.alley.errors) or _("Không lưu được tên ngõ, xóm."), "error")
        return redirect(back)
    try:
        services.set_alley(household, form.alley.data, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(back)
    db.session.commit()
    flash(_("Đã lưu ngõ, xóm của hộ %(address)s.", address=household.address), "success")
    return redirect(f"{back}#household-{household.id}")
