"""Log in with VNeID: start, come back, and (first time only) find one's record or become a learner."""
from __future__ import annotations

import time
from typing import Any

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app import policy
from app.auth import bp, identity, sessions, vneid
from app.auth.forms import MatchForm, NewLearnerForm
from app.auth.identity import VerifiedIdentity
from app.errors import DomainError, show_on_form
from app.extensions import db, limiter
from app.forms import choices
from app.people.models import Person
from app.places.models import Commune, Village
from app.safe_redirect import is_local

PENDING = "vneid_pending"  # a verified login not yet linked to anyone: hashed ID, name, birth year…
PROVIDER = "vneid_provider"  # the discovery URL of the provider the person logged in with
PENDING_LIFETIME = 900

# Each way a VNeID login can be refused: (HTTP status, title, what the person reads).
REFUSALS: dict[str, tuple[int, Any, Any]] = {
    "state": (400, _l("Phiên đăng nhập không hợp lệ"),
              _l("Yêu cầu đăng nhập này đã hết hạn hoặc đã được dùng rồi. Vui lòng bấm “Đăng nhập bằng VNeID” "
                 "để thử lại.")),
    "denied": (200, _l("Bạn chưa đồng ý chia sẻ thông tin"),
               _l("Bạn đã từ chối trên ứng dụng VNeID nên hệ thống chưa đăng nhập cho bạn. Bạn có thể thử lại, "
                  "hoặc đăng nhập bằng số điện thoại và mã PIN.")),
    "refused": (400, _l("VNeID không chấp nhận yêu cầu"),
                _l("VNeID không chấp nhận yêu cầu đăng nhập. Vui lòng thử lại sau; nếu vẫn lỗi, hãy báo cho "
                   "cán bộ xã.")),
    "unavailable": (503, _l("VNeID đang không phản hồi"),
                    _l("Hệ thống không kết nối được với VNeID. Vui lòng thử lại sau ít phút, hoặc đăng nhập "
                       "bằng số điện thoại và mã PIN.")),
    "issuer": (400, _l("Phản hồi không đến từ VNeID"),
               _l("Phản hồi đăng nhập không đến từ nhà cung cấp định danh đã được cấu hình, nên hệ thống đã từ "
                  "chối để bảo vệ bạn. Vui lòng thử lại.")),
    "token": (400, _l("Không xác thực được thông tin đăng nhập"),
              _l("Thông tin đăng nhập nhận từ VNeID không hợp lệ hoặc đã hết hạn, nên hệ thống đã từ chối. "
                 "Vui lòng thử lại.")),
    "claims": (400, _l("Thiếu số định danh cá nhân"),
               _l("VNeID không gửi số định danh cá nhân hợp lệ nên hệ thống chưa đăng nhập được cho bạn. "
                  "Vui lòng thử lại, hoặc nhờ cán bộ xã giúp.")),
    "locked": (403, _l("Tài khoản đang bị khóa"),
               _l("Tài khoản của bạn đang bị khóa. Vui lòng liên hệ cán bộ văn hóa xã.")),
    "expired": (400, _l("Hết thời gian xác nhận"),
                _l("Đã quá lâu kể từ khi bạn đăng nhập VNeID. Vui lòng bấm “Đăng nhập bằng VNeID” để làm lại.")),
}


@bp.app_context_processor
def vneid_helpers() -> dict[str, Any]:
    """Let templates offer the VNeID button and show a person's VNeID link."""
    return {"vneid_enabled": vneid.enabled, "vneid_identity": identity.identity_of}


def _refused(error: vneid.VneidError) -> tuple[str, int]:
    status, title, message = REFUSALS.get(error.reason, REFUSALS["token"])
    current_app.logger.warning("VNeID login refused (%s): %s", error.reason, error.detail or "-")
    db.session.rollback()
    return render_template("auth/vneid_refused.html", title=title, message=message, reason=error.reason), status


def _log_in(person: Person, provider: str | None, target: str | None) -> Any:
    sessions.start_session(person)  # a fresh session: nothing from before the login carries over
    if provider:
        session[PROVIDER] = provider
    current_app.logger.info("VNeID login for person %s", person.id)
    flash(_("Đã đăng nhập bằng VNeID."), "success")
    return redirect(target if is_local(target) else url_for("home.index"))


@bp.get("/auth/vneid/login")
@policy.public
def vneid_login() -> Any:
    """Send the person to VNeID to log in (state, nonce and PKCE verifier stay in their session)."""
    if not vneid.enabled():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    target = request.args.get("next")
    try:
        return redirect(vneid.authorization_url(target if is_local(target) else None))
    except vneid.VneidError as error:
        return _refused(error)


