"""Rate limits for the expensive or sensitive actions, counted in the cache (Redis in production,
so every app server shares the counts).

Keyed so that nobody can use them against others behind the same address (an office, a mobile
carrier, a load balancer): a signed-in person's own count, or a browser's own count, by a signed
browser id that the sign-in page hands out. Only requests with no browser id share one count per
client address, and so do the new browser ids an address may be given in a window: a flood from
one address can then hold back cookieless clients and new browsers there, never browsers that
already had their id.

The client address is REMOTE_ADDR, or the one RATE_LIMIT_PROXY_HOPS trusted proxies saw (set it to
the number of proxies in front of the app in production; at 0, everyone behind a load balancer
would be one address).
"""

from __future__ import annotations

import math
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
from django.utils.translation import ngettext

View = Callable[..., HttpResponseBase]


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address the trusted proxies saw (RATE_LIMIT_PROXY_HOPS of them)."""
    hops = settings.RATE_LIMIT_PROXY_HOPS
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _count(bucket: str, window: int) -> int:
    """Add one hit to ``bucket`` and return its count (kept for two windows)."""
    cache.add(bucket, 0, timeout=2 * window + 5)
    try:
        return int(cache.incr(bucket))
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=2 * window + 5)
        return 1


def _over(key: str, limit: int, window: int, *, now: float | None = None) -> int | None:
    """Count one hit; seconds to wait if the limit is passed, else None.

    A sliding window: this window's hits plus the last window's, weighted by how much of the last
    window still lies within ``window`` seconds of now. Fixed windows alone would let a burst at
    the end of one window and another at the start of the next through (twice the limit in a few
    seconds), and would forget hits made a second before the boundary.
    """
    now = time.time() if now is None else now
    start = int(now) - int(now) % window
    elapsed = now - start
    previous = int(cache.get(f"portal:ratelimit:{key}:{start - window}") or 0)
    current = _count(f"portal:ratelimit:{key}:{start}", window)
    weight = 1 - elapsed / window
    if previous * weight + current <= limit:
        return None
    return max(1, math.ceil(_wait(previous, current, limit, window, elapsed)))


def _wait(previous: int, current: int, limit: int, window: int, elapsed: float) -> float:
    """Seconds until one more hit would be within the limit, if nobody tries in the meantime."""
    room = limit - 1  # the weighted count before the next hit may be at most this
    if room < 0:
        return window - elapsed  # a limit of 0: nothing is allowed in any window
    if current <= room:  # this window's hits fit (so the last window's are what is over): wait for them to fade
        return window * (1 - (room - current) / previous) - elapsed
    # wait for this window to end and its hits to fade, as the next window's "last window"
    return window - elapsed + window * (1 - room / current)


BROWSER_COOKIE = "portal_browser"
BROWSER_MAX_AGE = 30 * 24 * 3600
_BROWSER_SALT = "portal.ratelimit.browser"


def browser_id(request: HttpRequest) -> str | None:
    """This browser's id, if it carries one the portal signed (and not too old)."""
    from django.core import signing

    raw = request.COOKIES.get(BROWSER_COOKIE)
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=_BROWSER_SALT, max_age=BROWSER_MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) else None


def give_browser_id(request: HttpRequest, response: HttpResponseBase) -> None:
    """Hand this browser its own id, unless it has one or its address had its share of new ids."""
    import secrets

    from django.core import signing

    if browser_id(request) is not None:
        return
    per_address, window = settings.RATE_LIMIT_NEW_BROWSERS
    if _over(f"new-browser:ip:{client_address(request)}", per_address, window) is not None:
        return  # counted as a browser without an id (per address) until the window passes
    response.set_cookie(
        BROWSER_COOKIE,
        signing.dumps(secrets.token_urlsafe(16), salt=_BROWSER_SALT),
        max_age=BROWSER_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def check(request: HttpRequest, name: str) -> int | None:
    """Seconds to wait before ``name`` may be done again by this user or browser, or None."""
    per_user, per_address, window = settings.RATE_LIMITS[name]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return _over(f"{name}:user:{user.pk}", per_user, window)
    browser = browser_id(request)
    if browser is not None:
        return _over(f"{name}:browser:{browser}", per_user, window)
    return _over(f"{name}:ip:{client_address(request)}", per_address, window)


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
    context = {
        "wait_words": ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
        if wait >= 60
        else ngettext("%(n)d second", "%(n)d seconds", wait) % {"n": wait}
    }
    if getattr(request, "htmx", False):  # htmx swaps only 2xx answers
        response = TemplateResponse(request, "portal/_rate_limited_inline.html", context).render()
    else:
        response = TemplateResponse(request, "429.html", context, status=HTTPStatus.TOO_MANY_REQUESTS).render()
    response["Retry-After"] = str(wait)
    return response
