"""Portal-wide views: the landing page, health probes and the error pages."""

from __future__ import annotations

import logging
from http import HTTPStatus

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.gateway.client import ClaimsApiClient
from portal.gateway.errors import ApiError
from portal.gateway.transport import RetryPolicy

log = logging.getLogger(__name__)

_READINESS_POLICY = RetryPolicy(retries=0, connect_timeout=2.0, read_timeout=3.0, overall_timeout=4.0)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "portal/home.html")


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


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 404, "404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(request, 500, "500.html")
