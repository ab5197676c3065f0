"""The Claims API v1 client. One method per endpoint; the only code that speaks HTTP to the API.

(Issue 3 fills in the endpoint methods and typed results; the foundation needs liveness.)
"""

from __future__ import annotations

from django.conf import settings

from portal.gateway.errors import MalformedResponseError
from portal.gateway.transport import RetryPolicy, Transport


def default_policy() -> RetryPolicy:
    return RetryPolicy(
        retries=settings.GATEWAY_RETRIES,
        backoff_initial=settings.GATEWAY_BACKOFF_INITIAL,
        backoff_max=settings.GATEWAY_BACKOFF_MAX,
        retry_after_cap=settings.GATEWAY_RETRY_AFTER_CAP,
        connect_timeout=settings.GATEWAY_CONNECT_TIMEOUT,
        read_timeout=settings.GATEWAY_READ_TIMEOUT,
        overall_timeout=settings.GATEWAY_OVERALL_TIMEOUT,
    )


class ClaimsApiClient:
    def __init__(
        self, *, base_url: str | None = None, token: str | None = None, policy: RetryPolicy | None = None
    ) -> None:
        self.transport = Transport(base_url or settings.CLAIMS_API_BASE_URL, policy or default_policy())
        self.token = token

    # Reference: claims-api-v1.md, "Also GET /claims/health/liveness"
    def liveness(self) -> bool:
        response = self.transport.request("GET", "/claims/health/liveness", route="/claims/health/liveness")
        try:
            body = response.json()
        except ValueError:
            raise MalformedResponseError(status=response.status_code) from None
        return isinstance(body, dict) and body.get("status") == "UP"
