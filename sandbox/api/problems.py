"""Problem Details (RFC 9457) responses and JSON encoding with money as two-decimal numbers."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from http import HTTPStatus
from typing import Any

from django.http import HttpResponse

PROBLEM_TYPE_BASE = "https://api.example.com/problems/"
_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    415: "unsupported-media-type",
    422: "unprocessable-entity",
    429: "too-many-requests",
    500: "internal-server-error",
    503: "service-unavailable",
}


class ApiProblem(Exception):
    """Raised anywhere in an API view; answered as application/problem+json."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.headers = headers or {}


def problem_response(
    status: int,
    detail: str,
    *,
    instance: str,
    title: str | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body = {
        "type": PROBLEM_TYPE_BASE + _SLUGS.get(status, "error"),
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    response = HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def from_exception(exc: ApiProblem, instance: str) -> HttpResponse:
    return problem_response(exc.status, exc.detail, instance=instance, title=exc.title, headers=exc.headers)


# --- JSON with money as numbers that keep two decimals -------------------------------------------
_MONEY_MARK = "\x00money:"
_MONEY_RE = re.compile(r'"\\u0000money:(-?\d+\.\d{2})"')


class Money(Decimal):
    """A Decimal that the API writes as a JSON number with exactly two decimals (250.00)."""


class _Encoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, Money):
            return f"{_MONEY_MARK}{o.quantize(Decimal('0.01'))}"
        if isinstance(o, Decimal):
            return f"{o.quantize(Decimal('0.01'))}"
        if isinstance(o, datetime):
            return iso(o)
        return super().default(o)


def dumps(data: Any) -> str:
    return _MONEY_RE.sub(r"\1", json.dumps(data, cls=_Encoder))


def json_response(data: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(dumps(data), status=status, content_type="application/json")


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
