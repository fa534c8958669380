"""Sessions of a class: add one, add a weekly series, move, cancel or restore one."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import policy
from app.catalog.models import Module
from app.classes import bp, sessions
from app.classes.forms import ReasonForm, SeriesForm, SessionForm
from app.classes.models import Class, ClassSession
from app.errors import DomainError, show_on_form
from app.extensions import db
from app.forms import choices
from app.places.models import Venue
from app.vietnam import local_today


def _venue_choices(klass: Class, keep: int | None = None) -> list[Any]:
    """Venues in use in the class's commune, plus the one already chosen even if no longer in use."""
    venues = db.session.scalars(select(Venue).where(Venue.commune_id == klass.commune_id,
                                                    Venue.active.is_(True) | (Venue.id == (keep or klass.venue_id)))
                                .order_by(Venue.name)).all()
    return choices([(v.id, _("%(name)s (%(seats)s chỗ)", name=v.name, seats=v.capacity)) for v in venues])


def _module_choices(klass: Class) -> list[Any]:
    return choices([(0, _("— Không ghi —"))] + [(m.id, f"{m.code} – {m.current.title_vi if m.current else ''}")
                                                  for m in klass.module_list])


def _module(klass: Class, module_id: int | None) -> Module | None:
    return next((m for m in klass.module_list if m.id == module_id), None) if module_id else None


def _venue(klass: Class, venue_id: int | None) -> Venue | None:
    venue = db.session.get(Venue, venue_id) if venue_id else None
    return venue if venue is not None and venue.commune_id == klass.commune_id else None


def _next_free_day(klass: Class) -> dt.date:
    last = max((s.date for s in klass.sessions), default=None)
    start = max(local_today(), klass.starts_on)
    return min(max(start, last + dt.timedelta(days=7)) if last else start, klass.ends_on)


@bp.route("/classes/<int:class_id>/sessions/new", methods=["GET", "POST"])
@policy.requires("classes.teach")
def new_session(class_id: int) -> Any:
    """Add one session."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("classes.teach", klass)
    form = SessionForm(data={"date": _next_free_day(klass), "start_time": dt.time(8), "end_time": dt.time(10),
                             "venue_id": klass.venue_id or 0, "module_id": 0})
    form.venue_id.choices, form.module_id.choices = _venue_choices(klass), _module_choices(klass)
    if form.validate_on_submit():
        try:
            sessions.add_session(klass, on=form.date.data, start=form.start_time.data, end=form.end_time.data,
                                 venue=_venue(klass, form.venue_id.data), module=_module(klass, form.module_id.data),
                                 topic=form.topic.data or "")
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "date")
        else:
            db.session.commit()
            flash(_("Đã thêm buổi học."), "success")
            return redirect(url_for("classes.show", class_id=klass.id, _anchor="sessions"))
    return render_template("classes/session_form.html", form=form, klass=klass, session=None)


@bp.route("/classes/<int:class_id>/sessions/series", methods=["GET", "POST"])
@policy.requires("classes.teach")
def series(class_id: int) -> Any:
    """Add a weekly series ("one digital skill a week"), showing every clashing date before creating any."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("classes.teach", klass)
    first = _next_free_day(klass)
    form = SeriesForm(data={"first_date": first, "weekday": first.weekday(), "start_time": dt.time(8),
                            "end_time": dt.time(10), "venue_id": klass.venue_id or 0,
                            "weeks": max(len(klass.modules), 1), "module_per_week": bool(klass.modules)})
    form.venue_id.choices = _venue_choices(klass)
    plan = None
    if form.validate_on_submit():
        try:
            created, skipped = sessions.create_series(
                klass, first_date=form.first_date.data, weekday=form.weekday.data, start=form.start_time.data,
                end=form.end_time.data, weeks=form.weeks.data, venue=_venue(klass, form.venue_id.data),
                module_per_week=bool(form.module_per_week.data), topic=form.topic.data or "",
                skip_conflicts=bool(form.skip_conflicts.data))
        except sessions.SeriesConflict as conflict:
            db.session.rollback()
            plan = conflict.plan
            show_on_form(form, conflict, "first_date")
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "first_date")
        else:
            db.session.commit()
            flash(_("Đã tạo %(n)s buổi học.", n=len(created)), "success")
            if skipped:
                flash(_("Không tạo các ngày bị trùng: %(days)s.",
                        days=", ".join(p.on.strftime("%d/%m/%Y") for p in skipped)), "warning")
            return redirect(url_for("classes.show", class_id=klass.id, _anchor="sessions"))
    return render_template("classes/series_form.html", form=form, klass=klass, plan=plan,
                           weekdays=sessions.WEEKDAYS)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@policy.requires("classes.teach")
def edit_session(session_id: int) -> Any:
    """Move a session (date, time, venue) or change what it teaches; moves keep their history."""
    session = db.get_or_404(ClassSession, session_id)
    klass = session.class_
    policy.authorize("classes.teach", session)
    form = SessionForm(data={"date": session.date, "start_time": session.start_time, "end_time": session.end_time,
                             "venue_id": session.venue_id or 0, "module_id": session.module_id or 0,
                             "topic": session.topic})
    form.venue_id.choices = _venue_choices(klass, session.venue_id)
    form.module_id.choices = _module_choices(klass)
    if form.validate_on_submit():
        try:
            change = sessions.move_session(session, on=form.date.data, start=form.start_time.data,
                                           end=form.end_time.data, venue=_venue(klass, form.venue_id.data),
                                           module=_module(klass, form.module_id.data), topic=form.topic.data or "",
                                           reason=form.reason.data or "", actor=current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "date")
        else:
            db.session.commit()
            flash(_("Đã đổi lịch buổi học; học viên sẽ thấy thông báo.") if change else _("Đã lưu."), "success")
            return redirect(url_for("classes.show", class_id=klass.id, _anchor="sessions"))
    return render_template("classes/session_form.html", form=form, klass=klass, session=session,
                           reason_form=ReasonForm(), kinds=sessions.CHANGE_KINDS)


@bp.post("/sessions/<int:session_id>/cancel")
@policy.requires("classes.teach")
def cancel_session(session_id: int) -> Any:
    """Cancel a session; it stays on the schedule, marked cancelled, with the reason."""
    session = db.get_or_404(ClassSession, session_id)
    policy.authorize("classes.teach", session)
    form = ReasonForm()
    if form.validate_on_submit():
        sessions.cancel_session(session, reason=form.reason.data or "", actor=current_user)
        db.session.commit()
        flash(_("Đã hủy buổi học ngày %(day)s; học viên sẽ thấy thông báo.", day=session.date.strftime("%d/%m/%Y")),
              "success")
    return redirect(url_for("classes.show", class_id=session.class_id, _anchor="sessions"))


@bp.post("/sessions/<int:session_id>/restore")
@policy.requires("classes.teach")
def restore_session(session_id: int) -> Any:
    """Put a cancelled session back, if its time and place are still free."""
    session = db.get_or_404(ClassSession, session_id)
    policy.authorize("classes.teach", session)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            sessions.restore_session(session, reason=form.reason.data or "", actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Đã khôi phục buổi học."), "success")
    return redirect(url_for("classes.show", class_id=session.class_id, _anchor="sessions"))
