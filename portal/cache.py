"""Django's Redis cache, with one connection pool and one redis-py client per process.

Django's RedisCacheClient builds a new ``redis.Redis`` object for every cache operation; building
one costs more than the GET it sends. A client is thread-safe and holds no connection of its own
(the pool does), so one per pool is shared by every thread of the process.

Django also builds a cache backend object per thread *and per context*, and each built its own
connection pool: a call run in a copied context (the gateway's ``gather``) opened a new Redis
connection, with its handshake, every time. The pools are shared by the whole process instead.
"""

from __future__ import annotations

import random
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))  # type: ignore[attr-defined]
        return client


_shared_clients: dict[tuple[tuple[str, ...], str], RedisCacheClient] = {}
_shared_lock = threading.Lock()


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    @cached_property
    def _cache(self) -> RedisCacheClient:
        """The process's client (and pools) for these servers and options, whichever thread or
        context this backend object was built in."""
        servers: list[str] = self._servers  # type: ignore[attr-defined]
        options: dict[str, Any] = self._options  # type: ignore[attr-defined]
        key = (tuple(servers), repr(sorted(options.items())))
        with _shared_lock:
            client = _shared_clients.get(key)
            if client is None:
                client = _shared_clients[key] = RedisCacheClient(servers, **options)
        return client


def spread(seconds: int) -> int:
    """A timeout between three quarters of ``seconds`` and ``seconds``, at random.

    Entries written together (a wave of members signing in at 9 am) then do not all expire in the
    same second and send their reads to the Claims API at once; none lives longer than ``seconds``.
    """
    if seconds <= 1:
        return seconds
    return random.randint(max(1, (3 * seconds) // 4), seconds)


class _Held:
    """One value this process holds."""

    __slots__ = ("value", "version", "weight")

    def __init__(self, version: str, value: Any, weight: int) -> None:
        self.version = version
        self.value = value
        self.weight = weight


class LocalCopies:
    """Large cache entries (a member's claims) kept unpickled in this process, checked against the
    shared cache on every read.

    The shared cache holds the value under a key that names a random version, and the current
    version under a small key of its own. A read fetches only that version; when this process
    already holds the value of that version it is used as it is, otherwise the value is read and
    unpickled once. Deleting the version key (a member's upload) is seen by every process at
    their next read, and the shared cache's timeout applies to both keys, so nothing is served
    here that the shared cache no longer has. The values must not be changed by whoever reads
    them (frozen dataclasses and tuples).

    Memory is bounded by weight, least recently used first: ``weigh`` tells what one value costs
    (a claim list: its number of claims), ``max_weight`` what one process holds in all. A value
    heavier than that on its own is never held here (it is still shared through the cache)."""

    def __init__(self, max_weight: int = 20_000, weigh: Callable[[Any], int] = lambda value: 1) -> None:
        self._max_weight = max_weight
        self._weigh = weigh
        self._weight = 0
        self._copies: OrderedDict[str, _Held] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _version_key(key: str) -> str:
        return f"{key}:version"

    def get(self, key: str) -> Any:
        from django.core.cache import cache

        version = cache.get(self._version_key(key))
        if version is None:
            return None
        with self._lock:
            held = self._copies.get(key)
            if held is not None and held.version == version:
                self._copies.move_to_end(key)
                return held.value
        value = cache.get(f"{key}@{version}")
        if value is not None:
            self._hold(key, version, value)
        return value

    def set(self, key: str, value: Any, timeout: int) -> None:
        from django.core.cache import cache

        version = secrets.token_hex(8)
        cache.set_many({f"{key}@{version}": value, self._version_key(key): version}, timeout)
        self._hold(key, version, value)

    def delete_many(self, keys: list[str]) -> None:
        from django.core.cache import cache

        cache.delete_many([self._version_key(key) for key in keys])
        with self._lock:
            for key in keys:
                self._drop(key)

    def _hold(self, key: str, version: str, value: Any) -> None:
        weight = max(1, self._weigh(value))
        with self._lock:
            self._drop(key)
            if weight > self._max_weight:
                return
            self._copies[key] = _Held(version, value, weight)
            self._weight += weight
            self._shed()

    def _shed(self) -> None:
        while self._weight > self._max_weight and self._copies:
            self._drop(next(iter(self._copies)))

    def _drop(self, key: str) -> None:
        held = self._copies.pop(key, None)
        if held is not None:
            self._weight -= held.weight
