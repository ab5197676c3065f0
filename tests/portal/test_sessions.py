"""Session clocks (HIPAA automatic logoff), sign-in/out pages, role guards, upstream failures."""

from __future__ import annotations

import time
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from portal.models import OidcTokens, Profile, Role
from portal.signin import SESSION_LAST_ACTIVITY, SESSION_SIGNED_IN_AT


def signed_in_client(user, *, idle: float = 0, age: float = 0) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    now = time.time()
    session[SESSION_SIGNED_IN_AT] = now - age
    session[SESSION_LAST_ACTIVITY] = now - idle
    session.save()
    return client


def test_member_home_lists_claims(portal_member):
    response = signed_in_client(portal_member).get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/claims/"
    assert "Alice Nguyen" in response.content.decode()
    assert response.content.decode().count("<tr>") > 10


def test_idle_session_is_signed_out_with_a_message(portal_member):
    client = signed_in_client(portal_member, idle=15 * 60 + 5)
    response = client.get("/claims/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/signin/?next=%2Fclaims%2F"
    page = client.get(response["Location"]).content.decode()
    assert "signed out after 15 minutes without activity" in page
    assert "_auth_user_id" not in client.session
    assert not OidcTokens.objects.filter(user=portal_member).exists()


def test_active_session_is_extended(portal_member):
    client = signed_in_client(portal_member, idle=14 * 60)
    assert client.get("/claims/").status_code == HTTPStatus.OK
    assert time.time() - client.session[SESSION_LAST_ACTIVITY] < 5


def test_twelve_hours_is_the_limit_even_when_active(portal_member):
    client = signed_in_client(portal_member, idle=1, age=12 * 3600 + 5)
    response = client.get("/claims/")
    assert response.status_code == HTTPStatus.FOUND and response["Location"].startswith("/signin/")


def test_htmx_requests_are_redirected_with_hx_redirect(portal_member):
    client = signed_in_client(portal_member, idle=16 * 60)
    response = client.get("/claims/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith("/signin/")


def test_keepalive_answers_the_warning(portal_member):
    client = signed_in_client(portal_member, idle=14 * 60)
    response = client.post("/session/keepalive/", headers={"Accept": "application/json"})
    assert response.status_code == HTTPStatus.OK and response.json() == {"idle_timeout": 15 * 60}
    assert time.time() - client.session[SESSION_LAST_ACTIVITY] < 5


def test_sessions_are_server_side_and_revocable(portal_member):
    from importlib import import_module

    from django.conf import settings

    client = signed_in_client(portal_member)
    key = client.cookies["sessionid"].value
    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert store(session_key=key).exists(key)  # kept on the server (database or Redis), not in the cookie
    store(session_key=key).delete()  # an administrator revokes it
    response = client.get("/claims/")
    assert response.status_code == HTTPStatus.FOUND and response["Location"].startswith("/signin/")


def test_anonymous_is_sent_to_sign_in(demo):
    for path in ("/claims/", "/employer/claims/"):
        response = Client().get(path)
        assert response.status_code == HTTPStatus.FOUND and response["Location"].startswith("/signin/?next=")


def test_member_gets_403_in_words_on_the_employer_view(portal_member):
    response = signed_in_client(portal_member).get("/employer/claims/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "You do not have access to this page" in response.content.decode()


def test_sign_in_page_has_one_button_and_keeps_next(demo):
    page = Client().get("/signin/?next=/claims/").content.decode()
    main = page.split("<main", 1)[1].split("</main>", 1)[0]  # the header has the language switch
    assert main.count('type="submit"') == 1 and 'name="next" value="/claims/"' in main
    assert 'name="next"' not in Client().get("/signin/?next=https://evil.example/").content.decode()


def test_local_accounts_are_off(demo):
    response = Client().get("/accounts/login/")
    assert response.status_code == HTTPStatus.FOUND and response["Location"].startswith("/signin/")
    signup = Client().get("/accounts/signup/")  # allauth's signup, closed by SOCIALACCOUNT_ONLY
    assert signup.status_code == HTTPStatus.NOT_FOUND, signup
    assert 'type="password"' not in signup.content.decode() and "password1" not in signup.content.decode()
    posted = Client().post("/accounts/signup/", {"username": "eve", "password1": "x" * 12, "password2": "x" * 12})
    assert posted.status_code == HTTPStatus.NOT_FOUND
    assert not get_user_model().objects.filter(username="eve").exists()


def test_upstream_down_is_a_page_with_a_reference_not_a_500(portal_member, settings):
    settings.SANDBOX_FAULT_RATE = 1.0
    settings.SANDBOX_FAULT_STATUS = "503"
    settings.GATEWAY_RETRIES = 1
    settings.GATEWAY_BACKOFF_INITIAL = 0.01
    response = signed_in_client(portal_member).get("/claims/", headers={"X-Request-Id": "ref-12345"})
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    body = response.content.decode()
    assert "can't reach the claims service" in body and response["X-Request-Id"] in body and "Try again" in body
    assert "ref-12345" not in body  # the caller's id is a correlation id, not the reference
    assert "Traceback" not in body


@pytest.mark.parametrize("status", ["429", "500"])
def test_other_upstream_failures_are_pages_too(portal_member, settings, status):
    settings.SANDBOX_FAULT_RATE = 1.0
    settings.SANDBOX_FAULT_STATUS = status
    settings.GATEWAY_RETRIES = 0
    response = signed_in_client(portal_member).get("/claims/")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE


def test_admin_profile_sees_employer_claims(demo):
    from tests.portal.conftest import real_tokens

    user = get_user_model().objects.create(username="oidc-test-hana")
    Profile.objects.create(user=user, role=Role.HR_ADMIN, business_entity_id=demo.acme, display_name="Hana Kim")
    tokens = real_tokens("hana")
    from datetime import timedelta

    from django.utils import timezone

    from portal.tokens import store_tokens

    store_tokens(
        user_id=user.pk,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        expires_at=timezone.now() + timedelta(hours=1),
    )
    client = signed_in_client(user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/employer/claims/"
    assert client.get("/claims/").status_code == HTTPStatus.FORBIDDEN


def test_htmx_requests_get_the_failure_inline_so_it_is_shown(portal_member, settings):
    settings.SANDBOX_FAULT_RATE = 1.0
    settings.SANDBOX_FAULT_STATUS = "503"
    settings.GATEWAY_RETRIES = 0
    response = signed_in_client(portal_member).get(
        "/claims/?status=paid", headers={"HX-Request": "true", "X-Request-Id": "ref-inline-1"}
    )
    assert response.status_code == HTTPStatus.OK  # htmx swaps only 2xx answers
    body = response.content.decode()
    assert "can't reach the claims service" in body and response["X-Request-Id"] in body and "<html" not in body


def test_a_page_reads_the_profile_once(portal_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in_client(portal_member)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/claims/").status_code == HTTPStatus.OK
    profile_reads = [q for q in queries.captured_queries if 'FROM "portal_profile"' in q["sql"]]
    assert len(profile_reads) == 1
