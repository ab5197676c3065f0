"""Integrex RCM's claim-info API v2 (seeds/004, research §4): submit a claim query, then poll.

- ``submit(query) -> ticket``: ``POST /api/v2/claim-info`` (``request_body``), answered ``{"id"}``.
- ``fetch(ticket) -> Answer | None``: ``GET /api/v2/claim-info?id=``; 202 is None (still working),
  200 is the claim with its service lines, read by ``integrex_models`` into the common ``Answer``.
- ``check(query, *, within)``: submit, then fetch with exponential backoff and jitter until an
  answer or until ``within`` seconds have passed (every call's own deadline is cut to what is left),
  then ``IntegrexStillWorking``, which carries the ticket: ``fetch`` it, or ``check(...,
  ticket=...)``, later.
- Errors: 400 is ``IntegrexRefused`` with Integrex's words (the body's shape is not published:
  JSON ``message``/``error``/``errors``, else its text); 401/402 fetch a new token once, then
  ``IntegrexAuthError``; the rest are the transport's typed errors (5xx, dropped connections and
  timeouts retried with backoff and jitter under an overall deadline).

OAuth2 client credentials, ``POST /api/v2/auth``. The seed recommends "a stable third party
library" and names oauthlib: its ``BackendApplicationClient`` builds the RFC 6749 §4.4 body
(``grant_type=client_credentials``) and parses and checks the token answer (error answers raised
as oauthlib's typed errors, a missing ``access_token`` refused, ``expires_in`` read).
requests-oauthlib's ``OAuth2Session`` is not used: it is a ``requests.Session`` of its own, and the
HTTP here must go through ``Transport`` (retries, deadline, request id, one redacted log line), so
oauthlib does the OAuth and the transport does the HTTP. The client authenticates with HTTP Basic
(``INTEGREX_CLIENT_AUTH=basic``, the default): RFC 6749 §2.3.1 requires every server to support it
(credentials in the body are optional for servers and "NOT RECOMMENDED"), and it is what
requests-oauthlib sends by default, i.e. what the seed's Python users would send; Integrex does not
publish its auth body, so ``INTEGREX_CLIENT_AUTH=body`` sends ``client_id``/``client_secret`` in the
form instead should it want that.

The token lives in the shared Django cache (Redis in production), encrypted like the users' tokens,
for its lifetime less a margin, so every process uses one; one fetch happens at a time (a cache
lock), and a 401/402 on a call throws that token away and fetches one more: all of that is
``portal.gateway.shared_token``, shared with Optum's client; the request and its errors are here.

Nothing personal is logged: the transport logs the route template, never the ticket, the body or a
header. Errors carry Integrex's words as ``detail`` (cut to 300 characters): they may quote what was
sent, so never log ``str(exc)`` nor show it to a member (show a message of your own, and the
``problems``' field names).

An answer with no rows (``[]``) is an ``Answer`` with no claims: Integrex found nothing.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

from oauthlib.oauth2 import BackendApplicationClient, OAuth2Error

from portal.gateway.errors import ApiError, BadRequestError, DeadlineExceededError, MalformedResponseError
from portal.gateway.insurer import Answer, FieldProblem, Query
from portal.gateway.integrex_models import request_body, rows, to_answer
from portal.gateway.shared_token import SharedToken
from portal.gateway.transport import RetryMode, RetryPolicy, Transport

AUTH_PATH = "/api/v2/auth"
CLAIM_INFO_PATH = "/api/v2/claim-info"
DEFAULT_TOKEN_SECONDS = 3600  # the seed: "a short-lived (1 hour) access token"
_AUTH_STATUSES = frozenset({401, 402})


class IntegrexRefused(BadRequestError):
    """400: "some error with the data submitted". ``messages`` are Integrex's words, ``problems``
    the fields it named (when its body names any)."""

    default_title = "Integrex refused the claim query"

    def __init__(
        self, *, messages: tuple[str, ...] = (), problems: tuple[FieldProblem, ...] = (), **kwargs: Any
    ) -> None:
        self.messages = messages
        self.problems = problems
        kwargs.setdefault("detail", "; ".join(messages) or None)
        super().__init__(**kwargs)


class IntegrexAuthError(ApiError):
    """Integrex refused the portal's credentials (401 Unauthorized, or 402 "Authentication Error"
    for a client it disabled), even with a fresh token. Not an ``UnauthorizedError``: that one
    means the member's own sign-in expired and signs them out."""

    default_title = "Integrex refused the portal's credentials"


