"""Portal-wide views: the landing page, health probes and the error pages."""

from __future__ import annotations

import logging
import time
from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.access import current_profile
from portal.forms import LanguageForm
from portal.gateway.client import ClaimsApiClient
from portal.gateway.errors import ApiError
from portal.gateway.oidc import OidcClient
from portal.gateway.transport import RetryPolicy
from portal.models import Role
from portal.ratelimit import give_browser_id
from portal.signin import SESSION_LAST_ACTIVITY
from portal.signin import sign_out as end_session

log = logging.getLogger(__name__)

_READINESS_POLICY = RetryPolicy(retries=0, connect_timeout=2.0, read_timeout=3.0, overall_timeout=4.0)


def _safe_next(request: HttpRequest, value: str | None) -> str | None:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


def _home_for(request: HttpRequest) -> str:
    profile = current_profile(request)
    if profile is not None and profile.role == Role.HR_ADMIN:
        return reverse("claims:employer_claims")
    return reverse("claims:claim_list")


@require_GET
@never_cache
def home(request: HttpRequest) -> HttpResponse:
    """Signed in: the member's claims or the employer view. Otherwise: the sign-in page."""
    if request.user.is_authenticated:
        return redirect(_home_for(request))
    return signin(request)


@require_GET
@never_cache
def signin(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request, request.GET.get("next")) or _home_for(request))
    login_url = reverse("openid_connect_login", kwargs={"provider_id": settings.OIDC_PROVIDER_ID})
    response = TemplateResponse(
        request,
        "portal/signin.html",
        {"login_url": login_url, "next": _safe_next(request, request.GET.get("next")) or ""},
    )
    give_browser_id(request, response)  # its own count of sign-in starts (portal.ratelimit)
    return response


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    """End the portal session, forget and revoke the tokens, then end the provider's session."""
    id_token = end_session(request)
    messages.success(request, _("You have signed out."))
    back = request.build_absolute_uri(reverse("signin"))
    try:
        end_session_url = OidcClient().end_session_url()
    except ApiError:
        end_session_url = ""
    if end_session_url:
        params = {"post_logout_redirect_uri": back}
        if id_token:  # OIDC RP-initiated logout: the provider ends its session on this hint alone
            params["id_token_hint"] = id_token
        return HttpResponseRedirect(f"{end_session_url}?{urlencode(params)}")
    return redirect("signin")


@require_POST
@login_required
def keepalive(request: HttpRequest) -> HttpResponse:
    """The session warning's "Stay signed in": counts as activity, now."""
    request.session[SESSION_LAST_ACTIVITY] = time.time()
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"idle_timeout": settings.SESSION_IDLE_TIMEOUT})
    return redirect(_safe_next(request, request.POST.get("next")) or "home")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch on every page (a plain form): kept on the profile of a signed-in
    person, in a cookie for anyone else (and for the sign-in page after they sign out)."""
    back = _safe_next(request, request.POST.get("return_to")) or _home_for(request)
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return redirect(back)
    language = form.cleaned_data["language"]
    profile = current_profile(request)
    if profile is not None and profile.language != language:
        profile.language = language
        profile.save(update_fields=["language"])  # clears the cached user (portal.auth_backends)
    translation.activate(language)  # the redirect's messages, if any, in the new language
    response = redirect(back)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",  # a link from another site still opens in the chosen language
    )
    return response


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process is up and answering."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers and the Claims API says it is alive."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        log.warning("readyz_database_failed", extra={"error": type(exc).__name__})
        checks["database"] = "failed"
    try:
        alive = ClaimsApiClient(policy=_READINESS_POLICY).liveness()
        checks["claims_api"] = "ok" if alive else "failed"
    except ApiError as exc:
        log.warning("readyz_claims_api_failed", extra={"error": type(exc).__name__})
        checks["claims_api"] = "failed"
    ready = all(value == "ok" for value in checks.values())
    status = HTTPStatus.OK if ready else HTTPStatus.SERVICE_UNAVAILABLE
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=status)


def _error_page(request: HttpRequest, status: int, template: str) -> HttpResponse:
    return TemplateResponse(request, template, status=status).render()


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 400, "400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 403, "403.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token (an old tab, another site): a 403 in words."""
    return _error_page(request, 403, "403_csrf.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 404, "404.html")


def _data_store_down() -> bool:
    """The exception being handled is the database or the cache (sessions) not answering."""
    import sys

    from django.db import DatabaseError, InterfaceError, OperationalError

    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError) or type(exc) is DatabaseError:
        return True
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is installed with the production extras
        return False
    return isinstance(exc, RedisConnectionError | RedisTimeoutError)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the database or Redis is down; the page never needs either to render."""
    from django.template.loader import render_to_string

    down = _data_store_down()
    status, template = (503, "503.html") if down else (500, "500.html")
    if down:
        log.error("data_store_unavailable", extra={"status": status})
    # No request context: the context processors would read the session and the user, which is
    # what may have just failed. The page shows no account menu, only what happened and the id.
    html = render_to_string(template, {"request_id": getattr(request, "request_id", "")})
    response = HttpResponse(html, status=status)
    if down:
        response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response
