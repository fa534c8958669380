"""Configuration from the environment, with safe defaults rooted in the instance folder."""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SECRET_FILE = "secret_key"
DATA_KEY_FILE = "data_key"
CITIZEN_KEY_FILE = "citizen_id_hmac_key"


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Hosts the app answers to when TRUSTED_HOSTS is not set (`make run`, tests); PUBLIC_BASE_URL's host is added.
DEFAULT_TRUSTED_HOSTS = ("localhost", "127.0.0.1")


def _hosts(value: str | None) -> list[str] | None:
    hosts = [h.strip().lower() for h in (value or "").split(",") if h.strip()]
    return hosts or None


def trusted_hosts(configured: list[str] | tuple[str, ...] | None, public_base_url: str | None) -> list[str]:
    """The Host names requests may carry: TRUSTED_HOSTS (else localhost and 127.0.0.1) plus PUBLIC_BASE_URL's host."""
    hosts = list(configured or DEFAULT_TRUSTED_HOSTS)
    public = urlsplit(public_base_url).hostname if public_base_url else None
    if public and public not in hosts:
        hosts.append(public)
    return hosts


def normalise_database_url(url: str) -> str:
    """Point plain postgresql:// URLs at the psycopg 3 driver the app ships with."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_secret(instance_path: Path, name: str) -> str:
    """Read a secret from the instance folder, generating it (mode 0600) on first use."""
    path = instance_path / name
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting together must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def from_env(instance_path: Path, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the configuration dictionary from environment variables."""
    env = os.environ if env is None else env
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'hocvuso.db'}"
    redis_url = env.get("REDIS_URL") or None
    return {
        "SECRET_KEY": env.get("SECRET_KEY") or instance_secret(instance_path, SECRET_FILE),
        # Encrypts sensitive personal data (disability) at rest; keep it apart from SECRET_KEY
        # so rotating session keys never makes stored data unreadable.
        "DATA_ENCRYPTION_KEY": env.get("DATA_ENCRYPTION_KEY")
        or instance_secret(instance_path, DATA_KEY_FILE),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        # No ping before each use of a pooled connection (a round trip on every request): a connection the
        # database dropped fails once, the pool then replaces them all, and a GET is run again (app/errors.py).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},
        "REDIS_URL": redis_url,
        # Without Redis, counters live in the database (app/counters.py), shared by every process.
        "RATELIMIT_STORAGE_URI": redis_url or "database://",
        "RATELIMIT_ENABLED": _flag(env.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "BABEL_DEFAULT_LOCALE": env.get("DEFAULT_LOCALE", "vi"),
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ("vi", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag(env.get("SESSION_COOKIE_SECURE"), False),
        "REMEMBER_COOKIE_SECURE": _flag(env.get("SESSION_COOKIE_SECURE"), False),
        # No new cookie on every response: the idle timeout keeps its own "seen" time in the session and
        # rewrites it at most every 5 minutes (app/auth/sessions.py), which is what keeps a session alive.
        "SESSION_REFRESH_EACH_REQUEST": False,
        # Pages under 500 bytes go out as they are; brotli at quality 2 costs about half of quality 4 on a page
        # and makes it about a tenth bigger (docs/PERFORMANCE.md, "Daily pages").
        "COMPRESS_MIN_SIZE": 500,
        "COMPRESS_BR_LEVEL": 2,
        "WTF_CSRF_TIME_LIMIT": None,  # a form left open on a tablet all morning still submits
        "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0") or 0),
        "PASSWORD_HASH_METHOD": "scrypt",
        "COURSES_DIR": env.get("COURSES_DIR") or str(Path(__file__).resolve().parent.parent / "courses"),
        "CERTIFICATES_DIR": env.get("CERTIFICATES_DIR")
        or str(Path(__file__).resolve().parent.parent / "certificates"),
        "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL", "").rstrip("/") or None,
        # Comma-separated Host names (".example.vn" takes subdomains too); requests for any other host get 400,
        # so a forged Host header can never end up in a link. Completed by `trusted_hosts` at start-up.
        "TRUSTED_HOSTS": _hosts(env.get("TRUSTED_HOSTS")),
        "CONSENT_POLICY_VERSION": env.get("CONSENT_POLICY_VERSION", "2026-01"),
        # Signed-in sessions end after this long unused: staff, and learners (on their own phone).
        "SESSION_IDLE_MINUTES": int(env.get("SESSION_IDLE_MINUTES") or 8 * 60),
        "LEARNER_SESSION_IDLE_MINUTES": int(env.get("LEARNER_SESSION_IDLE_MINUTES") or 7 * 24 * 60),
        # Uploads: rows an imported CSV/XLSX may hold (app/imports/tabular.py checks an XLSX's size first).
        "IMPORT_MAX_ROWS": int(env.get("IMPORT_MAX_ROWS") or 20_000),
        # Shared tablets sign a learner out after this long without a touch (a commune's officer may change them):
        # on a lesson or quiz question, and on every other page.
        "KIOSK_IDLE_LESSON_SECONDS": int(env.get("KIOSK_IDLE_LESSON_SECONDS") or 300),
        "KIOSK_IDLE_SECONDS": int(env.get("KIOSK_IDLE_SECONDS") or 120),
        **vneid_settings(env),
    }


