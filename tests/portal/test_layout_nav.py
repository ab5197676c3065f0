"""The layout's navigation: which one a person sees, and which entry is marked as the current page."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from portal.context_processors import portal


def _request(path: str, *, hr: bool | None):
    """A request at `path` by a member (hr False), an HR administrator (hr True) or nobody (None)."""
    request = RequestFactory().get(path)
    if hr is None:
        request.user = SimpleNamespace(is_authenticated=False, pk=None)
    else:
        request.user = SimpleNamespace(is_authenticated=True, pk=1)
        request._portal_profile = SimpleNamespace(is_hr_admin=hr, display_name="Pat Doe", time_zone="")
    return request


def _current(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page">', html)


@pytest.mark.parametrize(
    ("path", "hr", "nav", "section"),
    [
        ("/claims/", False, "member", "claims"),
        ("/claims/CLM-2026-0042/", False, "member", "claims"),
        ("/receipts/", False, "member", "receipts"),
        ("/payees/", False, "member", "payees"),
        ("/eligible-expenses/", False, "member", "eligible_expenses"),
        ("/", False, "member", None),
        ("/employer/claims/", True, "hr", "employer_claims"),
        ("/employer/claims/CLM-2026-0042/review/", True, "hr", "employer_claims"),
        ("/employer/audit/", True, "hr", "audit_trail"),
        ("/claims/", True, "hr", None),
        ("/signin/", None, None, None),
    ],
)
def test_navigation_and_current_entry(path, hr, nav, section):
    context = portal(_request(path, hr=hr))
    assert (context["nav"], context["section"], context["signed_in"]) == (nav, section, hr is not None)


def test_member_layout_marks_only_the_current_entry():
    html = render_to_string("base.html", request=_request("/claims/CLM-1/", hr=False))
    assert _current(html) == ["/claims/"]
    assert 'href="/receipts/"' in html and "/employer/claims/" not in html
    assert "data-idle-timeout" in html and 'id="session-warning"' in html
    html = render_to_string("base.html", request=_request("/receipts/", hr=False))
    assert _current(html) == ["/receipts/"]


def test_hr_layout_shows_the_employer_navigation():
    html = render_to_string("base.html", request=_request("/employer/audit/", hr=True))
    assert _current(html) == ["/employer/audit/"]
    assert 'href="/employer/claims/"' in html and 'href="/receipts/"' not in html
    assert "HR administrator" in html


def test_signed_out_layout_has_no_navigation_or_session_clock():
    html = render_to_string("base.html", request=_request("/signin/", hr=None))
    assert 'aria-label="Main"' not in html and "Sign out" not in html
    assert "data-idle-timeout" not in html and 'id="session-warning"' not in html
