"""Request ids, the HIPAA session clocks, and upstream failures turned into pages in words."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.gateway.errors import (
    ApiError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    UnauthorizedError,
)
from portal.request_context import (
    clean_correlation_id,
    clean_request_id,
    new_request_id,
    reset_request_id,
    set_request_id,
)
from portal.signin import SESSION_LAST_ACTIVITY, SESSION_SIGNED_IN_AT, mark_signed_out_automatically, sign_out
from portal.tokens import ReauthenticationRequired

log = logging.getLogger("portal")
access_log = logging.getLogger("portal.access")
_ACTIVITY_WRITE_EVERY = 10.0  # seconds: do not save the session on every single request


class RequestIdMiddleware:
    """Every request gets the server's own id, in `X-Request-Id`, sent upstream, shown on error
    pages and kept as the audit reference. A caller's `X-Request-Id` is never that reference: it
    is kept apart, as a correlation id, when it is short and plain (portal.request_context).

    The sandbox's services, mounted in the same process, keep their callers' ids as any API would.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sent = request.headers.get("X-Request-Id")
        if request.path.startswith("/sandbox/"):
            request_id, correlation_id = clean_request_id(sent), None
        else:
            request_id, correlation_id = new_request_id(), clean_correlation_id(sent)
        request.request_id = request_id  # type: ignore[attr-defined]
        request.correlation_id = correlation_id  # type: ignore[attr-defined]
        token = set_request_id(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-Id"] = request_id
        if not request.path.startswith(settings.STATIC_URL):
            _access_log(request, response, started, request_id)
        return response


def pseudonym(user_id: object) -> str:
    """A stable id for logs that is not the user's id (keyed hash; no names, no person ids)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"user:{user_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def _known_user(request: HttpRequest) -> object | None:
    """The request's user if something already read it; never reads it (the session store may be
    what failed, and a log line must not fail the response)."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        wrapped = user._wrapped  # type: ignore[attr-defined]
        return None if wrapped is empty else wrapped
    return user


def _access_log(request: HttpRequest, response: HttpResponse, started: float, request_id: str) -> None:
    match = getattr(request, "resolver_match", None)
    user: Any = _known_user(request)
    access_log.info(
        "request",
        extra={
            "method": request.method,
            # The route template, never the path: paths carry claim numbers and receipt ids.
            "route": f"/{match.route}" if match is not None else "unmatched",
            "status": response.status_code,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
            "user": pseudonym(user.pk) if user is not None and user.is_authenticated else None,
            "request_id": request_id,
            "correlation_id": getattr(request, "correlation_id", None),
        },
    )


def _to_sign_in(request: HttpRequest, message: str) -> HttpResponse:
    messages.info(request, message)
    target = reverse("signin")
    if request.method == "GET" and not request.path.startswith(target):
        target += "?" + urlencode({"next": request.get_full_path()})
    if getattr(request, "htmx", False):
        response = HttpResponse(status=HTTPStatus.NO_CONTENT)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)


def _duration(seconds: int) -> str:
    if seconds < 120:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    return ngettext("%(n)d minute", "%(n)d minutes", seconds // 60) % {"n": seconds // 60}


class SessionTimeoutMiddleware:
    """Sign out after SESSION_IDLE_TIMEOUT without activity and SESSION_ABSOLUTE_TIMEOUT overall."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_SIGNED_IN_AT)
            last = request.session.get(SESSION_LAST_ACTIVITY)
            expired = (
                started is None
                or last is None
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
                or now - last > settings.SESSION_IDLE_TIMEOUT
            )
            if expired:
                idle = last is not None and now - last > settings.SESSION_IDLE_TIMEOUT
                sign_out(request)
                mark_signed_out_automatically(request)  # the next sign-in asks for the password
                return _to_sign_in(
                    request,
                    _(
                        "You were signed out after %(duration)s without activity, to protect your "
                        "health information. Sign in again to continue."
                    )
                    % {"duration": _duration(settings.SESSION_IDLE_TIMEOUT)}
                    if idle
                    else _("Your session has ended. Sign in again to continue."),
                )
            if last is not None and now - last > _ACTIVITY_WRITE_EVERY:
                request.session[SESSION_LAST_ACTIVITY] = now
        return self.get_response(request)


class UpstreamErrorMiddleware:
    """Gateway failures that a view did not handle become a clear page, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ReauthenticationRequired | UnauthorizedError):
            sign_out(request, revoke=False)
            return _to_sign_in(request, _("Your sign-in has expired. Please sign in again to continue."))
        if not isinstance(exception, ApiError):
            return None
        log.warning(
            "upstream_error",
            extra={"error": type(exception).__name__, "status": exception.status,
                   "upstream_request_id": exception.request_id},
        )  # fmt: skip
        if isinstance(exception, NotFoundError):
            return TemplateResponse(request, "404.html", status=HTTPStatus.NOT_FOUND).render()
        if isinstance(exception, ForbiddenError):
            return TemplateResponse(request, "403.html", status=HTTPStatus.FORBIDDEN).render()
        context = {"rate_limited": isinstance(exception, RateLimitedError), "retry_url": request.get_full_path()}
        if getattr(request, "htmx", False):
            # htmx does not swap error statuses: answer 200 with the message for the swapped region.
            response = TemplateResponse(request, "portal/_upstream_error_inline.html", context).render()
        else:
            response = TemplateResponse(
                request, "portal/upstream_error.html", context, status=HTTPStatus.SERVICE_UNAVAILABLE
            ).render()
        response["Retry-After"] = str(int(exception.retry_after or 5))
        return response


