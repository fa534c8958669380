"""Every way a VNeID login is refused: a clear Vietnamese page, a log line, and no one logged in."""
from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient
from joserfc.jwk import RSAKey

from app.extensions import db
from app.people.models import Person
from tests.auth.vneid_helpers import (
    BASE,
    approve,
    claims_of,
    expired,
    identities,
    in_process,
    log_in,
    query,
    refused,
    resign,
    signed_in,
    start,
    tamper_id_token,
    unsigned,
)

HUONG, MO = "000156000001", "000150000004"  # demo citizens of the mock provider


def test_denied_consent(client: FlaskClient, provider, commune, caplog) -> None:
    callback = approve(client, start(client), HUONG, action="deny")
    assert query(callback)["error"] == "access_denied" and query(callback)["iss"] == f"{BASE}/mock-vneid"
    response = client.get(callback)
    assert response.status_code == 200
    refused(response, client, caplog, "denied", "Bạn chưa đồng ý chia sẻ thông tin")


def test_wrong_state(client: FlaskClient, provider, commune, caplog) -> None:
    callback = approve(client, start(client), HUONG)
    forged = callback.replace(f"state={query(callback)['state']}", "state=forged-state")
    response = client.get(forged)
    assert response.status_code == 400
    refused(response, client, caplog, "state", "Phiên đăng nhập không hợp lệ")
    assert identities() == 0


def test_expired_state(client: FlaskClient, provider, commune, caplog) -> None:
    callback = approve(client, start(client), HUONG)
    key = f"_state_vneid_{query(callback)['state']}"
    with client.session_transaction() as session:
        session[key] = {**session[key], "exp": session[key]["exp"] - 3600}
    refused(client.get(callback), client, caplog, "state", "Phiên đăng nhập không hợp lệ")


def test_missing_state(client: FlaskClient, provider, caplog) -> None:
    response = client.get("/auth/vneid/callback?code=abc")
    refused(response, client, caplog, "state", "Phiên đăng nhập không hợp lệ")


def test_replayed_state(client: FlaskClient, provider, commune, caplog) -> None:
    callback = approve(client, start(client), MO)
    client.get(callback)
    client.get("/")  # the first use went through (to the confirm step)
    with client.session_transaction() as session:
        session.clear()
    response = client.get(callback)
    refused(response, client, caplog, "state", "Phiên đăng nhập không hợp lệ")


def test_replayed_code(client: FlaskClient, provider, commune, caplog) -> None:
    first = approve(client, start(client), HUONG)
    client.get(first)
    with client.session_transaction() as session:
        session.clear()
    second = query(start(client))  # a fresh login in progress, with its own valid state
    replay = "/auth/vneid/callback?" + urlencode({"code": query(first)["code"], "state": second["state"],
                                                 "iss": f"{BASE}/mock-vneid"})
    response = client.get(replay)
    assert response.status_code == 400
    refused(response, client, caplog, "token", "Không xác thực được thông tin đăng nhập")


@pytest.mark.parametrize(("name", "change"), [
    ("wrong nonce", lambda claims: claims.update(nonce="another-login")),
    ("expired", expired),
    ("wrong audience", lambda claims: claims.update(aud="another-client")),
    ("several audiences, no azp", lambda claims: claims.update(aud=["hocvuso", "another-client"])),
    ("wrong issuer", lambda claims: claims.update(iss="http://evil.example/mock-vneid")),
    ("no subject", lambda claims: claims.pop("sub")),
    ("issued in the future", lambda claims: claims.update(iat=claims["iat"] + 3600, exp=claims["exp"] + 3600)),
])
def test_id_token_with_a_bad_claim(name: str, change: Any, client: FlaskClient, provider, commune,
                                   caplog) -> None:
    provider.tamper = tamper_id_token(lambda token: resign(token, change))
    response = log_in(client, HUONG)
    assert response.status_code == 400, name
    refused(response, client, caplog, "token", "Không xác thực được thông tin đăng nhập")
    assert identities() == 0


def test_alg_none(client: FlaskClient, provider, commune, caplog) -> None:
    provider.tamper = tamper_id_token(unsigned)
    refused(log_in(client, HUONG), client, caplog, "token", "Không xác thực được thông tin đăng nhập")


