"""Encryption at rest: a JSON value sealed with a key derived from the app's data key (Fernet).

People's disability records and each commune's certificate signing key are stored this way.
"""
from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken


def _fernet(secret: str) -> Fernet:
    # The derivation (and its "sensitive" label) is fixed: it is how every value already stored was sealed.
    key = hashlib.sha256(("hocvuso-sensitive-v1:" + secret).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: object, secret: str) -> bytes:
    """Encrypt a JSON-serialisable value with the data key."""
    return _fernet(secret).encrypt(json.dumps(value, ensure_ascii=False).encode())


def decrypt(token: bytes, secret: str) -> object:
    """Decrypt a value written by `encrypt`; raise ValueError when the key does not match."""
    try:
        return json.loads(_fernet(secret).decrypt(token))
    except InvalidToken as exc:
        raise ValueError("sensitive data cannot be decrypted with this key") from exc
