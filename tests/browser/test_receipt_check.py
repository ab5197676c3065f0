"""The member's receipt check before sending (issue 16): alice picks a receipt that lacks the
patient's name for a claim waiting for a receipt, sees the finding in words before anything is
sent, sends anyway, and the claim shows the receipt once; the same without JavaScript through the
confirmation step. A real worker reads with the real reader."""

from __future__ import annotations

import pytest

from sandbox.demo_files import receipt_pdf
from sandbox.models import Claim, Receipt
from tests.browser.conftest import assert_accessible, has_horizontal_scroll, screenshot
from tests.browser.test_signin import sign_in
from tests.helpers import claim_waiting_for_receipt
from tests.receipts.workers import start_worker

__all__ = ["start_worker"]  # the fixture

pytestmark = pytest.mark.browser
NO_PATIENT = "We could not read the patient's name"


def _receipt_without_patient(claim: Claim, tmp_path, name: str = "clearview.pdf"):
    day = claim.start_date_of_service
    amount = f"{claim.claim_amount:,.2f}"
    path = tmp_path / name
    path.write_bytes(
        receipt_pdf([
            "ClearView Eye Care",
            "1200 NW Lovejoy St, Portland OR 97209",
            "RECEIPT",
            f"Date of service: {day:%m/%d/%Y}",
            f"Comprehensive eye exam and lenses    ${amount}",
            f"Total paid: ${amount}",
            "Paid by card. Thank you!",
        ])
    )  # fmt: skip
    return path


def test_the_check_says_what_is_missing_before_sending_and_sending_anyway_uploads_once(
    phone390, demo, tmp_path, start_worker
):
    start_worker("evidence.read")
    page = phone390
    sign_in(page, "alice")
    claim = claim_waiting_for_receipt(demo)
    page.goto(f"/claims/{claim.claim_number}/")
    page.set_input_files("#id_receipt_files", str(_receipt_without_patient(claim, tmp_path)))
    page.get_by_role("button", name="Check documents", exact=True).click()
    panel = page.locator("#receipt-check")
    page.get_by_text(NO_PATIENT).wait_for(timeout=30_000)
    text = panel.inner_text()
    assert "ClearView Eye Care" in text and f"${claim.claim_amount:,.2f}" in text
    assert Receipt.objects.filter(claims=claim).count() == 0  # nothing sent yet
    assert_accessible(page)
    assert not has_horizontal_scroll(page)
    screenshot(page, "receipt-check-no-patient-390")
    # The confirmation step (the page without JavaScript uses) says the same, and is accessible too.
    token = page.locator("#id_upload_token").input_value()
    page.goto(f"/claims/{claim.claim_number}/receipts/check/{token}/")
    assert NO_PATIENT in page.inner_text("main")
    assert_accessible(page)
    page.goto(f"/claims/{claim.claim_number}/")
    page.set_input_files("#id_receipt_files", str(_receipt_without_patient(claim, tmp_path)))
    page.get_by_role("button", name="Check documents", exact=True).click()
    page.get_by_text(NO_PATIENT).wait_for(timeout=30_000)  # a new form: its own check
    assert page.locator("#receipt-check li.checked-doc").count() == 1
    page.get_by_role("button", name="Send anyway").click()
    page.get_by_text("Uploaded 1 document: clearview.pdf.").wait_for()
    assert page.locator("#receipts-on-file").get_by_role("link", name="clearview.pdf").count() == 1
    assert page.locator("#receipt-check").inner_text().strip() == ""  # the check is over
    assert Receipt.objects.filter(claims=claim).count() == 1


def test_without_javascript_a_confirmation_step_shows_the_same_findings(nojs, demo, tmp_path, start_worker):
    from receipts.models import ReceiptCheck

    start_worker("evidence.read")
    page = nojs
    sign_in(page, "alice")
    claim = claim_waiting_for_receipt(demo)
    page.goto(f"/claims/{claim.claim_number}/")
    page.set_input_files("#id_receipt_files", str(_receipt_without_patient(claim, tmp_path, "exam.pdf")))
    page.get_by_role("button", name="Check documents", exact=True).click()
    page.wait_for_url("**/receipts/check/**")
    page.get_by_text(NO_PATIENT).wait_for(timeout=30_000)  # the page refreshes itself while reading
    assert page.get_by_role("heading", name="Check your documents before sending").is_visible()
    assert Receipt.objects.filter(claims=claim).count() == 0
    screenshot(page, "receipt-check-confirmation-nojs")  # (axe needs JavaScript: checked in the test above)
    page.get_by_role("button", name="Send anyway").click()
    page.wait_for_url(f"**/claims/{claim.claim_number}/**")
    assert "Uploaded 1 document" in page.inner_text("main")
    assert page.locator("#receipts-on-file").get_by_role("link", name="exam.pdf").count() == 1
    assert Receipt.objects.filter(claims=claim).count() == 1
    assert not ReceiptCheck.objects.exists()  # what was read is gone once sent


