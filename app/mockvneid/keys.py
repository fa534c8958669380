"""The mock provider's signing keys: RSA keys generated into the instance folder, published as a JWKS.

`rotate()` makes a new signing key and keeps the previous one published, as a real provider does while
ID tokens signed with the old key may still be in flight; relying parties meet an unknown key id and
must fetch the JWKS again.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from flask import current_app
from joserfc.jwk import KeySet, RSAKey

KEY_FILE = "mock_vneid_key.pem"
KEY_BITS = 2048


def key_path() -> Path:
    """Return where the current signing key lives (VNEID_MOCK_KEY_FILE, else the instance folder)."""
    configured = current_app.config.get("VNEID_MOCK_KEY_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / KEY_FILE


def previous_path(current: Path) -> Path:
    """Return where the previous (rotated-out, still published) key lives."""
    return current.with_name(current.stem + ".previous" + current.suffix)


def _write_new(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = RSAKey.generate_key(KEY_BITS, private=True).as_pem(private=True)
    try:  # O_EXCL: two processes starting together must not write two different keys
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


@lru_cache(maxsize=8)
def _load(path: str, _mtime_ns: int) -> RSAKey:
    key = RSAKey.import_key(Path(path).read_bytes())
    key.ensure_kid()  # RFC 7638 thumbprint
    return key


def _key_at(path: Path) -> RSAKey | None:
    try:
        return _load(str(path), path.stat().st_mtime_ns)
    except FileNotFoundError:
        return None


def signing_key() -> RSAKey:
    """Return the current private signing key, generating it on first use."""
    path = key_path()
    if not path.exists():
        _write_new(path)
    key = _key_at(path)
    assert key is not None
    return key


def published() -> KeySet:
    """Return the public keys relying parties may verify with: the current one and the previous one."""
    current = signing_key()
    keys = [RSAKey.import_key(current.as_dict(private=False))]
    previous = _key_at(previous_path(key_path()))
    if previous is not None:
        keys.append(RSAKey.import_key(previous.as_dict(private=False)))
    return KeySet(keys)


def rotate() -> str:
    """Make a new signing key, keep the current one published as the previous one; return the new kid."""
    path = key_path()
    signing_key()
    fresh = path.with_name(path.name + ".new")
    fresh.unlink(missing_ok=True)
    _write_new(fresh)
    os.replace(path, previous_path(path))
    os.replace(fresh, path)
    return str(signing_key().kid)
