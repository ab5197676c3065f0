"""Helpers the tests share: signing in to the portal over HTTP, reading a page's form tokens, the
claims several tests use."""

from __future__ import annotations

import logging
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


def claim_waiting_for_receipt(demo):
    """alice's newest ClearView Eye Care claim waiting for a receipt (a sandbox row): the claim the
    receipt-check and review tests send a receipt for."""
    from sandbox.models import Claim

    return Claim.objects.filter(
        person__id=demo.alice, provider_name="ClearView Eye Care", claim_status="PENDING_RECEIPT_STATUS"
    ).order_by("-submission_date")[0]


def api_claim(demo, claim_number: str, *, as_user: str = "alice"):
    """The claim as the gateway reads it from the Claims API (``portal.gateway.models.Claim``)."""
    import json
    from decimal import Decimal

    from portal.gateway.models import Claim

    answer = demo.get(f"/v1/claims/{claim_number}", as_user=as_user)
    return Claim.from_json(json.loads(answer.content, parse_float=Decimal))


# A log record's own clocks and ids: a timestamp such as 1764875289.0034 (``created``) once held a
# claim's amount ("289.00") by chance, and a test of what the logs hold failed with nothing leaked.
_RECORD_CLOCKS = frozenset({"created", "msecs", "relativeCreated", "thread", "process", "lineno", "levelno"})


def logged_text(record: logging.LogRecord) -> str:
    """What a log record says and carries (message and extra fields), without its clocks and ids."""
    values = (str(v) for k, v in vars(record).items() if k not in _RECORD_CLOCKS)
    return " ".join([record.getMessage(), *values])