def test_a_send_while_the_panel_asks_again_still_brings_the_whole_page_up_to_date(phone390, demo, tmp_path):
    """The panel asks every few seconds while a document is read. When its answer arrives after
    Send was pressed but before Send's answer, it replaced the form Send came from, and Send's
    answer then updated only its message: the status, the receipts on file and the panel stayed
    as before the send (seen in a walk in Spanish). The poll in flight is now aborted by the send."""
    page = phone390  # no worker: the document stays "being read", so the panel keeps asking
    sign_in(page, "alice")
    claim = claim_waiting_for_receipt(demo)
    page.goto(f"/claims/{claim.claim_number}/")
    page.set_input_files("#id_receipt_files", str(_receipt_without_patient(claim, tmp_path)))
    polls: list = []
    sends: list = []
    page.route("**/receipts/check/*/?poll=*", lambda route: polls.append(route))  # held until released below
    page.route("**/receipts/check/*/send/", lambda route: sends.append(route))
    page.get_by_role("button", name="Check documents", exact=True).click()
    for _ in range(100):  # until the panel's poll is on its way (pumping Playwright's events)
        if polls:
            break
        page.wait_for_timeout(100)
    assert polls, "the panel did not ask again"
    page.get_by_role("button", name="Send without waiting").click()
    for _ in range(100):
        if sends:
            break
        page.wait_for_timeout(100)
    assert sends, "Send was not sent"
    for poll in polls:  # the poll's answer arrives first (if it is still awaited)...
        try:
            poll.continue_()
        except Exception:  # aborted by the send: nothing to answer
            pass
    page.wait_for_timeout(500)
    page.unroute("**/receipts/check/*/?poll=*")
    sends[0].continue_()  # ...then Send's
    page.get_by_text("Uploaded 1 document: clearview.pdf.").wait_for()
    page.locator("#receipts-on-file").get_by_role("link", name="clearview.pdf").wait_for(timeout=10_000)
    assert "Receipt received" in page.locator("#receipt-step").inner_text()
    assert page.locator("#receipt-check").inner_text().strip() == ""  # the check is over
    assert Receipt.objects.filter(claims=claim).count() == 1


def test_a_send_that_fails_after_stopping_the_panels_poll_lets_the_panel_ask_again(phone390, demo, tmp_path, settings):
    """The send aborts the poll in flight; when the send then fails, the panel (still reading)
    must ask again, or it would say "Reading this document…" for good."""
    page = phone390  # no worker: the document stays "being read"
    sign_in(page, "alice")
    claim = claim_waiting_for_receipt(demo)
    page.goto(f"/claims/{claim.claim_number}/")
    page.set_input_files("#id_receipt_files", str(_receipt_without_patient(claim, tmp_path)))
    state: dict = {"hold": True, "held": [], "asked": 0}

    def poll(route) -> None:  # type: ignore[no-untyped-def]
        if state["hold"]:
            state["held"].append(route)
        else:
            state["asked"] += 1
            route.continue_()

    page.route("**/receipts/check/*/?poll=*", poll)
    page.get_by_role("button", name="Check documents", exact=True).click()
    for _ in range(100):
        if state["held"]:
            break
        page.wait_for_timeout(100)
    assert state["held"], "the panel did not ask again"
    settings.SANDBOX_FAULT_RATE = 1.0
    settings.SANDBOX_FAULT_STATUS = "503"
    page.get_by_role("button", name="Send without waiting").click()
    page.get_by_role("alert").filter(has_text="Your receipt was not uploaded").wait_for()
    state["hold"] = False
    for route in state["held"]:
        try:
            route.continue_()  # aborted by the send: its answer, if any, is dropped by the page
        except Exception:
            pass
    for _ in range(100):
        if state["asked"]:
            break
        page.wait_for_timeout(100)
    settings.SANDBOX_FAULT_RATE = 0.0
    assert state["asked"], "after the failed send the panel never asked again"
    assert Receipt.objects.filter(claims=claim).count() == 0
    page.get_by_role("button", name="Send without waiting").wait_for()  # still there to send again