def test_shared_secret_algorithms_are_never_accepted(app_factory) -> None:
    lax = app_factory(VNEID_ID_TOKEN_ALGS="none HS256 RS256")
    with lax.test_request_context():
        from app.auth import vneid

        assert vneid.allowed_algorithms() == ["RS256"]


def test_tampered_signature(client: FlaskClient, provider, commune, caplog) -> None:
    def tamper(token: str) -> str:
        head, _body, signature = token.split(".")
        _header, claims = claims_of(token)
        claims["citizen_id"] = "000150000004"  # someone else's number, signature left as it was
        body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return f"{head}.{body}.{signature}"

    provider.tamper = tamper_id_token(tamper)
    refused(log_in(client, HUONG), client, caplog, "token", "Không xác thực được thông tin đăng nhập")


def test_unknown_key_id_is_looked_up_once_then_refused(client: FlaskClient, provider, commune, caplog) -> None:
    stranger = RSAKey.generate_key(2048, private=True)
    provider.tamper = tamper_id_token(lambda token: resign(token, lambda c: None, key=stranger,
                                                           header={"alg": "RS256", "kid": "not-published"}))
    refused(log_in(client, HUONG), client, caplog, "token", "Không xác thực được thông tin đăng nhập")
    assert provider.calls.count("/mock-vneid/jwks") == 2  # the cached keys, then one fresh fetch


def test_missing_citizen_id_claim(client: FlaskClient, provider, commune, caplog) -> None:
    def strip(request: Any, response: Any) -> Any:
        path = request.path_url.split("?")[0]
        if path.endswith("/token") and response.status_code == 200:
            body = response.json()
            body["id_token"] = resign(body["id_token"], lambda c: c.pop("citizen_id"))
            response._content = json.dumps(body).encode()
        if path.endswith("/userinfo"):
            body = response.json()
            body.pop("citizen_id", None)
            response._content = json.dumps(body).encode()
        return response

    provider.tamper = strip
    response = log_in(client, HUONG)
    assert "/mock-vneid/userinfo" in provider.calls  # looked for it there too
    refused(response, client, caplog, "claims", "Thiếu số định danh cá nhân")
    assert identities() == 0


def test_claims_missing_from_the_id_token_are_read_from_userinfo(client: FlaskClient, provider, commune) -> None:
    provider.tamper = tamper_id_token(lambda token: resign(token, lambda c: [c.pop(k) for k in
                                                                              ("citizen_id", "name", "birthdate")]))
    log_in(client, MO)
    assert "Xin chào, Hoàng Thị Mơ" in client.get("/auth/vneid/confirm").get_data(as_text=True)


def test_userinfo_for_another_subject_is_refused(client: FlaskClient, provider, commune, caplog) -> None:
    def swap(request: Any, response: Any) -> Any:
        path = request.path_url.split("?")[0]
        if path.endswith("/token") and response.status_code == 200:
            body = response.json()
            body["id_token"] = resign(body["id_token"], lambda c: c.pop("citizen_id"))
            response._content = json.dumps(body).encode()
        if path.endswith("/userinfo"):
            response._content = json.dumps({**response.json(), "sub": "someone-else"}).encode()
        return response

    provider.tamper = swap
    refused(log_in(client, HUONG), client, caplog, "token", "Không xác thực được thông tin đăng nhập")


def test_authorization_response_from_another_issuer(client: FlaskClient, provider, commune, caplog) -> None:
    callback = approve(client, start(client), HUONG)
    mixed_up = callback.replace(urlencode({"iss": f"{BASE}/mock-vneid"}), urlencode({"iss": "http://evil.example"}))
    refused(client.get(mixed_up), client, caplog, "issuer", "Phản hồi không đến từ VNeID")


def test_authorization_response_without_iss_when_the_provider_promises_it(client: FlaskClient, provider,
                                                                           commune, caplog) -> None:
    callback = approve(client, start(client), HUONG)
    stripped = callback.replace("&" + urlencode({"iss": f"{BASE}/mock-vneid"}), "")
    assert "iss=" not in stripped
    refused(client.get(stripped), client, caplog, "issuer", "Phản hồi không đến từ VNeID")


