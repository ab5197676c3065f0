"""Rate limits: sign-in starts, uploads and denial updates, answered with 429 and Retry-After."""

from __future__ import annotations

import uuid
from http import HTTPStatus

import requests
from django.test import RequestFactory

from portal.ratelimit import client_address
from sandbox.demo_files import receipt_pdf
from sandbox.models import Claim, Receipt, ReceiptStatus
from tests.helpers import csrf as _csrf
from tests.helpers import portal_sign_in


def test_sign_in_starts_are_limited_per_address(demo, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signin": (100, 3, 300)}
    browser = requests.Session()
    page = browser.get(f"{demo.base_url}/signin/", timeout=10)
    codes = []
    for _ in range(4):
        response = browser.post(
            f"{demo.base_url}/accounts/oidc/benefits/login/",
            data={"csrfmiddlewaretoken": _csrf(page.text)}, allow_redirects=False, timeout=10,
        )  # fmt: skip
        codes.append(response.status_code)
    assert codes[:3] == [HTTPStatus.FOUND] * 3 and codes[3] == HTTPStatus.TOO_MANY_REQUESTS
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many attempts" in response.text and "Please wait" in response.text


def test_uploads_are_limited_per_user_and_nothing_is_sent_when_limited(demo, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (2, 100, 600)}
    browser, _ = portal_sign_in(demo.base_url, "alice")
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    url = f"{demo.base_url}/claims/{claim.claim_number}/receipts/"
    codes = []
    for n in range(3):
        page = browser.get(f"{demo.base_url}/claims/", timeout=10).text
        token = str(uuid.uuid4())  # a new form each time
        response = browser.post(
            url, data={"csrfmiddlewaretoken": _csrf(page), "upload_token": token},
            files={"receipt_files": (f"r{n}.pdf", receipt_pdf([str(n)]), "application/pdf")},
            allow_redirects=False, timeout=20,
        )  # fmt: skip
        codes.append(response.status_code)
    assert codes == [HTTPStatus.FOUND, HTTPStatus.FOUND, HTTPStatus.TOO_MANY_REQUESTS]
    assert Receipt.objects.filter(claims=claim).count() == 2


def test_htmx_gets_the_limit_inline(demo, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (0, 100, 600)}
    browser, _ = portal_sign_in(demo.base_url, "alice")
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    page = browser.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10).text
    response = browser.post(
        f"{demo.base_url}/claims/{claim.claim_number}/receipts/",
        data={"csrfmiddlewaretoken": _csrf(page)}, headers={"HX-Request": "true"}, timeout=10,
    )  # fmt: skip
    assert response.status_code == HTTPStatus.OK and "Too many attempts" in response.text
    assert "Retry-After" in response.headers


def test_client_address_trusts_only_configured_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.RATE_LIMIT_PROXY_HOPS = 0
    assert client_address(request) == "10.0.0.9"  # a spoofed header changes nothing
    settings.RATE_LIMIT_PROXY_HOPS = 1
    assert client_address(request) == "203.0.113.7"
