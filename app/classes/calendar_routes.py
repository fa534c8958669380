"""Calendars: iCalendar feeds behind secret addresses, the pages to copy them, and the weekly notice-board sheet."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import policy
from app.classes import bp, calendar, queries
from app.classes.forms import PlainForm
from app.classes.models import Class
from app.extensions import db
from app.people.models import Person
from app.places.models import Venue
from app.policy import Scope
from app.vietnam import local_today


@dataclass(frozen=True)
class InstructorCalendar:
    """An instructor's own calendar: officers of the commune manage it, and the instructor themself."""

    person: Person

    @property
    def access_scope(self) -> Scope:
        return Scope(self.person.commune_id)

    @property
    def assigned_ids(self) -> set[int]:
        return {self.person.id}


def _external(endpoint: str, **values: Any) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def _host() -> str:
    base = current_app.config.get("PUBLIC_BASE_URL")
    return urlsplit(base).netloc if base else request.host


def _ics(name: str, kind: str, target_id: int, filename: str) -> Response:
    sessions = calendar.sessions_for(kind, target_id)
    body = calendar.build_calendar(name, sessions, host=_host(),
                                   class_url=lambda klass: _external("classes.show", class_id=klass.id))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f"inline; filename={filename}.ics"
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _feed_or_404(kind: str, target_id: int) -> None:
    if calendar.feed_matching(kind, target_id, request.args.get("token")) is None:
        abort(404)


@bp.get("/calendar/class/<int:class_id>.ics")
@policy.public
def class_ics(class_id: int) -> Response:
    """A class's sessions as an iCalendar feed (needs the feed's secret token)."""
    _feed_or_404("class", class_id)
    klass = db.get_or_404(Class, class_id)
    return _ics(_("Lịch học: %(title)s", title=klass.title), "class", klass.id, f"lop-{klass.id}")


@bp.get("/calendar/instructor/<int:instructor_id>.ics")
@policy.public
def instructor_ics(instructor_id: int) -> Response:
    """Every session an instructor or assistant runs, as an iCalendar feed (needs the secret token)."""
    _feed_or_404("instructor", instructor_id)
    person = db.get_or_404(Person, instructor_id)
    return _ics(_("Lịch dạy: %(name)s", name=person.full_name), "instructor", person.id,
                f"lich-day-{person.id}")


@bp.get("/calendar/venue/<int:venue_id>.ics")
@policy.public
def venue_ics(venue_id: int) -> Response:
    """Every session at a venue, as an iCalendar feed (needs the secret token)."""
    _feed_or_404("venue", venue_id)
    venue = db.get_or_404(Venue, venue_id)
    return _ics(_("Lịch %(venue)s", venue=venue.name), "venue", venue.id, f"dia-diem-{venue.id}")


def _feed_page(kind: str, target_id: int, ics_endpoint: str, id_name: str, title: str, back: str,
               may_regenerate: bool) -> Any:
    """Show a calendar's subscription address; POST creates it, or (when allowed) replaces it."""
    form = PlainForm()
    if request.method == "POST" and form.validate_on_submit():
        existing = calendar.active_feed(kind, target_id)
        if existing is not None and request.form.get("regenerate"):
            if not may_regenerate:
                abort(403)
            calendar.regenerate_feed(kind, target_id, actor=current_user)
            flash(_("Đã tạo đường dẫn mới. Đường dẫn cũ không còn dùng được; hãy đăng ký lại trên các máy."),
                  "success")
        else:
            calendar.ensure_feed(kind, target_id, actor=current_user)
        db.session.commit()
        return redirect(request.path)
    feed = calendar.active_feed(kind, target_id)
    url = _external(ics_endpoint, token=feed.token, **{id_name: target_id}) if feed else None
    webcal = "webcal://" + url.split("://", 1)[1] if url else None
    return render_template("classes/calendar.html", feed=feed, url=url, webcal=webcal, title=title, back=back,
                           form=form, may_regenerate=may_regenerate)


@bp.route("/classes/<int:class_id>/calendar", methods=["GET", "POST"])
@policy.requires("classes.teach")
def class_calendar(class_id: int) -> Any:
    """The class's calendar address, to add to a phone's calendar."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("classes.teach", klass)
    return _feed_page("class", klass.id, "classes.class_ics", "class_id", _("Lịch học: %(title)s", title=klass.title),
                      url_for("classes.show", class_id=klass.id), may_regenerate=True)


@bp.route("/instructors/<int:instructor_id>/calendar", methods=["GET", "POST"])
@policy.requires("classes.teach")
def instructor_calendar(instructor_id: int) -> Any:
    """An instructor's own teaching calendar address (for them, or the officers of their commune)."""
    person = db.get_or_404(Person, instructor_id)
    policy.authorize("classes.teach", InstructorCalendar(person))
    return _feed_page("instructor", person.id, "classes.instructor_ics", "instructor_id",
                      _("Lịch dạy: %(name)s", name=person.full_name), url_for("home.index"), may_regenerate=True)


@bp.route("/venues/<int:venue_id>/calendar", methods=["GET", "POST"])
@policy.requires("classes.view")
def venue_calendar(venue_id: int) -> Any:
    """A venue's calendar address, e.g. for the cultural house keeper's phone."""
    venue = db.get_or_404(Venue, venue_id)
    policy.authorize("classes.view", venue)
    return _feed_page("venue", venue.id, "classes.venue_ics", "venue_id", _("Lịch %(venue)s", venue=venue.name),
                      url_for("classes.venue_week", venue_id=venue.id),
                      may_regenerate=policy.can(current_user, "classes.manage", venue))


WEEKS_AWAY = dt.timedelta(days=100 * 366)  # how far from today a notice board may look (9999-12-30 has no Sunday)


def _week_asked(text: str) -> dt.date:
    """Return the day asked for in the address, or today (saying so) when it is unreadable or absurdly far."""
    today = local_today()
    if not text:
        return today
    try:
        picked = dt.date.fromisoformat(text)
    except ValueError:
        picked = None
    if picked is None or abs(picked - today) > WEEKS_AWAY:
        flash(_("Ngày trong địa chỉ không hợp lệ (cần dạng năm-tháng-ngày, trong vòng 100 năm); đang hiện tuần này."),
              "error")
        return today
    return picked


@bp.get("/venues/<int:venue_id>/week")
@policy.requires("classes.view")
def venue_week(venue_id: int) -> str:
    """A week's sessions at a venue, in large type on one A4 page, for the cultural house's notice board."""
    venue = db.get_or_404(Venue, venue_id)
    policy.authorize("classes.view", venue)
    monday = queries.monday_of(_week_asked(request.args.get("week", "")))
    return render_template("classes/week.html", venue=venue, monday=monday, sunday=monday + dt.timedelta(days=6),
                           days=queries.venue_week(venue, monday), previous=monday - dt.timedelta(days=7),
                           following=monday + dt.timedelta(days=7))
