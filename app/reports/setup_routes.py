"""The officer's pages to keep the commune's numbers: targets, populations, figures entered by hand, tasks, units.

And the settings page. Each saves through `services`, `settings` or `units`; a page that saves several inputs at
once collects every refusal, and writes nothing unless every input is accepted (one commit).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import indicators, inputs, policy
from app.errors import DomainError, show_on_form
from app.extensions import db
from app.imports import services as imports
from app.imports.forms import UploadForm
from app.imports.models import ImportBatch
from app.indicators import POPULATION_LABELS, REGISTRY, Period, Population
from app.people.models import Person
from app.places.models import Commune, Village
from app.reports import bp, forms, importer, services, units, writing
from app.reports import settings as report_settings
from app.reports import targets as plan
from app.reports.figures import ALL, target_values
from app.reports.models import ReportingUnit, Task
from app.transactions import read_only
from app.vietnam import local_today


def _commune(commune_id: int) -> Commune:
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("reports.manage", commune)
    return commune


def _year() -> int:
    """The year asked for (?year=), or this year when it is missing or beyond what the services accept."""
    today = local_today()
    year = request.args.get("year", type=int)
    return year if year is not None and 2020 <= year <= today.year + 5 else today.year


def _village(commune: Commune, raw: Any) -> Village | None:
    """The village named by an id from a query or form (None: the whole commune); 404 unless it is the commune's."""
    if raw in (None, ""):
        return None
    try:
        village = db.session.get(Village, inputs.record_id(raw))
    except ValueError:
        abort(404)
    if village is None or village.commune_id != commune.id:
        abort(404)
    return village


def _names(ids: Iterable[int | None]) -> dict[int, str]:
    """The names of the people who entered something (one statement)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(Person.id, Person.full_name).where(Person.id.in_(wanted)))
    return {person_id: name for person_id, name in rows}


# --- targets -----------------------------------------------------------------------------------------------------

@bp.route("/commune/<int:commune_id>/targets", methods=["GET", "POST"])
@policy.requires("reports.manage")
def targets(commune_id: int) -> Any:
    """Set the year's targets for the commune or one village; show who changed which target, and when."""
    commune = _commune(commune_id)
    year, today = _year(), local_today()
    village = _village(commune, request.args.get("village"))
    chosen = indicators.ordered()
    goals = target_values(commune.id, year)
    place = village.id if village else ALL
    own = {i.code: goals.get((place, i.code), (None, False))[0] for i in chosen}
    form = forms.targets_form(chosen)
    if request.method == "GET":
        for code, value in own.items():
            form[f"t_{code}"].data = forms.number_text(value)
    if form.is_submitted():
        refused = not form.validate()  # a box that is not a number; the others are still checked below
        for indicator in chosen:
            field = form[f"t_{indicator.code}"]
            if field.errors or field.number == own[indicator.code]:
                continue
            try:
                services.set_target(commune, village, year, indicator.code, field.number, actor=current_user,
                                    today=today)
            except DomainError as error:
                field.errors = [*field.errors, str(error.message)]
                refused = True
        if not refused:
            db.session.commit()
            flash(_("Đã lưu mục tiêu năm %(year)s.", year=year), "success")
            return redirect(url_for("reports.targets", commune_id=commune.id, year=year,
                                    village=village.id if village else None))
        db.session.rollback()  # every input or none: the accepted ones are not kept either
    rows = [{"indicator": i, "field": form[f"t_{i.code}"], "unit": indicators.target_unit(i), "own": own[i.code],
             "commune": goals.get((ALL, i.code), (None, False))[0], "plan": plan.default(i.code, year)}
            for i in chosen]
    history = services.target_history(commune, year)
    return render_template("reports/targets.html", commune=commune, year=year, village=village, form=form,
                           rows=rows, history=history, names=REGISTRY, who=_names(c.by_id for c in history),
                           fmt=forms.number_text,
                           villages={v.id: v.name for v in commune.villages})


