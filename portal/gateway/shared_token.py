"""One OAuth2 client-credentials access token per API account, shared by every thread and process
through the Django cache (Redis in production), encrypted at rest: what Optum's and Integrex's
clients both need.

- The token is kept encrypted with ``portal.crypto`` (like the portal's other tokens) under a key
  made from a hash of the base URL and the client id, never the secret; a value no configured key
  opens (``TokenDecryptionError``: the key was rotated away) counts as no token.
- It is kept for its lifetime less a margin, ``min(margin, lifetime / 10)``, so it leaves the cache
  before the API would refuse it; a token that would be kept under one second is not kept.
- One fetch at a time: a lock per key within the process (threads wait on it, not on the cache),
  then a ``cache.add`` lock across processes that expires after ``lock_seconds``; a caller waits
  for both with one deadline (5 s less than the lock's timeout, at least half of it) and then goes
  ahead, so a crashed holder's lock costs a wait, never a hang. Under the lock the cache is read
  again: whoever waited uses the token the holder fetched.
- Letting go of the lock and dropping a refused token are compare-and-delete: on Redis one Lua
  script (the value is still the one we hold, then delete), so a lock taken or a token stored by
  another process in between is never deleted; on other caches (one process) a read, then a delete.
- ``get(stale=token)`` is for a 401: ``token`` was refused, so a different cached token (another
  process fetched it meanwhile) is used, else the refused one is dropped and a new one fetched.

How a token is asked for, and what its errors mean, stay with each client: ``fetch`` returns
``(access_token, lifetime_seconds)`` or raises the client's own errors (nothing is kept then).

Hand-written because no library does this. oauthlib (which Integrex's client uses) builds and reads
the token request and keeps the token only on its client object; requests-oauthlib and Authlib keep
it in one session object of one process; django-oauth-toolkit is the server side. The nearest,
djalf (an old add-on keeping alf's token in Django's cache), keeps it in clear under a key that
holds the client secret, has no fetch lock, and sends the HTTP itself, where ours must go through
``Transport``. None keeps a client-credentials token in Django's cache across processes, encrypted,
with a fetch lock and the "another process already fetched a new one" check after a 401.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Fetch = Callable[[], tuple[str, float]]

_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


def _thread_lock(key: str) -> threading.Lock:
    """The process's lock for ``key`` (every instance for one account shares it)."""
    with _THREAD_LOCKS_GUARD:
        return _THREAD_LOCKS.setdefault(key, threading.Lock())


def account_digest(base_url: str, client_id: str) -> str:
    """The account's part of the cache keys: a hash of the base URL and the client id."""
    return hashlib.sha256(f"{base_url}\n{client_id}".encode()).hexdigest()[:24]


def kept_seconds(lifetime: float, margin: float) -> int:
    """How long a token that lives ``lifetime`` seconds is kept: its lifetime less
    ``min(margin, lifetime / 10)``, in whole seconds (under 1 means "not kept")."""
    return int(lifetime - min(margin, lifetime / 10))


# KEYS[1] is deleted only if it still holds ARGV[1] (the value as the cache stored it).
_COMPARE_AND_DELETE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


def delete_if_unchanged(key: str, value: object) -> bool:
    """Delete the cache's ``key`` only if it still holds ``value``; True if it was deleted.
    Atomic on Django's Redis cache (a Lua script); elsewhere a read, then a delete."""
    from django.core.cache import cache
    from django.core.cache.backends.redis import RedisCache

    if isinstance(cache, RedisCache):
        redis_client = cache._cache  # type: ignore[attr-defined]  # Django's RedisCacheClient
        client = redis_client.get_client(key, write=True)
        stored = redis_client._serializer.dumps(value)  # as ``cache.set`` wrote it
        return bool(client.eval(_COMPARE_AND_DELETE, 1, cache.make_and_validate_key(key), stored))
    if cache.get(key) != value:
        return False
    return bool(cache.delete(key))


class SharedToken:
    """The token of one account (``prefix``, base URL, client id) in the shared Django cache."""

    def __init__(
        self,
        prefix: str,
        *,
        base_url: str,
        client_id: str,
        fetch: Fetch,
        margin: float = 60.0,
        lock_seconds: int = 20,
    ) -> None:
        digest = account_digest(base_url, client_id)
        self.key = f"{prefix}:{digest}"
        self.lock_key = f"{prefix}:{digest}:lock"
        self.fetch = fetch
        self.margin = margin
        self.lock_seconds = lock_seconds

    def __repr__(self) -> str:
        return f"SharedToken(key={self.key!r})"  # never the token

    def get(self, stale: str | None = None, *, fetch: Fetch | None = None) -> str:
        """The shared token, fetched (with ``fetch`` when given, else the instance's) if there is
        none; with ``stale`` (a token the API refused), a different one: another process's newer
        token, or a new one."""
        cached = self.cached()
        if cached is not None and cached != stale:
            return cached
        with self._single_flight():
            cached = self.cached()  # the holder we waited for may have fetched one
            if cached is not None and cached != stale:
                return cached
            if stale is not None:
                self.forget()  # should the fetch fail, no one is handed the refused token again
            access_token, lifetime = (fetch or self.fetch)()
            self.keep(access_token, lifetime)
            return access_token

    def cached(self) -> str | None:
        """The token in the cache, or None (none, or one no configured key opens)."""
        from django.core.cache import cache

        from portal import crypto

        ciphertext = cache.get(self.key)
        if not ciphertext:
            return None
        try:
            return crypto.decrypt(ciphertext)
        except crypto.TokenDecryptionError:  # the key was rotated away: fetch a new token
            return None

    def keep(self, access_token: str, lifetime: float) -> int:
        """Put the token in the cache, encrypted, for its lifetime less the margin; the seconds it
        is kept (0: too short-lived to keep)."""
        from django.core.cache import cache

        from portal import crypto

        keep = kept_seconds(lifetime, self.margin)
        if keep < 1:
            return 0
        cache.set(self.key, crypto.encrypt(access_token), timeout=keep)
        return keep

    def forget(self, token: str | None = None) -> None:
        """Drop the cached token; with ``token``, only if it is still the cached one (a newer
        token another process fetched meanwhile stays)."""
        from django.core.cache import cache

        if token is None:
            cache.delete(self.key)
            return
        from portal import crypto

        ciphertext = cache.get(self.key)
        if not ciphertext:
            return
        try:
            if crypto.decrypt(ciphertext) != token:
                return
        except crypto.TokenDecryptionError:
            pass  # no configured key opens it: no one can use it either
        delete_if_unchanged(self.key, ciphertext)

    @contextmanager
    def _single_flight(self) -> Iterator[None]:
        from django.core.cache import cache

        deadline = time.monotonic() + max(self.lock_seconds - 5, self.lock_seconds / 2)
        thread_lock = _thread_lock(self.lock_key)
        held = thread_lock.acquire(timeout=max(deadline - time.monotonic(), 0.0))
        mine = secrets.token_hex(8)  # whose lock it is: only its holder lets it go
        try:
            while not (acquired := cache.add(self.lock_key, mine, timeout=self.lock_seconds)):
                if time.monotonic() > deadline:
                    break  # a crashed holder: its lock expires; go ahead rather than hang
                time.sleep(0.05)
            try:
                yield
            finally:
                # Gone ahead without it, the lock is someone else's; let go of it only when it is
                # still ours (not one taken after ours expired).
                if acquired:
                    delete_if_unchanged(self.lock_key, mine)
        finally:
            if held:
                thread_lock.release()
