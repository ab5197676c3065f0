"""Stored and served file names: a safe base name whose extension is the type found in the bytes."""

from __future__ import annotations

import re
from email.message import EmailMessage

import pytest

from portal.gateway.client import _filename
from receipts.filetypes import JPEG, PDF
from sandbox.demo_files import receipt_pdf
from sandbox.models import Claim, Receipt, ReceiptStatus
from tests.helpers import portal_sign_in


def served_name(disposition: str) -> str:
    """The file name a browser saves, read with a real header parser (RFC 6266 / 5987)."""
    message = EmailMessage()
    message["Content-Disposition"] = disposition
    name = message.get_filename()
    assert name is not None, disposition
    return name


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ('attachment; filename="statement.html;.pdf"', "statement.html;.pdf"),
        ("attachment; filename*=UTF-8''re%C3%A7u%3B.pdf", "reçu;.pdf"),
        ("attachment; filename=\"fallback.pdf\"; filename*=UTF-8''real.pdf", "real.pdf"),
        ('attachment; filename="a \\"quoted\\" name.pdf"', 'a "quoted" name.pdf'),
        ("attachment", "ext-1"),
    ],
)
def test_the_gateway_reads_content_disposition_with_a_real_parser(header, name):
    assert _filename(header, "ext-1") == name


@pytest.mark.parametrize(
    ("raw", "kind", "safe"),
    [
        ("statement.html;.pdf", PDF, "statement.html_.pdf"),
        ("statement.html", PDF, "statement.html.pdf"),
        ("photo.JPEG", JPEG, "photo.JPEG"),
        ('a"b<c>.pdf', PDF, "a_b_c_.pdf"),
        ("reçu médical.pdf", PDF, "reçu médical.pdf"),
        ("noext", PDF, "noext.pdf"),
    ],
)
def test_safe_names_end_in_the_type_found_in_the_bytes(raw, kind, safe):
    from receipts.filetypes import safe_file_name

    assert safe_file_name(raw, kind) == safe


def _upload(demo, browser, claim, name: str) -> None:
    page = browser.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10).text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    token = re.search(r'name="upload_token" value="([^"]+)"', page).group(1)
    response = browser.post(
        f"{demo.base_url}/claims/{claim.claim_number}/receipts/",
        data={"csrfmiddlewaretoken": csrf, "upload_token": token},
        files={"receipt_files": (name, receipt_pdf(["Statement"]), "application/pdf")},
        timeout=20,
    )
    assert response.status_code == 200 and "Uploaded 1 document" in response.text, response.text[-500:]


def test_a_name_that_hides_a_web_page_is_stored_and_served_as_a_pdf(demo):
    browser, _ = portal_sign_in(demo.base_url, "alice")
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    _upload(demo, browser, claim, "statement.html;.pdf")
    receipt = Receipt.objects.get(claims=claim)
    assert receipt.file_name == "statement.html_.pdf"
    served = browser.get(f"{demo.base_url}/receipts/{receipt.external_id}/download/", timeout=10)
    assert served.status_code == 200
    assert served_name(served.headers["Content-Disposition"]) == "statement.html_.pdf"


@pytest.mark.parametrize("stored", ["statement.html;.pdf", "statement.html", 'x";filename="evil.html'])
def test_whatever_name_the_api_holds_the_download_is_named_for_its_type(demo, stored):
    receipt = Receipt.objects.filter(person__id=demo.alice, mime_type="application/pdf").first()
    Receipt.objects.filter(pk=receipt.pk).update(file_name=stored)
    browser, _ = portal_sign_in(demo.base_url, "alice")
    served = browser.get(f"{demo.base_url}/receipts/{receipt.external_id}/download/", timeout=10)
    assert served.status_code == 200
    name = served_name(served.headers["Content-Disposition"])
    assert name.endswith(".pdf") and ";" not in name and '"' not in name, name
