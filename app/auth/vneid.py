"""Log in with VNeID: a strict OpenID Connect relying party on Authlib, configured only by settings.

No public specification of VNeID's third-party login exists, so this is plain OpenID Connect:
authorization code flow with PKCE (S256), `state` and `nonce`; the provider's endpoints and keys come
from its discovery document (`VNEID_DISCOVERY_URL`). Every check on the ID token is made here,
explicitly, rather than left to library defaults: an algorithm allow-list that can never contain
`none` or a shared-secret algorithm; the signature against the provider's JWKS, fetched once more
when an unknown key id appears (key rotation); issuer, audience and authorised party, expiry and
issue time with a small leeway, and the nonce; and RFC 9207's `iss` authorization-response parameter
whenever the provider sends it (or says it always does).

One Authlib client is kept per application and discovery URL (`app.extensions`), not in the shared
`OAuth` registry: that registry binds to the last application initialised, and tests, the live test
server and the mock provider (whose URL follows the host it is served on) need one each.
"""
from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from typing import Any

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from flask import current_app, session, url_for
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

NAME = "vneid"
TRANSPORTS = "vneid_http_adapters"  # app.extensions key: {url prefix: requests adapter}, for tests
CLIENTS = "vneid_clients"
STATE_LIFETIME = 600  # seconds a login may take between leaving for VNeID and coming back
FORBIDDEN_ALGORITHMS = {"none", "HS256", "HS384", "HS512"}
DISCOVERY_SUFFIX = "/.well-known/openid-configuration"


class VneidError(Exception):
    """A VNeID login that must not go through; `reason` chooses the page the person sees."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class _HttpSession(OAuth2Session):
    """Authlib's requests session, with any transport adapters the app mounts (tests call the mock in-process)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for prefix, adapter in current_app.extensions.get(TRANSPORTS, {}).items():
            self.mount(prefix, adapter)


class _Client(FlaskOAuth2App):
    client_cls = _HttpSession


# --- settings -------------------------------------------------------------------------------------

def discovery_url() -> str | None:
    """Return the provider's discovery URL: the setting, else the bundled mock's when it is on, else None."""
    configured = current_app.config.get("VNEID_DISCOVERY_URL")
    if configured:
        return str(configured)
    if current_app.config.get("VNEID_MOCK_ENABLED"):
        return url_for("mockvneid.discovery", _external=True)
    return None


def enabled() -> bool:
    """Tell whether logging in with VNeID is offered."""
    return discovery_url() is not None


def client_secret() -> str:
    """Return the client secret: the setting, else (for the bundled mock) one derived from SECRET_KEY."""
    configured = current_app.config.get("VNEID_CLIENT_SECRET")
    if configured:
        return str(configured)
    if current_app.config.get("VNEID_MOCK_ENABLED"):
        return hmac.new(str(current_app.config["SECRET_KEY"]).encode(), b"mock-vneid-client-secret",
                        hashlib.sha256).hexdigest()
    return ""


def external_url(endpoint: str) -> str:
    """Return an absolute URL for one of our endpoints (PUBLIC_BASE_URL when set, else the request's host)."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    return f"{base}{url_for(endpoint)}" if base else url_for(endpoint, _external=True)


def allowed_algorithms() -> list[str]:
    """Return the ID-token signing algorithms accepted: the setting, never `none` or a shared-secret one."""
    wanted = str(current_app.config["VNEID_ID_TOKEN_ALGS"]).replace(",", " ").split()
    return [alg for alg in wanted if alg not in FORBIDDEN_ALGORITHMS] or ["RS256"]


def client(url: str | None = None) -> _Client:
    """Return this app's Authlib client for the provider at `url` (the configured one by default)."""
    url = url or discovery_url()
    if url is None:
        raise VneidError("unavailable", "VNeID is not configured")
    cache: dict[str, _Client] = current_app.extensions.setdefault(CLIENTS, {})
    found = cache.get(url)
    loaded_at = found.server_metadata.get("_loaded_at") if found else None
    if found is None or (loaded_at and time.time() - loaded_at > current_app.config["VNEID_METADATA_TTL"]):
        config = current_app.config
        found = _Client(FlaskIntegration(NAME), NAME, client_id=config["VNEID_CLIENT_ID"],
                        client_secret=client_secret(), server_metadata_url=url,
                        client_kwargs={"scope": config["VNEID_SCOPES"], "code_challenge_method": "S256",
                                       "token_endpoint_auth_method": config["VNEID_TOKEN_AUTH_METHOD"],
                                       "default_timeout": config["VNEID_HTTP_TIMEOUT"]})
        found.framework.expires_in = STATE_LIFETIME
        cache[url] = found
    return found


