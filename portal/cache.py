"""Django's Redis cache, with one redis-py client per connection pool.

Django's RedisCacheClient builds a new ``redis.Redis`` object for every cache operation; building
one costs more than the GET it sends. A client is thread-safe and holds no connection of its own
(the pool does), so one per pool is shared by every thread of the process.
"""

from __future__ import annotations

import random
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


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient


def spread(seconds: int) -> int:
    """A timeout between three quarters of ``seconds`` and ``seconds``, at random.

    Entries written together (a wave of members signing in at 9 am) then do not all expire in the
    same second and send their reads to the Claims API at once; none lives longer than ``seconds``.
    """
    if seconds <= 1:
        return seconds
    return random.randint(max(1, (3 * seconds) // 4), seconds)
