from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

# The layout's links, reversed once per process and script prefix rather than on every page.
_LINK_NAMES = {
    "signout": "signout",
    "keepalive": "keepalive",
    "claims": "claims:claim_list",
    "receipts": "receipts:receipt_list",
    "payees": "claims:payees",
    "eligible_expenses": "claims:eligible_expenses",
    "employer_claims": "claims:employer_claims",
    "audit_trail": "claims:audit_trail",
}
_links: dict[str, dict[str, str]] = {}


def layout_links() -> dict[str, str]:
    prefix = get_script_prefix()
    links = _links.get(prefix)
    if links is None:
        links = _links[prefix] = {key: reverse(name) for key, name in _LINK_NAMES.items()}
    return links


def portal(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {
        "request_id": getattr(request, "request_id", ""),
        "sandbox_enabled": settings.SANDBOX_ENABLED,
        "session_idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "session_warning_lead": settings.SESSION_WARNING_LEAD,
        "links": layout_links(),
    }
    if getattr(request, "user", None) is not None:
        from portal.access import current_profile

        context["portal_profile"] = current_profile(request)
    return context
