"""Any standards-compliant OpenID provider works by settings alone, with no code change.

The provider here is not the bundled mock: a small, separately written OpenID Connect provider shaped
like a Keycloak realm. It signs with ES256 (an EC key), puts only `sub` in the ID token and the rest
in UserInfo under its own claim names (birth date as DD/MM/YYYY, gender in Vietnamese), does not send
RFC 9207's `iss` and has no end-session endpoint. Only `VNEID_*` settings point the app at it.
"""
from __future__ import annotations

import base64
import secrets
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import Flask, abort, jsonify, redirect, request
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import ECKey

from app.auth import vneid
from tests import factories
from tests.auth.vneid_helpers import InProcess, query, signed_in

REALM = "http://idp.example.test/realms/hocvuso"
CLIENT_ID, CLIENT_SECRET = "hoc-vu-so", "realm-secret"
SETTINGS = {
    "VNEID_MOCK_ENABLED": False,
    "VNEID_DISCOVERY_URL": f"{REALM}/.well-known/openid-configuration",
    "VNEID_CLIENT_ID": CLIENT_ID,
    "VNEID_CLIENT_SECRET": CLIENT_SECRET,
    "VNEID_SCOPES": "openid profile cccd",
    "VNEID_CLAIM_CITIZEN_ID": "so_dinh_danh",
    "VNEID_CLAIM_NAME": "ho_va_ten",
    "VNEID_CLAIM_BIRTHDATE": "ngay_sinh",
    "VNEID_CLAIM_GENDER": "gioi_tinh",
    "VNEID_CLAIM_ASSURANCE": "loa",
    "VNEID_ID_TOKEN_ALGS": "ES256",
}
USER = {"sub": "f3b1c2d4-0000-4000-8000-000000000001", "so_dinh_danh": "001056012345",
        "ho_va_ten": "Nguyễn Thị Hương", "ngay_sinh": "12/03/1956", "gioi_tinh": "Nữ", "loa": 2}


def realm_provider() -> Flask:
    """A minimal OpenID provider (authorization code + PKCE), written without the app's code."""
    idp = Flask("realm")
    key = ECKey.generate_key("P-256", private=True)
    key.ensure_kid()
    codes: dict[str, dict[str, Any]] = {}
    tokens: dict[str, dict[str, Any]] = {}

    @idp.get("/realms/hocvuso/.well-known/openid-configuration")
    def discovery() -> Any:
        base = f"{REALM}/protocol/openid-connect"
        return jsonify(issuer=REALM, authorization_endpoint=f"{base}/auth", token_endpoint=f"{base}/token",
                       userinfo_endpoint=f"{base}/userinfo", jwks_uri=f"{base}/certs",
                       response_types_supported=["code"], subject_types_supported=["public"],
                       id_token_signing_alg_values_supported=["ES256"], code_challenge_methods_supported=["S256"])

    @idp.get("/realms/hocvuso/protocol/openid-connect/certs")
    def certs() -> Any:
        return jsonify(keys=[key.as_dict(private=False)])

    @idp.route("/realms/hocvuso/protocol/openid-connect/auth", methods=["GET", "POST"])
    def auth() -> Any:
        args = request.args
        if args["client_id"] != CLIENT_ID or args.get("code_challenge_method") != "S256":
            abort(400)
        if request.method == "GET":
            return "<form method=post><input name=username><input name=password type=password></form>"
        code = secrets.token_urlsafe(24)
        codes[code] = {"challenge": args["code_challenge"], "nonce": args["nonce"], "redirect": args["redirect_uri"],
                       "scope": args["scope"]}
        answer = urlencode({"state": args["state"], "session_state": "x", "code": code})
        return redirect(f"{args['redirect_uri']}?{answer}")

    @idp.post("/realms/hocvuso/protocol/openid-connect/token")
    def token() -> Any:
        user, _, password = base64.b64decode(request.headers["Authorization"].split()[1]).decode().partition(":")
        grant = codes.pop(request.form["code"], None)
        if (user, password) != (CLIENT_ID, CLIENT_SECRET) or grant is None \
                or create_s256_code_challenge(request.form["code_verifier"]) != grant["challenge"] \
                or request.form["redirect_uri"] != grant["redirect"]:
            return jsonify(error="invalid_grant"), 400
        access = secrets.token_urlsafe(24)
        tokens[access] = USER
        now = int(time.time())
        id_token = jwt.encode({"alg": "ES256", "kid": key.kid},
                              {"iss": REALM, "aud": CLIENT_ID, "azp": CLIENT_ID, "sub": USER["sub"], "iat": now,
                               "exp": now + 300, "nonce": grant["nonce"], "typ": "ID"}, key, algorithms=["ES256"])
        return jsonify(access_token=access, token_type="Bearer", expires_in=300, id_token=id_token,
                       scope=grant["scope"])

    @idp.get("/realms/hocvuso/protocol/openid-connect/userinfo")
    def userinfo() -> Any:
        found = tokens.get(request.headers.get("Authorization", "").removeprefix("Bearer "))
        return jsonify(found) if found else (jsonify(error="invalid_token"), 401)

    return idp


