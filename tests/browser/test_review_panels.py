"""The automated review's panels in Chromium (issue 17), on a real worker and the sandbox's Silver
with fast timings: alice, on a phone, sends a receipt without the patient's name for a claim
waiting for one and her claim page says what is missing; hana filters her list by recommendation,
sees Silver's approval with its checks and line items, uses it, confirms once and the audit says
so. Every page passes axe and fits a phone's width."""

from __future__ import annotations

import pytest

from claims.models import AuditEvent
from evidence.model import Kind
from evidence.samples import Facts, make_document
from portal.gateway.silver import Evidence
from reviews.models import Review, WebhookDelivery
from reviews.services import start_review
from sandbox.models import Claim, Denial
from tests.browser.conftest import (
    assert_accessible,
    check_and_send,
    has_horizontal_scroll,
    screenshot,
)
from tests.browser.test_signin import sign_in
from tests.helpers import api_claim, claim_waiting_for_receipt
from tests.receipts.workers import start_worker, wait_for
from tests.reviews.test_review_flow import FAST

__all__ = ["start_worker"]  # the fixture

pytestmark = pytest.mark.browser
# Only Silver's delayed adjudication and its webhook complete a review here (the poll waits).
BY_WEBHOOK = {**FAST, "REVIEW_POLL_AFTER_SECONDS": "600"}


def _complete(review: Review) -> Review:
    wait_for(lambda: Review.objects.get(pk=review.pk).state == Review.State.COMPLETE, 60, "the review")
    return Review.objects.get(pk=review.pk)


def test_alice_sends_a_receipt_and_her_claim_says_what_the_review_found(phone390, demo, tmp_path, start_worker):
    start_worker("evidence.read", **BY_WEBHOOK)
    page = phone390
    sign_in(page, "alice")
    claim = claim_waiting_for_receipt(demo)
    page.goto(f"/claims/{claim.claim_number}/")
    facts = Facts(provider=claim.provider_name, service_day=claim.start_date_of_service.date(),
                  amount=claim.claim_amount)  # fmt: skip
    pdf, _, _ = make_document(Kind.MEDICAL_INVOICE, flaws=("no_patient",), seed=2, facts=facts)
    (tmp_path / "glasses.pdf").write_bytes(pdf)
    page.set_input_files("#id_receipt_files", str(tmp_path / "glasses.pdf"))
    check_and_send(page)  # through the receipt check, then "Send anyway"
    page.get_by_text("Uploaded 1 document: glasses.pdf.").wait_for()
    panel = page.locator("#automated-review")
    assert "Sent for automated review" in panel.inner_text()  # in place, without reloading
    (review,) = Review.objects.filter(claim_number=claim.claim_number)
    assert review.requested_by == "member"
    assert _complete(review).recommendation == "request_more_information"
    assert WebhookDelivery.objects.count() == 1
    # No reload: the status region asks again while the review is open, and stops once answered.
    panel.get_by_text("Your receipt is missing something").wait_for(timeout=30_000)
    assert page.locator("#claim-status[hx-get]").count() == 0
    news = page.locator("#claim-status-news[role=status]")  # said once to screen readers, not only redrawn
    assert news.inner_text() == "Automated review updated: Your receipt is missing something"
    text = panel.inner_text()
    assert "Your receipt is missing something" in text
    assert "The receipt does not show the patient's name; upload one that does." in text
    assert "MISSING_PATIENT" not in page.inner_text("main") and "request_more_information" not in text
    assert page.get_by_role("heading", name="Automated review").is_visible()
    assert_accessible(page)
    assert not has_horizontal_scroll(page)
    screenshot(page, "review-member-390")


def _approved_claim(demo) -> Claim:
    """A denied claim of alice's with a matching receipt that Silver approved (by webhook)."""
    row = Claim.objects.get(person__id=demo.alice, provider_name="Lakeshore Family Medicine")
    facts = Facts(provider=row.provider_name, patient="Alice Nguyen", service_day=row.start_date_of_service.date(),
                  amount=row.claim_amount)  # fmt: skip
    pdf, mime, _ = make_document(Kind.MEDICAL_INVOICE, seed=4, facts=facts)
    review = start_review(
        claim=api_claim(demo, row.claim_number), person_id=demo.alice, files=[Evidence(mime, pdf)],
        requested_by="member",
    )  # fmt: skip
    assert _complete(review).recommendation == "approve"
    return row


def test_hana_finds_the_approved_claim_uses_the_recommendation_and_confirms_once(page, demo, start_worker):
    start_worker("evidence.read", **BY_WEBHOOK)
    row = _approved_claim(demo)
    (denial,) = Denial.objects.filter(claim=row)
    amount = f"${row.claim_amount:,.2f}"
    sign_in(page, "hana")
    page.wait_for_url("**/employer/claims/")
    page.get_by_label("Automated review").select_option("approve")
    page.wait_for_url("**review=approve**")
    results = page.locator("#employer-results")
    results.get_by_text("1 claim matches").wait_for()
    listed = results.locator("tbody tr")
    assert listed.count() == 1 and row.claim_number in listed.inner_text() and "Review: approve" in listed.inner_text()
    assert_accessible(page)

    results.get_by_role("link", name=row.claim_number).click()
    page.wait_for_url(f"**/employer/claims/{row.claim_number}/")
    panel = page.locator("#automated-review")
    text = panel.inner_text()
    assert "Silver recommends approving" in text and "Every check passed." in text
    assert "Service dates within the plan year" in text and "Claimed amount matches the evidence" in text
    assert f"Out-of-pocket total found: {amount} (claimed {amount})" in text
    lines = panel.get_by_role("table", name="Line items Silver read from the evidence").locator("tbody tr")
    assert lines.count() >= 1 and "$" in lines.first.inner_text()
    assert_accessible(page)
    screenshot(page, "review-hr-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert not has_horizontal_scroll(page)
    screenshot(page, "review-hr-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    panel.get_by_role("button", name=f"Use this recommendation: move {amount} to pending").click()
    page.wait_for_url("**/confirm/")
    main = page.inner_text("main")
    assert "Pre-filled from the automated review" in main and f"{amount} to pending" in main.lower()
    assert_accessible(page)
    screenshot(page, "review-confirm-1280")
    confirm_url = page.url
    page.get_by_role("button", name="Apply the change").dblclick()  # a double press sends it once
    page.wait_for_url("**/result/")
    assert_accessible(page)
    page.goto(confirm_url)  # and coming back to it later shows the result, applies nothing again
    page.wait_for_url("**/result/")
    denial.refresh_from_db()
    row.refresh_from_db()
    assert denial.denied_amount == 0 and row.denied_amount == 0
    assert row.claim_status == "PENDING_REIMBURSEMENT_STATUS"
    used = [e for e in AuditEvent.objects.filter(target=row.claim_number) if e.used_recommendation == "approve"]
    assert len(used) == 2  # the attempt and its result, once
    page.goto("/employer/audit/")
    assert page.inner_text("main").count("(from the automated review's recommendation)") == 2
