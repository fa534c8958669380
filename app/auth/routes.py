"""Sign in, sign out, setting passwords and PINs, and instructor-vouched accounts (VNeID: vneid_routes)."""
from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import policy
from app.auth import (  # noqa: F401  (routes in both; demo step; data-export section)
    bp,
    demo,
    identity,
    personal,
    services,
    sessions,
    vneid,
    vneid_routes,
)
from app.auth.forms import AccountCredentialsForm, CredentialsForm, LoginForm, UnlockForm, VouchForm
from app.errors import DomainError, show_on_form
from app.extensions import db, login_manager
from app.people.models import Person
from app.safe_redirect import is_local


@login_manager.user_loader
def load_user(session_id: str) -> Person | None:
    """Load the signed-in person, their account and roles in one query; None when the session is stale.

    The session names the account's session version ("12.3"): a sign-out, a new secret, a lost role
    or erasure bumps the version, and every session carrying the old one ends here.
    """
    person_id, _dot, version = session_id.partition(".")
    if not (person_id.isdigit() and version.isdigit()) or len(person_id) > 18:
        return None
    person = db.session.scalar(select(Person).where(Person.id == int(person_id))
                               .options(joinedload(Person.account), joinedload(Person.role_assignments)))
    if person is None or not person.is_active:
        return None
    return person if person.account.session_version == int(version) else None  # type: ignore[union-attr]


@bp.before_app_request
def expire_idle_session() -> None:
    """Sign out a session left unused longer than the idle time."""
    sessions.expire_idle()


def _refused(outcome: services.SignIn) -> str:
    if outcome.locked_until is not None:
        return _("Đã nhập sai nhiều lần nên tạm khóa đăng nhập đến %(time)s. Vui lòng thử lại sau, "
                 "hoặc nhờ người hướng dẫn hay cán bộ xã mở khóa.", time=format_time(outcome.locked_until, "HH:mm"))
    return _("Số điện thoại hoặc mật khẩu/mã PIN không đúng. Vui lòng thử lại.")


