"""Bearer JWT verification as a real resource server does it: against the provider's JWKS.

The JWKS URL comes from the issuer's discovery document, fetched over HTTP and cached.
"""

from __future__ import annotations

import functools
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
import requests
from django.conf import settings
from django.http import HttpRequest

from sandbox.api.problems import ApiProblem

_REALM = 'Bearer realm="claims-api"'
_WWW_INVALID = f'{_REALM}, error="invalid_token"'
_lock = threading.Lock()
_jwks_clients: dict[str, jwt.PyJWKClient] = {}
_LEEWAY_SECONDS = 5


@dataclass(frozen=True)
class Caller:
    sub: str
    scopes: frozenset[str]
    person_id: uuid.UUID | None
    business_entity_id: uuid.UUID | None
    employer_id: uuid.UUID | None

    @property
    def is_admin(self) -> bool:
        return self.business_entity_id is not None

    def require_scope(self, scope: str) -> None:
        if scope not in self.scopes:
            raise ApiProblem(
                403,
                f"The access token lacks the '{scope}' scope.",
                headers={"WWW-Authenticate": f'{_REALM}, error="insufficient_scope", scope="{scope}"'},
            )


def _unauthorized(detail: str) -> ApiProblem:
    return ApiProblem(401, detail, headers={"WWW-Authenticate": _WWW_INVALID})


def _jwks_client() -> jwt.PyJWKClient:
    issuer = settings.OIDC_ISSUER_URL
    with _lock:
        client = _jwks_clients.get(issuer)
        if client is None:
            try:
                discovery = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=(3, 5))
                discovery.raise_for_status()
                jwks_uri = discovery.json()["jwks_uri"]
            except (requests.RequestException, ValueError, KeyError):
                raise ApiProblem(503, "The token issuer could not be reached to verify the token.") from None
            client = jwt.PyJWKClient(jwks_uri, cache_keys=True, lifespan=300, timeout=5)
            _jwks_clients[issuer] = client
        return client


def _uuid_claim(claims: Mapping[str, Any], name: str) -> uuid.UUID | None:
    value = claims.get(name)
    if value in (None, ""):
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise _unauthorized(f"The access token's '{name}' claim is not a UUID.") from None


def authenticate(request: HttpRequest) -> Caller:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("A bearer access token is required.")
    claims = _verified_claims(token.strip(), settings.OIDC_ISSUER_URL, settings.CLAIMS_API_AUDIENCE)
    if claims["exp"] + _LEEWAY_SECONDS < time.time():
        # Checked on every call: a token verified while valid is not taken once it has expired.
        raise _unauthorized("The access token has expired.")
    scope = claims.get("scope", "")
    return Caller(
        sub=str(claims["sub"]),
        scopes=frozenset(scope.split()) if isinstance(scope, str) else frozenset(),
        person_id=_uuid_claim(claims, "person_id"),
        business_entity_id=_uuid_claim(claims, "business_entity_id"),
        employer_id=_uuid_claim(claims, "employer_id"),
    )


@functools.lru_cache(maxsize=4096)
def _verified_claims(token: str, issuer: str, audience: str) -> Mapping[str, Any]:
    """The claims of a token whose signature, issuer and audience check out.

    Kept per token string (as resource servers keep validated tokens), so a client's calls with
    one token verify its RS256 signature once; the expiry is checked by the caller on every
    call. A token that fails is not kept (errors are not cached).
    """
    try:
        signing_key = _jwks_client().get_signing_key_from_jwt(token)
    except ApiProblem:
        raise
    except jwt.PyJWKClientConnectionError:
        raise ApiProblem(503, "The token issuer's keys could not be fetched.") from None
    except jwt.PyJWTError:
        raise _unauthorized("The access token is invalid or has expired.") from None
    try:
        claims = jwt.decode(
            token,
            signing_key.key,
            algorithms=["RS256"],
            audience=audience,
            issuer=issuer,
            leeway=_LEEWAY_SECONDS,
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
    except jwt.ExpiredSignatureError:
        raise _unauthorized("The access token has expired.") from None
    except jwt.InvalidIssuerError:
        raise _unauthorized("The access token was issued by another identity provider.") from None
    except jwt.InvalidAudienceError:
        raise _unauthorized("The access token is not meant for this API (audience).") from None
    except jwt.PyJWTError:
        raise _unauthorized("The access token is invalid or has expired.") from None
    return claims