# --- populations -------------------------------------------------------------------------------------------------

def _populations_page(commune: Commune, year: int, form: forms.PopulationForm, upload: UploadForm,
                      batch: ImportBatch | None = None) -> str:
    rows = services.populations(commune, year)
    preview = imports.preview(batch) if batch is not None and batch.status != "applied" else None
    return render_template("reports/populations.html", commune=commune, year=year, form=form, upload=upload,
                           rows=rows, who=_names(r.entered_by_id for r in rows), labels=POPULATION_LABELS,
                           villages={v.id: v.name for v in commune.villages}, batch=batch,
                           preview=preview, kind=imports.kind_of(importer.KIND),
                           can_template=policy.can(current_user, "imports.upload", commune))


def _population_form(commune: Commune, year: int) -> forms.PopulationForm:
    form = forms.PopulationForm()
    form.village.choices = forms.place_choices(commune.villages, _("Toàn xã"))
    if not form.is_submitted():
        form.year.data = str(year)
    return form


def _batch(commune: Commune, raw: Any) -> ImportBatch:
    """A stored population file of this commune; 404 otherwise."""
    try:
        batch = db.session.get(ImportBatch, inputs.record_id(raw))
    except ValueError:
        abort(404)
    if batch is None or batch.kind != importer.KIND or batch.commune_id != commune.id:
        abort(404)
    return batch


@bp.route("/commune/<int:commune_id>/populations", methods=["GET", "POST"])
@policy.requires("reports.manage")
def populations(commune_id: int) -> Any:
    """The populations recorded for a year, per village and for the whole commune; record one."""
    commune = _commune(commune_id)
    year = _year()
    form = _population_form(commune, year)
    batch = _batch(commune, request.args["batch"]) if request.args.get("batch") else None
    if form.validate_on_submit():
        entry = services.PopulationEntry(_village(commune, form.village.data), form.year.number or 0,
                                         Population(form.kind.data), form.value.number or 0, form.source.data or "")
        try:
            services.set_population(commune, entry, actor=current_user, today=local_today())
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "value")
        else:
            db.session.commit()
            flash(_("Đã lưu số liệu dân số."), "success")
            return redirect(url_for("reports.populations", commune_id=commune.id, year=entry.year))
    return _populations_page(commune, year, form, UploadForm(), batch)


