"""A receipt's name never turns it into a web page when a browser saves it."""

from __future__ import annotations

import pytest

from sandbox.demo_files import receipt_pdf
from sandbox.models import Claim, ReceiptStatus
from tests.browser.conftest import check_and_send
from tests.browser.test_signin import sign_in

pytestmark = pytest.mark.browser


def test_a_pdf_named_like_a_web_page_downloads_as_a_pdf(page, demo, tmp_path):
    sign_in(page, "alice")
    page.wait_for_url("**/claims/")
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    tricky = tmp_path / "statement.html;.pdf"
    tricky.write_bytes(receipt_pdf(["Statement", "Amount paid: $40.00"]))
    page.goto(f"/claims/{claim.claim_number}/")
    page.set_input_files("#id_receipt_files", str(tricky))
    check_and_send(page)
    page.get_by_text("Uploaded 1 document: statement.html_.pdf.").wait_for()
    with page.expect_download() as info:
        page.locator("#receipts-on-file").get_by_role("link", name="statement.html_.pdf").click()
    download = info.value
    assert download.suggested_filename == "statement.html_.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.suffix == ".pdf" and saved.read_bytes() == tricky.read_bytes()
