"""No token, secret or file content reaches the logs, at any level, from any logger."""

from __future__ import annotations

import base64
import logging
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from portal import crypto
from portal.gateway.models import DenialUpdate
from portal.models import OidcTokens
from portal.tokens import gateway_for_user
from sandbox.demo_files import receipt_pdf
from sandbox.models import Claim
from tests.helpers import logged_text, portal_sign_in


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        parts = [logged_text(record)]
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
        self.lines.append(" ".join(parts))


@pytest.fixture
def all_logs():
    handler = Everything()
    root = logging.getLogger()
    saved = {name: logging.getLogger(name).level for name in ("", "urllib3", "django", "allauth", "waitress")}
    root.addHandler(handler)
    for name in saved:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


def test_no_secrets_or_file_contents_in_logs(demo, all_logs):
    from django.contrib.auth import get_user_model

    browser, home = portal_sign_in(demo.base_url, "alice")
    assert "Your claims" in home.text
    user = get_user_model().objects.get(profile__person_id=demo.alice)
    row = OidcTokens.objects.get(user=user)
    access, refresh = crypto.decrypt(row.access_token), crypto.decrypt(row.refresh_token)

    gateway = gateway_for_user(user.pk)
    marker = f"PHI-MARKER-{uuid.uuid4().hex}"
    pdf = receipt_pdf([marker] * 40)
    gateway.upload_receipt(person_id=demo.alice, file_name="r.pdf", content=pdf, mime_type="application/pdf")
    with pytest.raises(Exception):  # noqa: B017 - any refusal; we only look at the logs
        gateway.upload_receipt(person_id=demo.alice, file_name="r.pdf", content=pdf, mime_type="image/png")
    with pytest.raises(Exception):  # noqa: B017
        gateway.get_claim("NOPE")
    hana = demo.token("hana")
    from portal.gateway import ClaimsApiClient, StaticToken
    from sandbox.models import Claim

    claim = Claim.objects.filter(person__id=demo.alice, denials__isnull=False).first()
    ClaimsApiClient(tokens=StaticToken(hana)).update_denial(
        claim.claim_number,
        claim.denials.first().denial_id,
        DenialUpdate(reallocate_to_paid_amount=Decimal("1.00")),
        idempotency_key=uuid.uuid4(),
    )
    # A refresh, then pages again through the portal.
    OidcTokens.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert browser.get(f"{demo.base_url}/claims/", timeout=10).status_code == 200
    new_access = crypto.decrypt(OidcTokens.objects.get(user=user).access_token)
    browser.get(f"{demo.base_url}/claims/NOPE/", timeout=10)

    logs = "\n".join(all_logs.lines)
    assert len(all_logs.lines) > 20, "the test must actually have produced logs"
    assert "claims_api_call" in logs
    secrets = {
        "access token": access,
        "refreshed access token": new_access,
        "refresh token": refresh,
        "hana's token": hana,
        "client secret": settings.OIDC_CLIENT_SECRET,
        "file content": marker,
        "file base64": base64.b64encode(pdf).decode()[:80],
    }
    for name, secret in secrets.items():
        assert secret not in logs, f"{name} reached the logs"
    assert "Bearer ey" not in logs


def test_one_access_line_per_request_with_route_not_path(demo, all_logs):
    from portal.middleware import pseudonym

    browser, _ = portal_sign_in(demo.base_url, "alice")
    claim = Claim.objects.filter(person__id=demo.alice).first()
    browser.get(f"{demo.base_url}/claims/{claim.claim_number}/", headers={"X-Request-Id": "acc-1"}, timeout=10)
    lines = [line for line in all_logs.lines if line.startswith("request ") and "acc-1" in line]
    portal_lines = [line for line in lines if "GET /claims/<str:claim_number>/ 200" in line]
    assert len(portal_lines) == 1  # the caller's id, kept as the correlation id of that one line
    line = portal_lines[0]
    assert all(claim.claim_number not in entry for entry in lines)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(profile__person_id=demo.alice)
    assert pseudonym(user.pk) in line and "Alice" not in line


def test_error_lines_name_the_route_not_the_path(demo, all_logs):
    """Django logs 4xx answers as "Not Found: <path>"; paths carry claim numbers and receipt ids."""
    logging.getLogger("urllib3").setLevel(logging.INFO)  # as configured (its DEBUG lines carry URLs)
    browser, _ = portal_sign_in(demo.base_url, "alice")
    bobs = Claim.objects.filter(person__id=demo.bob).first()
    missing = browser.get(f"{demo.base_url}/claims/{bobs.claim_number}/", timeout=10)
    assert missing.status_code == 404
    receipt = browser.get(f"{demo.base_url}/receipts/RCPT-PHI-4711/download/", timeout=10)
    assert receipt.status_code == 404
    refused = browser.post(f"{demo.base_url}/claims/{bobs.claim_number}/receipts/", timeout=10)
    assert refused.status_code == 403  # no CSRF token
    logs = "\n".join(all_logs.lines)
    assert "Not Found: /claims/<str:claim_number>/" in logs
    assert "Forbidden (CSRF" in logs
    assert bobs.claim_number not in logs and "RCPT-PHI-4711" not in logs


def test_camera_only_where_receipts_are_captured(demo):
    import requests

    browser, _ = portal_sign_in(demo.base_url, "alice")
    claim = Claim.objects.filter(person__id=demo.alice).first()
    detail = browser.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10)
    assert "camera=(self)" in detail.headers["Permissions-Policy"]
    listing = browser.get(f"{demo.base_url}/claims/", timeout=10)
    assert "camera=()" in listing.headers["Permissions-Policy"]
    assert "camera=()" in requests.get(f"{demo.base_url}/signin/", timeout=10).headers["Permissions-Policy"]
