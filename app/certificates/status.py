"""Revocation status lists: each commune's W3C Bitstring Status List, its entries, and the issuing lock."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from app.certificates import credential, keys
from app.certificates.models import Certificate, StatusListCounter
from app.errors import DomainError
from app.extensions import db
from app.places.models import Commune

# How long an officer waits for another officer's issue of the same commune before being told so.
LOCK_TIMEOUT_SECONDS = 10
BUSY = _l("Giấy chứng nhận của xã đang được một cán bộ khác cấp. Vui lòng đợi một lát rồi thử lại.")


def lock(commune_id: int) -> None:
    """Hold the commune's issuing lock until the transaction ends, so a second officer waits for the first.

    Whoever holds it reads certificates and completions afresh and sees what the other one committed; a wait
    longer than LOCK_TIMEOUT_SECONDS ends in a DomainError saying another officer is issuing.
    """
    # The counter row is the lock: PostgreSQL locks the updated row; on SQLite this first write of the
    # transaction takes the database's write lock (the reads before it were not in a transaction).
    touch = (update(StatusListCounter).where(StatusListCounter.commune_id == commune_id)
             .values(allocated=StatusListCounter.allocated).execution_options(synchronize_session=False))
    try:
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'"))
        if db.session.execute(touch).rowcount == 0:
            try:
                with db.session.begin_nested():
                    db.session.execute(insert(StatusListCounter).values(commune_id=commune_id, allocated=0))
            except IntegrityError:  # another officer created it a moment ago: wait for them
                db.session.execute(touch)
    except OperationalError as error:  # lock wait timed out (PostgreSQL) or database busy (SQLite)
        raise DomainError(BUSY) from error


def allocate(commune_id: int, count: int) -> list[int]:
    """Take the next `count` status list indexes of a commune (the caller holds `lock`)."""
    bump = (update(StatusListCounter).where(StatusListCounter.commune_id == commune_id)
            .values(allocated=StatusListCounter.allocated + count).returning(StatusListCounter.allocated))
    last = db.session.scalar(bump)
    if last is None:  # not locked first (scripts, tests): make the row
        lock(commune_id)
        last = db.session.scalar(bump)
    return list(range(last - count, last))


def list_url(base_url: str, commune: Commune) -> str:
    """The public URL of the commune's revocation list, named in every credential's credentialStatus."""
    return f"{base_url.rstrip('/')}/status/{commune.code}/revocation.json"


def revoked_indexes(commune_id: int) -> list[int]:
    """The list indexes of the commune's revoked certificates."""
    return list(db.session.scalars(select(Certificate.status_index).where(
        Certificate.commune_id == commune_id, Certificate.status == "revoked", Certificate.status_index.is_not(None))))


def signed_list(commune: Commune, *, base_url: str, secret: str, now: dt.datetime) -> dict[str, Any] | None:
    """The commune's BitstringStatusListCredential, signed with its key; None when it has never signed anything."""
    signing = keys.current_key(commune, secret)
    if signing is None:
        return None
    key, private = signing
    counter = db.session.get(StatusListCounter, commune.id)
    # Grows in whole 16 KiB steps, should a commune ever hand out more than 131,072 entries.
    size = -(-max(counter.allocated if counter else 0, 1) // credential.STATUS_LIST_BITS) * credential.STATUS_LIST_BITS
    issuer = keys.issuer_id(base_url, commune)
    unsigned = credential.build_status_list_credential(
        list_id=list_url(base_url, commune), issuer_id=issuer, revoked_indexes=revoked_indexes(commune.id),
        valid_from=now, size=size)
    return credential.sign_credential(unsigned, private, f"{issuer}#{key.kid}")
