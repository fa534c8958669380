"""Guessing guards: wrong secrets in a row lock an account for a short, growing time.

Counted in the database, so every process sees the same count whatever the number of workers, and
never per network address: a cultural house puts a whole class behind one. Sign-in and the kiosk's
PIN pad share one counter per account; a phone number with no account is counted under a keyed hash,
so a lock (and its message) looks the same whether the number is known or not.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.auth.models import SignInGuard
from app.extensions import db, utcnow

MAX_FAILURES = 5
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=1)
# A quiet day forgives old failures and earlier locks.
FORGET_AFTER = timedelta(days=1)


def person_key(person_id: int) -> str:
    """Name the counter of a person's account."""
    return f"person:{person_id}"


def phone_key(phone: str, secret: str) -> str:
    """Name the counter of a phone number that has no account, without storing the number."""
    digest = hmac.new(secret.encode(), phone.encode(), hashlib.sha256).hexdigest()
    return f"phone:{digest[:64]}"


def lock_length(lockouts: int) -> timedelta:
    """Return how long the n-th lock in a row lasts: 1, 2, 4 … minutes, at most an hour."""
    return min(FIRST_LOCK * (2 ** min(lockouts, 16)), LONGEST_LOCK)


def locked_until(key: str, now: datetime | None = None) -> datetime | None:
    """Return when the counter's lock ends, or None when it is not locked."""
    now = now or utcnow()
    until = db.session.scalar(select(SignInGuard.locked_until).where(SignInGuard.key == key))
    return until if until is not None and until > now else None


def record_failure(key: str, now: datetime | None = None) -> datetime | None:
    """Count one wrong secret; return when the lock ends if this failure locked the account."""
    now = now or utcnow()
    stale = SignInGuard.updated_at < now - FORGET_AFTER
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    # One statement, so two processes counting at once both count.
    stmt = insert(SignInGuard).values(key=key, failures=1, lockouts=0, updated_at=now)
    stmt = stmt.on_conflict_do_update(index_elements=[SignInGuard.key], set_={
        "failures": case((stale, 1), else_=SignInGuard.failures + 1),
        "lockouts": case((stale, 0), else_=SignInGuard.lockouts),
        "updated_at": now,
    })
    db.session.execute(stmt)
    # Only the failure that reaches the limit locks: the condition lets one process win.
    row = db.session.execute(
        update(SignInGuard).where(SignInGuard.key == key, SignInGuard.failures >= MAX_FAILURES)
        .values(failures=0, lockouts=SignInGuard.lockouts + 1)
        .returning(SignInGuard.lockouts)
    ).first()
    if row is None:
        return None
    until = now + lock_length(row.lockouts - 1)
    db.session.execute(update(SignInGuard).where(SignInGuard.key == key).values(locked_until=until))
    return until


def clear(key: str) -> None:
    """Forget a counter: after a right secret, or when staff unlock the account."""
    db.session.execute(delete(SignInGuard).where(SignInGuard.key == key))
