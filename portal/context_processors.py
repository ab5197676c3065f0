from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

# The layout's links, reversed once per process and script prefix rather than on every page.
_LINK_NAMES = {
    "signout": "signout",
    "keepalive": "keepalive",
    "language": "set_language",
    "claims": "claims:claim_list",
    "receipts": "receipts:receipt_list",
    "payees": "claims:payees",
    "eligible_expenses": "claims:eligible_expenses",
    "insurance": "insurance:cards",
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


# The main navigation's entries: which one is the current page, by the start of the path.
_MEMBER_SECTIONS = (
    ("claims", True),
    ("receipts", False),
    ("payees", False),
    ("eligible_expenses", False),
    ("insurance", False),
)
_HR_SECTIONS = (("employer_claims", True), ("audit_trail", False))


def _section(path: str, links: dict[str, str], sections: tuple[tuple[str, bool], ...]) -> str | None:
    """The navigation entry `path` belongs to: its own page, or (prefix entries) a page under it."""
    for key, prefix in sections:
        link = links[key]
        if path == link or (prefix and path.startswith(link)):
            return key
    return None


def portal(request: HttpRequest) -> dict[str, Any]:
    links = layout_links()
    context: dict[str, Any] = {
        "request_id": getattr(request, "request_id", ""),
        "sandbox_enabled": settings.SANDBOX_ENABLED,
        "session_idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "session_warning_lead": settings.SESSION_WARNING_LEAD,
        "links": links,
        "signed_in": False,
        "nav": None,  # "member" or "hr": which main navigation the layout shows
        "section": None,  # the navigation entry of this page (aria-current)
    }
    user = getattr(request, "user", None)
    if user is not None:
        from portal.access import current_profile

        profile = current_profile(request)
        context["portal_profile"] = profile
        context["signed_in"] = user.is_authenticated
        if profile is not None:
            hr = profile.is_hr_admin
            context["nav"] = "hr" if hr else "member"
            context["section"] = _section(request.path, links, _HR_SECTIONS if hr else _MEMBER_SECTIONS)
    return context