class IntegrexStillWorking(ApiError):
    """Integrex still answered 202 when ``within`` ran out. ``ticket`` resumes the check."""

    default_title = "Integrex is still working on the claim query"

    def __init__(self, *, ticket: str, elapsed: float, within: float, **kwargs: Any) -> None:
        self.ticket = ticket
        self.elapsed = elapsed
        self.within = within
        kwargs.setdefault(
            "detail",
            f"No answer yet after {elapsed:.1f} s (the check allows {within:g} s); "
            f"ticket {ticket} can be fetched again later.",
        )
        kwargs.setdefault("status", 202)
        kwargs.setdefault("retry_after", 5.0)  # a page that shows progress asks again this soon
        super().__init__(**kwargs)


@dataclass(frozen=True)
class PollPolicy:
    """Waits between polls: exponential from ``initial`` up to ``cap``, each a random value in its
    upper half (so polls neither hammer nor move in lockstep)."""

    initial: float = 0.5
    cap: float = 5.0

    def delay(self, attempt: int) -> float:
        ceiling = min(self.cap, self.initial * (2**attempt))
        return random.uniform(ceiling / 2, ceiling)


class IntegrexTokens:
    """The client-credentials token, shared by every process through the Django cache
    (``SharedToken``); this class asks Integrex for it (oauthlib) and reads its errors."""

    def __init__(self, transport: Transport, *, client_id: str, client_secret: str, auth: str = "basic") -> None:
        if auth not in ("basic", "body"):
            raise ValueError("INTEGREX_CLIENT_AUTH is basic or body")
        self.transport = transport
        self.client_id = client_id
        self.client_secret = client_secret
        self.auth = auth
        self.shared = SharedToken(
            "portal:integrex-token",
            base_url=transport.base_url,
            client_id=client_id,
            fetch=lambda: self._fetch(self.transport),
        )
        self.fetches = 0  # tokens this instance fetched (tests read it)

    def get(self, *, transport: Transport | None = None) -> str:
        """The shared token, fetched if there is none (through ``transport`` when given: a
        caller's call with a shorter deadline)."""
        return self.shared.get(fetch=lambda: self._fetch(transport or self.transport))

    def refetch(self, *, stale: str | None, transport: Transport | None = None) -> str:
        """A token other than ``stale``: another process's newer one, or a new one."""
        return self.shared.get(stale, fetch=lambda: self._fetch(transport or self.transport))

    def forget(self, token: str | None = None) -> None:
        """Drop the shared token (with ``token``: only if it is still the one cached)."""
        self.shared.forget(token)

    def _fetch(self, transport: Transport) -> tuple[str, float]:
        """A new token from Integrex and its lifetime (``SharedToken`` keeps it)."""
        # Reference: seeds/004 "Authorization via OAuth2" (client credentials, /api/v2/auth)
        oauth = BackendApplicationClient(self.client_id)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self.auth == "basic":
            body = oauth.prepare_request_body()
            pair = f"{self.client_id}:{self.client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        else:
            body = oauth.prepare_request_body(include_client_id=True, client_secret=self.client_secret)
        response = transport.request(
            "POST", AUTH_PATH, route=AUTH_PATH, data=dict(parse_qsl(body)), headers=headers,
            mode=RetryMode.IDEMPOTENT, answers={400, 401, 402, 403},
        )  # fmt: skip
        request_id = response.headers.get("X-Request-Id")
        if response.status_code >= 400:
            raise IntegrexAuthError(status=response.status_code, detail=_oauth_error(response), request_id=request_id)
        try:
            token = oauth.parse_request_body_response(response.text)
        except OAuth2Error as exc:
            raise IntegrexAuthError(status=response.status_code, detail=exc.error, request_id=request_id) from None
        except (ValueError, Warning):
            raise MalformedResponseError(detail="Integrex's token answer is unusable", request_id=request_id) from None
        if str(token.get("token_type", "Bearer")).lower() != "bearer":
            raise MalformedResponseError(detail="Integrex's token is not a Bearer token", request_id=request_id)
        self.fetches += 1
        return str(token["access_token"]), _seconds(token.get("expires_in"))


