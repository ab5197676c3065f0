"""After the portal signs someone out by itself, the next sign-in asks for the password; every
sign-out revokes the tokens and ends the provider's session; the ID token's nonce is checked."""

from __future__ import annotations

import re
import time
from importlib import import_module
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import requests
from django.conf import settings

from portal.models import OidcTokens
from portal.signin import SESSION_LAST_ACTIVITY, SESSION_OIDC_NONCE
from tests.helpers import portal_sign_in


def _session(browser: requests.Session):
    store = import_module(settings.SESSION_ENGINE).SessionStore
    return store(session_key=browser.cookies.get("sessionid"))


def _make_idle(browser: requests.Session) -> None:
    session = _session(browser)
    session[SESSION_LAST_ACTIVITY] = time.time() - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()


def _press_sign_in(demo, browser: requests.Session) -> requests.Response:
    page = browser.get(f"{demo.base_url}/signin/", timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return browser.post(
        f"{demo.base_url}/accounts/oidc/benefits/login/", data={"csrfmiddlewaretoken": csrf}, timeout=20
    )


def test_after_an_idle_sign_out_signing_in_asks_for_the_password_again(demo):
    browser, home = portal_sign_in(demo.base_url, "dave")
    assert "Dave" in home.text
    _make_idle(browser)
    answer = browser.get(f"{demo.base_url}/claims/", allow_redirects=False, timeout=10)
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/signin/")
    again = _press_sign_in(demo, browser)
    assert "/sandbox/o/login/" in again.url, again.url  # the provider's password form, not Dave's claims
    assert 'name="password"' in again.text and "/claims/" not in again.url


def test_a_provider_session_older_than_the_idle_limit_asks_for_the_password(demo):
    """Even in a browser that kept nothing of the portal (closed, cookies of the portal gone)."""
    from django.contrib.auth import get_user_model
    from django.core import signing

    dave = get_user_model().objects.get(username="dave")
    then = time.time() - settings.SESSION_IDLE_TIMEOUT - 60
    with mock.patch("django.core.signing.time.time", return_value=then):
        old_cookie = signing.dumps(dave.pk, salt="sandbox.idp.session")
    browser = requests.Session()
    browser.cookies.set("sandbox_idp", old_cookie, path="/sandbox/o/")
    again = _press_sign_in(demo, browser)
    assert "/sandbox/o/login/" in again.url and 'name="password"' in again.text


def test_the_portal_sends_a_nonce_and_max_age_and_refuses_an_id_token_without_its_nonce(demo):
    browser = requests.Session()
    page = browser.get(f"{demo.base_url}/signin/", timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    start = browser.post(
        f"{demo.base_url}/accounts/oidc/benefits/login/?auth_params=max_age%3D999999",
        data={"csrfmiddlewaretoken": csrf}, allow_redirects=False, timeout=10,
    )  # fmt: skip
    query = parse_qs(urlsplit(start.headers["Location"]).query)
    assert len(query["nonce"][0]) >= 32 and query["max_age"] == [str(settings.SESSION_IDLE_TIMEOUT)]
    session = _session(browser)
    assert session[SESSION_OIDC_NONCE] == query["nonce"][0]
    session[SESSION_OIDC_NONCE] = "not-the-nonce-that-was-sent"
    session.save()
    at_provider = browser.get(start.headers["Location"], timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', at_provider.text).group(1)
    next_url = re.search(r'name="next" value="([^"]+)"', at_provider.text).group(1).replace("&amp;", "&")
    landed = browser.post(
        at_provider.url,
        data={"csrfmiddlewaretoken": csrf, "username": "alice", "password": "sandbox-demo", "next": next_url},
        timeout=20,
    )
    assert "/claims/" not in landed.url and "_auth_user_id" not in _session(browser).load()
    assert not OidcTokens.objects.exists()


def test_allauths_own_sign_out_url_revokes_the_tokens_and_ends_the_provider_session(demo):
    from portal import crypto

    browser, home = portal_sign_in(demo.base_url, "alice")
    row = OidcTokens.objects.get()
    refresh = crypto.decrypt(row.refresh_token)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home.text).group(1)
    out = browser.post(f"{demo.base_url}/accounts/logout/", data={"csrfmiddlewaretoken": csrf}, timeout=20)
    assert out.status_code == 200
    assert not OidcTokens.objects.exists()
    assert "sandbox_idp" not in {c.name for c in browser.cookies if c.value}
    token_url = f"{demo.base_url}/sandbox/o/token/"
    refused = requests.post(
        token_url,
        data={"grant_type": "refresh_token", "refresh_token": refresh, "client_id": settings.OIDC_CLIENT_ID,
              "client_secret": settings.OIDC_CLIENT_SECRET},
        timeout=10,
    )  # fmt: skip
    assert refused.status_code == 400
