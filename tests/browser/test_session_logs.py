"""The logs of a whole member session hold no tokens, file contents, names or claim details."""

from __future__ import annotations

import logging
import uuid

import pytest

from portal import crypto
from portal.models import OidcTokens
from sandbox.demo_files import receipt_pdf
from sandbox.models import Claim, ReceiptStatus
from tests.browser.conftest import check_and_send
from tests.browser.test_signin import sign_in
from tests.helpers import logged_text

pytestmark = pytest.mark.browser


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(logged_text(record))


def test_a_full_browser_session_leaves_nothing_personal_in_the_logs(page, demo, tmp_path):
    handler = Lines()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)  # the production level
    try:
        sign_in(page, "alice")
        page.wait_for_url("**/claims/")
        tokens = OidcTokens.objects.get()
        access, refresh = crypto.decrypt(tokens.access_token), crypto.decrypt(tokens.refresh_token)
        claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
        page.get_by_label("Show").select_option("denied")
        page.goto(f"/claims/{claim.claim_number}/")
        marker = f"PHI-{uuid.uuid4().hex}"
        pdf = tmp_path / "my-receipt.pdf"
        pdf.write_bytes(receipt_pdf([marker]))
        page.set_input_files("#id_receipt_files", str(pdf))
        check_and_send(page)
        page.get_by_text("Uploaded 1 document").wait_for()
        with page.expect_download():
            page.locator("#receipts-on-file").get_by_role("link", name="my-receipt.pdf").click()
        page.goto("/receipts/")
        page.goto("/claims/NOT-MINE/")
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/signin/")
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    logs = "\n".join(handler.lines)
    assert "request" in logs and "claims_api_call" in logs
    forbidden = {
        "access token": access, "refresh token": refresh, "file content": marker, "file name": "my-receipt",
        "first name": "Alice", "last name": "Nguyen", "claim number": claim.claim_number,
        "provider": claim.provider_name, "amount": f"{claim.claim_amount}",
    }  # fmt: skip
    leaks = {name: value for name, value in forbidden.items() if value in logs}
    assert leaks == {}, leaks