@bp.get("/auth/vneid/callback")
@policy.public
def vneid_callback() -> Any:
    """Come back from VNeID: verify everything, then log in, or ask who this is on a first login."""
    if not vneid.enabled():
        abort(404)
    try:
        claims, data = vneid.finish_login(request.args)
        verified = identity.identity_from_claims(claims, issuer=data["issuer"], key=identity.hmac_key(),
                                                 claim_names=identity.ClaimNames.from_config(current_app.config))
    except vneid.VneidError as error:
        return _refused(error)
    except DomainError as error:
        return _refused(vneid.VneidError("claims", str(error.message)))
    try:
        person = identity.sign_in(verified, policy_version=current_app.config["CONSENT_POLICY_VERSION"])
    except DomainError as error:
        return _refused(vneid.VneidError("locked", str(error.message)))
    if person is None:
        session[PENDING] = {"identity": verified.as_dict(), "saved_at": time.time(), "next": data.get("next"),
                            "provider": data["discovery_url"]}
        return redirect(url_for("auth.vneid_confirm"))
    db.session.commit()
    return _log_in(person, data["discovery_url"], data.get("next"))


def _pending() -> tuple[VerifiedIdentity, dict[str, Any]] | None:
    saved = session.get(PENDING)
    if not isinstance(saved, dict) or not identity.pending_is_fresh(float(saved.get("saved_at", 0)),
                                                                    lifetime=PENDING_LIFETIME):
        return None
    return VerifiedIdentity.from_dict(saved["identity"]), saved


def _match_key() -> str:
    # Count attempts per verified citizen: everyone at a cultural house shares one network address.
    saved = session.get(PENDING)
    hashed = saved.get("identity", {}).get("citizen_id_hmac") if isinstance(saved, dict) else None
    return f"vneid-match:{hashed or request.remote_addr}"


def _match_failed(_response: Any) -> bool:
    return bool(g.get("match_failed"))


def _not_matching() -> bool:
    # Only guesses at someone's phone and birth year are limited; creating a new record is not a guess.
    return request.form.get("action") != "match"


def _place_choices(form: NewLearnerForm) -> None:
    pairs: list[tuple[str, str]] = [("", _("— Chọn nơi bạn sống —"))]
    for commune in db.session.scalars(select(Commune).order_by(Commune.name)):
        pairs += [(f"v{v.id}", f"{v.name}, {commune.full_name}") for v in commune.villages]
        pairs.append((f"c{commune.id}", _("Chưa rõ thôn, %(commune)s", commune=commune.full_name)))
    form.place.choices = choices(pairs)


def _place(value: str) -> tuple[Commune | None, Village | None]:
    kind, number = value[:1], value[1:]  # "v12": village 12; "c3": commune 3, village unknown
    if not number.isdigit():
        return None, None
    if kind == "v":
        village = db.session.get(Village, int(number))
        return (village.commune, village) if village else (None, None)
    return (db.session.get(Commune, int(number)) if kind == "c" else None), None


@bp.route("/auth/vneid/confirm", methods=["GET", "POST"])
@policy.public
@limiter.limit(lambda: current_app.config["VNEID_MATCH_LIMIT"], key_func=_match_key, methods=["POST"],
               deduct_when=_match_failed, exempt_when=_not_matching)
def vneid_confirm() -> Any:
    """First VNeID login: find one's record (phone and birth year) or become a new learner."""
    found = _pending()
    if found is None:
        session.pop(PENDING, None)
        return _refused(vneid.VneidError("expired", "no recent verified login to confirm"))
    verified, saved = found
    match_form, new_form = MatchForm(prefix="match"), NewLearnerForm(prefix="new")
    _place_choices(new_form)
    version = current_app.config["CONSENT_POLICY_VERSION"]
    action = request.form.get("action")
    if request.method == "POST" and action == "match" and match_form.validate():
        try:
            person = identity.match_person(verified, phone=match_form.phone.data or "",
                                           birth_year=match_form.birth_year.data)
            identity.link(person, verified, policy_version=version)
        except DomainError as error:
            db.session.rollback()
            g.match_failed = True
            current_app.logger.info("VNeID record match failed: %s", type(error).__name__)
            show_on_form(match_form, error, "phone")
        else:
            db.session.commit()
            return _log_in(person, saved.get("provider"), saved.get("next"))
    elif request.method == "POST" and action == "new" and new_form.validate():
        commune, village = _place(new_form.place.data or "")
        try:
            if commune is None:
                raise DomainError(_l("Vui lòng chọn nơi bạn sống."), field="place")
            person = identity.create_learner(verified, commune=commune, village=village, policy_version=version)
        except DomainError as error:
            db.session.rollback()
            show_on_form(new_form, error, "place")
        else:
            db.session.commit()
            return _log_in(person, saved.get("provider"), saved.get("next"))
    return render_template("auth/vneid_confirm.html", pending=verified, match_form=match_form, new_form=new_form,
                           action=action)
