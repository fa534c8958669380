"""Rules for credentials: hashing, strength, checking a sign-in."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth import guards
from app.auth.models import Account
from app.errors import DomainError
from app.extensions import db, utcnow
from app.people import names
from app.people.models import Person
from app.people.services import audit, end_sessions

PIN = re.compile(r"^\d{6}$")
MIN_PASSWORD = 8
# PINs a passer-by would guess first.
WEAK_PINS = {"000000", "111111", "222222", "333333", "444444", "555555", "666666", "777777",
             "888888", "999999", "123456", "654321", "123123", "112233", "121212", "012345"}


def _hash(secret: str) -> str:
    return generate_password_hash(secret, method=current_app.config["PASSWORD_HASH_METHOD"])


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not-a-real-secret", method=method)


def ensure_account(person: Person) -> Account:
    """Return the person's account, creating an empty one if needed."""
    if person.account is None:
        person.account = Account(person_id=person.id)
        db.session.flush()
    return person.account


def set_password(person: Person, password: str, *, actor: Person | None) -> None:
    """Set a password of at least 8 characters; every session of the account ends."""
    if len(password or "") < MIN_PASSWORD:
        raise DomainError(_l("Mật khẩu cần ít nhất %(n)s ký tự.", n=MIN_PASSWORD), field="password")
    if person.phone is None:
        raise DomainError(_l("Cần có số điện thoại để đăng nhập bằng mật khẩu."), field="password")
    ensure_account(person).password_hash = _hash(password)
    end_sessions(person)
    audit(actor, person, "credentials.password")


def set_pin(person: Person, pin: str, *, actor: Person | None) -> None:
    """Set a 6-digit PIN that is not one of the easily guessed ones."""
    pin = (pin or "").strip()
    if not PIN.match(pin):
        raise DomainError(_l("Mã PIN gồm đúng 6 chữ số."), field="pin")
    if pin in WEAK_PINS:
        raise DomainError(_l("Mã PIN này quá dễ đoán. Vui lòng chọn 6 số khác."), field="pin")
    ensure_account(person).pin_hash = _hash(pin)
    end_sessions(person)
    audit(actor, person, "credentials.pin")


@dataclass(frozen=True)
class SignIn:
    """The outcome of checking a secret: the person when it was right; the end of a lock when locked."""

    person: Person | None
    locked_until: datetime | None = None


def _matches(account: Account | None, secret: str, *, pin_only: bool = False) -> bool:
    """Check the secret against the one hash it can be, spending the same time when there is none.

    A 6-digit secret can only be a PIN (passwords are longer), so exactly one hash is computed whether
    the account exists, has that kind of secret, or not: timing reveals nothing.
    """
    stored = None
    if account is not None and account.active:
        stored = account.pin_hash if (pin_only or PIN.match(secret)) else account.password_hash
    if stored is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), secret)
        return False
    return check_password_hash(stored, secret)


def _guarded(key: str, person: Person | None, secret: str, *, pin_only: bool = False) -> SignIn:
    if (until := guards.locked_until(key)) is not None:
        _matches(None, secret)  # the same time as a real check
        return SignIn(None, until)
    usable = person is not None and person.erased_at is None
    if _matches(person.account if usable else None, secret, pin_only=pin_only):  # type: ignore[union-attr]
        guards.clear(key)
        return SignIn(person)
    return SignIn(None, guards.record_failure(key))


def authenticate(phone: str, secret: str) -> SignIn:
    """Check a phone number and password or PIN, counting wrong ones against the account."""
    secret = secret or ""
    try:
        clean = names.normalise_phone(phone)
    except ValueError:
        clean = None
    if not clean:
        _matches(None, secret)
        return SignIn(None)
    person = db.session.scalar(select(Person).where(Person.phone == clean))
    if person is None or person.account is None:
        return _guarded(guards.phone_key(clean, current_app.config["SECRET_KEY"]), None, secret)
    return _guarded(guards.person_key(person.id), person, secret)


def check_pin(person: Person, pin: str) -> SignIn:
    """Check a learner's PIN on the kiosk, against the same counter as signing in."""
    return _guarded(guards.person_key(person.id), person, (pin or "").strip(), pin_only=True)


def check_own_secret(person: Person, secret: str) -> SignIn:
    """Check the current password or PIN a person gives before changing it."""
    return _guarded(guards.person_key(person.id), person, secret or "")


def unlock(person: Person, *, actor: Person | None) -> None:
    """Lift a lock after wrong secrets, when staff have checked who the person is."""
    guards.clear(guards.person_key(person.id))
    audit(actor, person, "credentials.unlock")


def is_locked(person: Person) -> bool:
    """Tell whether wrong secrets have locked the person's account just now."""
    return guards.locked_until(guards.person_key(person.id)) is not None


def record_login(person: Person) -> None:
    """Note when the person last signed in."""
    ensure_account(person).last_login_at = utcnow()
