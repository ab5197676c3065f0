"""Task-worker jobs for automated reviews: submit a review's claim and evidence to Silver, and poll
for results still missing (Silver does not retry a webhook it could not deliver).

Exactly once across retries, redeliveries and workers killed mid-task: a review is taken by one
conditional UPDATE with a lease; Silver's claim number is derived from the claim and its evidence,
so a submission repeated after a lost answer (or by another worker after the lease) is Silver's
duplicate, which answers it with the first one's id. Errors Silver may get over (5xx, timeouts,
dropped connections; the client has already retried) retry with backoff; a refusal (4xx) fails
the review for good, with its code.
"""

from __future__ import annotations

import json
import logging
import random
from datetime import timedelta

from celery import Task
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from portal import crypto
from portal.celery import app
from portal.gateway.errors import ApiError, MalformedResponseError
from portal.gateway.silver import SilverClient
from reviews.models import Review
from reviews.services import take_result

log = logging.getLogger(__name__)
State = Review.State


def _lease() -> timedelta:
    return timedelta(seconds=settings.REVIEW_SUBMIT_LEASE_SECONDS)


@app.task(bind=True, ignore_result=True, max_retries=None)
def submit_review(self: Task, review_id: str) -> None:  # type: ignore[type-arg]
    now = timezone.now()
    taken = (
        Review.objects.filter(pk=review_id, state=State.QUEUED)
        .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now))
        .update(lease_expires_at=now + _lease(), attempts=F("attempts") + 1)
    )
    if not taken:
        return
    review = Review.objects.get(pk=review_id)
    body = review.submission
    try:
        submitted = SilverClient.from_settings().submit_json(body)
    except ApiError as exc:
        if (exc.status is None or exc.status >= 500 or isinstance(exc, MalformedResponseError)) and (
            review.attempts < settings.REVIEW_SUBMIT_MAX_ATTEMPTS
        ):
            delay = settings.REVIEW_RETRY_SECONDS * 2 ** (review.attempts - 1) * random.uniform(0.8, 1.2)
            # The retry's own message takes it then (or, were that lost, the poll a little later).
            Review.objects.filter(pk=review_id, state=State.QUEUED).update(
                lease_expires_at=timezone.now() + timedelta(seconds=delay)
            )
            log.info("review submit failed; retrying", extra={"status": exc.status, "attempt": review.attempts})
            raise self.retry(countdown=delay, exc=exc) from None
        Review.objects.filter(pk=review_id, state=State.QUEUED).update(
            state=State.FAILED, error_code=f"silver_{exc.status or 'unreachable'}", lease_expires_at=None
        )
        log.warning("review not submitted", extra={"status": exc.status})
        return
    # Sent: the files are Silver's now; the row keeps the claim's fields, not the files.
    kept = {**body, "evidence": [{"mime_type": item["mime_type"]} for item in body.get("evidence", [])]}
    Review.objects.filter(pk=review_id, state=State.QUEUED).update(
        state=State.SUBMITTED,
        silver_claim_id=submitted.claim_id,
        submitted_at=timezone.now(),
        lease_expires_at=None,
        submission_encrypted=crypto.encrypt_bytes(json.dumps(kept).encode()),
    )
    log.info("review submitted", extra={"duplicate": submitted.duplicate})


@app.task(ignore_result=True)
def poll_reviews() -> dict[str, int]:
    """Queue submissions whose worker died (lease passed) and ask Silver for results that have not
    come by webhook after REVIEW_POLL_AFTER_SECONDS."""
    now = timezone.now()
    grace = timedelta(seconds=settings.REVIEW_REQUEUE_GRACE_SECONDS)  # a retry due now takes it first
    stuck = list(
        Review.objects.filter(state=State.QUEUED)
        .filter(Q(lease_expires_at__lte=now - grace) | Q(lease_expires_at__isnull=True, created_at__lte=now - grace))
        .values_list("pk", flat=True)[:100]
    )
    for review_id in stuck:
        submit_review.delay(str(review_id))
    due = now - timedelta(seconds=settings.REVIEW_POLL_AFTER_SECONDS)
    open_reviews = list(
        Review.objects.filter(state=State.SUBMITTED, submitted_at__lte=due, silver_claim_id__isnull=False)
        .order_by("submitted_at")
        .values_list("silver_claim_id", flat=True)[:100]
    )
    completed = 0
    if open_reviews:
        client = SilverClient.from_settings()
        for claim_id in filter(None, open_reviews):
            try:
                completed += take_result(client.claim_json(claim_id))
            except ApiError as exc:
                log.info("review poll failed", extra={"status": exc.status})
    return {"requeued": len(stuck), "completed": completed}


@app.task(bind=True, ignore_result=True, max_retries=30)
def demo_reviews(self: Task, username: str) -> None:  # type: ignore[type-arg]
    """The demo's reviews (`make run`), once the server being started answers."""
    from reviews.demo import send_demo_reviews

    try:
        started = send_demo_reviews(username)
    except ApiError as exc:
        raise self.retry(countdown=3, exc=exc) from None
    log.info("demo reviews started", extra={"count": started})
