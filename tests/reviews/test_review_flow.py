"""Automated reviews end to end with real task workers and the sandbox's Silver over real HTTP
(issue 17, the flow): a review is submitted once, adjudicated on the real evidence and its result
taken in by webhook, or by the poll when the webhook is dropped; duplicated webhooks, a wrong key,
faults on submit and a worker killed mid-task still end in exactly one Silver claim per evidence set
and every review complete."""

from __future__ import annotations

import uuid

import requests
from django.conf import settings

from evidence.model import Kind
from evidence.samples import Facts, make_document
from portal.gateway.models import Claim, ReceiptStatus
from portal.gateway.silver import Evidence
from reviews.models import Review, WebhookDelivery
from reviews.services import start_review
from sandbox.models import SilverClaim
from tests.helpers import api_claim
from tests.receipts.workers import start_worker, wait_for

__all__ = ["start_worker"]  # the fixture

FAST = {
    "SANDBOX_SILVER_DELAY_SECONDS": "0.5",
    "REVIEW_POLL_AFTER_SECONDS": "1",
    "REVIEW_POLL_SECONDS": "1",
    "REVIEW_RETRY_SECONDS": "0.3",
    "REVIEW_SUBMIT_LEASE_SECONDS": "4",
    "REVIEW_REQUEUE_GRACE_SECONDS": "1",
    "SANDBOX_SILVER_SWEEP_SECONDS": "2",
}


def _claim(demo, provider: str = "ClearView Eye Care") -> Claim:
    from sandbox.models import Claim as Row

    row = Row.objects.filter(person__id=demo.alice, provider_name=provider).order_by("-submission_date")[0]
    return api_claim(demo, row.claim_number)


def _files(claim: Claim, flaws: tuple[str, ...] = ()) -> list[Evidence]:
    facts = Facts(
        provider=claim.provider_name, patient="Alice Nguyen", service_day=claim.start_date_of_service.date(),
        amount=claim.claim_amount,
    )  # fmt: skip
    data, mime, _ = make_document(Kind.MEDICAL_INVOICE, flaws=flaws, seed=7, facts=facts)
    return [Evidence(mime, data)]


def _start(demo, claim: Claim, flaws: tuple[str, ...] = ()) -> Review:
    review = start_review(claim=claim, person_id=demo.alice, files=_files(claim, flaws), requested_by="member")
    assert review is not None
    return review


def _complete(review: Review, timeout: float = 60) -> Review:
    wait_for(lambda: Review.objects.get(pk=review.pk).state == Review.State.COMPLETE, timeout, "the review's result")
    return Review.objects.get(pk=review.pk)


def test_a_review_is_submitted_once_and_its_result_comes_by_webhook(demo, start_worker):
    # Only Silver's own delayed adjudication and its webhook can complete it (no sweep, no poll).
    start_worker("evidence.read", **{**FAST, "REVIEW_POLL_AFTER_SECONDS": "600", "SANDBOX_SILVER_SWEEP_SECONDS": "600"})
    claim = _claim(demo)
    review = _complete(_start(demo, claim, flaws=("no_patient",)))
    assert review.recommendation == "request_more_information"
    result = review.result
    assert result["adjudication_results"]["deny_code"] == "MISSING_PATIENT"
    assert result["medical_invoices"][0]["items"]  # the line items came with it
    assert SilverClaim.objects.count() == 1 and WebhookDelivery.objects.count() == 1
    assert review.submission["evidence"] == [{"mime_type": "application/pdf"}]  # the files are not kept
    # The same files again are the same review; new files a new one.
    assert _start(demo, claim, flaws=("no_patient",)).pk == review.pk
    assert _start(demo, claim).pk != review.pk


def test_a_dropped_webhook_is_made_good_by_the_poll(demo, start_worker):
    start_worker("evidence.read", beat=True, **FAST, SANDBOX_SILVER_WEBHOOK="drop")
    review = _complete(_start(demo, _claim(demo)))
    assert review.recommendation == "approve" and not WebhookDelivery.objects.exists()


def test_duplicated_and_late_webhooks_change_nothing_twice(demo, start_worker):
    start_worker("evidence.read", **{**FAST, "SANDBOX_SILVER_WEBHOOK": "duplicate", "REVIEW_POLL_AFTER_SECONDS": "600"})
    review = _complete(_start(demo, _claim(demo)))
    wait_for(lambda: SilverClaim.objects.get().deliveries == 2, 30, "both deliveries")
    assert WebhookDelivery.objects.count() == 1
    completed_at = review.completed_at
    # A late, repeated delivery of another event for the same claim: acknowledged, changes nothing.
    silver = SilverClaim.objects.get()
    from sandbox.silver.views import claim_json

    body = {"eventId": "evt_late", "eventType": "adjudication_complete", "eventPayload": claim_json(silver)}
    answer = requests.post(f"{demo.base_url}/webhooks/silver/", json=body,
                           headers={"apiKey": settings.SILVER_WEBHOOK_SECRET}, timeout=10)  # fmt: skip
    assert answer.status_code == 200
    assert Review.objects.get(pk=review.pk).completed_at == completed_at


