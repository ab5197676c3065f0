"""Tokens at rest (encrypted, rotatable) and refresh (before expiry, once per user)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from portal import crypto
from portal.gateway.oidc import OidcClient
from portal.models import OidcTokens
from portal.tokens import ReauthenticationRequired, UserTokenProvider, gateway_for_user


def test_tokens_are_encrypted_at_rest(portal_member):
    row = OidcTokens.objects.get(user=portal_member)
    access, refresh = portal_member.raw_tokens["access_token"], portal_member.raw_tokens["refresh_token"]
    assert access not in row.access_token and refresh not in row.refresh_token
    assert crypto.decrypt(row.access_token) == access and crypto.decrypt(row.refresh_token) == refresh
    assert access not in str(row) and access not in repr(row)


def test_key_rotation(portal_member, settings):
    old = OidcTokens.objects.get(user=portal_member).access_token
    new_key = Fernet.generate_key().decode()
    settings.TOKEN_ENCRYPTION_KEYS = [new_key, *crypto.configured_keys()]
    assert crypto.decrypt(old) == portal_member.raw_tokens["access_token"]  # old key still opens it
    call_command("rotate_token_keys", stdout=open("/dev/null", "w"))
    settings.TOKEN_ENCRYPTION_KEYS = [new_key]  # the old key is gone now
    row = OidcTokens.objects.get(user=portal_member)
    assert crypto.decrypt(row.access_token) == portal_member.raw_tokens["access_token"]


def test_unreadable_tokens_mean_sign_in_again(portal_member, settings):
    settings.TOKEN_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ReauthenticationRequired):
        UserTokenProvider(portal_member.pk).get()


def test_a_token_about_to_expire_is_refreshed_before_use(portal_member, demo):
    OidcTokens.objects.filter(user=portal_member).update(expires_at=timezone.now() + timedelta(seconds=30))
    page = gateway_for_user(portal_member.pk).list_claims(person_id=demo.alice)
    assert page.items
    row = OidcTokens.objects.get(user=portal_member)
    assert crypto.decrypt(row.access_token) != portal_member.raw_tokens["access_token"]
    assert row.expires_at > timezone.now() + timedelta(minutes=30)


def test_concurrent_requests_of_one_user_refresh_once(portal_member, monkeypatch):
    OidcTokens.objects.filter(user=portal_member).update(expires_at=timezone.now() - timedelta(seconds=1))
    real_refresh = OidcClient.refresh
    calls: list[int] = []

    def counting_refresh(self, refresh_token):
        calls.append(1)
        return real_refresh(self, refresh_token)

    monkeypatch.setattr(OidcClient, "refresh", counting_refresh)
    barrier = threading.Barrier(8)
    results: list[str] = []

    def request() -> None:
        try:
            barrier.wait()
            results.append(UserTokenProvider(portal_member.pk).get())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert len(results) == 8 and len(set(results)) == 1


def test_a_refused_refresh_forgets_the_tokens(portal_member):
    from oauth2_provider.models import RefreshToken

    RefreshToken.objects.all().delete()
    OidcTokens.objects.filter(user=portal_member).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ReauthenticationRequired):
        UserTokenProvider(portal_member.pk).get()
    assert not OidcTokens.objects.filter(user=portal_member).exists()


def test_sign_out_revokes_the_refresh_token(portal_member):
    from oauth2_provider.models import RefreshToken

    from portal.tokens import forget_tokens

    assert RefreshToken.objects.filter(revoked__isnull=True).exists()
    forget_tokens(user_id=portal_member.pk)
    assert not OidcTokens.objects.filter(user=portal_member).exists()
    assert not RefreshToken.objects.filter(revoked__isnull=True).exists()


def test_gateway_pool_threads_do_not_keep_database_connections(portal_member, demo):
    from portal.gateway import gather

    provider = UserTokenProvider(portal_member.pk)
    seen: list[bool] = []

    def in_pool() -> str:
        token = provider.get()  # first use happens off the request thread
        seen.append(connections["default"].connection is None)
        return token

    tokens = gather(in_pool, in_pool)
    assert len(set(tokens)) == 1 and seen == [True, True]


def test_parallel_calls_of_one_request_read_the_token_once(portal_member, demo, monkeypatch):
    from portal.gateway import gather

    provider = UserTokenProvider(portal_member.pk)
    real_load, loads = UserTokenProvider._load, []

    def counting_load(self):
        loads.append(threading.current_thread().name)
        return real_load(self)

    monkeypatch.setattr(UserTokenProvider, "_load", counting_load)
    barrier = threading.Barrier(3)

    def part() -> str:
        barrier.wait()  # the claim page's three calls start together
        return provider.get()

    tokens = gather(part, part, part)
    assert len(set(tokens)) == 1 and len(loads) == 1


def test_the_encrypted_access_token_is_kept_in_the_cache_and_cleared_when_the_row_changes(
    portal_member, django_assert_num_queries
):
    from django.core.cache import cache

    key = f"portal:access-token:{portal_member.pk}"
    with django_assert_num_queries(1):
        assert UserTokenProvider(portal_member.pk).get() == portal_member.raw_tokens["access_token"]
    kept = cache.get(key)
    assert kept is not None and portal_member.raw_tokens["access_token"] not in str(kept)  # ciphertext only
    with django_assert_num_queries(0):  # the next request's first API call asks the database nothing
        assert UserTokenProvider(portal_member.pk).get() == portal_member.raw_tokens["access_token"]

    from portal.tokens import store_tokens

    store_tokens(
        user_id=portal_member.pk, access_token="newer-token", refresh_token="r",
        expires_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    assert cache.get(key) is None  # a new token (sign-in, refresh) clears the copy at once
    assert UserTokenProvider(portal_member.pk).get() == "newer-token"
    OidcTokens.objects.filter(user=portal_member).delete()  # sign-out, refused refresh
    assert cache.get(key) is None
    with pytest.raises(ReauthenticationRequired):
        UserTokenProvider(portal_member.pk).get()


def test_a_token_close_to_expiry_is_not_kept_and_the_cache_can_be_off(portal_member, settings):
    from django.core.cache import cache

    key = f"portal:access-token:{portal_member.pk}"
    OidcTokens.objects.filter(user=portal_member).update(expires_at=timezone.now() + timedelta(seconds=30))
    UserTokenProvider(portal_member.pk).get()  # refreshed first; the refresh reads the row itself
    assert cache.get(key) is None
    settings.AUTH_USER_CACHE_SECONDS = 0  # off: every call reads the row
    UserTokenProvider(portal_member.pk).get()
    assert cache.get(key) is None