class IntegrexClient:
    """Integrex claim info for the portal: ``submit``, ``fetch``, ``check`` (module docstring)."""

    def __init__(
        self,
        *,
        base_url: str,
        client_id: str,
        client_secret: str,
        client_auth: str = "basic",
        policy: RetryPolicy | None = None,
        poll: PollPolicy | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> None:
        if not base_url or not client_id or not client_secret:
            raise ValueError("Integrex needs INTEGREX_BASE_URL, INTEGREX_CLIENT_ID and INTEGREX_CLIENT_SECRET")
        self.base_url = base_url.rstrip("/")
        self.policy = policy or RetryPolicy(read_timeout=15.0, overall_timeout=30.0)
        self.poll = poll or PollPolicy()
        self.extra_headers = dict(extra_headers or {})  # the sandbox's X-Sandbox-Fault in tests
        self.transport = self._transport(self.policy)
        self.tokens = IntegrexTokens(self.transport, client_id=client_id, client_secret=client_secret, auth=client_auth)

    @classmethod
    def from_settings(cls, **kwargs: Any) -> IntegrexClient:
        from django.conf import settings

        configured: dict[str, Any] = {
            "base_url": settings.INTEGREX_BASE_URL,
            "client_id": settings.INTEGREX_CLIENT_ID,
            "client_secret": settings.INTEGREX_CLIENT_SECRET,
            "client_auth": settings.INTEGREX_CLIENT_AUTH,
        }
        return cls(**{**configured, **kwargs})

    def _transport(self, policy: RetryPolicy) -> Transport:
        return Transport(self.base_url, policy, self.extra_headers, service="integrex_api")

    # --- the API --------------------------------------------------------------------------------

    def submit(self, query: Query, *, deadline: float | None = None) -> str:
        """The ticket (Integrex's request id) for this query."""
        # Reference: seeds/004 "[POST] Claim Request" / "[POST] Claim Response". Retried like a
        # read: a resent query only makes Integrex start a second, identical search.
        response = self._call(
            "POST", CLAIM_INFO_PATH, route=CLAIM_INFO_PATH, json=request_body(query), deadline=deadline
        )
        answer = _json(response)
        ticket = answer.get("id") if isinstance(answer, dict) else None
        if isinstance(ticket, int | Decimal) and not isinstance(ticket, bool):
            ticket = str(ticket)
        if not isinstance(ticket, str) or not ticket.strip():
            raise MalformedResponseError(
                detail="Integrex's answer to a claim query has no id", request_id=response.headers.get("X-Request-Id")
            )
        return ticket.strip()

    def fetch(self, ticket: str, *, deadline: float | None = None) -> Answer | None:
        """The answer for a ticket, or None while Integrex answers 202 (poll again later)."""
        # Reference: seeds/004 "[GET] Claim Request" / "[GET] Claim Response"
        response = self._call(
            "GET", CLAIM_INFO_PATH, route=f"{CLAIM_INFO_PATH}?id=", params={"id": ticket}, deadline=deadline
        )
        if response.status_code == 202:
            return None
        return to_answer(rows(_json(response)))

    def check(self, query: Query, *, within: float, ticket: str | None = None) -> Answer:
        """Submit (unless resuming ``ticket``) and poll until answered, for at most ``within``
        seconds in all (each call's own deadline is what is left); then ``IntegrexStillWorking``
        with the ticket."""
        started = time.monotonic()
        deadline = started + within
        ticket = ticket or self.submit(query, deadline=deadline)
        attempt = 0
        while True:
            try:
                answer = self.fetch(ticket, deadline=deadline)
            except DeadlineExceededError as exc:  # a slow answer used up the time that was left
                raise IntegrexStillWorking(ticket=ticket, elapsed=time.monotonic() - started, within=within) from exc
            if answer is not None:
                return answer
            remaining = deadline - time.monotonic()
            if remaining <= _LAST_CALL_SECONDS:
                raise IntegrexStillWorking(ticket=ticket, elapsed=time.monotonic() - started, within=within)
            time.sleep(min(remaining - _LAST_CALL_SECONDS / 2, self.poll.delay(attempt)))
            attempt += 1

    # --- the one choke point ---------------------------------------------------------------------

    def _call(self, method: str, path: str, *, route: str, deadline: float | None = None, **kwargs: Any) -> Any:
        """One authorized call: 400 becomes ``IntegrexRefused``; 401/402 fetch a new token once."""
        transport = self.transport
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DeadlineExceededError(detail="No time left for a call to Integrex.")
            transport = self._transport(dataclasses.replace(self.policy, overall_timeout=remaining))
        answers = {400, *_AUTH_STATUSES}
        token = self.tokens.get(transport=transport)
        response = transport.request(method, path, route=route, token=token, answers=answers, **kwargs)
        if response.status_code in _AUTH_STATUSES:
            token = self.tokens.refetch(stale=token, transport=transport)
            response = transport.request(method, path, route=route, token=token, answers=answers, **kwargs)
            if response.status_code in _AUTH_STATUSES:
                self.tokens.forget(token)  # refused twice; a newer one fetched meanwhile stays
                messages, _problems = _words(response)
                raise IntegrexAuthError(
                    status=response.status_code,
                    detail="; ".join(messages) or None,
                    request_id=response.headers.get("X-Request-Id"),
                )
        if response.status_code == 400:
            messages, problems = _words(response)
            raise IntegrexRefused(
                status=400, messages=messages, problems=problems, request_id=response.headers.get("X-Request-Id")
            )
        return response


_LAST_CALL_SECONDS = 0.1  # no poll is started with less time than this left


def _json(response: Any) -> Any:
    try:
        return json.loads(response.content, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        raise MalformedResponseError(
            status=response.status_code,
            detail="Integrex answered with a body that is not JSON.",
            request_id=response.headers.get("X-Request-Id"),
        ) from None


_MAX_WORDS = 300  # of Integrex's text kept per message


def _words(response: Any) -> tuple[tuple[str, ...], tuple[FieldProblem, ...]]:
    """What an error body says, whatever its shape: JSON ``message``, ``error``,
    ``error_description``, ``detail`` or ``errors`` (strings, ``{field, message}`` objects, or an
    object of field to messages), else the body's text."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        text = response.content.decode("utf-8", "replace").strip()
        return ((text[:_MAX_WORDS],) if text else ()), ()
    if isinstance(body, str):
        return ((body[:_MAX_WORDS],) if body.strip() else ()), ()
    if not isinstance(body, dict):
        return (), ()
    messages: list[str] = []
    problems: list[FieldProblem] = []
    for key in ("message", "error_description", "error", "detail", "title"):
        value = body.get(key)
        if isinstance(value, str) and value.strip() and value.strip()[:_MAX_WORDS] not in messages:
            messages.append(value.strip()[:_MAX_WORDS])
    errors = body.get("errors")
    if isinstance(errors, dict):
        errors = [{"field": field, "message": text} for field, text in errors.items()]
    for item in errors if isinstance(errors, list) else ():
        if isinstance(item, str):
            messages.append(item[:_MAX_WORDS])
        elif isinstance(item, dict):
            field = item.get("field") or item.get("name") or item.get("param") or item.get("loc") or ""
            if isinstance(field, list):
                field = ".".join(str(part) for part in field)
            text = item.get("message") or item.get("msg") or item.get("description") or item.get("error") or ""
            if isinstance(text, list):
                text = "; ".join(str(part) for part in text)
            problem = FieldProblem(
                field=str(field), description=str(text)[:_MAX_WORDS], code=str(item.get("code") or "")
            )
            problems.append(problem)
            messages.append(f"{problem.field} {problem.description}".strip())
    return tuple(messages), tuple(problems)


def _oauth_error(response: Any) -> str | None:
    messages, _problems = _words(response)
    return "; ".join(messages) or None


def _seconds(value: Any) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return float(DEFAULT_TOKEN_SECONDS)
    return seconds if seconds > 0 else float(DEFAULT_TOKEN_SECONDS)


__all__ = [
    "IntegrexAuthError",
    "IntegrexClient",
    "IntegrexRefused",
    "IntegrexStillWorking",
    "IntegrexTokens",
    "PollPolicy",
]