def vneid_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """Settings for logging in with VNeID (or any OpenID Connect provider) and the bundled mock provider."""
    return {
        # Keyed hash of citizen ID numbers; read (or generated into the instance folder) on first use,
        # so processes that never see a citizen ID never write the file.
        "CITIZEN_ID_HMAC_KEY": env.get("CITIZEN_ID_HMAC_KEY") or None,
        # Unset: the bundled mock provider's discovery URL when the mock is enabled, else VNeID is off.
        "VNEID_DISCOVERY_URL": env.get("VNEID_DISCOVERY_URL") or None,
        "VNEID_CLIENT_ID": env.get("VNEID_CLIENT_ID") or "hocvuso",
        # Unset with the mock enabled: derived from SECRET_KEY, and the mock registers the same one.
        "VNEID_CLIENT_SECRET": env.get("VNEID_CLIENT_SECRET") or None,
        "VNEID_TOKEN_AUTH_METHOD": env.get("VNEID_TOKEN_AUTH_METHOD") or "client_secret_basic",
        "VNEID_SCOPES": env.get("VNEID_SCOPES") or "openid profile",
        "VNEID_CLAIM_CITIZEN_ID": env.get("VNEID_CLAIM_CITIZEN_ID") or "citizen_id",
        "VNEID_CLAIM_NAME": env.get("VNEID_CLAIM_NAME") or "name",
        "VNEID_CLAIM_BIRTHDATE": env.get("VNEID_CLAIM_BIRTHDATE") or "birthdate",
        "VNEID_CLAIM_GENDER": env.get("VNEID_CLAIM_GENDER") or "gender",
        "VNEID_CLAIM_ASSURANCE": env.get("VNEID_CLAIM_ASSURANCE") or "acr",
        "VNEID_ID_TOKEN_ALGS": env.get("VNEID_ID_TOKEN_ALGS") or "RS256 PS256 ES256",
        "VNEID_LEEWAY_SECONDS": int(env.get("VNEID_LEEWAY_SECONDS") or 60),
        "VNEID_HTTP_TIMEOUT": float(env.get("VNEID_HTTP_TIMEOUT") or 10),
        "VNEID_METADATA_TTL": int(env.get("VNEID_METADATA_TTL") or 3600),
        "VNEID_MATCH_LIMIT": env.get("VNEID_MATCH_LIMIT") or "5 per 15 minutes",
        # Never on unless asked for: `make run` asks for it when no other provider is configured.
        "VNEID_MOCK_ENABLED": _flag(env.get("VNEID_MOCK_ENABLED"), False),
        "VNEID_MOCK_KEY_FILE": env.get("VNEID_MOCK_KEY_FILE") or None,
    }


TEST_OVERRIDES: dict[str, Any] = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "DATA_ENCRYPTION_KEY": "test-data-key",
    "RATELIMIT_ENABLED": False,
    "RATELIMIT_STORAGE_URI": "memory://",
    # Hashing is deliberately slow in production; tests need thousands of them.
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "SERVER_NAME": None,
    "CITIZEN_ID_HMAC_KEY": "test-citizen-id-key",
    # Tests log in against the bundled mock provider, served by the test app itself.
    "VNEID_MOCK_ENABLED": True,
}
