"""Cross-cutting behaviour of the sandbox API (/sandbox/api/): request ids, faults, errors."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from sandbox.api import faults
from sandbox.api.problems import ApiProblem, from_exception, problem_response

log = logging.getLogger("sandbox.api")
API_PREFIX = "/sandbox/api/"
_NO_FAULTS = {"/sandbox/api/openapi.json"}


class SandboxApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        started = time.monotonic()
        response = self._handle(request)
        request_id = request.headers.get("X-Request-Id")
        if request_id:
            response["X-Request-Id"] = request_id[:128]
        log.info(
            "sandbox_api_request",
            extra={
                "method": request.method,
                "route": getattr(request, "sandbox_route", "unknown"),
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
        return response

    def _handle(self, request: HttpRequest) -> HttpResponseBase:
        fault = faults.Fault()
        if settings.SANDBOX_ENABLED and request.path not in _NO_FAULTS:
            try:
                fault = faults.for_request(request)
            except ApiProblem as exc:
                return from_exception(exc, request.path)
            request.sandbox_fault = fault  # type: ignore[attr-defined]
            if fault.status:
                return from_exception(faults.status_problem(fault.status), request.path)
            if fault.malformed:
                return HttpResponse(b"<html><body>Bad gateway</body></html>", content_type="text/html")
        response = self.get_response(request)
        if fault.drop:
            return faults.dropped(response)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        fault = getattr(request, "sandbox_fault", None)
        # Views marked latency_inside sleep mid-work themselves (see sandbox.api.views.patch_denial).
        if fault and fault.latency_ms and not getattr(view, "latency_inside", False):
            time.sleep(fault.latency_ms / 1000)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, ApiProblem):
            return from_exception(exception, request.path)
        if isinstance(exception, RequestDataTooBig):
            return problem_response(400, "The request body is too large.", instance=request.path)
        log.exception("sandbox_api_error")
        return problem_response(500, "The sandbox failed unexpectedly. This is a bug.", instance=request.path)
