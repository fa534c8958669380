"""The mock provider assembled from Authlib's server components.

Authorization code grant with PKCE (S256 only, required), OpenID Connect ID tokens signed with the
mock's RSA key, RFC 9207's `iss` on every authorization response, a UserInfo endpoint and
RP-initiated logout. One server per application (`app.extensions`), built on first use.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from authlib.common.security import generate_token
from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import InvalidRequestError, grants
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc9207 import IssuerParameter
from authlib.oidc.core import OpenIDCode, UserInfo, UserInfoEndpoint
from authlib.oidc.rpinitiated import EndSessionEndpoint, EndSessionRequest
from flask import current_app, request, url_for
from joserfc.jwk import KeySet, RSAKey

from app.auth import vneid
from app.mockvneid import citizens, keys, services
from app.mockvneid.models import MockAuthorizationCode, MockClient, MockToken

EXTENSION = "mockvneid_server"
ID_TOKEN_LIFETIME = 600
ACCESS_TOKEN_LIFETIME = 600
SCOPES = ["openid", "profile"]
SESSION_COOKIE = "mock_vneid_sid"


def issuer() -> str:
    """Return the mock's issuer identifier: its base URL on the host it is being reached at."""
    return url_for("mockvneid.index", _external=True).rstrip("/")


@dataclass(frozen=True)
class Approval:
    """What the citizen approved on their phone: who they are, and their session at the provider."""

    citizen: citizens.Citizen
    session_id: str | None


class CodeGrant(grants.AuthorizationCodeGrant):
    """Authorization code grant, storing codes in the mock's table."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code: str, request: Any) -> MockAuthorizationCode:
        approval: Approval = request.user
        data = request.payload.data
        return services.save_code(code, client=request.client, redirect_uri=request.payload.redirect_uri or "",
                                  scope=request.scope, nonce=data.get("nonce"), citizen=approval.citizen,
                                  session_id=approval.session_id, challenge=data.get("code_challenge"),
                                  challenge_method=data.get("code_challenge_method"))

    def query_authorization_code(self, code: str, client: MockClient) -> MockAuthorizationCode | None:
        return services.usable_code(code, client)

    def delete_authorization_code(self, authorization_code: MockAuthorizationCode) -> None:
        services.use_code(authorization_code)

    def authenticate_user(self, authorization_code: MockAuthorizationCode) -> citizens.Citizen:
        return citizens.find(authorization_code.citizen_id)


class S256Challenge(CodeChallenge):
    """PKCE, required for every client, S256 only (plain offers no protection once the request leaks)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE with code_challenge_method=S256 is required.")
        super().validate_code_challenge(grant, redirect_uri)


class OpenIDExtension(OpenIDCode):
    """Sign ID tokens with the current key, naming it by kid; add the provider session id."""

    DEFAULT_EXPIRES_IN = ID_TOKEN_LIFETIME

    def resolve_client_private_key(self, client: MockClient) -> RSAKey:
        return keys.signing_key()

    def get_client_algorithm(self, client: MockClient) -> str:
        return "RS256"

    def get_encode_header(self, client: MockClient) -> dict[str, str]:
        return {"alg": "RS256", "kid": str(keys.signing_key().kid)}

    def get_client_claims(self, client: MockClient) -> dict[str, Any]:
        return {"iss": issuer(), "aud": client.client_id}

    def get_authorization_code_claims(self, authorization_code: MockAuthorizationCode) -> dict[str, Any]:
        claims = super().get_authorization_code_claims(authorization_code)
        if authorization_code.session_id:
            claims["sid"] = authorization_code.session_id
        return claims

    def exists_nonce(self, nonce: str, request: Any) -> bool:
        return services.nonce_used(request.payload.client_id, nonce)

    def generate_user_info(self, user: citizens.Citizen, scope: str) -> UserInfo:
        return UserInfo(citizens.claims(user, scope))


class Issuer(IssuerParameter):
    """RFC 9207: name the issuer in every authorization response."""

    def get_issuer(self) -> str:
        return issuer()


