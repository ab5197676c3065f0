"""One exception hierarchy for the Claims API, built from Problem Details (RFC 9457) bodies."""

from __future__ import annotations

from typing import Any

import requests

from portal.gateway.insurer import FieldProblem


class ApiError(Exception):
    """Base of every gateway failure. Never show ``str(exc)`` to a user; show ``request_id``."""

    default_title = "Claims API error"

    def __init__(
        self,
        *,
        status: int | None = None,
        title: str | None = None,
        detail: str | None = None,
        instance: str | None = None,
        problem_type: str | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.title = title or self.default_title
        self.detail = detail
        self.instance = instance
        self.problem_type = problem_type
        self.request_id = request_id
        self.retry_after = retry_after
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [f"{self.status or '-'} {self.title}"]
        if self.detail:
            parts.append(self.detail)
        if self.instance:
            parts.append(f"instance={self.instance}")
        if self.request_id:
            parts.append(f"request_id={self.request_id}")
        return " | ".join(parts)


class BadRequestError(ApiError):
    default_title = "Bad request"


class UnauthorizedError(ApiError):
    default_title = "Unauthorized"


class ForbiddenError(ApiError):
    default_title = "Forbidden"


class NotFoundError(ApiError):
    default_title = "Not found"


class ConflictError(ApiError):
    default_title = "Conflict"


class UnprocessableError(ApiError):
    default_title = "Unprocessable request"


class UnsupportedMediaTypeError(BadRequestError):
    default_title = "Unsupported media type"


class RateLimitedError(ApiError):
    default_title = "Too many requests"


class ServiceError(ApiError):
    """5xx: the service failed or is unavailable."""

    default_title = "Claims service unavailable"


class TransportError(ApiError):
    """No usable response: connection refused or dropped, timeout, deadline exceeded."""

    default_title = "Could not reach the claims service"


class DeadlineExceededError(TransportError):
    """The overall deadline across all attempts passed."""

    default_title = "The claims service took too long to answer"


class MalformedResponseError(ApiError):
    """A response that is not the JSON the contract promises."""

    default_title = "Unexpected response from the claims service"


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    415: UnsupportedMediaTypeError,
    422: UnprocessableError,
    429: RateLimitedError,
}


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        from datetime import UTC, datetime
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = (when - datetime.now(UTC)).total_seconds()
    return max(0.0, seconds)


def error_from_response(response: requests.Response, request_id: str | None) -> ApiError:
    """Map an error response to the exception for its status, keeping the Problem Details."""
    body: dict[str, Any] = {}
    try:
        parsed = response.json()
        if isinstance(parsed, dict):
            body = parsed
    except ValueError:
        pass
    status = response.status_code
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ServiceError if status >= 500 else ApiError
    return cls(
        status=status,
        title=_text(body.get("title")),
        detail=_text(body.get("detail")),
        instance=_text(body.get("instance")),
        problem_type=_text(body.get("type")),
        request_id=response.headers.get("X-Request-Id") or request_id,
        retry_after=parse_retry_after(response.headers.get("Retry-After")),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


# --- A member's insurer (Optum Claim Status v2): errors that carry the insurer's own problems ----


class InsurerRefused(BadRequestError):
    """The insurer (or its clearinghouse) refused fields of the query: ``problems`` names each
    field and says what is wrong with it (never its value). Not retried: the query must change."""

    default_title = "The insurer refused the request"

    def __init__(self, *, problems: tuple[FieldProblem, ...] = (), **kwargs: Any) -> None:
        self.problems = tuple(problems)
        super().__init__(**kwargs)


class InsurerUnavailable(ServiceError):
    """The insurer answered "try again later" (X12 AAA 42/80, Optum's "Http Header" message) and
    kept answering so after the retries, or said not to resubmit. ``problems`` holds its words."""

    default_title = "The insurer cannot answer now"

    def __init__(self, *, problems: tuple[FieldProblem, ...] = (), **kwargs: Any) -> None:
        self.problems = tuple(problems)
        super().__init__(**kwargs)
