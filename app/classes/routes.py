"""Classes of a commune: the commune view and its export, a class's page, creating and changing classes."""
from __future__ import annotations

from itertools import groupby
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import inputs, policy, spreadsheets, vietnam
from app.catalog import progress
from app.catalog import services as catalog
from app.catalog.models import Module
from app.certificates import progress as completion_progress
from app.classes import (  # noqa: F401  (some are imported for what they register: routes, panels, demo, import, data export, indicators)
    bp,
    calendar_routes,
    dashboard,
    demo,
    enrolment,
    enrolment_routes,
    importer,
    indicators,
    personal,
    queries,
    services,
    session_routes,
)
from app.classes.forms import CancelClassForm, ClassForm, ConfirmForm, JoinForm, PlainForm, ReasonForm
from app.classes.models import Class, Enrolment
from app.errors import DomainError, show_on_form
from app.extensions import db
from app.forms import choices
from app.people import services as people
from app.people.audiences import LABELS, Audience
from app.people.models import Person
from app.places.models import Commune, Venue, Village
from app.transactions import read_only


def _filters(commune: Commune) -> queries.Filters:
    args = request.args
    village_id = args.get("village", type=inputs.record_id)  # beyond the database's range: no filter
    audience = args.get("audience") if args.get("audience") in {a.value for a in Audience} else None
    status = args.get("status") if args.get("status") in services.STATUSES else None
    module_id = args.get("module", type=inputs.record_id)
    village = db.session.get(Village, village_id) if village_id else None
    return queries.Filters(village_id=village.id if village and village.commune_id == commune.id else None,
                           audience=audience, status=status, module_id=module_id)


@bp.get("/communes/<int:commune_id>/classes")
@read_only
@policy.requires("classes.view")
def index(commune_id: int) -> str:
    """Show every class of a commune by village, with filters and counts."""
    commune = db.session.scalars(select(Commune).where(Commune.id == commune_id)
                                 .options(joinedload(Commune.villages))).unique().first() or abort(404)
    policy.authorize("classes.view", commune)
    filters = _filters(commune)
    classes = queries.commune_classes(commune.id, filters, with_modules=False)
    ids = [c.id for c in classes]
    groups = [(village, list(rows)) for village, rows in groupby(
        classes, key=lambda c: c.venue.village.name if c.venue and c.venue.village else _("Cả xã"))]
    venues = db.session.scalars(select(Venue).where(Venue.commune_id == commune.id, Venue.active.is_(True))
                                .order_by(Venue.name)).all()
    figures = queries.list_figures(commune.id, ids)
    return render_template("classes/index.html", commune=commune, groups=groups, total=len(classes),
                           counts=figures.enrolment, sessions=figures.sessions, filters=filters,
                           completion=completion_progress.list_counts(ids),
                           status_counts=figures.statuses, modules=queries.modules_offered(),
                           venues=venues, statuses=services.STATUSES)


