"""Writing the movement's report: the period's reports and the units' standing, a draft, sending it, downloads."""
from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app import indicators, policy
from app.errors import DomainError, show_on_form
from app.extensions import db
from app.indicators import Period, ordered
from app.people.models import Person
from app.places.models import Commune
from app.reports import bp, compose, writing
from app.reports.charts import number
from app.reports.models import Report, ReportingUnit
from app.reports.report_forms import COMMUNE_CHOICE, OpenReportForm, PlainForm, SubmitForm, report_form
from app.spreadsheets import disposition
from app.transactions import read_only
from app.vietnam import local_today

BAD_PERIOD = _l("Kỳ báo cáo không hợp lệ: ghi năm (2026) hoặc quý (2026-Q1 đến 2026-Q4).")


def _period(text: str | None) -> Period | None:
    try:
        return Period.parse(text or "")
    except ValueError:
        return None


def _seen_villages(commune_id: int) -> set[int] | None:
    """The villages the user reads reports of (None: the whole commune)."""
    return policy.village_ids(current_user, "reports.view", commune_id)


def may_see(report: Report) -> bool:
    """Tell whether a village-scoped reader may see the report: their village's, or the commune's once sent."""
    villages = _seen_villages(report.commune_id)
    if villages is None:
        return True
    if report.unit is None:
        return report.locked
    return report.unit.village_id in villages


def _load(report_id: int, action: str) -> Report:
    report = db.get_or_404(Report, report_id)
    policy.authorize(action, report)
    if not may_see(report):
        abort(403)
    return report


def _versions(report: Report) -> list[Report]:
    """Every version of the same unit's (or the commune's) report for the period, newest first."""
    return list(db.session.scalars(select(Report).where(
        Report.commune_id == report.commune_id, Report.year == report.year, Report.quarter == report.quarter,
        Report.unit_id.is_(None) if report.unit_id is None else Report.unit_id == report.unit_id)
        .order_by(Report.version.desc())))


@bp.get("/commune/<int:commune_id>/reports")
@policy.requires("reports.view")
@read_only
def index(commune_id: int) -> Any:
    """The period's reports: the commune's own, then every unit's standing (late ones marked) and their sum."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("reports.view", commune)
    today = local_today()
    period = _period(request.args.get("period")) if request.args.get("period") else Period(today.year)
    if period is None:
        flash(str(BAD_PERIOD), "error")
        period = Period(today.year)
    villages = _seen_villages(commune.id)
    own = list(db.session.scalars(select(Report).where(
        Report.commune_id == commune.id, Report.unit_id.is_(None), Report.year == period.year,
        Report.quarter == period.quarter).order_by(Report.version.desc())))
    drafted = bool(own)
    if villages is not None:  # a village team reads the commune's report once it is sent, never a draft
        own = [r for r in own if r.locked]
    standing = writing.standings(commune.id, period, today)
    if villages is not None:
        standing = [s for s in standing if s.unit.village_id in villages]
    totals = writing.summed(standing)
    # Who sent each report, in one statement rather than one per unit.
    sender_ids = {s.submitted.submitted_by_id for s in standing if s.submitted} | {r.submitted_by_id for r in own}
    senders = {p.id: p.full_name for p in db.session.scalars(select(Person).where(Person.id.in_(sender_ids - {None})))}
    return render_template(
        "reports/report_index.html", commune=commune, period=period, own=own, drafted=drafted, standing=standing,
        totals=[(i, totals[i.code]) for i in ordered() if i.code in totals],
        can_write=policy.can(current_user, "reports.write", commune),
        due=writing.deadline(commune.id, period), commune_due=writing.deadline(commune.id, period, for_commune=True),
        today=today, periods=_nearby(today), late=[s for s in standing if s.late], number=number, senders=senders,
        unit_label=indicators.unit_label)


def _nearby(today: Any) -> list[Period]:
    """This year and last, with their quarters that have begun (the period picker)."""
    chosen = []
    for year in (today.year, today.year - 1):
        chosen.append(Period(year))
        chosen.extend(Period(year, q) for q in (4, 3, 2, 1) if Period(year, q).started(today))
    return chosen


@bp.post("/commune/<int:commune_id>/reports/open", endpoint="open")
@policy.requires("reports.write")
def open_report(commune_id: int) -> Any:
    """Open the period's report of a unit (or the commune's own): the newest version, or a new draft."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("reports.write", commune)
    form = OpenReportForm()
    form.set_units([(str(u.id), u.name) for u in writing.units(commune.id)])
    period = _period(form.period.data)
    back = url_for("reports.index", commune_id=commune.id, period=period.code if period else None)
    if not form.validate_on_submit() or period is None:
        flash(str(BAD_PERIOD) if period is None else _("Vui lòng chọn đơn vị và kỳ báo cáo."), "error")
        return redirect(back)
    unit = None
    if form.unit.data != COMMUNE_CHOICE:
        unit = db.get_or_404(ReportingUnit, int(form.unit.data))
        policy.authorize("reports.write", unit)
    try:
        report = writing.open_report(commune, unit, period, actor=current_user, today=local_today())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(back)
    db.session.commit()
    return redirect(url_for("reports.edit", report_id=report.id))