class RequestSizeMiddleware:
    """A body over REQUEST_MAX_BYTES is refused before anything reads it (413, in words).

    Runs before every view and before the CSRF check, which would parse the form (and write its
    files to disk) to find the token.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= settings.REQUEST_MAX_BYTES:
            return self.get_response(request)
        log.warning("request_too_large", extra={"content_length": length})
        context = {"limit": settings.REQUEST_MAX_BYTES}
        if getattr(request, "htmx", False):  # htmx swaps only 2xx answers
            response = TemplateResponse(request, "portal/_too_large_inline.html", context).render()
        else:
            response = TemplateResponse(
                request, "413.html", context, status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE
            ).render()
        return response


class NoStoreMiddleware:
    """Nothing shown to a signed-in person stays in a browser's (or a proxy's) cache: pages,
    partials, downloads, exports and error pages alike. So are answers that read the session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        user: Any = _known_user(request)
        signed_in = user is not None and user.is_authenticated
        if signed_in or "cookie" in response.get("Vary", "").lower():
            from django.utils.cache import patch_cache_control

            patch_cache_control(response, private=True, no_store=True, no_cache=True, max_age=0)
        return response


class BadRequestMiddleware:
    """Input Django cannot read (too many fields, an overlong query, a malformed or cut-short form)
    is a 400 page in words with one short log line, never a 500 or a traceback with the input.

    Runs after RequestSizeMiddleware (an oversized body is refused unread first) and reads the
    query and form here, before the CSRF check or a view would stumble on them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
        from django.http import UnreadablePostError
        from django.http.multipartparser import MultiPartParserError

        if request.path.startswith("/sandbox/api/"):  # the API answers in Problem Details itself
            return self.get_response(request)
        reason = None
        if len(request.META.get("QUERY_STRING", "")) > settings.REQUEST_MAX_QUERY_BYTES:
            reason = "query_too_long"
        else:
            try:
                request.GET  # noqa: B018 - parsed now, so that its errors are ours to answer
                if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
                    request.POST  # noqa: B018
            except RequestDataTooBig:
                reason = "body_too_large"
            except (SuspiciousOperation, MultiPartParserError, UnreadablePostError) as exc:
                reason = type(exc).__name__
        if reason is None:
            return self.get_response(request)
        log.warning("bad_request", extra={"reason": reason, "method": request.method})
        if reason == "body_too_large":
            return TemplateResponse(
                request, "413.html", {"limit": settings.REQUEST_MAX_BYTES}, status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE
            ).render()
        return TemplateResponse(request, "400.html", status=HTTPStatus.BAD_REQUEST).render()


class MemberTimezoneMiddleware:
    """Dates show in the signed-in person's own time zone (the provider's zoneinfo claim)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from zoneinfo import ZoneInfo

        from django.utils import timezone

        from portal.access import current_profile

        profile = current_profile(request) if getattr(request, "user", None) is not None else None
        zone = profile.time_zone if profile is not None else ""
        if zone:
            with timezone.override(ZoneInfo(zone)):
                return self.get_response(request)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Powerful features off everywhere; the camera only on pages where receipts are captured."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        camera = "(self)" if match is not None and match.view_name == "claims:claim_detail" else "()"
        response["Permissions-Policy"] = (
            f"camera={camera}, microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
        )
        return response
