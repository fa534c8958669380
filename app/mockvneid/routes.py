"""The mock provider's endpoints: discovery, keys, the phone-approval page, token, UserInfo, logout."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2 import OAuth2Error
from flask import Response, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _

from app import policy
from app.auth import vneid
from app.extensions import csrf, db
from app.home.web import CSP
from app.mockvneid import bp, citizens, keys, server, services
from app.mockvneid.forms import ApproveForm, ConfirmLogoutForm


def _register_own_client() -> None:
    """Register this app as a client of its own mock (its addresses are added per request by the server)."""
    services.register_client(current_app.config["VNEID_CLIENT_ID"], vneid.client_secret(),
                             scope=" ".join(server.SCOPES))


def _page(html: str, client_uri: str | None) -> Response:
    """Render a page whose form sends the browser back to the client, which may be another site.

    The site-wide Content-Security-Policy allows forms to submit only to this site, and browsers
    apply that to the redirect after the submission too; the client's (registered) origin is added.
    """
    response = make_response(html)
    parts = urlsplit(client_uri or "")
    if parts.scheme in ("http", "https") and parts.netloc and all(c not in parts.netloc for c in " ;,'\""):
        response.headers["Content-Security-Policy"] = CSP.replace(
            "form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}")
    return response


def _oauth_error_page(error: OAuth2Error) -> tuple[str, int]:
    current_app.logger.info("mock VNeID refused a request: %s", error.error)
    db.session.rollback()
    return render_template("mockvneid/error.html", error=error.error,
                           description=error.description or ""), 400


@bp.get("/")
@policy.public
def index() -> str:
    """Say what this is, and list the demo citizens."""
    return render_template("mockvneid/index.html", citizens=citizens.DEMO_CITIZENS,
                           discovery=server.issuer() + "/.well-known/openid-configuration")


@bp.get("/.well-known/openid-configuration")
@policy.public
def discovery() -> Any:
    """Publish the provider's metadata."""
    return jsonify(server.discovery_document())


@bp.get("/jwks")
@policy.public
def jwks() -> Any:
    """Publish the public signing keys (the current one and, after a rotation, the previous one)."""
    published = [{**key.as_dict(private=False), "use": "sig", "alg": "RS256"} for key in keys.published()]
    return jsonify(keys=published)


@bp.route("/authorize", methods=["GET", "POST"])
@policy.public
def authorize() -> Any:
    """Imitate the phone-approval step: pick who you are, then confirm "on the VNeID app" (or refuse)."""
    auth_server = server.server()
    if request.args.get("client_id") == current_app.config["VNEID_CLIENT_ID"]:
        _register_own_client()
    services.purge()
    try:
        grant = auth_server.get_consent_grant(end_user=None)
    except OAuth2Error as error:
        if not error.redirect_uri:  # unknown client or redirect URI: never send anyone there
            return _oauth_error_page(error)
        response = auth_server.handle_error_response(None, error)
        server.Issuer().add_issuer_parameter(auth_server, response)
        db.session.commit()
        return response
    form = ApproveForm()
    session_record = services.active_session(request.cookies.get(server.SESSION_COOKIE))
    if request.method == "GET" and session_record is not None:
        form.citizen.data = session_record.citizen_id
    if request.method == "POST" and request.form.get("action") == "deny" and form.validate_on_submit():
        response = auth_server.create_authorization_response(grant_user=None, grant=grant)
        db.session.commit()
        return response
    if form.validate_on_submit():
        number = citizens.valid_number(form.citizen_id.data) or citizens.valid_number(form.citizen.data)
        if number is None:
            form.citizen_id.errors = [_("Chọn một công dân mẫu, hoặc nhập số định danh gồm đúng 12 chữ số.")]
        else:
            citizen = citizens.find(number)
            if session_record is None or session_record.citizen_id != number:
                session_record = services.start_session(citizen)
            approval = server.Approval(citizen, session_record.sid)
            response = auth_server.create_authorization_response(grant_user=approval, grant=grant)
            db.session.commit()
            response.set_cookie(server.SESSION_COOKIE, session_record.sid, path=bp.url_prefix, httponly=True,
                                samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
            return response
    db.session.commit()
    own = grant.client.client_id == current_app.config["VNEID_CLIENT_ID"]
    html = render_template("mockvneid/authorize.html", form=form, client_name=_("Học Vụ Số") if own
                           else grant.client.client_id, citizens=citizens.DEMO_CITIZENS, signed_in=session_record)
    return _page(html, grant.request.payload.redirect_uri or grant.client.get_default_redirect_uri())


@bp.post("/token")
@policy.public
@csrf.exempt
def token() -> Any:
    """Exchange a code (with its PKCE verifier and the client's secret) for an ID token and access token."""
    response = server.server().create_token_response()
    db.session.commit()
    return response


@bp.route("/userinfo", methods=["GET", "POST"])
@policy.public
@csrf.exempt
def userinfo() -> Any:
    """Return the citizen's claims for a valid access token."""
    return server.server().create_endpoint_response("userinfo")


@bp.route("/end-session", methods=["GET", "POST"])
@policy.public
@csrf.exempt  # the confirmation form below checks its own CSRF token
def end_session() -> Any:
    """RP-initiated logout: confirm, end the session here, and go back to the client if it asked."""
    auth_server = server.server()
    if request.args.get("client_id") == current_app.config["VNEID_CLIENT_ID"]:
        _register_own_client()
    try:
        validated = auth_server.validate_endpoint_request("end_session")
    except OAuth2Error as error:
        return _oauth_error_page(error)
    form = ConfirmLogoutForm()
    if validated.needs_confirmation and not form.validate_on_submit():
        db.session.commit()
        asked = request.args.get("post_logout_redirect_uri")
        registered = validated.client.client_metadata["post_logout_redirect_uris"] if validated.client else []
        return _page(render_template("mockvneid/end_session.html", form=form), asked if asked in registered else None)
    response = auth_server.create_endpoint_response("end_session", validated)
    db.session.commit()
    if response is None:
        response = make_response(render_template("mockvneid/logged_out.html"))
    response.delete_cookie(server.SESSION_COOKIE, path=bp.url_prefix)
    return response