@bp.route("/commune/<int:commune_id>/populations/import", methods=["POST"])
@policy.requires("reports.manage")
def populations_import(commune_id: int) -> Any:
    """Check a population file (nothing recorded), or, with `batch` and `confirm`, record all its rows or none."""
    commune = _commune(commune_id)
    year = _year()
    if request.form.get("batch"):
        batch = _batch(commune, request.form["batch"])
        if not forms.PlainForm().validate_on_submit() or request.form.get("confirm") != "1":
            abort(400)
        try:
            summary = imports.apply(batch, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
            return redirect(url_for("reports.populations", commune_id=commune.id, year=year, batch=batch.id))
        db.session.commit()
        flash(_("Đã nhập số liệu dân số: %(created)s số liệu mới, %(updated)s số liệu được thay.",
                created=summary.get("created", 0), updated=summary.get("updated", 0)), "success")
        return redirect(url_for("reports.populations", commune_id=commune.id, year=year))
    upload = UploadForm()
    if upload.validate_on_submit():
        data = upload.file.data
        try:
            batch, _preview = imports.upload(imports.kind_of(importer.KIND), commune,
                                             filename=data.filename or "upload", data=data.read(),
                                             actor=current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(upload, error, "file")
        else:
            db.session.commit()  # only the uploaded file, kept until it is confirmed
            return redirect(url_for("reports.populations", commune_id=commune.id, year=year, batch=batch.id))
    return _populations_page(commune, year, _population_form(commune, year), upload)


# --- hand-entered figures ----------------------------------------------------------------------------------------

def _period() -> Period:
    """The period asked for (?period=2026 or 2026-Q3); this year, with a message, when the text is not one."""
    text = request.args.get("period")
    if text:
        try:
            return Period.parse(text)
        except ValueError:
            flash(_("Kỳ báo cáo “%(text)s” không hợp lệ: ghi năm (2026) hoặc quý (2026-Q3). Đang xem năm nay.",
                    text=text[:20]), "error")
    return Period(local_today().year)


@bp.route("/commune/<int:commune_id>/entries", methods=["GET", "POST"])
@policy.requires("reports.manage")
def entries(commune_id: int) -> Any:
    """Enter the figures the app cannot see, for a period, for the commune or one village."""
    commune = _commune(commune_id)
    period, today = _period(), local_today()
    village = _village(commune, request.args.get("village"))
    manual = [i for i in indicators.ordered() if i.manual]
    entered = services.entered_figures(commune, period)
    mine = {f.indicator: f for f in entered if f.village_id == (village.id if village else None)}
    form = forms.entries_form(manual)
    if request.method == "GET":
        for code, figure in mine.items():
            form[f"v_{code}"].data, form[f"n_{code}"].data = str(figure.value), figure.note
    if form.validate_on_submit():
        refused = False
        for indicator in manual:
            value, note = form[f"v_{indicator.code}"].number, form[f"n_{indicator.code}"].data or ""
            before = mine.get(indicator.code)
            unchanged = (before.value, before.note) == (value, note) if before else value is None
            if unchanged:
                continue  # who entered it, and when, stay as they were
            try:
                services.enter_figure(commune, village, indicator.code, period, value, note=note,
                                      actor=current_user, today=today)
            except DomainError as error:
                refused = True
                if error.field == "period":
                    flash(str(error.message), "error")
                    break  # the same refusal for every input: said once
                show_on_form(form, error, f"v_{indicator.code}")
        if not refused:
            db.session.commit()
            flash(_("Đã lưu số liệu %(period)s.", period=period.label()), "success")
            return redirect(url_for("reports.entries", commune_id=commune.id, period=period.code,
                                    village=village.id if village else None))
        db.session.rollback()
    periods = [Period(y, q) for y in (today.year, today.year - 1) for q in range(5)]
    return render_template("reports/entries.html", commune=commune, period=period, periods=periods,
                           village=village, form=form, manual=manual, mine=mine, entered=entered,
                           names=REGISTRY, villages={v.id: v.name for v in commune.villages},
                           started=period.started(today), units=indicators.UNIT_LABELS,
                           who=_names(f.entered_by_id for f in entered))


# --- the task table ----------------------------------------------------------------------------------------------

@bp.get("/commune/<int:commune_id>/tasks")
@policy.requires("reports.view")
@read_only
def tasks(commune_id: int) -> str:
    """The year's task table: who does what by when, where it stands; late tasks marked."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("reports.view", commune)
    year, today = _year(), local_today()
    rows = services.tasks(commune, year)
    return render_template("reports/tasks.html", commune=commune, year=year, rows=rows,
                           late={t.id for t in rows if services.overdue(t, today)},
                           statuses=services.TASK_STATUSES,
                           can_edit=policy.can(current_user, "reports.manage", commune))


def _task_form(task: Task | None) -> forms.TaskForm:
    form = forms.TaskForm(obj=task)
    form.status.choices = forms.choices(services.TASK_STATUSES.items())
    return form


def _save_task(commune: Commune, task: Task | None, year: int) -> Any:
    form = _task_form(task)
    if form.validate_on_submit():
        fields = services.TaskFields(form.title.data or "", form.responsible.data or "", form.deadline.data,
                                     form.deadline_text.data or "", form.status.data or "", form.result.data or "")
        try:
            saved = services.save_task(commune, task, fields, year=year, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "title")
        else:
            db.session.commit()
            flash(_("Đã lưu nhiệm vụ."), "success")
            return redirect(url_for("reports.tasks", commune_id=commune.id, year=saved.year))
    return render_template("reports/task_form.html", commune=commune, task=task, year=year, form=form)


@bp.route("/commune/<int:commune_id>/tasks/new", methods=["GET", "POST"])
@policy.requires("reports.manage")
def task_new(commune_id: int) -> Any:
    """Add a row to the year's task table."""
    commune = _commune(commune_id)
    return _save_task(commune, None, _year())


@bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
@policy.requires("reports.manage")
def task_edit(task_id: int) -> Any:
    """Change a task: its deadline, where it stands, its result."""
    task = db.get_or_404(Task, task_id)
    policy.authorize("reports.manage", task)
    return _save_task(db.session.get(Commune, task.commune_id), task, task.year)  # type: ignore[arg-type]


# --- settings and units --------------------------------------------------------------------------------------------

@bp.route("/commune/<int:commune_id>/settings", methods=["GET", "POST"])
@policy.requires("reports.manage")
def settings(commune_id: int) -> Any:
    """The reporting calendar and what the commune's report prints in its header and signature."""
    commune = _commune(commune_id)
    current = services.settings_for(commune.id)
    form = forms.SettingsForm(obj=current)
    if not form.is_submitted():
        form.quarter_days.data = str(current.quarter_days)
    if form.validate_on_submit():
        fields = report_settings.SettingsFields(
            form.unit_year_deadline.data or "", form.commune_year_deadline.data or "", form.quarter_days.number or 0,
            form.recipient.data or "", form.plan_reference.data or "", form.signer_lines.data or "",
            form.signer_name.data or "")
        try:
            report_settings.save_settings(commune, fields, current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Đã lưu cài đặt báo cáo."), "success")
            return redirect(url_for("reports.settings", commune_id=commune.id))
    return render_template("reports/settings.html", commune=commune, form=form,
                           max_days=report_settings.MAX_QUARTER_DAYS)


def _unit_action(commune: Commune, form: forms.UnitForm) -> str | None:
    """Do what the units page asked; return the message to flash, or None when the form shows an error."""
    action = request.form.get("action")
    if action == "villages":
        added = units.add_village_units(commune)
        return _("Đã thêm %(n)s thôn làm đơn vị báo cáo.", n=len(added))
    if action in ("deactivate", "reactivate"):
        unit = db.session.get(ReportingUnit, request.form.get("unit_id", type=inputs.record_id) or 0)
        if unit is None or unit.commune_id != commune.id:
            abort(404)
        units.set_active(unit, action == "reactivate")
        return _("Đã cập nhật đơn vị %(name)s.", name=unit.name)
    if action == "add" and form.validate():
        unit = units.add_unit(commune, form.name.data or "", _village(commune, form.village.data))
        return _("Đã thêm đơn vị %(name)s.", name=unit.name)
    return None


@bp.route("/commune/<int:commune_id>/units", methods=["GET", "POST"], endpoint="units")
@policy.requires("reports.manage")
def units_page(commune_id: int) -> Any:
    """The units that report to the commune: add one, every village at once, stop or resume one."""
    commune = _commune(commune_id)
    form = forms.UnitForm()
    form.village.choices = forms.place_choices(commune.villages, _("Không thuộc thôn nào"))
    if request.method == "POST":
        if not forms.PlainForm().validate_on_submit():
            abort(400)
        try:
            message = _unit_action(commune, form)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "name")
        else:
            if message is not None:
                db.session.commit()
                flash(message, "success")
                return redirect(url_for("reports.units", commune_id=commune.id))
    every = writing.units(commune.id, active_only=False)
    linked = {u.village_id for u in every if u.village_id is not None}
    return render_template("reports/units.html", commune=commune, form=form, units=every,
                           villages={v.id: v.name for v in commune.villages},
                           unlinked=[v for v in commune.villages if v.id not in linked])
