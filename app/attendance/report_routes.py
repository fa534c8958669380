"""Attendance reports: the commune's (classes, villages, absentees), a class's, their exports; the commune's rules."""
from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import policy, spreadsheets
from app import settings as kernel
from app.attendance import bp, marks, reports, settings
from app.attendance.forms import SettingsForm
from app.classes.models import Class
from app.errors import DomainError, show_on_form
from app.extensions import db
from app.people import services as people
from app.places.models import Commune


def _villages_seen(commune: Commune) -> set[int] | None:
    """Villages whose learners the person may follow up: None for the whole commune (a village-scoped team
    member sees only their own village's absentees)."""
    if policy.is_admin(current_user):
        return None
    allowed = policy.RULES["attendance.reports"].roles
    held = [a for a in current_user.active_roles if a.commune_id == commune.id and a.role in allowed]
    if any(a.village_id is None for a in held):
        return None
    return {a.village_id for a in held}


def _streak(commune: Commune) -> int:
    low, high = kernel.limits(settings.AttendanceRules, "absentee_streak")
    wanted = request.args.get("n", type=int)
    return wanted if wanted is not None and low <= wanted <= high else \
        settings.settings_for(commune.id).absentee_streak


@bp.get("/communes/<int:commune_id>/attendance")
@policy.requires("attendance.reports")
def commune_report(commune_id: int) -> str:
    """Attendance across the commune: by class, by village, and who to follow up."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("attendance.reports", commune)
    villages = reports.commune_villages(commune.id)
    streak = _streak(commune)
    return render_template("attendance/commune_report.html", commune=commune,
                           classes=reports.commune_classes(commune.id), villages=villages,
                           total=reports.total(villages), streak=streak,
                           absentees=reports.absentees(commune.id, streak, village_ids=_villages_seen(commune)),
                           can_settings=policy.can(current_user, "attendance.settings", commune))


@bp.get("/communes/<int:commune_id>/attendance/absentees.<fmt>")
@policy.requires("attendance.reports")
def absentees_export(commune_id: int, fmt: str) -> Response:
    """Download the absentee list (for phone calls and home visits) as Excel or CSV."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("attendance.reports", commune)
    if fmt not in spreadsheets.FORMATS:
        abort(404)
    streak = _streak(commune)
    found = reports.absentees(commune.id, streak, village_ids=_villages_seen(commune))
    people.audit(current_user, None, "attendance.absentees_export", f"commune={commune.id} n={streak}")
    db.session.commit()
    return spreadsheets.download(fmt, reports.ABSENTEE_HEADERS, reports.absentee_rows(found),
                                 name=f"Vắng liên tiếp - {commune.name}", sheet=_("Cần hỏi thăm"))


@bp.get("/classes/<int:class_id>/attendance")
@policy.requires("attendance.class_report")
def class_report(class_id: int) -> str:
    """A class's attendance: each learner's share of sessions attended, and the session-by-session grid."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("attendance.class_report", klass)
    held, cells = reports.class_grid(klass)
    return render_template("attendance/class_report.html", klass=klass, learners=reports.class_learners(klass),
                           held=held, cells=cells, statuses=marks.STATUSES)


@bp.get("/classes/<int:class_id>/attendance.<fmt>")
@policy.requires("attendance.class_report")
def class_export(class_id: int, fmt: str) -> Response:
    """Download a class's attendance as Excel or CSV; the file is named after the class and today's date."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("attendance.class_report", klass)
    if fmt not in spreadsheets.FORMATS:
        abort(404)
    headers, rows = reports.class_export(klass)
    people.audit(current_user, None, "attendance.class_export", f"class={klass.id}")
    db.session.commit()
    return spreadsheets.download(fmt, headers, rows, name=f"Điểm danh - {klass.title}", sheet=_("Điểm danh"))


@bp.route("/communes/<int:commune_id>/attendance/settings", methods=["GET", "POST"])
@policy.requires("attendance.settings")
def settings_page(commune_id: int) -> Any:
    """Let the commune choose the QR code's late window, when a learner counts as late, and the absentee run."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("attendance.settings", commune)
    form = SettingsForm(obj=settings.settings_for(commune.id))
    if form.validate_on_submit():
        try:
            values = {key: getattr(form, key).data for key in settings.STORE.names}
            settings.save_settings(commune, values, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Đã lưu cách điểm danh của xã."), "success")
            return redirect(url_for("attendance.commune_report", commune_id=commune.id))
    return render_template("attendance/settings.html", commune=commune, form=form, defaults=settings.DEFAULTS)
