"""The shared tablet: start kiosk mode for a class, pick a name, enter a PIN, learn, "Xong"."""
from __future__ import annotations

from typing import Any

from flask import Response, current_app, flash, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user

from app import policy
from app.auth import services as auth
from app.auth import sessions
from app.classes.models import Class
from app.errors import DomainError
from app.extensions import db
from app.kiosk import bp, services
from app.people.models import Person

COOKIE = "hvs_kiosk"


def current_kiosk() -> services.Kiosk | None:
    """Return the kiosk this browser is in, if any."""
    if "kiosk" not in g:
        g.kiosk = services.read_kiosk(request.cookies.get(COOKIE), current_app.config["SECRET_KEY"])
    return g.kiosk


def _end_learner_session(*, everywhere: bool = False) -> None:
    if everywhere and current_user.is_authenticated:
        # "Xong" is the learner's sign-out: a cookie copied from the shared tablet dies with it.
        auth.end_sessions(current_user)
        db.session.commit()
    sessions.end_session()  # the tablet's display settings stay, nothing of the learner's


@bp.app_context_processor
def kiosk_context() -> dict[str, Any]:
    """Tell every page whether it is shown on a kiosk tablet (for the "Xong" bar and the idle timer)."""
    return {"kiosk_mode": current_kiosk(), "kiosk_idle_seconds": services.IDLE_SECONDS}


@bp.post("/classes/<int:class_id>/kiosk/start")
@policy.requires("classes.teach")
def start(class_id: int) -> Response:
    """Put this tablet into kiosk mode for the class; the staff member is signed out of it."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("classes.teach", klass)
    token = services.kiosk_token(klass, current_user, current_app.config["SECRET_KEY"])
    _end_learner_session()
    response = make_response(redirect(url_for("kiosk.home")))
    response.set_cookie(COOKIE, token, max_age=services.KIOSK_HOURS * 3600, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    flash(_("Máy đã ở chế độ dùng chung cho lớp %(title)s. Học viên chọn tên mình để bắt đầu.", title=klass.title),
          "success")
    return response


@bp.post("/kiosk/stop")
@policy.public
def stop() -> Response:
    """Leave kiosk mode on this tablet."""
    _end_learner_session()
    response = make_response(redirect(url_for("home.index")))
    response.delete_cookie(COOKIE)
    return response


@bp.get("/kiosk")
@policy.public
def home() -> Any:
    """Today's class list: each learner taps their own name."""
    kiosk = current_kiosk()
    if kiosk is None:
        return render_template("kiosk/not_started.html"), 404
    if current_user.is_authenticated and session.get("kiosk"):
        return redirect(url_for("kiosk.me"))
    if current_user.is_authenticated:
        _end_learner_session()  # someone signed in normally on a kiosk tablet: start clean
    try:
        klass, learners = services.learners(kiosk)
    except DomainError as error:
        return render_template("kiosk/not_started.html", message=str(error.message)), 409
    return render_template("kiosk/home.html", klass=klass, learners=learners)


@bp.route("/kiosk/learners/<int:person_id>", methods=["GET", "POST"])
@policy.public
def pin(person_id: int) -> Any:
    """Enter the PIN on a big number pad."""
    kiosk = current_kiosk()
    if kiosk is None:
        return redirect(url_for("kiosk.home"))
    try:
        person = services.learner_of(kiosk, person_id)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("kiosk.home"))
    if request.method == "POST":
        # Wrong PINs count against the same lock as signing in with a phone number.
        outcome = auth.check_pin(person, request.form.get("pin", ""))
        db.session.commit()
        if outcome.person is not None:
            sessions.start_session(outcome.person)
            session["kiosk"] = True
            return redirect(url_for("kiosk.me"))
        if outcome.locked_until is not None:
            flash(_("Bạn đã nhập sai nhiều lần. Hãy đợi đến %(time)s, hoặc nhờ người hướng dẫn mở khóa.",
                    time=format_time(outcome.locked_until, "HH:mm")), "error")
        else:
            flash(_("Mã PIN chưa đúng. Bạn thử lại, hoặc nhờ người hướng dẫn giúp."), "error")
    has_pin = person.account is not None and bool(person.account.pin_hash)
    return render_template("kiosk/pin.html", person=person, has_pin=has_pin)


@bp.get("/kiosk/card/<token>")
@policy.public
def card(token: str) -> Any:
    """A printed sign-in card scanned on the tablet: go to that learner's PIN pad."""
    person_id = services.person_from_card(token, current_app.config["SECRET_KEY"])
    if person_id is None or current_kiosk() is None:
        flash(_("Không đọc được thẻ này trên máy dùng chung của lớp."), "error")
        return redirect(url_for("kiosk.home"))
    return redirect(url_for("kiosk.pin", person_id=person_id))


@bp.get("/kiosk/me")
@policy.requires("catalog.learn")
def me() -> Any:
    """The learner's start page on the tablet: the class's modules, quizzes, check-in, and "Xong"."""
    kiosk = current_kiosk()
    if kiosk is None or not session.get("kiosk"):
        return redirect(url_for("home.index"))
    klass = db.session.get(Class, kiosk.class_id)
    checkin = "attendance.checkin" in current_app.view_functions
    return render_template("kiosk/me.html", klass=klass, checkin=checkin)


@bp.post("/kiosk/done")
@policy.public
def done() -> Response:
    """Finish: sign the learner out and return to the class list, leaving nothing of them on screen."""
    _end_learner_session(everywhere=True)
    return redirect(url_for("kiosk.home") if current_kiosk() else url_for("home.index"))


@bp.get("/people/<int:person_id>/card")
@policy.requires("people.credentials")
def print_card(person_id: int) -> str:
    """A printable sign-in card with a QR code, for learners who find typing their name hard."""
    person = db.get_or_404(Person, person_id)
    policy.authorize("people.credentials", person)
    url = url_for("kiosk.card", token=services.card_token(person, current_app.config["SECRET_KEY"]), _external=True)
    return render_template("kiosk/card.html", person=person, qr_svg=services.qr_svg(url))