def metadata(provider: _Client) -> dict[str, Any]:
    """Load (once) and check the provider's discovery document."""
    try:
        data = provider.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise VneidError("unavailable", f"discovery failed: {type(error).__name__}") from error
    problem = _metadata_problem(provider, data)
    if problem:
        current_app.extensions.get(CLIENTS, {}).pop(provider._server_metadata_url, None)
        raise VneidError("unavailable", problem)
    return data


def _metadata_problem(provider: _Client, data: Mapping[str, Any]) -> str | None:
    for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(data.get(key), str) or not data.get(key):
            return f"discovery document has no {key}"
    url = str(provider._server_metadata_url)
    # OpenID Connect Discovery 1.0, section 4.3: the issuer is exactly the URL discovery was fetched from.
    if url.endswith(DISCOVERY_SUFFIX) and data["issuer"].rstrip("/") != url[: -len(DISCOVERY_SUFFIX)].rstrip("/"):
        return "discovery document names another issuer"
    return None


# --- the login ------------------------------------------------------------------------------------

def authorization_url(next_url: str | None) -> str:
    """Start a login: remember state, nonce and PKCE verifier in the session; return the provider's URL."""
    provider = client()
    metadata(provider)
    redirect_uri = external_url("auth.vneid_callback")
    created = dict(provider.create_authorization_url(redirect_uri))
    url = created.pop("url")
    provider.save_authorize_data(redirect_uri=redirect_uri, discovery_url=provider._server_metadata_url,
                                 next=next_url, **created)
    return str(url)


