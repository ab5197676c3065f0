from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.http import url_has_allowed_host_and_scheme

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


def _return_to(request: HttpRequest) -> str:
    """Where the language switch brings the reader back: this page, its query included, except
    a `next` that would leave the site (the page never repeats it, even in a hidden field)."""
    if request.method != "GET":
        return ""  # the answer to a form: back to the start page rather than to a POST-only URL
    try:
        query = request.GET.copy()
    except SuspiciousOperation:  # the 400 page for a query Django refuses to read: back to this page
        return request.path
    target = query.get("next")
    if target is not None and not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        del query["next"]
    return request.path + (f"?{query.urlencode()}" if query else "")


def portal(request: HttpRequest) -> dict[str, Any]:
    links = layout_links()
    context: dict[str, Any] = {
        "request_id": getattr(request, "request_id", ""),
        "sandbox_enabled": settings.SANDBOX_ENABLED,
        "session_idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "session_warning_lead": settings.SESSION_WARNING_LEAD,
        "links": links,
        "return_to": lambda: _return_to(request),  # worked out only by the pages that show the switch
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
