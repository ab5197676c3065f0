"""The gateway: the only code that speaks HTTP to the Claims API (and the identity provider's
token endpoint). Typed results, one exception hierarchy, retries, pooling, request ids."""

from portal.gateway.client import ClaimsApiClient, ReceiptFile, StaticToken, TokenProvider
from portal.gateway.concurrency import gather
from portal.gateway.errors import (
    ApiError,
    BadRequestError,
    ConflictError,
    DeadlineExceededError,
    ForbiddenError,
    MalformedResponseError,
    NotFoundError,
    RateLimitedError,
    ServiceError,
    TransportError,
    UnauthorizedError,
    UnprocessableError,
    UnsupportedMediaTypeError,
)

__all__ = [
    "ApiError",
    "BadRequestError",
    "ClaimsApiClient",
    "ConflictError",
    "DeadlineExceededError",
    "ForbiddenError",
    "MalformedResponseError",
    "NotFoundError",
    "RateLimitedError",
    "ReceiptFile",
    "ServiceError",
    "StaticToken",
    "TokenProvider",
    "TransportError",
    "UnauthorizedError",
    "UnprocessableError",
    "UnsupportedMediaTypeError",
    "gather",
]
