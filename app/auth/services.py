"""Rules for credentials: hashing, strength, checking a sign-in."""
from __future__ import annotations

import re
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.models import Account
from app.errors import DomainError
from app.extensions import db, utcnow
from app.people import names
from app.people.models import Person
from app.people.services import audit

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
    """Set a password of at least 8 characters."""
    if len(password or "") < MIN_PASSWORD:
        raise DomainError(_l("Mật khẩu cần ít nhất %(n)s ký tự.", n=MIN_PASSWORD), field="password")
    if person.phone is None:
        raise DomainError(_l("Cần có số điện thoại để đăng nhập bằng mật khẩu."), field="password")
    ensure_account(person).password_hash = _hash(password)
    audit(actor, person, "credentials.password")


def set_pin(person: Person, pin: str, *, actor: Person | None) -> None:
    """Set a 6-digit PIN that is not one of the easily guessed ones."""
    pin = (pin or "").strip()
    if not PIN.match(pin):
        raise DomainError(_l("Mã PIN gồm đúng 6 chữ số."), field="pin")
    if pin in WEAK_PINS:
        raise DomainError(_l("Mã PIN này quá dễ đoán. Vui lòng chọn 6 số khác."), field="pin")
    ensure_account(person).pin_hash = _hash(pin)
    audit(actor, person, "credentials.pin")


def authenticate(phone: str, secret: str) -> Person | None:
    """Return the person whose phone and password or PIN match, or None."""
    try:
        clean = names.normalise_phone(phone)
    except ValueError:
        return None
    person = db.session.scalar(select(Person).where(Person.phone == clean)) if clean else None
    account = person.account if person else None
    if account is None or not person.is_active:  # type: ignore[union-attr]
        # Spend the same time as a real check, so timing does not reveal who has an account.
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), secret or "")
        return None
    ok = False
    if account.pin_hash and PIN.match(secret or ""):
        ok = check_password_hash(account.pin_hash, secret)
    if not ok and account.password_hash:
        ok = check_password_hash(account.password_hash, secret or "")
    return person if ok else None


def record_login(person: Person) -> None:
    """Note when the person last signed in."""
    ensure_account(person).last_login_at = utcnow()
