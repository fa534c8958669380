"""Each commune's signing key: created on first use, private half encrypted at rest, public halves published."""
from __future__ import annotations

import secrets
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select

from app import crypto
from app.certificates import credential
from app.certificates.models import SigningKey
from app.extensions import db
from app.places.models import Commune


def issuer_id(base_url: str, commune: Commune) -> str:
    """The commune's issuer profile URL, which also names its keys (`…#kid`)."""
    return f"{base_url.rstrip('/')}/issuers/{commune.code}.json"


def _current(commune: Commune) -> SigningKey | None:
    return db.session.scalar(select(SigningKey).where(SigningKey.commune_id == commune.id,
                                                      SigningKey.retired_at.is_(None))
                             .order_by(SigningKey.created_at.desc()))


def current_key(commune: Commune, secret: str) -> tuple[SigningKey, Ed25519PrivateKey] | None:
    """Return the commune's current key and its private half, or None when it has none (never creates one)."""
    key = _current(commune)
    return None if key is None else (key, _private_half(key, secret))


def active_key(commune: Commune, secret: str) -> tuple[SigningKey, Ed25519PrivateKey]:
    """Return the commune's current key (creating one the first time) and its private half."""
    key = _current(commune)
    if key is None:
        private = credential.generate_key()
        kid = f"{commune.code}-{secrets.token_hex(6)}"
        pem = credential.private_key_to_pem(private).decode()
        key = SigningKey(commune_id=commune.id, kid=kid, private_encrypted=crypto.encrypt(pem, secret),
                         public_jwk=credential.public_jwk(private.public_key(), kid))
        db.session.add(key)
        db.session.flush()
        return key, private
    return key, _private_half(key, secret)


def _private_half(key: SigningKey, secret: str) -> Ed25519PrivateKey:
    cached = _private.get(key.kid)
    if cached is None or cached[0] != key.private_encrypted:
        pem = str(crypto.decrypt(key.private_encrypted, secret))
        cached = _private[key.kid] = (key.private_encrypted, credential.private_key_from_pem(pem.encode()))
    return cached[1]


# Decrypting and parsing a key for every certificate of a bulk issue would dominate its cost.
_private: dict[str, tuple[bytes, Ed25519PrivateKey]] = {}


def jwks() -> dict[str, Any]:
    """Every commune's public keys, retired ones too, so old credentials still verify."""
    return {"keys": [k.public_jwk for k in db.session.scalars(select(SigningKey).order_by(SigningKey.id))]}


def resolver(issuer_id: str, commune_id: int) -> Any:
    """Return a function that finds the public key for a verification method of this issuer only."""

    def resolve(method: str) -> Ed25519PublicKey | None:
        prefix, _, kid = method.partition("#")
        if prefix != issuer_id or not kid:
            return None
        key = db.session.scalar(select(SigningKey).where(SigningKey.kid == kid,
                                                         SigningKey.commune_id == commune_id))
        return credential.public_key_from_jwk(key.public_jwk) if key else None

    return resolve