def test_provider_down_at_the_start(client: FlaskClient, provider, caplog) -> None:
    provider.down = {"*"}
    response = client.get("/auth/vneid/login")
    assert response.status_code == 503
    refused(response, client, caplog, "unavailable", "VNeID đang không phản hồi")


def test_provider_down_at_the_token_exchange(client: FlaskClient, provider, commune, caplog) -> None:
    callback = approve(client, start(client), HUONG)
    provider.down = {"/mock-vneid/token"}
    response = client.get(callback)
    assert response.status_code == 503
    refused(response, client, caplog, "unavailable", "VNeID đang không phản hồi")


def test_provider_returning_garbage_is_treated_as_down(client: FlaskClient, provider, caplog) -> None:
    def garbage(request: Any, response: Any) -> Any:
        response._content = b"<html>Bad gateway</html>"
        response.status_code = 502
        return response

    provider.tamper = garbage
    refused(client.get("/auth/vneid/login"), client, caplog, "unavailable", "VNeID đang không phản hồi")


def test_locked_account_is_not_logged_in(client: FlaskClient, provider, commune, caplog) -> None:
    log_in(client, HUONG)
    client.post("/auth/vneid/confirm", data={"action": "match", "match-phone": commune["huong_phone"],
                                             "match-birth_year": "1956"})
    client.post("/logout")
    db.session.get(Person, commune["huong_id"]).account.active = False
    db.session.commit()
    response = log_in(client, HUONG)
    assert response.status_code == 403
    refused(response, client, caplog, "locked", "Tài khoản đang bị khóa")


def test_confirm_step_expires(client: FlaskClient, provider, commune, caplog) -> None:
    log_in(client, MO)
    with client.session_transaction() as session:
        pending = session["vneid_pending"]
        session["vneid_pending"] = {**pending, "saved_at": pending["saved_at"] - 3600}
    response = client.post("/auth/vneid/confirm", data={"action": "new", "new-place": f"v{commune['village_id']}",
                                                        "new-consent": "y"})
    refused(response, client, caplog, "expired", "Hết thời gian xác nhận")
    assert identities() == 0


def test_vneid_is_off_without_a_provider(app_factory) -> None:
    off = app_factory(VNEID_MOCK_ENABLED=False)
    client = off.test_client()
    assert client.get("/auth/vneid/login").status_code == 404
    assert client.get("/auth/vneid/callback?state=x&code=y").status_code == 404
    assert "Đăng nhập bằng VNeID" not in client.get("/login").get_data(as_text=True)


@pytest.fixture
def limited_client(app_factory, commune) -> Iterator[FlaskClient]:
    from app.extensions import limiter

    limited = app_factory(RATELIMIT_ENABLED=True, VNEID_MATCH_LIMIT="3 per 15 minutes")
    with limited.app_context():
        limiter.reset()
    with in_process(limited):
        yield limited.test_client()


def test_match_attempts_are_rate_limited(limited_client: FlaskClient, commune) -> None:
    log_in(limited_client, HUONG)
    for year in ("1950", "1951", "1952"):
        page = limited_client.post("/auth/vneid/confirm", data={"action": "match", "match-birth_year": year,
                                                                 "match-phone": commune["huong_phone"]})
        assert page.status_code == 200
    blocked = limited_client.post("/auth/vneid/confirm", data={"action": "match", "match-birth_year": "1956",
                                                                "match-phone": commune["huong_phone"]})
    assert blocked.status_code == 429 and not signed_in(limited_client)
    # Creating a new record instead is not a guess, and is not blocked.
    fresh = limited_client.post("/auth/vneid/confirm", data={"action": "new", "new-consent": "y",
                                                              "new-place": f"v{commune['village_id']}"})
    assert fresh.status_code == 302


def test_failures_are_logged_without_the_citizen_id(client: FlaskClient, provider, commune, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    provider.tamper = tamper_id_token(lambda token: resign(token, expired))
    log_in(client, HUONG)
    assert HUONG not in caplog.text and "VNeID login refused (token)" in caplog.text
