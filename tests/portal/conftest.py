from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from portal.models import Profile, Role
from portal.tokens import store_tokens
from tests.sandbox.test_idp import _exchange, sign_in_and_get_code


def real_tokens(username: str) -> dict:
    """Tokens from the sandbox provider's real authorization code flow (with PKCE)."""
    code, verifier, _ = sign_in_and_get_code(username)
    response = _exchange(code, verifier)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def portal_member(demo):
    """A portal user for alice, signed in at the provider, with her tokens stored encrypted."""
    from datetime import timedelta

    from django.utils import timezone

    user = get_user_model().objects.create(username="oidc-test-alice")
    Profile.objects.create(
        user=user, role=Role.MEMBER, person_id=demo.alice, employer_id=demo.acme,
        account_types=["FSA", "HRA", "DCFSA"], display_name="Alice Nguyen",
    )  # fmt: skip
    tokens = real_tokens("alice")
    store_tokens(
        user_id=user.pk, access_token=tokens["access_token"], refresh_token=tokens["refresh_token"],
        expires_at=timezone.now() + timedelta(seconds=tokens["expires_in"]),
    )  # fmt: skip
    user.raw_tokens = tokens
    return user


def portal_sign_in(base_url: str, username: str, browser=None):
    """A requests.Session (``browser``, or a new one) signed in to the portal through allauth and
    the sandbox provider."""
    import re

    import requests

    browser = browser or requests.Session()
    page = browser.get(f"{base_url}/signin/", timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    at_provider = browser.post(
        f"{base_url}/accounts/oidc/benefits/login/", data={"csrfmiddlewaretoken": csrf}, timeout=10
    )
    assert "/sandbox/o/login/" in at_provider.url, at_provider.url
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', at_provider.text).group(1)
    next_url = re.search(r'name="next" value="([^"]+)"', at_provider.text).group(1).replace("&amp;", "&")
    home = browser.post(
        at_provider.url,
        data={
            "csrfmiddlewaretoken": csrf,
            "username": username,
            "password": "sandbox-demo",
            "next": next_url,
        },
        timeout=20,
    )
    assert home.status_code == 200 and "/signin/" not in home.url, home.url
    return browser, home