@bp.route("/login", methods=["GET", "POST"])
@policy.public
def login() -> Any:
    """Sign in with a phone number and a password or 6-digit PIN."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        # Wrong secrets are counted per account in the database (never per address: a cultural house
        # shares one), so the lock holds across every process.
        outcome = services.authenticate(form.phone.data or "", form.secret.data or "")
        if outcome.person is None:
            db.session.commit()
            current_app.logger.info("failed sign-in%s", " (locked)" if outcome.locked_until else "")
            flash(_refused(outcome), "error")
        else:
            services.record_login(outcome.person)
            db.session.commit()
            sessions.start_session(outcome.person)
            target = request.args.get("next")
            return redirect(target if is_local(target) else url_for("home.index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@policy.public
def logout() -> Any:
    """Sign out and forget everything about this session except display preferences; end the VNeID session too."""
    provider = session.get(vneid_routes.PROVIDER)
    if current_user.is_authenticated:
        # Ends this account's sessions everywhere: a copied cookie no longer works after sign-out.
        services.end_sessions(current_user)
        db.session.commit()
    sessions.end_session()
    flash(_("Bạn đã đăng xuất."), "success")
    end_session = vneid.end_session_url(provider) if provider else None
    if end_session:
        # A page, not a redirect: the Content-Security-Policy's form-action would stop this form's
        # redirect at another site (the provider).
        return render_template("auth/vneid_logout.html", end_session=end_session)
    return redirect(url_for("home.index"))


@bp.route("/account", methods=["GET", "POST"])
@policy.requires("account.manage")
def account() -> Any:
    """Let a signed-in person change their own password or PIN, giving the current one first."""
    person: Person = current_user._get_current_object()  # type: ignore[attr-defined]
    has_secret = person.account is not None and bool(person.account.password_hash or person.account.pin_hash)
    form = AccountCredentialsForm()
    if form.validate_on_submit() and _current_secret_ok(form, person, has_secret) \
            and _save_credentials(form, person):
        sessions.start_session(person)  # this session goes on under the new version; the others end
        flash(_("Đã lưu. Các thiết bị khác đang đăng nhập tài khoản này đã được đăng xuất."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, person=person, has_secret=has_secret)


def _current_secret_ok(form: AccountCredentialsForm, person: Person, has_secret: bool) -> bool:
    if not has_secret:  # e.g. signed in with VNeID and never had a PIN: the sign-in itself proved who they are
        return True
    outcome = services.check_own_secret(person, form.current.data or "")
    db.session.commit()  # a wrong current secret counts, as a wrong sign-in does
    if outcome.person is None:
        form.current.errors.append(_refused(outcome) if outcome.locked_until
                                   else _("Mật khẩu hoặc mã PIN hiện tại không đúng."))
        return False
    return True


@bp.route("/people/<int:person_id>/credentials", methods=["GET", "POST"])
@policy.requires("people.credentials")
def credentials(person_id: int) -> Any:
    """Let staff set the PIN or password of someone of lower rank (instructors: learners' PINs only)."""
    person = db.get_or_404(Person, person_id)
    policy.authorize("people.credentials", person)
    policy.authorize_over(person)
    pin_only = policy.rank_in(current_user, person.access_scope) < policy.RANKS[policy.Role.OFFICER]
    form = CredentialsForm()
    if pin_only:
        del form.password
    if form.validate_on_submit() and _save_credentials(form, person):
        flash(_("Đã lưu thông tin đăng nhập cho %(name)s.", name=person.full_name), "success")
        return redirect(url_for("people.show", person_id=person.id))
    locked = services.is_locked(person)
    return render_template("auth/credentials.html", form=form, person=person, locked=locked)


@bp.post("/people/<int:person_id>/unlock")
@policy.requires("people.credentials")
def unlock(person_id: int) -> Any:
    """Lift the lock that wrong PINs or passwords put on someone's sign-in (staff have checked who they are)."""
    person = db.get_or_404(Person, person_id)
    policy.authorize("people.credentials", person)
    policy.authorize_over(person)
    if UnlockForm().validate_on_submit():
        services.unlock(person, actor=current_user)
        db.session.commit()
        flash(_("Đã mở khóa đăng nhập cho %(name)s.", name=person.full_name), "success")
    return redirect(url_for("auth.credentials", person_id=person.id))


def _save_credentials(form: CredentialsForm, person: Person) -> bool:
    password = getattr(form, "password", None)
    if not (password is not None and password.data) and not form.pin.data:
        form.pin.errors.append(_("Nhập mật khẩu mới hoặc mã PIN mới."))
        return False
    try:
        if password is not None and password.data:
            services.set_password(person, password.data, actor=current_user)
        if form.pin.data:
            services.set_pin(person, form.pin.data, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        getattr(form, error.field or "pin").errors.append(str(error.message))
        return False
    db.session.commit()
    return True


@bp.route("/people/<int:person_id>/vouch", methods=["GET", "POST"])
@policy.requires("people.vouch")
def vouch(person_id: int) -> Any:
    """Let an instructor create the account of someone without a smartphone or VNeID, and vouch for them."""
    person = db.get_or_404(Person, person_id)
    policy.authorize("people.vouch", person)
    policy.authorize_over(person)
    form = VouchForm()
    if form.validate_on_submit():
        try:
            identity.vouch(person, voucher=current_user, pin=form.pin.data or "",
                           citizen_id=(form.citizen_id.data or "").strip() or None,
                           consent_method=form.consent_method.data, key=identity.hmac_key(),
                           policy_version=current_app.config["CONSENT_POLICY_VERSION"])
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "pin")
        else:
            db.session.commit()
            flash(_("Đã tạo tài khoản cho %(name)s, do bạn bảo lãnh.", name=person.full_name), "success")
            return redirect(url_for("people.show", person_id=person.id))
    return render_template("auth/vouch.html", form=form, person=person)
