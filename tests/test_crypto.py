"""Encryption at rest: a value comes back only with the key it was sealed with, and old values still open."""
from __future__ import annotations

import base64
import hashlib
import json

import pytest
from cryptography.fernet import Fernet

from app import crypto


def test_a_value_comes_back_as_it_went_in() -> None:
    value = {"kinds": ["vision", "hearing_speech"], "needs": "Cần chữ to, người đọc giúp"}
    token = crypto.encrypt(value, "data-key")
    assert crypto.decrypt(token, "data-key") == value
    assert b"vision" not in token and "Cần chữ".encode() not in token


def test_another_key_cannot_open_it() -> None:
    token = crypto.encrypt("bí mật", "data-key")
    with pytest.raises(ValueError, match="cannot be decrypted with this key"):
        crypto.decrypt(token, "another-key")


def test_values_stored_with_the_original_key_derivation_still_open() -> None:
    # Disability records and signing keys already in the database were sealed this way; it must never change.
    key = base64.urlsafe_b64encode(hashlib.sha256(b"hocvuso-sensitive-v1:data-key").digest())
    stored = Fernet(key).encrypt(json.dumps(["mobility"]).encode())
    assert crypto.decrypt(stored, "data-key") == ["mobility"]
