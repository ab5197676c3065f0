"""Access tokens as RS256 JWTs, signed with the key the provider publishes in its JWKS."""

from __future__ import annotations

import time
import uuid
from functools import lru_cache
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from django.conf import settings
from jwcrypto import jwk
from oauth2_provider.settings import oauth2_settings

from sandbox.identity import identity_claims


def signing_key() -> tuple[str, str]:
    """(PEM, kid) — the kid is the JWK thumbprint, as django-oauth-toolkit's JWKS view uses."""
    pem = oauth2_settings.OIDC_RSA_PRIVATE_KEY
    return pem, _kid(pem)


def signing_private_key() -> RSAPrivateKey:
    """The provider's signing key, loaded (see ``_private_key``)."""
    return _private_key(oauth2_settings.OIDC_RSA_PRIVATE_KEY)


@lru_cache(maxsize=4)
def _private_key(pem: str) -> RSAPrivateKey:
    """The key loaded once per PEM: loading checks the key, which took a third of the sandbox's
    CPU while 64 members signed in (PyJWT loads a PEM it is given on every token): a token took
    47 ms of CPU to sign from the PEM, 3 ms with the loaded key."""
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(key, RSAPrivateKey)
    return key


@lru_cache(maxsize=4)
def _kid(pem: str) -> str:
    return str(jwk.JWK.from_pem(pem.encode()).thumbprint())


def mint_access_token(*, user: Any, scopes: list[str], client_id: str, lifetime: int | None = None) -> str:
    pem, kid = signing_key()
    now = int(time.time())
    payload: dict[str, Any] = {
        "iss": settings.OIDC_ISSUER_URL,
        "aud": settings.CLAIMS_API_AUDIENCE,
        "sub": str(user.pk),
        "client_id": client_id,
        "scope": " ".join(scopes),
        "iat": now,
        "exp": now + (lifetime or oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS),
        "jti": uuid.uuid4().hex,
    }
    payload.update(identity_claims(user))
    payload.pop("role", None)
    payload.pop("zoneinfo", None)
    payload.pop("locale", None)
    return jwt.encode(payload, _private_key(pem), algorithm="RS256", headers={"kid": kid})


def generate_access_token(request: Any) -> str:
    """oauthlib token generator (OAUTH2_PROVIDER['ACCESS_TOKEN_GENERATOR'])."""
    user = request.user
    if user is None and request.client is not None:
        user = request.client.user  # client credentials: the service account behind the client
    return mint_access_token(
        user=user,
        scopes=list(request.scopes or []),
        client_id=request.client_id or request.client.client_id,
        lifetime=request.expires_in,
    )
