"""The bundled mock VNeID provider, spoken to directly as an OpenID Connect relying party would."""
from __future__ import annotations

import base64
import os
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import KeySet
from sqlalchemy import select

from app.auth import vneid
from app.extensions import db
from app.mockvneid import keys
from app.mockvneid.models import MockSession, MockToken
from tests.auth.vneid_helpers import BASE, query
from tests.conftest import ROOT

ISSUER = f"{BASE}/mock-vneid"
CALLBACK = f"{BASE}/auth/vneid/callback"
HUONG = "000156000001"


@pytest.fixture
def secret(app: Flask) -> str:
    with app.test_request_context():
        return vneid.client_secret()


def authorization(client: FlaskClient, **changes: Any) -> tuple[str, str]:
    """Make an authorization request; return (its URL, the PKCE verifier)."""
    verifier = generate_token(48)
    params = {"response_type": "code", "client_id": "hocvuso", "redirect_uri": CALLBACK, "scope": "openid profile",
              "state": "state-1", "nonce": generate_token(20), "code_challenge": create_s256_code_challenge(verifier),
              "code_challenge_method": "S256", **changes}
    return "/mock-vneid/authorize?" + urlencode({k: v for k, v in params.items() if v is not None}), verifier


def approved_code(client: FlaskClient, citizen: str = HUONG, **changes: Any) -> tuple[dict[str, str], str]:
    url, verifier = authorization(client, **changes)
    response = client.post(url, data={"citizen": citizen, "action": "approve"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return query(response.location), verifier


def exchange(client: FlaskClient, code: str, verifier: str, secret: str, **changes: str) -> Any:
    basic = base64.b64encode(f"hocvuso:{secret}".encode()).decode()
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier,
            **changes}
    return client.post("/mock-vneid/token", data=form, headers={"Authorization": f"Basic {basic}"})


def published_keys(client: FlaskClient) -> KeySet:
    return KeySet.import_key_set(client.get("/mock-vneid/jwks").get_json())


def test_discovery_document_describes_an_openid_provider(client: FlaskClient) -> None:
    doc = client.get("/mock-vneid/.well-known/openid-configuration").get_json()
    assert doc["issuer"] == ISSUER
    for key in ("authorization", "token", "userinfo", "end_session"):
        assert doc[f"{key}_endpoint"].startswith(ISSUER + "/")
    assert doc["jwks_uri"] == f"{ISSUER}/jwks"
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert doc["authorization_response_iss_parameter_supported"] is True
    assert {"citizen_id", "name", "birthdate", "gender", "acr"} <= set(doc["claims_supported"])


def test_issuer_follows_the_host_it_is_reached_at(client: FlaskClient) -> None:
    doc = client.get("/mock-vneid/.well-known/openid-configuration", base_url="http://127.0.0.1:5000").get_json()
    assert doc["issuer"] == "http://127.0.0.1:5000/mock-vneid"


def test_jwks_publishes_the_signing_key_by_kid(client: FlaskClient, app: Flask) -> None:
    published = client.get("/mock-vneid/jwks").get_json()["keys"]
    with app.app_context():
        kid = keys.signing_key().kid
    assert [k["kid"] for k in published] == [kid] and published[0]["kty"] == "RSA"
    assert "d" not in published[0] and published[0]["use"] == "sig"


def test_approval_issues_a_code_with_state_and_issuer(client: FlaskClient) -> None:
    url, _verifier = authorization(client)
    page = client.get(url).get_data(as_text=True)
    assert "Xác nhận trên ứng dụng VNeID" in page and "Nguyễn Thị Hương" in page and "mô phỏng" in page
    params, _ = approved_code(client)
    assert params["state"] == "state-1" and params["iss"] == ISSUER and len(params["code"]) >= 40


def test_code_exchange_gives_a_signed_id_token_with_the_citizens_claims(client: FlaskClient, secret: str,
                                                                        app: Flask) -> None:
    params, verifier = approved_code(client, nonce="nonce-1")
    response = exchange(client, params["code"], verifier, secret)
    assert response.status_code == 200, response.get_data(as_text=True)
    token = response.get_json()
    decoded = jwt.decode(token["id_token"], published_keys(client), algorithms=["RS256"])
    with app.app_context():
        assert decoded.header["kid"] == keys.signing_key().kid
    claims = decoded.claims
    assert (claims["iss"], claims["aud"], claims["nonce"]) == (ISSUER, "hocvuso", "nonce-1")
    assert (claims["citizen_id"], claims["name"], claims["birthdate"], claims["gender"]) == (
        HUONG, "Nguyễn Thị Hương", "1956-03-12", "female")
    assert claims["acr"] == "urn:mock-vneid:level:2" and claims["sid"] and claims["at_hash"]
    assert claims["sub"] != HUONG and claims["exp"] - claims["iat"] <= 600


def test_userinfo_answers_only_with_a_valid_access_token(client: FlaskClient, secret: str) -> None:
    params, verifier = approved_code(client)
    access = exchange(client, params["code"], verifier, secret).get_json()["access_token"]
    info = client.get("/mock-vneid/userinfo", headers={"Authorization": f"Bearer {access}"})
    assert info.status_code == 200 and info.get_json()["citizen_id"] == HUONG
    assert client.get("/mock-vneid/userinfo").status_code == 401
    assert client.get("/mock-vneid/userinfo", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_a_replayed_code_is_refused_and_revokes_what_it_gave(client: FlaskClient, secret: str, ctx) -> None:
    params, verifier = approved_code(client)
    first = exchange(client, params["code"], verifier, secret)
    assert first.status_code == 200
    again = exchange(client, params["code"], verifier, secret)
    assert again.status_code == 400 and again.get_json()["error"] == "invalid_grant"
    access = first.get_json()["access_token"]
    assert client.get("/mock-vneid/userinfo", headers={"Authorization": f"Bearer {access}"}).status_code == 401
    assert db.session.scalar(select(MockToken.revoked_at).where(MockToken.access_token == access)) is not None


def test_wrong_verifier_secret_or_redirect_uri_is_refused(client: FlaskClient, secret: str) -> None:
    params, verifier = approved_code(client)
    assert exchange(client, params["code"], generate_token(48), secret).get_json()["error"] == "invalid_grant"
    params, verifier = approved_code(client)
    assert exchange(client, params["code"], verifier, "wrong-secret").status_code == 401
    params, verifier = approved_code(client)
    wrong = exchange(client, params["code"], verifier, secret, redirect_uri=f"{BASE}/elsewhere")
    assert wrong.get_json()["error"] == "invalid_grant"


@pytest.mark.parametrize("changes", [{"code_challenge": None, "code_challenge_method": None},
                                     {"code_challenge_method": "plain"},
                                     {"nonce": None}])
def test_pkce_s256_and_nonce_are_required(client: FlaskClient, changes: dict[str, Any]) -> None:
    url, _verifier = authorization(client, **changes)
    response = client.get(url)
    assert response.status_code == 302
    params = query(response.location)
    assert params["error"] == "invalid_request" and params["state"] == "state-1" and params["iss"] == ISSUER


def test_a_replayed_nonce_is_refused(client: FlaskClient) -> None:
    approved_code(client, nonce="same-nonce")
    url, _verifier = authorization(client, nonce="same-nonce")
    assert query(client.get(url).location)["error"] == "invalid_request"


def test_unknown_client_or_redirect_uri_gets_a_page_never_a_redirect(client: FlaskClient) -> None:
    for changes in ({"client_id": "stranger"}, {"redirect_uri": "https://evil.example/cb"}):
        url, _verifier = authorization(client, **changes)
        response = client.get(url)
        assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.get_data(as_text=True)


def test_denying_sends_access_denied_back(client: FlaskClient) -> None:
    url, _verifier = authorization(client)
    response = client.post(url, data={"action": "deny"})
    params = query(response.location)
    assert (params["error"], params["state"], params["iss"]) == ("access_denied", "state-1", ISSUER)


def test_any_twelve_digits_log_in_a_level_one_test_citizen(client: FlaskClient, secret: str) -> None:
    url, verifier = authorization(client)
    bad = client.post(url, data={"citizen_id": "12345", "action": "approve"})
    assert bad.status_code == 200 and "đúng 12 chữ số" in bad.get_data(as_text=True)
    response = client.post(url, data={"citizen_id": "0001 2300 0999", "action": "approve"})
    token = exchange(client, query(response.location)["code"], verifier, secret).get_json()
    claims = jwt.decode(token["id_token"], published_keys(client), algorithms=["RS256"]).claims
    assert claims["citizen_id"] == "000123000999" and claims["acr"] == "urn:mock-vneid:level:1"


def test_end_session_asks_first_then_ends_the_session_and_returns(client: FlaskClient, ctx) -> None:
    approved_code(client)
    session = db.session.scalar(select(MockSession))
    assert session is not None and session.ended_at is None
    url = "/mock-vneid/end-session?" + urlencode({"client_id": "hocvuso", "post_logout_redirect_uri": f"{BASE}/",
                                                  "state": "bye"})
    assert "Đăng xuất khỏi VNeID?" in client.get(url).get_data(as_text=True)
    response = client.post(url)
    assert response.status_code == 302 and response.location == f"{BASE}/?state=bye"
    db.session.refresh(session)
    assert session.ended_at is not None


def test_end_session_never_redirects_to_an_unregistered_address(client: FlaskClient) -> None:
    approved_code(client)
    url = "/mock-vneid/end-session?" + urlencode({"client_id": "hocvuso",
                                                  "post_logout_redirect_uri": "https://evil.example/"})
    response = client.post(url)
    assert response.status_code == 200 and "Đã đăng xuất khỏi VNeID" in response.get_data(as_text=True)


def test_end_session_accepts_an_id_token_hint_without_asking(client: FlaskClient, secret: str) -> None:
    params, verifier = approved_code(client)
    id_token = exchange(client, params["code"], verifier, secret).get_json()["id_token"]
    url = "/mock-vneid/end-session?" + urlencode({"id_token_hint": id_token, "post_logout_redirect_uri": f"{BASE}/"})
    assert client.get(url).location == f"{BASE}/"


def test_the_mock_is_off_unless_enabled(app_factory) -> None:
    off = app_factory(VNEID_MOCK_ENABLED=False).test_client()
    for path in ("/mock-vneid/", "/mock-vneid/.well-known/openid-configuration", "/mock-vneid/jwks"):
        assert off.get(path).status_code == 404


def test_default_setting_keeps_the_mock_off() -> None:
    from app.config import from_env

    settings = from_env(Path("/nonexistent"), {"SECRET_KEY": "x", "DATA_ENCRYPTION_KEY": "y"})
    assert settings["VNEID_MOCK_ENABLED"] is False and settings["VNEID_DISCOVERY_URL"] is None


def test_make_run_turns_the_mock_on_unless_another_provider_is_configured() -> None:
    def dry_run(**env: str) -> str:
        result = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True,
                                env={**{k: v for k, v in os.environ.items() if not k.startswith("VNEID_")}, **env})
        return result.stdout

    assert "VNEID_MOCK_ENABLED=true" in dry_run()
    assert "VNEID_MOCK_ENABLED=false" in dry_run(VNEID_DISCOVERY_URL="https://id.example/.well-known/openid-configuration")


# --- keys ---------------------------------------------------------------------------------------

def test_signing_key_is_generated_once_into_a_private_file(app_factory, tmp_path: Path) -> None:
    app = app_factory(VNEID_MOCK_KEY_FILE=str(tmp_path / "key.pem"))
    with app.app_context():
        first = keys.signing_key().kid
        assert keys.signing_key().kid == first
    assert (tmp_path / "key.pem").stat().st_mode & 0o777 == 0o600


def test_rotation_publishes_the_new_key_and_keeps_the_previous_one(app_factory, tmp_path: Path) -> None:
    app = app_factory(VNEID_MOCK_KEY_FILE=str(tmp_path / "key.pem"))
    client = app.test_client()
    with app.app_context():
        old = keys.signing_key().kid
    result = app.test_cli_runner().invoke(args=["mock-vneid", "rotate-key"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        new = keys.signing_key().kid
    assert new != old and f"kid={new}" in result.output
    assert [k["kid"] for k in client.get("/mock-vneid/jwks").get_json()["keys"]] == [new, old]


def test_cli_lists_the_demo_citizens(app: Flask) -> None:
    output = app.test_cli_runner().invoke(args=["mock-vneid", "citizens"]).output
    assert "000156000001  Nguyễn Thị Hương" in output and "level 1" in output


def test_approval_page_lets_its_form_return_to_the_clients_site(client: FlaskClient) -> None:
    # Browsers apply form-action to the redirect after the form, and the client may be another site.
    url, _verifier = authorization(client)
    policy = client.get(url).headers["Content-Security-Policy"]
    assert policy.endswith("form-action 'self' http://localhost") and "script-src 'self'" in policy