def finish_login(args: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check the provider's answer, exchange the code and verify the ID token; return (claims, login data).

    The login data is what `authorization_url` remembered, plus the issuer. Raises VneidError.
    """
    state = args.get("state")
    framework = FlaskIntegration(NAME)
    saved = session.get(f"_state_{NAME}_{state}") if state else None
    # Authlib keeps an expiry with the state but does not check it when reading: check it here.
    fresh = isinstance(saved, dict) and float(saved.get("exp") or 0) >= time.time()
    data = framework.get_state_data(session, state) if fresh else None
    if state:
        framework.clear_state_data(session, state)  # one use only, whatever happens next
    if not data:
        raise VneidError("state", "unknown, expired or replayed state")
    provider = client(data["discovery_url"])
    meta = metadata(provider)
    _check_response_issuer(args.get("iss"), meta)
    if args.get("error"):
        reason = "denied" if args["error"] in ("access_denied", "consent_required") else "refused"
        raise VneidError(reason, args["error"])
    if not args.get("code"):
        raise VneidError("token", "no code in the authorization response")
    token = _exchange_code(provider, args["code"], data)
    if not token.get("id_token"):
        raise VneidError("token", "no id_token in the token response")
    claims = verify_id_token(provider, meta, token["id_token"], nonce=data["nonce"],
                             access_token=token.get("access_token"))
    return _with_userinfo(provider, meta, claims, token), {**data, "issuer": meta["issuer"]}


def _check_response_issuer(iss: str | None, meta: Mapping[str, Any]) -> None:
    # RFC 9207: a mix-up defence. Check it when sent; insist on it when the provider says it always sends it.
    if iss is not None and iss != meta["issuer"]:
        raise VneidError("issuer", "iss parameter names another issuer")
    if iss is None and meta.get("authorization_response_iss_parameter_supported") is True:
        raise VneidError("issuer", "iss parameter missing")


def _exchange_code(provider: _Client, code: str, data: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return dict(provider.fetch_access_token(redirect_uri=data["redirect_uri"], code=code,
                                                code_verifier=data["code_verifier"]))
    except OAuthError as error:
        raise VneidError("token", f"token endpoint refused: {error.error}") from error
    except (requests.RequestException, ValueError) as error:
        raise VneidError("unavailable", f"token endpoint failed: {type(error).__name__}") from error


def verify_id_token(provider: _Client, meta: Mapping[str, Any], id_token: str, *, nonce: str,
                    access_token: str | None = None) -> dict[str, Any]:
    """Verify the ID token's signature and claims; return the claims. Raises VneidError."""
    algorithms = allowed_algorithms()
    try:
        try:
            decoded = _decode(provider, id_token, algorithms, refresh=False)
        except InvalidKeyIdError:
            # The provider may have rotated its keys since we fetched them: fetch them once more.
            decoded = _decode(provider, id_token, algorithms, refresh=True)
        claims = CodeIDToken(decoded.claims, decoded.header, options={
            "iss": {"essential": True, "value": meta["issuer"]},
            "sub": {"essential": True},
            "aud": {"essential": True, "value": provider.client_id},
            "exp": {"essential": True},
            "iat": {"essential": True},
            "nonce": {"essential": True, "value": nonce},
        }, params={"nonce": nonce, "client_id": provider.client_id, "access_token": access_token})
        claims.validate(leeway=current_app.config["VNEID_LEEWAY_SECONDS"])
    except requests.RequestException as error:
        raise VneidError("unavailable", f"JWKS fetch failed: {type(error).__name__}") from error
    except (JoseError, ValueError, KeyError, TypeError) as error:
        raise VneidError("token", f"ID token rejected: {type(error).__name__} {error}") from error
    return dict(claims)


def _decode(provider: _Client, id_token: str, algorithms: list[str], *, refresh: bool) -> jwt.Token:
    keys = KeySet.import_key_set(provider.fetch_jwk_set(force=refresh))
    return jwt.decode(id_token, keys, algorithms=algorithms)


def _with_userinfo(provider: _Client, meta: Mapping[str, Any], claims: dict[str, Any],
                   token: dict[str, Any]) -> dict[str, Any]:
    """Fill claims missing from the ID token from the UserInfo endpoint (ID token claims win)."""
    config = current_app.config
    wanted = [config[key] for key in ("VNEID_CLAIM_CITIZEN_ID", "VNEID_CLAIM_NAME", "VNEID_CLAIM_BIRTHDATE",
                                      "VNEID_CLAIM_GENDER")]
    if all(name in claims for name in wanted) or not meta.get("userinfo_endpoint"):
        return claims
    try:
        response = provider.get(meta["userinfo_endpoint"], token=token)
        response.raise_for_status()
        info = response.json()
    except (requests.RequestException, ValueError, OAuthError) as error:
        raise VneidError("unavailable", f"userinfo failed: {type(error).__name__}") from error
    # OpenID Connect Core 5.3.2: the UserInfo sub must be the ID token's sub, or the answer is not used.
    if not isinstance(info, dict) or info.get("sub") != claims.get("sub"):
        raise VneidError("token", "userinfo sub differs from the ID token")
    return {**info, **claims}


# --- logging out ----------------------------------------------------------------------------------

def end_session_url(discovery: str) -> str | None:
    """Return the provider's end-session URL to send a person to after logging out here, if it has one.

    No id_token_hint is sent: the ID token carries the citizen ID, and sessions here are cookies the
    browser can read, so it is never kept. The provider asks the person to confirm instead.
    """
    try:
        provider = client(discovery)
        meta = metadata(provider)
    except VneidError as error:
        current_app.logger.warning("VNeID end-session skipped: %s", error)
        return None
    if not meta.get("end_session_endpoint"):
        return None
    created = provider.create_logout_url(post_logout_redirect_uri=external_url("home.index"),
                                         client_id=provider.client_id)
    return str(created["url"])
