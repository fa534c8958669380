"""Sign in, sign out, setting passwords and PINs, and instructor-vouched accounts (VNeID: vneid_routes)."""
from __future__ import annotations

from typing import Any

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import policy
from app.auth import (  # noqa: F401  (routes in both; demo step; data-export section)
    bp,
    demo,
    identity,
    personal,
    services,
    vneid,
    vneid_routes,
)
from app.auth.forms import CredentialsForm, LoginForm, VouchForm
from app.errors import DomainError, show_on_form
from app.extensions import db, limiter, login_manager
from app.people import names
from app.people.models import Person
from app.safe_redirect import is_local

KEPT_ON_LOGOUT = ("lang", "text_size")


@login_manager.user_loader
def load_user(user_id: str) -> Person | None:
    """Load the signed-in person, their account and roles for each request, in one query."""
    if not user_id.isdigit():
        return None
    return db.session.scalar(select(Person).where(Person.id == int(user_id))
                             .options(joinedload(Person.account), joinedload(Person.role_assignments)))


def _login_phone_key() -> str:
    # Count failures per account: at a cultural house everyone shares one network address.
    try:
        return "login:" + (names.normalise_phone(request.form.get("phone")) or "-")
    except ValueError:
        return "login:invalid"


def _login_failed(_response: Any) -> bool:
    return bool(g.get("login_failed"))


@bp.route("/login", methods=["GET", "POST"])
@policy.public
@limiter.limit(lambda: current_app.config.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes"),
               key_func=_login_phone_key, methods=["POST"], deduct_when=_login_failed)
@limiter.limit(lambda: current_app.config.get("LOGIN_LIMIT_PER_ADDRESS", "100 per 15 minutes"),
               methods=["POST"], deduct_when=_login_failed)
def login() -> Any:
    """Sign in with a phone number and a password or 6-digit PIN."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        person = services.authenticate(form.phone.data or "", form.secret.data or "")
        if person is None:
            g.login_failed = True
            current_app.logger.info("failed sign-in for %s", _login_phone_key())
            flash(_("Số điện thoại hoặc mật khẩu/mã PIN không đúng. Vui lòng thử lại."), "error")
        else:
            services.record_login(person)
            db.session.commit()
            login_user(person)
            target = request.args.get("next")
            return redirect(target if is_local(target) else url_for("home.index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@policy.public
def logout() -> Any:
    """Sign out and forget everything about this session except display preferences; end the VNeID session too."""
    provider = session.get(vneid_routes.PROVIDER)
    kept = {key: session[key] for key in KEPT_ON_LOGOUT if key in session}
    logout_user()
    session.clear()
    session.update(kept)
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
    """Let a signed-in person change their own password or PIN."""
    form = CredentialsForm()
    if form.validate_on_submit() and _save_credentials(form, current_user):
        flash(_("Đã lưu."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, person=current_user)


@bp.route("/people/<int:person_id>/credentials", methods=["GET", "POST"])
@policy.requires("people.credentials")
def credentials(person_id: int) -> Any:
    """Let an officer or instructor set a learner's PIN or password."""
    person = db.get_or_404(Person, person_id)
    policy.authorize("people.credentials", person)
    if policy.is_admin(person) and not policy.is_admin(current_user):
        policy.authorize("places.admin")
    form = CredentialsForm()
    if form.validate_on_submit() and _save_credentials(form, person):
        flash(_("Đã lưu thông tin đăng nhập cho %(name)s.", name=person.full_name), "success")
        return redirect(url_for("people.show", person_id=person.id))
    return render_template("auth/credentials.html", form=form, person=person)


def _save_credentials(form: CredentialsForm, person: Person) -> bool:
    if not form.password.data and not form.pin.data:
        form.pin.errors.append(_("Nhập mật khẩu mới hoặc mã PIN mới."))
        return False
    try:
        if form.password.data:
            services.set_password(person, form.password.data, actor=current_user)
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