@bp.get("/communes/<int:commune_id>/classes/export.<fmt>")
@policy.requires("classes.manage")
def export(commune_id: int, fmt: str) -> Response:
    """Download the commune view (with its filters) as Excel or CSV."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("classes.manage", commune)
    if fmt not in spreadsheets.FORMATS:
        abort(404)
    rows = queries.export_rows(queries.commune_classes(commune.id, _filters(commune)))
    people.audit(current_user, None, "classes.export", f"commune={commune.id}")
    db.session.commit()
    return spreadsheets.download(fmt, queries.EXPORT_HEADERS, rows, name=f"Lớp học - {commune.name}",
                                 sheet=_("Lớp học"))


def _class_form(commune: Commune, klass: Class | None) -> ClassForm:
    data = None
    if klass is not None and request.method == "GET":
        data = {name: getattr(klass, name) for name in (
            "title", "audience", "capacity", "starts_on", "ends_on", "description", "access_notes",
            *services.ACCESS_FACTS)}
        data.update(venue_id=klass.venue_id or 0, modules=[cm.module_id for cm in klass.modules],
                    instructors=[p.id for p in klass.instructors], assistants=[p.id for p in klass.assistants])
    form = ClassForm(data=data)
    current = klass.venue_id if klass else None
    venues = db.session.scalars(select(Venue).where(Venue.commune_id == commune.id,
                                                    Venue.active.is_(True) | (Venue.id == current))
                                .order_by(Venue.name)).all()
    form.venue_id.choices = choices([(0, _("— Chọn địa điểm —"))] + [
        (v.id, _("%(name)s (%(seats)s chỗ)", name=v.name, seats=v.capacity)) for v in venues])
    form.modules.choices = choices((m.id, f"{m.code} – {m.current.title_vi if m.current else ''}")
                                   for m in queries.modules_offered())
    staff = [(p.id, p.full_name) for p in services.staff_candidates(commune)]
    form.instructors.choices = choices(staff)
    form.assistants.choices = choices(staff)
    return form


def _save(form: ClassForm, commune: Commune, klass: Class | None) -> Class:
    """Create or update the class from a valid form; raises DomainError."""
    venue = db.session.get(Venue, form.venue_id.data) if form.venue_id.data else None
    wanted = set(form.modules.data or [])
    modules = [m for m in queries.modules_offered() if m.id in wanted]
    picked: dict[int, Person] = {}
    for pid in {*(form.instructors.data or []), *(form.assistants.data or [])}:
        if (person := db.session.get(Person, pid)) is not None:
            picked[pid] = person
    values: dict[str, Any] = dict(title=form.title.data or "", audience=form.audience.data, venue=venue,
                                  capacity=form.capacity.data, starts_on=form.starts_on.data,
                                  ends_on=form.ends_on.data, modules=modules,
                                  access={f: getattr(form, f).data for f in services.ACCESS_FACTS},
                                  access_notes=form.access_notes.data or "", description=form.description.data or "")
    if klass is None:
        klass = services.create_class(commune, created_by=current_user, **values)
        promoted = []
    else:
        promoted = services.update_class(klass, actor=current_user, **values)
    services.set_staff(klass, instructors=[picked[i] for i in form.instructors.data or [] if i in picked],
                       assistants=[picked[i] for i in form.assistants.data or [] if i in picked], actor=current_user)
    if promoted:
        flash(_("Có thêm chỗ: %(names)s đã được chuyển từ danh sách chờ vào lớp.",
                names=", ".join(e.person.full_name for e in promoted)), "success")
    return klass


@bp.route("/communes/<int:commune_id>/classes/new", methods=["GET", "POST"])
@policy.requires("classes.manage")
def new(commune_id: int) -> Any:
    """Create a class."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("classes.manage", commune)
    form = _class_form(commune, None)
    if form.validate_on_submit():
        try:
            klass = _save(form, commune, None)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "title")
        else:
            db.session.commit()
            flash(_("Đã tạo lớp \"%(title)s\". Bây giờ hãy xếp lịch học.", title=klass.title), "success")
            return redirect(url_for("classes.show", class_id=klass.id))
    return render_template("classes/form.html", form=form, commune=commune, klass=None)


@bp.route("/classes/<int:class_id>/edit", methods=["GET", "POST"])
@policy.requires("classes.manage")
def edit(class_id: int) -> Any:
    """Change a class: details, modules, staff, capacity and support."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("classes.manage", klass)
    form = _class_form(klass.commune, klass)
    if form.validate_on_submit():
        try:
            _save(form, klass.commune, klass)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "title")
        else:
            db.session.commit()
            flash(_("Đã lưu."), "success")
            return redirect(url_for("classes.show", class_id=klass.id))
    return render_template("classes/form.html", form=form, commune=klass.commune, klass=klass)


@bp.post("/classes/<int:class_id>/status")
@policy.requires("classes.manage")
def set_status(class_id: int) -> Any:
    """Open, start, finish or re-plan a class; cancelling and reopening a cancelled one go through a confirmation."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("classes.manage", klass)
    wanted = request.form.get("status", "")
    if wanted == "cancelled":  # never in one tap: the confirmation page says what it will cancel
        return redirect(url_for("classes.confirm_cancel", class_id=klass.id))
    if klass.status == "cancelled" and wanted in services.STATUSES:
        return redirect(url_for("classes.confirm_restore", class_id=klass.id))
    if PlainForm().validate_on_submit():
        try:
            services.set_status(klass, request.form.get("status", ""), actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Lớp đã chuyển sang \"%(status)s\".", status=services.STATUSES[klass.status]), "success")
    return redirect(url_for("classes.show", class_id=klass.id))


def _render_cancel(klass: Class, form: CancelClassForm, status: int = 200) -> Any:
    return render_template("classes/confirm_cancel.html", klass=klass, form=form,
                           preview=services.cancel_preview(klass)), status


@bp.get("/classes/<int:class_id>/cancel")
@policy.requires("classes.manage")
def confirm_cancel(class_id: int) -> Any:
    """Say what cancelling the class will do (sessions cancelled, learners told) and ask to confirm."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("classes.manage", klass)
    try:
        services.check_can_cancel(klass)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("classes.show", class_id=klass.id))
    return _render_cancel(klass, CancelClassForm())


@bp.post("/classes/<int:class_id>/cancel")
@policy.requires("classes.manage")
def cancel(class_id: int) -> Any:
    """Cancel the class and its upcoming sessions, once confirmed; it can be undone."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("classes.manage", klass)
    form = CancelClassForm()
    if not form.confirmed:  # an old one-tap button or a forged post: show what it would do first
        return redirect(url_for("classes.confirm_cancel", class_id=klass.id))
    if not form.validate_on_submit():
        return _render_cancel(klass, form, 400)
    try:
        record = services.cancel_class(klass, reason=form.reason.data or "", actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("classes.show", class_id=klass.id))
    db.session.commit()
    flash(ngettext("Đã hủy lớp \"%(title)s\" và %(num)s buổi học sắp tới; học viên sẽ thấy thông báo. Nếu hủy "
                   "nhầm, bấm \"Khôi phục lớp\".",
                   "Đã hủy lớp \"%(title)s\" và %(num)s buổi học sắp tới; học viên sẽ thấy thông báo. Nếu hủy "
                   "nhầm, bấm \"Khôi phục lớp\".", len(record.changes), title=klass.title), "success")
    return redirect(url_for("classes.show", class_id=klass.id, _anchor="undo"))


