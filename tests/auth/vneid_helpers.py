"""Helpers for VNeID tests: the app's HTTP calls to its own mock provider served in-process, and bad tokens.

`InProcess` is a requests transport adapter: Authlib's requests to http://localhost/... go to the
Flask app through its test client instead of a socket. It can also play a misbehaving provider,
rewriting responses on the way back (`tamper`).
"""
from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import RSAKey
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from app.auth import vneid
from app.mockvneid import keys

BASE = "http://localhost"
Tamper = Callable[[requests.PreparedRequest, requests.Response], requests.Response]


class InProcess(BaseAdapter):
    """Send requests to a Flask app's test client; optionally rewrite the answers."""

    def __init__(self, app: Flask) -> None:
        super().__init__()
        self.app = app
        self.tamper: Tamper | None = None
        self.down: set[str] = set()  # paths that behave as if the provider were unreachable
        self.calls: list[str] = []

    def send(self, request: requests.PreparedRequest, **_kwargs: Any) -> requests.Response:  # type: ignore[override]
        parts = urlsplit(request.url or "")
        self.calls.append(parts.path)
        if parts.path in self.down or "*" in self.down:
            raise requests.ConnectionError(f"connection refused: {request.url}")
        body = request.body.encode() if isinstance(request.body, str) else request.body
        # No Accept-Encoding: the answer is handed over as it is, never compressed.
        headers = {k: v for k, v in request.headers.items() if k.lower() != "accept-encoding"}
        answer = self.app.test_client(use_cookies=False).open(
            parts.path, base_url=f"{parts.scheme}://{parts.netloc}", query_string=parts.query,
            method=request.method or "GET", headers=headers, data=body)
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(dict(answer.headers))
        response._content = answer.get_data()
        response.url = request.url or ""
        response.request = request
        response.encoding = "utf-8"
        answer.close()
        return self.tamper(request, response) if self.tamper else response

    def close(self) -> None:
        pass


@contextmanager
def in_process(app: Flask) -> Iterator[InProcess]:
    """Route the app's calls to http://localhost/ into the app itself, for the duration."""
    adapter = InProcess(app)
    saved = app.extensions.get(vneid.TRANSPORTS)
    app.extensions[vneid.TRANSPORTS] = {f"{BASE}/": adapter}
    app.extensions.pop(vneid.CLIENTS, None)  # forget discovery documents and keys cached by earlier tests
    try:
        yield adapter
    finally:
        app.extensions[vneid.TRANSPORTS] = saved or {}
        app.extensions.pop(vneid.CLIENTS, None)


# --- driving the flow through the test client ---------------------------------------------------

def start(client: FlaskClient) -> str:
    """Start a VNeID login; return the mock's authorization URL (path and query)."""
    response = client.get("/auth/vneid/login")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location.removeprefix(BASE)


def approve(client: FlaskClient, authorize_url: str, citizen_id: str, action: str = "approve") -> str:
    """Approve (or deny) on the mock's phone-approval page; return the callback URL it sends the browser to."""
    assert client.get(authorize_url).status_code == 200
    response = client.post(authorize_url, data={"citizen": citizen_id, "action": action})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location.removeprefix(BASE)


def log_in(client: FlaskClient, citizen_id: str) -> Any:
    """Run the whole login for a citizen; return the callback's response."""
    return client.get(approve(client, start(client), citizen_id))


def query(url: str) -> dict[str, str]:
    """Return a URL's query parameters."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def refused(response: Any, client: FlaskClient, caplog: Any, reason: str, text: str) -> None:
    """Assert a login was refused: the Vietnamese page, a log line, and nobody logged in."""
    html = response.get_data(as_text=True)
    assert text in html, html
    assert any(f"VNeID login refused ({reason})" in r.getMessage() for r in caplog.records), caplog.text
    assert not signed_in(client)
    assert "Xin chào" not in client.get("/").get_data(as_text=True)
    with client.session_transaction() as session:
        assert "vneid_pending" not in session


def identities() -> int:
    """Count the VNeID links stored."""
    from sqlalchemy import func, select

    from app.auth.models import VneidIdentity
    from app.extensions import db

    return db.session.scalar(select(func.count()).select_from(VneidIdentity)) or 0


def signed_in(client: FlaskClient) -> bool:
    """Tell whether the test client's session has anyone logged in."""
    with client.session_transaction() as session:
        return "_user_id" in session


# --- a misbehaving provider --------------------------------------------------------------------

def claims_of(id_token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (header, claims) of an ID token, unverified."""
    token = jwt.decode(id_token, keys.signing_key(), algorithms=["RS256"])
    return dict(token.header), dict(token.claims)


def resign(id_token: str, change: Callable[[dict[str, Any]], None], *, key: RSAKey | None = None,
           header: dict[str, Any] | None = None) -> str:
    """Re-sign an ID token after changing its claims (with the mock's own key unless another is given)."""
    old_header, claims = claims_of(id_token)
    change(claims)
    key = key or keys.signing_key()
    return jwt.encode(header or {"alg": "RS256", "kid": old_header["kid"]}, claims, key, algorithms=["RS256"])


def unsigned(id_token: str) -> str:
    """Return the same claims with `alg: none` and no signature."""
    def b64(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    _header, claims = claims_of(id_token)
    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."


def tamper_id_token(rewrite: Callable[[str], str]) -> Tamper:
    """Return a tamper function that rewrites the id_token in token responses."""
    def tamper(request: requests.PreparedRequest, response: requests.Response) -> requests.Response:
        if urlsplit(request.url or "").path.endswith("/token") and response.status_code == 200:
            body = response.json()
            body["id_token"] = rewrite(body["id_token"])
            response._content = json.dumps(body).encode()
        return response

    return tamper


def expired(claims: dict[str, Any]) -> None:
    """Move a token's lifetime an hour into the past."""
    claims["iat"] = int(time.time()) - 3700
    claims["exp"] = int(time.time()) - 3600