class TokenValidator(BearerTokenValidator):
    """Bearer tokens for the UserInfo endpoint."""

    def authenticate_token(self, token_string: str) -> MockToken | None:
        return services.token_for(token_string)


class UserInfoView(UserInfoEndpoint):
    """The UserInfo endpoint: the same claims as the ID token, for the token's scope."""

    def get_issuer(self) -> str:
        return issuer()

    def generate_user_info(self, user: citizens.Citizen, scope: str) -> UserInfo:
        return UserInfo(citizens.claims(user, scope))

    def resolve_private_key(self) -> RSAKey:
        return keys.signing_key()


class EndSession(EndSessionEndpoint):
    """RP-initiated logout: end the citizen's session at the provider."""

    def get_server_jwks(self) -> KeySet:
        return keys.published()

    def get_algorithms(self) -> list[str]:
        return ["RS256"]

    def is_post_logout_redirect_uri_legitimate(self, request: Any, post_logout_redirect_uri: str, client: Any,
                                               logout_hint: str | None) -> bool:
        # Without an id_token_hint the person confirms on the mock's page (a CSRF-checked POST) first.
        return request.method == "POST"

    def end_session(self, end_session_request: EndSessionRequest) -> None:
        claims = end_session_request.id_token_claims or {}
        services.end_session(claims.get("sid") or request.cookies.get(SESSION_COOKIE))


def _query_client(client_id: str) -> MockClient | None:
    """Find a client; this app itself may return to its own addresses on whatever host the mock is served."""
    client = services.query_client(client_id)
    if client is not None and client_id == current_app.config["VNEID_CLIENT_ID"]:
        client.local_redirect_uris = (vneid.external_url("auth.vneid_callback"),)
        client.local_logout_uris = (vneid.external_url("home.index"),)
    return client


def _save_token(token: dict[str, Any], oauth_request: Any) -> None:
    code = oauth_request.authorization_code
    user: citizens.Citizen = oauth_request.user
    services.save_token(token, client=oauth_request.client, citizen_id=user.id_number,
                        code_id=code.id if code is not None else None)


def server() -> AuthorizationServer:
    """Return this app's mock authorization server, building it on first use."""
    found = current_app.extensions.get(EXTENSION)
    if found is None:
        found = current_app.extensions[EXTENSION] = _build()
    return found


def _build() -> AuthorizationServer:
    built = AuthorizationServer()
    built.init_app(current_app, query_client=_query_client, save_token=_save_token)
    built.scopes_supported = SCOPES
    built.register_token_generator("default", BearerTokenGenerator(
        lambda **_kwargs: generate_token(42), expires_generator=lambda _client, _grant: ACCESS_TOKEN_LIFETIME))
    built.register_grant(CodeGrant, [S256Challenge(required=True), OpenIDExtension(require_nonce=True)])
    built.register_extension(Issuer())
    protector = ResourceProtector()
    protector.register_token_validator(TokenValidator())
    built.register_endpoint(UserInfoView(resource_protector=protector))
    built.register_endpoint(EndSession)
    return built


def discovery_document() -> dict[str, Any]:
    """Return the OpenID Provider metadata (OpenID Connect Discovery 1.0)."""
    def external(endpoint: str) -> str:
        return url_for(endpoint, _external=True)

    return {
        "issuer": issuer(),
        "authorization_endpoint": external("mockvneid.authorize"),
        "token_endpoint": external("mockvneid.token"),
        "userinfo_endpoint": external("mockvneid.userinfo"),
        "jwks_uri": external("mockvneid.jwks"),
        "end_session_endpoint": external("mockvneid.end_session"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": SCOPES,
        "token_endpoint_auth_methods_supported": CodeGrant.TOKEN_ENDPOINT_AUTH_METHODS,
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "sid",
                             "citizen_id", "name", "birthdate", "gender"],
        "acr_values_supported": [citizens.LEVEL_ACR % level for level in (1, 2)],
        "authorization_response_iss_parameter_supported": True,
        "claims_parameter_supported": False,
        "request_parameter_supported": False,
        "ui_locales_supported": ["vi"],
    }
