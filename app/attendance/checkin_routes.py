"""Self check-in: the instructor's full-screen QR code with its live list, the scan, the learner's code page.

A scan (or a typed code) is checked the moment it arrives and leaves a short-lived proof of presence in the
browser's signed session ("grant"), so a learner who first has to sign in on their phone is not turned away
because the code moved on while they typed their PIN. Nothing is changed by a GET: the learner confirms with
one tap. Limits on typed codes count per person, never per address: a class shares one network.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, abort, current_app, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import policy
from app.attendance import bp, marks, settings
from app.attendance import checkin as checkins
from app.attendance.forms import CheckinForm
from app.auth import sessions
from app.classes import enrolment as enrolments
from app.classes.forms import JoinForm
from app.classes.models import ClassSession
from app.errors import DomainError, show_on_form
from app.extensions import db, limiter, utcnow
from app.people import services as people
from app.qr import svg as qr_svg

GRANT = "attendance_grant"
# A learner who scans the room's QR code before signing in keeps the proof through the sign-in.
sessions.carry_into_sign_in(GRANT)


def _secret() -> str:
    return str(current_app.config["SECRET_KEY"])


def _rules(session_: ClassSession) -> settings.AttendanceRules:
    return settings.settings_for(session_.class_.commune_id)


def _teach(session_id: int) -> ClassSession:
    found = db.get_or_404(ClassSession, session_id)
    policy.authorize("classes.teach", found)
    return found


def _teach_polled(session_id: int) -> tuple[ClassSession, int]:
    """For what the check-in screen asks every few seconds: the session and its late window in one query."""
    found = marks.session_for_roll_call(session_id)
    if found is None:
        abort(404)
    policy.authorize("classes.teach", found[0])
    return found


def _scan_url(session_: ClassSession, now: dt.datetime) -> str:
    token = checkins.qr_token(_secret(), session_.id, checkins.step_at(now))
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")
    return base + url_for("attendance.scan", session_id=session_.id, qr_token=token)


@bp.get("/attendance/sessions/<int:session_id>/qr")
@policy.requires("classes.teach")
def qr(session_id: int) -> str:
    """The full-screen check-in screen: a QR code that changes every few seconds, the short code, who is in."""
    found = _teach(session_id)
    return render_template("attendance/qr.html", session=found, klass=found.class_,
                           step_seconds=checkins.STEP_SECONDS, rules=_rules(found))


@bp.get("/attendance/sessions/<int:session_id>/qr.json")
@policy.requires("classes.teach")
def qr_state(session_id: int) -> Any:
    """What the check-in screen shows now: the code (while check-in is open) and who has and has not checked in."""
    found, late_window = _teach_polled(session_id)
    now = utcnow()
    state = checkins.window_state(found, now, late_window)
    rows = marks.roll_call(found)
    present, missing = [], []
    for e in rows:
        item = {"name": e.full_name, "initials": e.initials}
        if e.status in marks.ATTENDED:
            present.append({**item, "status": e.status, "label": str(marks.STATUSES[e.status])})
        else:
            missing.append({**item, "status": e.status or "",
                            "label": str(marks.STATUSES[e.status]) if e.status else ""})
    body: dict[str, Any] = {"state": state, "present": present, "missing": missing, "total": len(rows)}
    if state == "open":
        step = checkins.step_at(now)
        body.update(step=step, code=checkins.short_code(_secret(), found.id, step),
                    refresh_in=round(checkins.seconds_left(now), 2),
                    image=url_for("attendance.qr_image", session_id=found.id, step=step))
    return jsonify(body)


@bp.get("/attendance/sessions/<int:session_id>/qr.svg")
@policy.requires("classes.teach")
def qr_image(session_id: int) -> Response:
    """The QR code for this moment, as SVG; none outside the check-in window."""
    found, late_window = _teach_polled(session_id)
    now = utcnow()
    if checkins.window_state(found, now, late_window) != "open":
        abort(404)
    return Response(qr_svg(_scan_url(found, now), border=2), mimetype="image/svg+xml")


@bp.get("/attendance/scan/<int:session_id>/<qr_token>")
@policy.public
def scan(session_id: int, qr_token: str) -> Any:
    """Where a phone's camera lands: check the code now, remember the proof, then let the learner confirm."""
    found = db.session.get(ClassSession, session_id)
    now = utcnow()
    try:
        if found is None:
            raise DomainError(checkins.BAD_CODE)
        checkins.verify_token(found, qr_token, secret=_secret(), now=now,
                             late_window_minutes=_rules(found).late_window_minutes)
    except DomainError as error:
        return render_template("attendance/scan_refused.html", message=str(error.message)), 400
    who = current_user.id if current_user.is_authenticated else None
    session[GRANT] = {"s": found.id, "at": now.timestamp(), "p": who, "via": "qr"}
    return redirect(url_for("attendance.checkin"))