@pytest.fixture
def realm_app(app_factory) -> Iterator[tuple[Flask, Flask]]:
    """The app, configured for the realm by settings only, and the realm itself."""
    idp = realm_provider()
    configured = app_factory(**SETTINGS)
    configured.extensions[vneid.TRANSPORTS] = {"http://idp.example.test/": InProcess(idp)}
    yield configured, idp


def sign_in_at_the_realm(client: FlaskClient, idp: Flask) -> Any:
    start = client.get("/auth/vneid/login")
    assert start.location.startswith(f"{REALM}/protocol/openid-connect/auth?"), start.location
    params = query(start.location)
    assert params["client_id"] == CLIENT_ID and params["scope"] == "openid profile cccd"
    path = start.location.removeprefix("http://idp.example.test")
    back = idp.test_client().post(path, data={"username": "huong", "password": "x"})
    return client.get(back.location.removeprefix("http://localhost"))


def test_another_openid_provider_works_by_settings_alone(realm_app, ctx) -> None:
    configured, idp = realm_app
    from app.extensions import db

    commune = factories.commune()
    huong = factories.person(commune, name="Nguyễn Thị Hương", birth_year=1956)
    db.session.commit()
    client = configured.test_client()
    assert sign_in_at_the_realm(client, idp).location == "/auth/vneid/confirm"
    page = client.get("/auth/vneid/confirm").get_data(as_text=True)
    assert "Xin chào, Nguyễn Thị Hương" in page and "•••••••••345" in page
    linked = client.post("/auth/vneid/confirm", data={"action": "match", "match-phone": huong.phone,
                                                      "match-birth_year": "1956"})
    assert linked.status_code == 302 and signed_in(client)
    assert "Đã xác thực qua VNeID (mức 2)" in client.get(f"/people/{huong.id}").get_data(as_text=True)
    # No end-session endpoint at this provider: logging out simply stays here.
    assert client.post("/logout").location == "/"
    assert sign_in_at_the_realm(client, idp).location == "/"


def test_the_bundled_mock_is_not_involved(realm_app) -> None:
    configured, _idp = realm_app
    assert configured.test_client().get("/mock-vneid/.well-known/openid-configuration").status_code == 404


def test_a_wrong_client_secret_is_refused_by_the_realm(app_factory, caplog) -> None:
    idp = realm_provider()
    misconfigured = app_factory(**{**SETTINGS, "VNEID_CLIENT_SECRET": "not-the-secret"})
    misconfigured.extensions[vneid.TRANSPORTS] = {"http://idp.example.test/": InProcess(idp)}
    client = misconfigured.test_client()
    response = sign_in_at_the_realm(client, idp)
    assert response.status_code == 400 and not signed_in(client)
    assert "VNeID login refused (token)" in caplog.text
