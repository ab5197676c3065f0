"""The signed-in user's tokens: stored encrypted, refreshed before expiry, refreshed once.

A user's concurrent requests share one refresh: a per-user lock in this process and a cache lock
across processes (Redis in production), then a re-read that sees another request's new token.

The encrypted access token and its expiry are also kept in the cache for AUTH_USER_CACHE_SECONDS
(never past the point where it is refreshed), so an API call does not read the database each time.
Only the ciphertext is kept, as in the database; every save or delete of the row clears the copy,
and a refresh always reads the row itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from portal import crypto
from portal.cache import spread
from portal.gateway.client import ClaimsApiClient
from portal.gateway.oidc import OidcClient, RefreshRejectedError
from portal.models import OidcTokens

EARLY_REFRESH = timedelta(seconds=60)
# Striped locks: bounded memory however many users; two users rarely share a stripe, and sharing
# one only makes their refreshes take turns.
_STRIPES = [threading.Lock() for _ in range(256)]


def _cache_key(user_id: int) -> str:
    return f"portal:access-token:{user_id}"


@receiver([post_save, post_delete], sender=OidcTokens, dispatch_uid="portal-access-token-cache")
def _tokens_changed(sender: type[OidcTokens], instance: OidcTokens, **kwargs: object) -> None:
    cache.delete(_cache_key(instance.user_id))


class ReauthenticationRequired(Exception):
    """The user must sign in again (no tokens, or the provider refused the refresh token)."""


def store_tokens(*, user_id: int, access_token: str, refresh_token: str, expires_at: datetime) -> None:
    OidcTokens.objects.update_or_create(
        user_id=user_id,
        defaults={
            "access_token": crypto.encrypt(access_token),
            "refresh_token": crypto.encrypt(refresh_token) if refresh_token else "",
            "expires_at": expires_at,
        },
    )


def forget_tokens(*, user_id: int, revoke: bool = True) -> None:
    """Delete the user's tokens; by default also revoke the refresh token at the provider."""
    row = OidcTokens.objects.filter(user_id=user_id).first()
    if row is None:
        return
    row.delete()
    if revoke and row.refresh_token:
        try:
            OidcClient().revoke(crypto.decrypt(row.refresh_token))
        except crypto.TokenDecryptionError:
            pass


@contextmanager
def _single_flight(user_id: int) -> Iterator[None]:
    with _STRIPES[user_id % len(_STRIPES)]:
        key = f"portal:token-refresh:{user_id}"
        deadline = time.monotonic() + 15
        while not cache.add(key, 1, timeout=20):
            if time.monotonic() > deadline:
                break  # a crashed holder: its lock expires; go ahead rather than hang the user
            time.sleep(0.05)
        try:
            yield
        finally:
            cache.delete(key)


class UserTokenProvider:
    """The gateway's TokenProvider for one signed-in user (one instance per request)."""

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id
        self._token: str | None = None
        self._expires_at: datetime | None = None
        self._owner = threading.current_thread()
        # A claim page asks for its parts in parallel (gather): the first call reads and decrypts
        # the token, the others wait for it instead of each reading the database.
        self._lock = threading.Lock()

    def _load(self) -> OidcTokens:
        try:
            row = OidcTokens.objects.filter(user_id=self.user_id).first()
        finally:
            self._release_off_thread_connections()
        if row is None:
            raise ReauthenticationRequired("no tokens on file")
        return row

    def _release_off_thread_connections(self) -> None:
        """Gateway pool threads (gather) must not keep database connections open."""
        if threading.current_thread() is not self._owner:
            connections.close_all()

    def get(self) -> str:
        with self._lock:
            if self._token is None or self._expiring(self._expires_at):
                ciphertext, expires_at = self._stored_access_token()
                token = self._decrypt(ciphertext)
                if self._expiring(expires_at):
                    return self.refresh(token)
                self._token, self._expires_at = token, expires_at
            return self._token

    def _stored_access_token(self) -> tuple[str, datetime]:
        """(ciphertext, expires_at) from the cache, or from the database and then kept."""
        keep_for = settings.AUTH_USER_CACHE_SECONDS
        key = _cache_key(self.user_id)
        cached = cache.get(key) if keep_for > 0 else None
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        row = self._load()
        usable_for = int((row.expires_at - timezone.now() - EARLY_REFRESH).total_seconds())
        if keep_for > 0 and usable_for > 1:
            # add, not set: a newer token stored meanwhile (which cleared the key) is not overwritten
            cache.add(key, (row.access_token, row.expires_at), spread(min(keep_for, usable_for)))
        return row.access_token, row.expires_at

    def refresh(self, stale: str) -> str:
        try:
            with _single_flight(self.user_id):
                row = self._load()
                current = self._decrypt(row.access_token)
                if current != stale and not self._expiring(row.expires_at):
                    self._token, self._expires_at = current, row.expires_at  # someone else refreshed
                    return current
                try:
                    fresh = OidcClient().refresh(self._decrypt(row.refresh_token) if row.refresh_token else "")
                except RefreshRejectedError as exc:
                    OidcTokens.objects.filter(user_id=self.user_id).delete()
                    raise ReauthenticationRequired("the provider refused the refresh token") from exc
                store_tokens(
                    user_id=self.user_id,
                    access_token=fresh.access_token,
                    refresh_token=fresh.refresh_token,
                    expires_at=fresh.expires_at,
                )
                self._token, self._expires_at = fresh.access_token, fresh.expires_at
                return fresh.access_token
        finally:
            self._release_off_thread_connections()

    @staticmethod
    def _expiring(expires_at: datetime | None) -> bool:
        return expires_at is None or expires_at - timezone.now() <= EARLY_REFRESH

    @staticmethod
    def _decrypt(ciphertext: str) -> str:
        try:
            return crypto.decrypt(ciphertext)
        except crypto.TokenDecryptionError as exc:
            raise ReauthenticationRequired("stored tokens are unreadable") from exc


def gateway_for_user(user_id: int) -> ClaimsApiClient:
    return ClaimsApiClient(tokens=UserTokenProvider(user_id), base_url=settings.CLAIMS_API_BASE_URL)