def _granted(now: dt.datetime) -> tuple[ClassSession | None, dict | None]:
    grant = session.get(GRANT)
    session_id = checkins.grant_usable(grant, person_id=current_user.id, now=now)
    if session_id is None:
        session.pop(GRANT, None)
        return None, None
    return db.session.get(ClassSession, session_id), grant


def _result_message(result: checkins.CheckIn) -> str:
    title = result.session.class_.title
    if not result.changed:
        return _("Bạn đã điểm danh buổi học này rồi (%(status)s).", status=marks.STATUSES[result.status or "present"])
    if result.status == "late":
        return _("Đã điểm danh: bạn đến muộn buổi học lớp \"%(title)s\". Cảm ơn bạn đã đến!", title=title)
    return _("Đã điểm danh: bạn có mặt ở buổi học lớp \"%(title)s\". Chúc bạn học vui!", title=title)


def _person_key() -> str:
    # Per person: everyone in a cultural house shares one address, and often one tablet.
    return f"attendance-code:{current_user.get_id() or '-'}"


def _code_failed(_response: Any) -> bool:
    return bool(g.get("attendance_code_failed"))


@bp.route("/attendance/checkin", methods=["GET", "POST"])
@policy.requires("attendance.checkin")
@limiter.limit(lambda: current_app.config.get("ATTENDANCE_CODE_LIMIT", "10 per minute;60 per hour"),
               key_func=_person_key, methods=["POST"], deduct_when=_code_failed)
def checkin() -> Any:
    """The learner's check-in: confirm a scan with one tap, or type the code shown on the class's screen."""
    now = utcnow()
    form = CheckinForm()
    granted, grant = _granted(now)
    if request.method == "POST" and form.validate_on_submit():
        try:
            if request.form.get("confirm") and granted is not None and grant is not None:
                target, at, source = granted, checkins.grant_time(grant), grant.get("via", "qr")
            else:
                target = checkins.session_for_code(current_user, form.code.data or "", secret=_secret(), now=now,
                                                  late_window_minutes=settings.settings_for(
                                                      current_user.commune_id).late_window_minutes)
                at, source = now, "code"
                session[GRANT] = {"s": target.id, "at": now.timestamp(), "p": current_user.id, "via": "code"}
            rules = _rules(target)
            result = checkins.check_in(target, current_user, now=now, at=at, source=source,
                                      grace_minutes=rules.grace_minutes,
                                      late_window_minutes=rules.late_window_minutes)
        except DomainError as error:
            db.session.rollback()
            g.attendance_code_failed = True
            show_on_form(form, error, "code")
        else:
            if result.needs_enrolment:
                db.session.commit()
                return redirect(url_for("attendance.checkin"))  # the page now offers to join the class
            session.pop(GRANT, None)
            db.session.commit()
            flash(_result_message(result), "success")
            return redirect(url_for("attendance.checkin"))
    enrolled_row = None
    if granted is not None:
        enrolled_row = enrolments.enrolment_of(granted.class_, current_user)
    return render_template("attendance/checkin.html", form=form, granted=granted, enrolled_row=enrolled_row,
                           enrol_form=JoinForm(),
                           has_consent=people.active_consent(current_user, "learning") is not None)


@bp.post("/attendance/checkin/enrol")
@policy.requires("attendance.checkin")
def enrol() -> Any:
    """Ask to join the class of the session just scanned (consent and the waiting list apply), then check in."""
    now = utcnow()
    granted, grant = _granted(now)
    form = JoinForm()
    if granted is None or grant is None or not form.validate_on_submit():
        flash(_("Mã điểm danh đã hết hạn. Hãy quét hoặc gõ lại mã trên màn hình của lớp."), "error")
        return redirect(url_for("attendance.checkin"))
    klass = granted.class_
    policy.authorize("classes.enrol_self", klass)
    try:
        row = enrolments.enrol_self(klass, current_user, consent_given=bool(form.consent.data))
        result = None
        if row.status == "enrolled":
            rules = _rules(granted)
            result = checkins.check_in(granted, current_user, now=now, at=checkins.grant_time(grant),
                                      source=grant.get("via", "qr"), grace_minutes=rules.grace_minutes,
                                      late_window_minutes=rules.late_window_minutes)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("attendance.checkin"))
    session.pop(GRANT, None)
    db.session.commit()
    if result is None:
        flash(_("Lớp đã đủ chỗ. Bạn đứng thứ %(n)s trong danh sách chờ; khi có chỗ bạn sẽ được chuyển vào lớp.",
                n=enrolments.waitlist_position(row)), "warning")
        return redirect(url_for("classes.show", class_id=klass.id))
    flash(_("Bạn đã ghi danh vào lớp \"%(title)s\".", title=klass.title), "success")
    flash(_result_message(result), "success")
    return redirect(url_for("attendance.checkin"))