def test_a_webhook_with_a_wrong_key_is_refused_and_changes_nothing(demo):
    claim = _claim(demo)
    review = _start(demo, claim)
    payload = {"id": str(uuid.uuid4()), "claim_number": review.silver_claim_number,
               "adjudication_results": {"silver_recommendation": "approve"}}  # fmt: skip
    body = {"eventId": "evt_forged", "eventType": "adjudication_complete", "eventPayload": payload}
    for key in ("wrong", ""):
        answer = requests.post(f"{demo.base_url}/webhooks/silver/", json=body, headers={"apiKey": key}, timeout=10)
        assert answer.status_code == 403
    assert Review.objects.get(pk=review.pk).state == Review.State.QUEUED and not WebhookDelivery.objects.exists()
    # Unknown event types are acknowledged; a broken body is refused in words.
    other = {"eventId": "evt_other", "eventType": "claim_archived", "eventPayload": {}}
    headers = {"apiKey": settings.SILVER_WEBHOOK_SECRET}
    assert requests.post(f"{demo.base_url}/webhooks/silver/", json=other, headers=headers, timeout=10).ok
    broken = requests.post(f"{demo.base_url}/webhooks/silver/", data=b"{", headers=headers, timeout=10)
    assert broken.status_code == 400 and broken.json()["detail"]


def test_faults_on_submit_and_a_killed_worker_still_end_in_one_silver_claim_each(demo, start_worker, settings):
    # Silver's API (served by this test process) fails a third of its calls (503 or a dropped
    # connection); the first worker is killed as soon as a review is taken, before its answer is in.
    settings.SANDBOX_SILVER_FAULT_RATE = 0.34
    faulty = FAST
    reviews = [_start(demo, _claim(demo, provider)) for provider in
               ("ClearView Eye Care", "Little Acorns Daycare", "Quest Diagnostics")]  # fmt: skip
    first = start_worker("evidence.read", **faulty)
    wait_for(lambda: Review.objects.filter(attempts__gt=0).exists(), 30, "a review taken")
    first.kill()
    start_worker("evidence.read", beat=True, **faulty)
    for review in reviews:
        _complete(review, timeout=120)
    for review in Review.objects.all():
        assert SilverClaim.objects.filter(claim_number=review.silver_claim_number).count() == 1
    assert SilverClaim.objects.count() == len(reviews)


def test_the_demos_reviews_cover_alices_open_claims_with_receipts(demo, start_worker):
    from django.core.management import call_command

    call_command("demo_reviews", "--now", stdout=open("/dev/null", "w"))
    reviews = Review.objects.all()
    assert reviews.count() >= 6
    call_command("demo_reviews", "--now", stdout=open("/dev/null", "w"))  # idempotent
    assert Review.objects.count() == reviews.count()
    start_worker("evidence.read", **FAST)
    wait_for(lambda: not Review.objects.exclude(state=Review.State.COMPLETE).exists(), 120, "every review")
    found = set(Review.objects.values_list("recommendation", flat=True))
    assert {"approve", "request_more_information", "needs_review"} <= found, found


def test_a_web_process_sends_the_sandboxs_tasks_through_the_portals_broker():
    """Django alone (as a web process starts) binds shared tasks to the portal's Celery app, not to
    Celery's default (an AMQP broker on localhost, where the sandbox's adjudication was lost)."""
    import subprocess
    import sys

    script = (
        "import django; django.setup();"
        "from django.conf import settings; from sandbox.silver.tasks import adjudicate;"
        "print(adjudicate.app.main, adjudicate.app.conf.broker_url == settings.CELERY_BROKER_URL)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.split() == ["portal", "True"], out.stderr[-2000:]


def test_a_send_whose_claim_could_not_be_read_before_is_reviewed_from_the_claim_after(demo):
    """The claim read before the send failed (an upstream fault): the claim as read after it
    decides, and a receipt status that says the receipt just sent is in counts as waiting."""
    from reviews.services import review_sent_evidence

    claim = _claim(demo)  # waits for a receipt
    received = claim.model_copy(update={"receipt_status": ReceiptStatus.RECEIVED})
    files = _files(claim)
    sent = ["receipt.pdf"]
    # Another receipt was on file already: the status may be its doing, so no review (as with before).
    earlier = review_sent_evidence(
        before=None, person_id=demo.alice, files=files, sent=sent, after=lambda: (received, ("old.pdf", "receipt.pdf"))
    )
    assert earlier is None
    unlisted = review_sent_evidence(
        before=None, person_id=demo.alice, files=files, sent=sent, after=lambda: (received, None)
    )
    assert unlisted is None
    review = review_sent_evidence(
        before=None, person_id=demo.alice, files=files, sent=sent, after=lambda: (received, ("receipt.pdf",))
    )
    assert review is not None and review.claim_number == claim.claim_number
    still = review_sent_evidence(
        before=None, person_id=demo.alice, files=_files(claim, ("no_date",)), after=lambda: (claim, None)
    )
    assert still is not None  # it still waits for a receipt: reviewed whatever is on file
    again = review_sent_evidence(before=claim, person_id=demo.alice, files=files)  # the send repeated
    assert again is not None and again.pk == review.pk
    assert review_sent_evidence(before=None, person_id=demo.alice, files=_files(claim, ("no_patient",))) is None
    unread = review_sent_evidence(before=None, person_id=demo.alice, files=files, after=lambda: None)
    assert unread is None
    not_needed = received.model_copy(update={"receipt_status": ReceiptStatus.NOT_NEEDED})
    other = _files(claim, ("no_provider",))
    assert review_sent_evidence(before=None, person_id=demo.alice, files=other, after=lambda: (not_needed, ())) is None