def _render_restore(klass: Class, form: ConfirmForm) -> Any:
    return render_template("classes/confirm_restore.html", klass=klass, form=form,
                           plan=services.restore_plan(klass), statuses=services.STATUSES)


@bp.get("/classes/<int:class_id>/restore")
@policy.requires("classes.manage")
def confirm_restore(class_id: int) -> Any:
    """Say what undoing the class's cancellation will bring back (and what stays cancelled), and ask to confirm."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("classes.manage", klass)
    try:
        return _render_restore(klass, ConfirmForm())
    except DomainError as error:  # not cancelled: nothing to restore
        flash(str(error.message), "error")
        return redirect(url_for("classes.show", class_id=klass.id))


@bp.post("/classes/<int:class_id>/restore")
@policy.requires("classes.manage")
def restore(class_id: int) -> Any:
    """Undo the class's cancellation, once confirmed: its status and the sessions that are still to come."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("classes.manage", klass)
    form = ConfirmForm()
    if not form.confirmed or not form.validate_on_submit():
        return redirect(url_for("classes.confirm_restore", class_id=klass.id))
    try:
        plan = services.restore_class(klass, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("classes.show", class_id=klass.id))
    db.session.commit()
    flash(ngettext("Đã khôi phục lớp \"%(title)s\" (%(status)s) và %(num)s buổi học chưa diễn ra; học viên sẽ thấy "
                   "thông báo.",
                   "Đã khôi phục lớp \"%(title)s\" (%(status)s) và %(num)s buổi học chưa diễn ra; học viên sẽ thấy "
                   "thông báo.", len(plan.returning), title=klass.title, status=services.STATUSES[klass.status]),
          "success")
    for session, problems in plan.blocked:
        flash(_("Buổi ngày %(day)s chưa khôi phục được: %(why)s", day=vietnam.day(session.date),
                why=" ".join(problems)), "warning")
    return redirect(url_for("classes.show", class_id=klass.id, _anchor="sessions"))


@bp.get("/classes/<int:class_id>")
@read_only
@policy.requires("classes.browse")
def show(class_id: int) -> str:
    """Show a class: when and where, what it covers, its support, its sessions; enrol or manage it."""
    klass = queries.class_page(class_id) or abort(404)
    policy.authorize("classes.browse", klass)
    mine = enrolment.enrolment_of(klass, current_user)
    count = enrolment.counts([klass.id])[klass.id]
    # Those who may open the completion page see how far the class is with it, one tap from confirming.
    completion = completion_progress.class_counts(klass) \
        if policy.can(current_user, "certificates.view_class", klass) else None
    learning = progress.class_view(current_user, klass, enrolled=mine is not None and mine.status == "enrolled",
                                   sessions=klass.sessions) if klass.modules else None
    # The join form asks for consent only from someone who may join and has not given it.
    may_join = (current_user.id not in klass.assigned_ids and (mine is None or mine.status == "withdrawn")
                and klass.status in enrolment.SELF_ENROL_STATUSES
                and policy.can(current_user, "classes.enrol_self", klass))
    return render_template("classes/show.html", klass=klass, mine=mine, count=count, completion=completion,
                           position=enrolment.waitlist_position(mine) if mine else None, learning=learning,
                           may_join=may_join,
                           has_consent=may_join and people.active_consent(current_user, "learning") is not None,
                           join_form=JoinForm(), plain_form=PlainForm(), reason_form=ReasonForm(),
                           statuses=services.STATUSES, next_statuses=services.NEXT_STATUSES[klass.status],
                           today=vietnam.local_today(), audience_label=LABELS[Audience(klass.audience)])


@bp.get("/classes")
@policy.requires("classes.browse")
def open_list() -> str:
    """List the classes in the person's commune they can join now (optionally for one module)."""
    code = request.args.get("module", "")
    module: Module | None = catalog.module_by_code(code) if code else None
    classes = queries.open_classes(current_user.commune_id, module_id=module.id if module else None)
    mine = {e.class_id: e for e in current_user_enrolments([c.id for c in classes])}
    return render_template("classes/open.html", classes=classes, module=module, mine=mine,
                           counts=enrolment.counts([c.id for c in classes]))


def current_user_enrolments(class_ids: list[int]) -> list[Any]:
    """Return the signed-in person's enrolments in these classes."""
    if not class_ids:
        return []
    return list(db.session.scalars(select(Enrolment).where(Enrolment.person_id == current_user.id,
                                                           Enrolment.class_id.in_(class_ids))))
