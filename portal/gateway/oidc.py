"""The identity provider's token endpoint: refresh and revoke (discovery cached per process)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from portal.gateway.errors import ApiError, BadRequestError, MalformedResponseError, UnauthorizedError
from portal.gateway.transport import RetryMode, RetryPolicy, Transport

_DISCOVERY_TTL = 3600.0
_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_lock = threading.Lock()


class RefreshRejectedError(ApiError):
    """The provider refused the refresh token (expired, revoked, rotated away): sign in again."""

    default_title = "Your sign-in has expired"


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str
    expires_at: datetime


class OidcClient:
    def __init__(self, *, issuer: str | None = None, policy: RetryPolicy | None = None) -> None:
        self.issuer = (issuer or settings.OIDC_ISSUER_URL).rstrip("/")
        self.transport = Transport(self.issuer, policy or RetryPolicy(retries=2, overall_timeout=10.0))

    def discovery(self) -> dict[str, Any]:
        with _lock:
            cached = _cache.get(self.issuer)
            if cached and time.monotonic() - cached[0] < _DISCOVERY_TTL:
                return cached[1]
        response = self.transport.request(
            "GET", "/.well-known/openid-configuration", route="/.well-known/openid-configuration"
        )
        try:
            document = response.json()
            document["token_endpoint"]
        except (ValueError, KeyError, TypeError):
            raise MalformedResponseError(detail="the provider's discovery document is unusable") from None
        with _lock:
            _cache[self.issuer] = (time.monotonic(), document)
        return document

    def refresh(self, refresh_token: str) -> TokenSet:
        if not refresh_token:
            raise RefreshRejectedError(detail="no refresh token was issued")
        try:
            response = self.transport.request(
                "POST",
                "",
                url=self.discovery()["token_endpoint"],
                route="{token_endpoint}",
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": refresh_token,
                    "client_id": settings.OIDC_CLIENT_ID,
                    "client_secret": settings.OIDC_CLIENT_SECRET,
                },
                # The provider rotates refresh tokens: a resent request would use a spent token.
                mode=RetryMode.UNSAFE_WRITE,
            )
        except (BadRequestError, UnauthorizedError) as exc:
            raise RefreshRejectedError(status=exc.status, request_id=exc.request_id) from None
        try:
            body = response.json()
            return TokenSet(
                access_token=body["access_token"],
                refresh_token=body.get("refresh_token") or refresh_token,
                expires_at=timezone.now() + timedelta(seconds=int(body.get("expires_in", 300))),
            )
        except (ValueError, KeyError, TypeError):
            raise MalformedResponseError(detail="the token endpoint's answer is unusable") from None

    def end_session_url(self) -> str:
        return str(self.discovery().get("end_session_endpoint") or settings.OIDC_END_SESSION_URL)

    def revoke(self, token: str, *, hint: str = "refresh_token") -> None:
        """Best effort: a provider that cannot be reached now will let the token expire."""
        endpoint = self.discovery().get("revocation_endpoint") or settings.OIDC_REVOCATION_URL
        if not endpoint or not token:
            return
        try:
            self.transport.request(
                "POST", "", url=endpoint, route="{revocation_endpoint}",
                data={"token": token, "token_type_hint": hint, "client_id": settings.OIDC_CLIENT_ID,
                      "client_secret": settings.OIDC_CLIENT_SECRET},
                mode=RetryMode.UNSAFE_WRITE,
            )  # fmt: skip
        except ApiError:
            pass
