"""Helpers the tests share: signing in to the portal over HTTP and reading a page's form tokens."""

from __future__ import annotations

import re


def csrf(html: str) -> str:
    """The CSRF token of the (first) form on a page."""
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def upload_token(html: str) -> str:
    """The upload form's one-operation token."""
    return re.search(r'name="upload_token" value="([^"]+)"', html).group(1)


def portal_sign_in(base_url: str, username: str, browser=None):
    """A requests.Session (``browser``, or a new one) signed in to the portal through allauth and
    the sandbox provider."""
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
