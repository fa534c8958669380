"""The shared tablet: start kiosk mode for a class, pick a name, enter a PIN, learn, check in, "Xong"; leave
kiosk mode with a staff member's secret; the commune's idle times."""
from __future__ import annotations

from typing import Any

from flask import Response, current_app, flash, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user

from app import policy, qr
from app.attendance.checkin import CheckIn
from app.attendance.marks import STATUSES
from app.auth import services as auth
from app.auth import sessions
from app.classes.models import Class
from app.errors import DomainError, show_on_form
from app.extensions import db, utcnow
from app.kiosk import bp, services, settings
from app.kiosk.forms import CheckinForm, ExitForm, SettingsForm
from app.people.models import Person
from app.places.models import Commune

COOKIE = "hvs_kiosk"


@bp.before_app_request
def _forget_kiosk() -> None:
    # Read afresh for every request, even when requests share an app context (tests).
    g.pop("kiosk", None)
    g.pop("kiosk_idle", None)


def current_kiosk() -> services.Kiosk | None:
    """Return the kiosk this browser is in, if any (no cookie: none, without a query)."""
    if "kiosk" not in g:
        g.kiosk = services.read_kiosk(request.cookies.get(COOKIE), current_app.config["SECRET_KEY"])
    return g.kiosk


def _end_learner_session(*, everywhere: bool = False) -> None:
    if everywhere and current_user.is_authenticated:
        # "Xong" is the learner's sign-out: a cookie copied from the shared tablet dies with it.
        auth.end_sessions(current_user)
        db.session.commit()
    sessions.end_session()  # the tablet's display settings stay, nothing of the learner's


def _idle_times(kiosk: services.Kiosk) -> dict[str, int]:
    """The idle times of the kiosk's class's commune: one query, once per request."""
    if "kiosk_idle" not in g:
        times = settings.class_idle_times(kiosk.class_id)
        g.kiosk_idle = {"lesson": times.lesson, "other": times.other,
                        "lesson_countdown": settings.countdown(times.lesson),
                        "countdown": settings.countdown(times.other)}
    return g.kiosk_idle  # type: ignore[no-any-return]


@bp.app_context_processor
def kiosk_context() -> dict[str, Any]:
    """Tell every page whether it is shown on a kiosk tablet (for the "Xong" bar and the idle timer)."""
    kiosk = current_kiosk()
    return {"kiosk_mode": kiosk, "kiosk_idle": _idle_times(kiosk) if kiosk else None,
            "kiosk_idle_for": settings.idle_times}


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


@bp.route("/kiosk/stop", methods=["GET", "POST"])
@policy.public
def stop() -> Any:
    """Leave kiosk mode on this tablet: a staff member of the commune gives their PIN or password."""
    kiosk = current_kiosk()
    if kiosk is None:
        return redirect(url_for("home.index"))
    form = ExitForm()
    if form.validate_on_submit():
        outcome = services.staff_exit(kiosk, form.phone.data or "", form.secret.data or "")
        db.session.commit()  # a wrong secret counts towards the sign-in lock
        if outcome.staff is not None:
            _end_learner_session()
            response = make_response(redirect(url_for("auth.login")))
            response.delete_cookie(COOKIE)
            flash(_("Máy đã thoát chế độ dùng chung."), "success")
            return response
        if outcome.locked_until is not None:
            message = _("Đã nhập sai nhiều lần. Hãy thử lại sau %(time)s.",
                        time=format_time(outcome.locked_until, "HH:mm"))
        elif outcome.not_staff:
            message = _("Chỉ cán bộ xã hoặc người hướng dẫn của xã này mới thoát được chế độ dùng chung.")
        else:
            message = _("Số điện thoại hoặc mật khẩu/mã PIN chưa đúng.")
        form.secret.errors = [message]
    return render_template("kiosk/stop.html", form=form)


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
    if klass is None:
        return redirect(url_for("kiosk.home"))
    offer = services.checkin_offer(kiosk, current_user, utcnow())
    return render_template("kiosk/me.html", klass=klass, offer=offer, form=CheckinForm(), statuses=STATUSES)


@bp.post("/kiosk/checkin")
@policy.requires("attendance.checkin")
def checkin() -> Response:
    """"Tôi có mặt": the learner signed in on the class's own tablet checks in to the session open now."""
    kiosk = current_kiosk()
    if kiosk is None or not session.get("kiosk"):
        return redirect(url_for("home.index"))
    if CheckinForm().validate_on_submit():
        try:
            result = services.check_in_here(kiosk, current_user, utcnow())
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_checkin_message(result), "success")
    return redirect(url_for("kiosk.me"))


def _checkin_message(result: CheckIn) -> str:
    if not result.changed:
        return _("Bạn đã điểm danh buổi học này rồi (%(status)s).", status=STATUSES[result.status or "present"])
    title = result.session.class_.title
    if result.status == "late":
        return _("Đã điểm danh: bạn đến muộn buổi học lớp \"%(title)s\". Cảm ơn bạn đã đến!", title=title)
    return _("Đã điểm danh: bạn có mặt ở buổi học lớp \"%(title)s\". Chúc bạn học vui!", title=title)


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
    return render_template("kiosk/card.html", person=person, qr_svg=qr.svg(url))


@bp.route("/communes/<int:commune_id>/kiosk/settings", methods=["GET", "POST"])
@policy.requires("kiosk.settings")
def settings_page(commune_id: int) -> Any:
    """Let the commune choose how long its shared tablets wait without a touch before signing a learner out."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("kiosk.settings", commune)
    times = settings.idle_times(commune.id)
    form = SettingsForm(data={"lesson_minutes": max(1, round(times.lesson / 60)),
                              "other_minutes": max(1, round(times.other / 60))})
    if form.validate_on_submit():
        try:
            settings.save_minutes(commune, form.lesson_minutes.data, form.other_minutes.data, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Đã lưu thời gian tự đăng xuất của máy dùng chung."), "success")
            return redirect(url_for("kiosk.settings_page", commune_id=commune.id))
    defaults = settings.defaults()
    return render_template("kiosk/settings.html", commune=commune, form=form,
                           default_lesson=defaults.lesson // 60, default_other=defaults.other // 60)
