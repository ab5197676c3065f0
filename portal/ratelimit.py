"""Rate limits for the expensive or sensitive actions, counted in the cache (Redis in production,
so every app server shares the counts): per signed-in user and per client address."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse

View = Callable[..., HttpResponseBase]


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address the trusted proxies saw (RATE_LIMIT_PROXY_HOPS of them)."""
    hops = settings.RATE_LIMIT_PROXY_HOPS
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _over(key: str, limit: int, window: int) -> int | None:
    """Count one hit; seconds to wait if the limit is passed, else None."""
    now = int(time.time())
    start = now - now % window
    bucket = f"portal:ratelimit:{key}:{start}"
    cache.add(bucket, 0, timeout=window + 5)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=window + 5)
        count = 1
    return (start + window - now) or 1 if count > limit else None


def check(request: HttpRequest, name: str) -> int | None:
    """Seconds to wait before ``name`` may be done again by this user or address, or None."""
    per_user, per_address, window = settings.RATE_LIMITS[name]
    waits = [_over(f"{name}:ip:{client_address(request)}", per_address, window)]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        waits.append(_over(f"{name}:user:{user.pk}", per_user, window))
    blocked = [w for w in waits if w is not None]
    return max(blocked) if blocked else None


def rate_limited(name: str, *, methods: tuple[str, ...] = ("POST",)) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in methods:
                wait = check(request, name)
                if wait is not None:
                    return too_many(request, wait)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def too_many(request: HttpRequest, wait: int) -> HttpResponseBase:
    minutes = max(1, round(wait / 60))
    context = {"wait_words": f"{minutes} minute{'s' if minutes != 1 else ''}" if wait >= 60 else f"{wait} seconds"}
    if getattr(request, "htmx", False):  # htmx swaps only 2xx answers
        response = TemplateResponse(request, "portal/_rate_limited_inline.html", context).render()
    else:
        response = TemplateResponse(request, "429.html", context, status=HTTPStatus.TOO_MANY_REQUESTS).render()
    response["Retry-After"] = str(wait)
    return response
