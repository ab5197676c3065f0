"""Every portal URL, discovered from the URLconf: who may reach it, and CSRF on every POST."""

from __future__ import annotations

import uuid
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sandbox.models import Claim, Receipt
from tests.portal.test_sessions import signed_in_client

PUBLIC = {"", "signin/", "signout/", "language/", "healthz", "readyz"}  # signing out, choosing a language: anyone
# Called by machines with a key of their own instead of a session (tested below: 403 without it).
MACHINE = {"webhooks/silver/"}
SKIP_PREFIXES = ("sandbox/", "accounts/", "static/")


def portal_routes() -> list[tuple[str, str]]:
    """(route template, view name) of every portal URL (not the sandbox's or allauth's)."""
    found: list[tuple[str, str]] = []

    def walk(patterns, prefix: str = "") -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                if not route.startswith(SKIP_PREFIXES):
                    walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and not route.startswith(SKIP_PREFIXES) and route not in PUBLIC | MACHINE:
                found.append((route, p.lookup_str))

    walk(get_resolver().url_patterns)
    return found


def fill(route: str, values: dict[str, str]) -> str:
    path = route
    for key, value in values.items():
        for kind in ("str", "uuid"):
            path = path.replace(f"<{kind}:{key}>", value)
    assert "<" not in path, f"no sample value for {route}"
    return "/" + path


def samples(demo, owner: str) -> dict[str, str]:
    person = demo.bob if owner == "bob" else demo.alice
    claim = (
        Claim.objects.filter(person__id=person, denials__isnull=False).first()
        or Claim.objects.filter(person__id=person).first()
    )
    receipt = Receipt.objects.filter(person__id=person).first()
    return {
        "claim_number": claim.claim_number,
        "denial_id": str(claim.denials.first().denial_id) if claim.denials.exists() else str(uuid.uuid4()),
        "op_id": str(uuid.uuid4()),
        "token": str(uuid.uuid4()),
        "external_id": receipt.external_id if receipt else "ext-none",
        "coverage": "dental",
        "check_id": str(uuid.uuid4()),
    }


def test_the_sweep_sees_every_portal_view():
    names = {name for _, name in portal_routes()}
    assert {
        "claims.views.claim_detail",
        "claims.views.claim_upload",
        "claims.employer.views.denial_update_confirm",
        "claims.check_views.check_send",
    } <= names
    assert len(names) >= 17


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_sign_in_everywhere(demo, method):
    client = Client()
    for route, name in portal_routes():
        response = getattr(client, method)(fill(route, samples(demo, "alice")))
        if response.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
            continue  # the method is not offered at all
        assert response.status_code == HTTPStatus.FOUND, (route, name, response.status_code)
        assert response["Location"].startswith("/signin/?next="), (route, name)


def test_members_get_403_on_every_admin_page(portal_member, demo):
    client = signed_in_client(portal_member)
    admin_routes = [r for r, _ in portal_routes() if r.startswith("employer/")]
    assert len(admin_routes) >= 8
    for route in admin_routes:
        for method in ("get", "post"):
            response = getattr(client, method)(fill(route, samples(demo, "alice")))
            assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.METHOD_NOT_ALLOWED), route
            if response.status_code == HTTPStatus.FORBIDDEN:
                assert "You do not have access to this page" in response.content.decode()


def test_another_members_objects_are_404_everywhere(portal_member, demo):
    client = signed_in_client(portal_member)
    bobs = samples(demo, "bob")
    # (A card is the signed-in member's own by its coverage: insurance/<coverage>/ names no one's object.)
    member_routes = [
        r for r, _ in portal_routes() if "<" in r and not r.startswith(("employer/", "insurance/<str:coverage>/"))
    ]
    assert member_routes
    for route in member_routes:
        method = "post" if route.endswith(("receipts/", "check/", "remove/", "send/", "attach/")) else "get"
        response = getattr(client, method)(fill(route, bobs))
        assert response.status_code == HTTPStatus.NOT_FOUND, (route, response.status_code)


def test_csrf_is_enforced_on_every_post(portal_member, demo):
    client = signed_in_client(portal_member)
    client.handler.enforce_csrf_checks = True
    for route, name in [*portal_routes(), ("signout/", "signout")]:
        response = client.post(fill(route, samples(demo, "alice")))
        if response.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
            continue
        assert response.status_code == HTTPStatus.FORBIDDEN, (route, name, response.status_code)
        assert "This form has expired" in response.content.decode(), (route, name)  # refused for its token


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example", "http:/evil"])
def test_open_redirects_are_refused(portal_member, demo, target):
    anonymous = Client().get("/signin/", {"next": target}).content.decode()
    assert "evil" not in anonymous
    client = signed_in_client(portal_member)
    response = client.get("/signin/", {"next": target})
    assert response.status_code == HTTPStatus.FOUND and "evil" not in response["Location"]
    response = client.post("/session/keepalive/", {"next": target})
    assert "evil" not in response["Location"]


def _every_answer(demo, username: str):
    """(what was asked, the response) for every portal URL, GET and POST, page and htmx partial,
    as ``username`` signed in over real HTTP; and a URL that does not exist."""
    import re

    from tests.helpers import portal_sign_in

    browser, home = portal_sign_in(demo.base_url, username)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home.text).group(1)
    values = samples(demo, "alice")
    for route, _name in [*portal_routes(), ("no-such-page/", "404")]:
        url = demo.base_url + fill(route, values)
        for method in ("GET", "POST"):
            for headers in ({}, {"HX-Request": "true"}):
                data = {"csrfmiddlewaretoken": csrf} if method == "POST" else None
                response = browser.request(method, url, data=data, headers=headers, allow_redirects=False, timeout=30)
                yield f"{username} {method} {route} {headers}", response


@pytest.mark.parametrize("username", ["alice", "hana"])
def test_nothing_a_signed_in_person_is_shown_is_kept_in_a_browser_cache(demo, username):
    """Claims, payees, receipts, exports, the audit trail, their partials and error pages alike."""
    seen = 0
    for asked, response in _every_answer(demo, username):
        directives = {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}
        assert {"no-store", "private"} <= directives, (asked, response.status_code, directives)
        assert "public" not in directives and not any(d.startswith("max-age=") and d != "max-age=0" for d in directives)
        seen += 1
    assert seen >= 4 * 18


@pytest.mark.django_db
def test_machine_endpoints_refuse_callers_without_their_key():
    from django.test import Client

    for route in MACHINE:
        for key in (None, "wrong"):
            headers = {"apiKey": key} if key else {}
            response = Client(enforce_csrf_checks=True).post(
                f"/{route}", data=b"{}", content_type="application/json", headers=headers
            )
            assert response.status_code == HTTPStatus.FORBIDDEN, (route, key)