def _initial(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = {"number": report.number}
    data.update((s.key, (report.sections or {}).get(s.key, "")) for s in writing.SECTIONS)
    data.update((f"figure-{code}", value) for code, value in (report.entered or {}).items())
    return data


def _render_edit(report: Report, form: Any, status: int = 200) -> Any:
    rows = writing.figures_for(report)
    versions = _versions(report)
    return render_template(
        "reports/report_edit.html", report=report, form=form, sections=writing.SECTIONS, rows=rows,
        manual=[i for i in ordered() if i.manual],
        live={} if report.locked else {r["code"]: r["value"] for r in rows},  # a draft's rows are today's figures
        versions=versions, newest=versions[0] if versions else report,
        commune=db.session.get(Commune, report.commune_id), period=Period(report.year, report.quarter),
        can_write=policy.can(current_user, "reports.write", report), number=number,
        unit_label=indicators.unit_label, rates={i.code for i in ordered() if i.population}), status


@bp.route("/report/<int:report_id>", methods=["GET", "POST"])
@policy.requires("reports.view")
def edit(report_id: int) -> Any:
    """Write a draft (its sections, hand-entered figures and number); a submitted report shows read-only."""
    report = _load(report_id, "reports.view")
    form = report_form([i for i in ordered() if i.manual], data=_initial(report))
    if request.method == "GET":
        return _render_edit(report, form)
    policy.authorize("reports.write", report)
    if report.locked:  # a post to a sent report (an old tab, a forged post) changes nothing
        flash(str(writing.LOCKED), "error")
        return redirect(url_for("reports.edit", report_id=report.id))
    if not form.validate_on_submit():
        return _render_edit(report, form, 400)
    try:
        writing.save_draft(report, form.sections(), form.entered(), number=form.number.data or "",
                           actor=current_user)
    except DomainError as error:
        db.session.rollback()
        show_on_form(form, error, "number")
        return _render_edit(report, form, 400)
    db.session.commit()
    flash(_("Đã lưu bản nháp."), "success")
    if request.form.get("then") == "submit":
        return redirect(url_for("reports.submit", report_id=report.id))
    return redirect(url_for("reports.edit", report_id=report.id))


@bp.route("/report/<int:report_id>/submit", methods=["GET", "POST"])
@policy.requires("reports.write")
def submit(report_id: int) -> Any:
    """Send the report after a confirmation page: its figures are frozen and it can no longer change."""
    report = _load(report_id, "reports.write")
    if report.locked:
        flash(str(writing.LOCKED), "error")
        return redirect(url_for("reports.edit", report_id=report.id))
    form = SubmitForm()
    if request.method == "POST" and not form.confirmed:  # an old one-tap button or a forged post: ask first
        return redirect(url_for("reports.submit", report_id=report.id))
    if request.method == "GET":
        texts = report.sections or {}
        return render_template("reports/report_submit.html", report=report, form=form,
                               empty=[s for s in writing.SECTIONS if not (texts.get(s.key) or "").strip()],
                               period=Period(report.year, report.quarter),
                               commune=db.session.get(Commune, report.commune_id))
    if not form.validate_on_submit():
        abort(400)
    try:
        writing.submit(report, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("reports.edit", report_id=report.id))
    db.session.commit()
    flash(_("Đã gửi báo cáo. Số liệu đã được chốt; báo cáo không sửa được nữa."), "success")
    return redirect(url_for("reports.edit", report_id=report.id))


@bp.post("/report/<int:report_id>/new-version")
@policy.requires("reports.write")
def new_version(report_id: int) -> Any:
    """Open a new draft from a sent report (the sent one stays as it was)."""
    report = _load(report_id, "reports.write")
    if not PlainForm().validate_on_submit():
        abort(400)
    try:
        draft = writing.new_version(report, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("reports.edit", report_id=report.id))
    db.session.commit()
    flash(_("Đã mở phiên bản %(n)s (bản nháp) để sửa.", n=draft.version), "success")
    return redirect(url_for("reports.edit", report_id=draft.id))


@bp.get("/report/<int:report_id>/download.<fmt>")
@policy.requires("reports.view")
@read_only
def download(report_id: int, fmt: str) -> Response:
    """Download the report as Word (DOCX), PDF or Excel (its figures tables)."""
    report = _load(report_id, "reports.view")
    if fmt not in compose.WRITERS:
        abort(404)
    document, body = compose.render(report, fmt, today=local_today())
    return Response(body, mimetype=compose.MIMETYPES[fmt],
                    headers={"Content-Disposition": disposition(document.file_stem, fmt)})
