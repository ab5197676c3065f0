"""The one choke point for HTTP to the upstream APIs (the Claims API, Silver): pooling, timeouts,
retries, logging.

Retry policy (matches the official SDK, see seeds/001): exponential backoff with full jitter
(0.5 s initial, 2 s cap), at most ``retries`` retries, on connection errors, 408 and 5xx, and on
429 only when ``Retry-After`` is present (honoured, capped). An overall deadline bounds all
attempts together, on top of per-attempt connect/read timeouts. Writes choose a narrower
``RetryMode``: a keyed write (Idempotency-Key) is retried only after a transport failure, never
after a response; an unkeyed write only when the request surely never left (connect failure).
"""

from __future__ import annotations

import enum
import functools
import logging
import os
import random
import threading
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import NewConnectionError

from portal.gateway.errors import (
    ApiError,
    DeadlineExceededError,
    RateLimitedError,
    TransportError,
    error_from_response,
)
from portal.request_context import get_request_id, new_request_id

log = logging.getLogger("portal.gateway")

RETRYABLE_STATUS = frozenset({408, 500, 502, 503, 504, 507})


class RetryMode(enum.Enum):
    IDEMPOTENT = "idempotent"  # reads: transport errors, 408, 5xx, 429 with Retry-After
    KEYED_WRITE = "keyed_write"  # Idempotency-Key writes: only when the response was lost
    UNSAFE_WRITE = "unsafe_write"  # no key: only when nothing was sent


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 3
    backoff_initial: float = 0.5
    backoff_max: float = 2.0
    retry_after_cap: float = 30.0
    connect_timeout: float = 3.05
    read_timeout: float = 10.0
    overall_timeout: float = 30.0

    def backoff(self, attempt: int) -> float:
        """Full jitter: a random delay in [0, min(cap, initial * 2**attempt)]."""
        return random.uniform(0, min(self.backoff_max, self.backoff_initial * (2**attempt)))


_local = threading.local()


def _session() -> requests.Session:
    """One pooled session per thread: keep-alive without sharing a Session across threads.

    requests reads the proxy and CA-bundle environment variables again on every call (a fifth of
    a call's cost here); the process's environment does not change, so they are read once per
    origin (`_environment`) and the session does not look again (trust_env off)."""
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        session.trust_env = False
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=16, max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        _local.session = session
    return session


@functools.lru_cache(maxsize=64)
def _environment(origin: str) -> tuple[dict[str, str], str | bool]:
    """What requests would take from the environment for this origin: (proxies, verify)."""
    proxies = requests.utils.get_environ_proxies(origin)
    verify: str | bool = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    return proxies, verify


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _surely_not_sent(exc: requests.RequestException) -> bool:
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.exceptions.ConnectionError) and isinstance(reason, NewConnectionError)


class Transport:
    def __init__(
        self,
        base_url: str,
        policy: RetryPolicy | None = None,
        extra_headers: Mapping[str, str] | None = None,
        *,
        service: str = "claims_api",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.policy = policy or RetryPolicy()
        # Sent on every request (Silver's apiKey): never logged, as no header is.
        self.extra_headers = dict(extra_headers or {})
        self.event = f"{service}_call"  # the log line's name

    def request(
        self,
        method: str,
        path: str,
        *,
        route: str,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        token: str | None = None,
        mode: RetryMode = RetryMode.IDEMPOTENT,
        stream: bool = False,
        url: str | None = None,
        answers: Collection[int] = (),
    ) -> requests.Response:
        """Send one logical request; return a successful response or raise an ApiError.

        ``route`` is the path template (``/v1/claims/{claim_number}``): it is what gets logged, so
        no identifier, token or personal value reaches the logs. A status in ``answers`` is
        returned, not raised: the caller reads its body (Silver's duplicate claim is a 400).
        """
        policy = self.policy
        request_id = get_request_id() or new_request_id()
        send_headers = {"Accept": "application/json", "X-Request-Id": request_id, **self.extra_headers}
        if headers:
            send_headers.update(headers)
        if token:
            send_headers["Authorization"] = f"Bearer {token}"
        deadline = time.monotonic() + policy.overall_timeout
        target = url or f"{self.base_url}{path}"
        attempt = 0
        while True:
            remaining = deadline - time.monotonic()
            timeout = (min(policy.connect_timeout, remaining), min(policy.read_timeout, remaining))
            started = time.monotonic()
            error: ApiError
            try:
                proxies, verify = _environment(_origin(target))
                response = _session().request(
                    method, target, params=params, json=json, data=data, headers=send_headers,
                    timeout=timeout, stream=stream, proxies=proxies, verify=verify,
                )  # fmt: skip
                if not stream:
                    response.content  # noqa: B018 - read now, so a cut-off body fails here
            except requests.RequestException as exc:
                self._log(method, route, None, attempt, started, request_id, type(exc).__name__)
                if time.monotonic() >= deadline:
                    raise DeadlineExceededError(
                        detail=f"No answer within {policy.overall_timeout:g} s.", request_id=request_id
                    ) from None
                error = TransportError(detail=type(exc).__name__, request_id=request_id)
                retry = mode is not RetryMode.UNSAFE_WRITE or _surely_not_sent(exc)
                delay = policy.backoff(attempt)
            else:
                self._log(method, route, response.status_code, attempt, started, request_id)
                if response.status_code < 400 or response.status_code in answers:
                    return response
                error = error_from_response(response, request_id)
                response.close()
                retry = mode is RetryMode.IDEMPOTENT and _retryable(error)
                delay = policy.backoff(attempt)
                if error.retry_after is not None:
                    delay = min(error.retry_after, policy.retry_after_cap)
            if not retry or attempt >= policy.retries or time.monotonic() + delay >= deadline:
                raise error
            time.sleep(delay)
            attempt += 1

    def _log(
        self,
        method: str,
        route: str,
        status: int | None,
        attempt: int,
        started: float,
        request_id: str,
        error: str | None = None,
    ) -> None:
        log.info(
            self.event,
            extra={
                "method": method,
                "route": route,
                "status": status,
                "attempt": attempt,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
                "upstream_request_id": request_id,
                "error": error,
            },
        )


def _retryable(error: ApiError) -> bool:
    if isinstance(error, RateLimitedError):
        return error.retry_after is not None
    return error.status in RETRYABLE_STATUS
