"""What people see of an automated review (issue 17) over real HTTP, with a real worker: alice
sends a receipt without the patient's name for a claim waiting for a receipt, the review completes
by webhook, her claim page says in words what is missing, and hana's page of the claim shows
Silver's recommendation, its checks and the line items it read."""

from __future__ import annotations

import re

from evidence.model import Kind
from evidence.samples import Facts, make_document
from portal.gateway.silver import Evidence
from reviews.models import Review
from reviews.services import start_review
from sandbox.models import Claim
from tests.helpers import api_claim, claim_waiting_for_receipt, csrf, portal_sign_in, upload_token
from tests.receipts.workers import start_worker, wait_for
from tests.reviews.test_review_flow import FAST

__all__ = ["start_worker"]  # the fixture
HTMX = {"HX-Request": "true"}


def test_alice_sends_a_receipt_without_the_patient_and_both_pages_say_what_the_review_found(demo, start_worker):
    start_worker("evidence.read", **{**FAST, "REVIEW_POLL_AFTER_SECONDS": "600"})
    claim = claim_waiting_for_receipt(demo)
    facts = Facts(provider="ClearView Eye Care", service_day=claim.start_date_of_service.date(),
                  amount=claim.claim_amount)  # fmt: skip
    pdf, _, _ = make_document(Kind.MEDICAL_INVOICE, flaws=("no_patient",), seed=2, facts=facts)
    alice, _ = portal_sign_in(demo.base_url, "alice")
    page_url = f"{demo.base_url}/claims/{claim.claim_number}/"
    page = alice.get(page_url, timeout=10).text
    token, form_csrf = upload_token(page), csrf(page)
    check = alice.post(
        f"{page_url}receipts/check/", data={"csrfmiddlewaretoken": form_csrf, "upload_token": token},
        files=[("receipt_files", ("glasses.pdf", pdf, "application/pdf"))], headers=HTMX, timeout=20,
    )  # fmt: skip
    assert check.status_code == 200
    wait_for(lambda: "hx-trigger" not in alice.get(f"{page_url}receipts/check/{token}/", headers=HTMX,
             timeout=10).text, 30, "the check")  # fmt: skip
    sent = alice.post(f"{page_url}receipts/check/{token}/send/", data={"csrfmiddlewaretoken": form_csrf},
                      headers=HTMX, timeout=20)  # fmt: skip
    assert "Uploaded 1 document" in sent.text
    (review,) = Review.objects.filter(claim_number=claim.claim_number)
    assert review.requested_by == "member"
    wait_for(lambda: Review.objects.get(pk=review.pk).state == "complete", 60, "the review")
    mine = alice.get(page_url, timeout=10).text
    panel = re.search(r'<section class="panel review-panel".*?</section>', mine, re.S).group(0)
    assert "Your receipt is missing something" in panel
    assert "The receipt does not show the patient&#x27;s name; upload one that does." in panel
    assert "MISSING_PATIENT" not in mine  # never a raw code
    # The status above says the same: her move again, with the upload form (not "nothing to send").
    assert "Your documents are missing something" in mine and "t need to send it again" not in mine
    assert 'id="upload"' in mine
    listed = alice.get(f"{demo.base_url}/claims/", timeout=10).text
    assert "1 claim whose documents are missing something" in listed
    hana, _ = portal_sign_in(demo.base_url, "hana")
    theirs = hana.get(f"{demo.base_url}/employer/claims/{claim.claim_number}/", timeout=10).text
    panel = re.search(r'<section class="panel review-panel".*?</section>', theirs, re.S).group(0)
    assert "Silver asks for more information" in panel and "Line items Silver read from the evidence" in panel
    assert f"claimed ${claim.claim_amount:,.2f}" in panel


def test_hana_uses_an_approving_recommendation_once_and_the_audit_says_so(demo, start_worker):
    from sandbox.models import Denial

    start_worker("evidence.read", **{**FAST, "REVIEW_POLL_AFTER_SECONDS": "600"})
    row = Claim.objects.get(person__id=demo.alice, provider_name="Lakeshore Family Medicine")
    claim = api_claim(demo, row.claim_number)
    facts = Facts(provider=row.provider_name, patient="Alice Nguyen", service_day=row.start_date_of_service.date(),
                  amount=row.claim_amount)  # fmt: skip
    pdf, mime, _ = make_document(Kind.MEDICAL_INVOICE, seed=4, facts=facts)
    review = start_review(claim=claim, person_id=demo.alice, files=[Evidence(mime, pdf)], requested_by="member")
    wait_for(lambda: Review.objects.get(pk=review.pk).state == "complete", 60, "the review")
    hana, _ = portal_sign_in(demo.base_url, "hana")
    listed = hana.get(f"{demo.base_url}/employer/claims/?review=approve", timeout=20).text
    assert row.claim_number in listed and "Review: approve" in listed and "1</strong> claim matches" in listed
    assert row.claim_number not in hana.get(f"{demo.base_url}/employer/claims/?review=deny", timeout=20).text
    page_url = f"{demo.base_url}/employer/claims/{row.claim_number}/"
    page = hana.get(page_url, timeout=10).text
    assert "Silver recommends approving" in page
    assert f"Use this recommendation: move ${row.claim_amount:,.2f} to pending" in page
    denial = Denial.objects.get(claim=row)
    use = hana.post(f"{page_url}denials/{denial.denial_id}/use-recommendation/",
                    data={"csrfmiddlewaretoken": csrf(page)}, timeout=10)  # fmt: skip
    assert "/confirm/" in use.url and "Pre-filled from the automated review" in use.text
    for _ in range(2):  # a second press applies nothing twice
        hana.post(use.url, data={"csrfmiddlewaretoken": csrf(use.text)}, timeout=20)
    denial.refresh_from_db()
    assert denial.denied_amount == 0
    row.refresh_from_db()
    assert row.denied_amount == 0 and row.claim_status == "PENDING_REIMBURSEMENT_STATUS"
    audit = hana.get(f"{demo.base_url}/employer/audit/", timeout=10).text
    assert audit.count("(from the automated review's recommendation)") == 2  # attempt and result, once
