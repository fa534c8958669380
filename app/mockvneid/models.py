"""The mock provider's own records: registered clients, authorization codes, access tokens, sessions.

They live in the database (tables prefixed `mock_vneid_`) rather than in memory, so the mock works
when the app runs as several processes. Like the real provider, the mock knows citizens' ID numbers;
codes and tokens holding one are short-lived and purged.
"""
from __future__ import annotations

import secrets
import time
from datetime import datetime, timedelta
from typing import Any

from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin, list_to_scope, scope_to_list
from authlib.oidc.core import AuthorizationCodeMixin
from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db, utcnow

CODE_LIFETIME = timedelta(minutes=5)


class MockClient(db.Model, ClientMixin):
    """A relying party registered with the mock provider (this app itself, or another one being tried out)."""

    __tablename__ = "mock_vneid_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    client_secret: Mapped[str] = mapped_column(String(128))
    redirect_uris: Mapped[list[str]] = mapped_column(JSON, default=list)
    post_logout_redirect_uris: Mapped[list[str]] = mapped_column(JSON, default=list)
    scope: Mapped[str] = mapped_column(String(255), default="openid profile")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # This app's own addresses on the host the mock is reached at (set per request, never stored).
    local_redirect_uris: tuple[str, ...] = ()
    local_logout_uris: tuple[str, ...] = ()

    @property
    def client_metadata(self) -> dict[str, Any]:
        return {"redirect_uris": [*(self.redirect_uris or []), *self.local_redirect_uris],
                "post_logout_redirect_uris": [*(self.post_logout_redirect_uris or []), *self.local_logout_uris],
                "token_endpoint_auth_method": "client_secret_basic"}

    # Authlib's ClientMixin
    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return (self.client_metadata["redirect_uris"] or [None])[0]

    def get_allowed_scope(self, scope: str | None) -> str:
        allowed = set(self.scope.split())
        return list_to_scope([s for s in scope_to_list(scope or "") or [] if s in allowed]) or ""

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.client_metadata["redirect_uris"]

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(self.client_secret.encode(), (client_secret or "").encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post") if endpoint == "token" else True

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


class MockAuthorizationCode(db.Model, AuthorizationCodeMixin):
    """A one-time code handed to a client after the citizen approved on their phone."""

    __tablename__ = "mock_vneid_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(120), unique=True)
    client_id: Mapped[str] = mapped_column(String(64))
    redirect_uri: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(Text, default="")
    nonce: Mapped[str | None] = mapped_column(String(255))
    auth_time: Mapped[int]
    acr: Mapped[str | None] = mapped_column(String(64))
    citizen_id: Mapped[str] = mapped_column(String(12))
    session_id: Mapped[str | None] = mapped_column(String(64))
    code_challenge: Mapped[str | None] = mapped_column(String(128))
    code_challenge_method: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    used_at: Mapped[datetime | None]  # kept after use, so a replayed code is recognised

    def is_expired(self) -> bool:
        return utcnow() - self.created_at > CODE_LIFETIME

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str | None:
        return self.acr

    def get_amr(self) -> list[str]:
        return ["mca"]  # RFC 8176: multiple-channel authentication (approved in the phone app)


class MockToken(db.Model, TokenMixin):
    """An access token for the UserInfo endpoint."""

    __tablename__ = "mock_vneid_tokens"
    __table_args__ = (Index("ix_mock_vneid_tokens_code_id", "code_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    access_token: Mapped[str] = mapped_column(String(255), unique=True)
    token_type: Mapped[str] = mapped_column(String(40), default="Bearer")
    client_id: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(Text, default="")
    citizen_id: Mapped[str] = mapped_column(String(12))
    code_id: Mapped[int | None]
    issued_at: Mapped[int] = mapped_column(default=lambda: int(time.time()))
    expires_in: Mapped[int] = mapped_column(default=600)
    revoked_at: Mapped[datetime | None]

    def check_client(self, client: MockClient) -> bool:
        return self.client_id == client.get_client_id()

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return self.issued_at + self.expires_in < time.time()

    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def get_user(self) -> Any:
        from app.mockvneid import citizens

        return citizens.find(self.citizen_id)

    def get_client(self) -> MockClient | None:
        return db.session.scalar(db.select(MockClient).where(MockClient.client_id == self.client_id))


class MockSession(db.Model):
    """A citizen's session at the mock provider, ended by RP-initiated logout."""

    __tablename__ = "mock_vneid_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    sid: Mapped[str] = mapped_column(String(64), unique=True)
    citizen_id: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ended_at: Mapped[datetime | None]
