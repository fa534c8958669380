"""Sensitive personal data (disability): the official kinds, and encryption at rest."""
from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from flask_babel import lazy_gettext as _l

# The kinds of disability in the Law on Persons with Disabilities (51/2010/QH12, Article 3).
DISABILITY_KINDS = {
    "mobility": _l("Khuyết tật vận động"),
    "hearing_speech": _l("Khuyết tật nghe, nói"),
    "vision": _l("Khuyết tật nhìn"),
    "psychosocial": _l("Khuyết tật thần kinh, tâm thần"),
    "intellectual": _l("Khuyết tật trí tuệ"),
    "other": _l("Khuyết tật khác"),
    "undisclosed": _l("Không muốn nêu cụ thể"),
}


def _fernet(secret: str) -> Fernet:
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
