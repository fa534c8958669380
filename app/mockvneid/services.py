"""Rules of the mock provider: clients, codes, tokens and sessions (Authlib calls these through server.py)."""
from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update

from app.extensions import db, utcnow
from app.mockvneid import citizens
from app.mockvneid.models import CODE_LIFETIME, MockAuthorizationCode, MockClient, MockSession, MockToken

KEEP_USED = timedelta(days=1)


def query_client(client_id: str) -> MockClient | None:
    """Return a registered client."""
    return db.session.scalar(select(MockClient).where(MockClient.client_id == client_id))


def register_client(client_id: str, client_secret: str, *, redirect_uris: Sequence[str] = (),
                    post_logout_redirect_uris: Sequence[str] = (), scope: str = "openid profile") -> MockClient:
    """Register a client, or add redirect URIs to one already registered (its secret follows the setting)."""
    client = query_client(client_id)
    if client is None:
        client = MockClient(client_id=client_id, client_secret=client_secret, redirect_uris=[],
                            post_logout_redirect_uris=[], scope=scope)
        db.session.add(client)
    client.client_secret = client_secret
    # Reassign rather than append: JSON columns do not notice changes made in place.
    client.redirect_uris = sorted({*(client.redirect_uris or []), *redirect_uris})
    client.post_logout_redirect_uris = sorted({*(client.post_logout_redirect_uris or []), *post_logout_redirect_uris})
    db.session.flush()
    return client


def start_session(citizen: citizens.Citizen) -> MockSession:
    """Open the citizen's session at the provider (ended by RP-initiated logout)."""
    record = MockSession(sid=secrets.token_urlsafe(24), citizen_id=citizen.id_number)
    db.session.add(record)
    db.session.flush()
    return record


def active_session(sid: str | None) -> MockSession | None:
    """Return the open session with this id, if any."""
    if not sid:
        return None
    return db.session.scalar(select(MockSession).where(MockSession.sid == sid, MockSession.ended_at.is_(None)))


def end_session(sid: str | None) -> None:
    """End a session at the provider."""
    if sid:
        db.session.execute(update(MockSession).where(MockSession.sid == sid, MockSession.ended_at.is_(None))
                           .values(ended_at=utcnow()))


def save_code(code: str, *, client: MockClient, redirect_uri: str, scope: str, nonce: str | None,
              citizen: citizens.Citizen, session_id: str | None, challenge: str | None,
              challenge_method: str | None) -> MockAuthorizationCode:
    """Store a one-time authorization code."""
    record = MockAuthorizationCode(code=code, client_id=client.client_id, redirect_uri=redirect_uri, scope=scope,
                                   nonce=nonce, auth_time=int(utcnow().timestamp()), acr=citizen.acr,
                                   citizen_id=citizen.id_number, session_id=session_id, code_challenge=challenge,
                                   code_challenge_method=challenge_method)
    db.session.add(record)
    db.session.flush()
    return record


def usable_code(code: str, client: MockClient) -> MockAuthorizationCode | None:
    """Return the code if it may be exchanged; a replayed code revokes what it was exchanged for (RFC 6749 4.1.2)."""
    record: MockAuthorizationCode | None = db.session.scalar(select(MockAuthorizationCode).where(
        MockAuthorizationCode.code == code, MockAuthorizationCode.client_id == client.client_id))
    if record is None or record.is_expired():
        return None
    if record.used_at is not None:
        db.session.execute(update(MockToken).where(MockToken.code_id == record.id, MockToken.revoked_at.is_(None))
                           .values(revoked_at=utcnow()))
        return None
    return record


def use_code(record: MockAuthorizationCode) -> None:
    """Mark a code used (kept a while, so a replay is recognised)."""
    record.used_at = utcnow()
    db.session.flush()


def nonce_used(client_id: str, nonce: str) -> bool:
    """Tell whether a client already sent this nonce (a replayed authorization request)."""
    return db.session.scalar(select(MockAuthorizationCode.id).where(
        MockAuthorizationCode.client_id == client_id, MockAuthorizationCode.nonce == nonce).limit(1)) is not None


def save_token(token: dict[str, Any], *, client: MockClient, citizen_id: str, code_id: int | None) -> MockToken:
    """Store an issued access token."""
    record = MockToken(access_token=token["access_token"], token_type=token.get("token_type", "Bearer"),
                       client_id=client.client_id, scope=token.get("scope", ""), citizen_id=citizen_id,
                       code_id=code_id, expires_in=int(token.get("expires_in", 600)))
    db.session.add(record)
    db.session.flush()
    return record


def token_for(access_token: str) -> MockToken | None:
    """Return the stored access token."""
    return db.session.scalar(select(MockToken).where(MockToken.access_token == access_token))


def purge() -> None:
    """Forget old codes, tokens and ended sessions (they hold citizen ID numbers)."""
    now = utcnow()
    db.session.execute(delete(MockAuthorizationCode).where(MockAuthorizationCode.created_at < now - KEEP_USED
                                                           - CODE_LIFETIME))
    db.session.execute(delete(MockToken).where(MockToken.issued_at < int((now - KEEP_USED).timestamp())))
    db.session.execute(delete(MockSession).where(MockSession.created_at < now - KEEP_USED * 30))
