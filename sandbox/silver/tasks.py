"""The sandbox Silver's background work, on the task workers: adjudicate a submitted claim after
SANDBOX_SILVER_DELAY_SECONDS (reading its evidence with the evidence reader), then deliver the
``adjudication_complete`` webhook, as Silver does: once, with no retry (research §3.5).

Webhook knobs (SANDBOX_SILVER_WEBHOOK): ``deliver`` (default), ``drop`` (never sent: the portal's
poll must find the result), ``duplicate`` (the same event twice), ``late=S`` (sent S seconds late).
A claim whose adjudication was lost (a worker killed) is adjudicated by the sweep
(SANDBOX_SILVER_SWEEP_SECONDS, a minute) later.
Each task may run twice: a claim is adjudicated by one conditional UPDATE.
"""

from __future__ import annotations

import base64
import logging
import uuid
from datetime import date, timedelta

import requests
from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sandbox.models import SilverClaim
from sandbox.silver import rules

log = logging.getLogger("sandbox.silver")


def queue_adjudication(claim_id: uuid.UUID) -> None:
    adjudicate.apply_async(args=[str(claim_id)], countdown=settings.SANDBOX_SILVER_DELAY_SECONDS)


def _facts(body: dict) -> rules.ClaimFacts:  # type: ignore[type-arg]
    def day(name: str) -> date:
        return date.fromisoformat(body[name])

    return rules.ClaimFacts(
        claim_amount=body["claim_amount"],
        service_start_date=day("service_start_date"),
        service_end_date=day("service_end_date"),
        submission_date=day("submission_date"),
        plan_year_start=day("plan_year_start"),
        plan_year_end=day("plan_year_end"),
        final_submission_date=day("final_submission_date"),
        final_service_date=day("final_service_date"),
    )


def adjudicate_now(claim_id: str) -> bool:
    """Adjudicate the claim if nobody has yet; True when this call did."""
    from evidence import read  # the OCR model is loaded on workers only

    claim = SilverClaim.objects.filter(id=claim_id, adjudicated_at__isnull=True).first()
    if claim is None:
        return False
    readings = [read(base64.b64decode(item["content"]), item["mime_type"]) for item in claim.evidence]
    parsed = rules.parsed_evidence(readings)
    results = rules.adjudicate(_facts(claim.body), readings)
    with transaction.atomic():
        done = SilverClaim.objects.filter(id=claim_id, adjudicated_at__isnull=True).update(
            parsed=parsed, results=results, adjudicated_at=timezone.now()
        )
        if done:
            transaction.on_commit(lambda: _queue_delivery(claim_id))
    log.info("silver_claim_adjudicated", extra={"recommendation": results["silver_recommendation"]})
    return bool(done)


def _queue_delivery(claim_id: str) -> None:
    how = settings.SANDBOX_SILVER_WEBHOOK
    if how == "drop":
        log.info("silver_webhook_dropped")
        return
    event_id = f"evt_{uuid.uuid4().hex}"
    delay = float(how.split("=", 1)[1]) if how.startswith("late=") else 0.0
    for _ in range(2 if how == "duplicate" else 1):
        deliver.apply_async(args=[claim_id, event_id], countdown=delay)


@shared_task(name="sandbox.silver.adjudicate", ignore_result=True, acks_late=True)
def adjudicate(claim_id: str) -> None:
    adjudicate_now(claim_id)


@shared_task(name="sandbox.silver.deliver", ignore_result=True)
def deliver(claim_id: str, event_id: str) -> None:
    """One delivery attempt, as Silver makes it: a failure is logged, never retried."""
    from sandbox.silver.views import claim_json

    claim = SilverClaim.objects.filter(id=claim_id).first()
    if claim is None or not settings.SANDBOX_SILVER_WEBHOOK_URL:
        return
    body = {"eventId": event_id, "eventType": "adjudication_complete", "eventPayload": claim_json(claim)}
    try:
        response = requests.post(
            settings.SANDBOX_SILVER_WEBHOOK_URL,
            json=body,
            headers={"apiKey": settings.SILVER_WEBHOOK_SECRET},
            timeout=(3.05, 15),
        )
        status: int | None = response.status_code
    except requests.RequestException as exc:
        status = None
        log.warning("silver_webhook_failed", extra={"error": type(exc).__name__})
    SilverClaim.objects.filter(id=claim_id).update(deliveries=F("deliveries") + 1)  # concurrent deliveries all count
    log.info("silver_webhook_sent", extra={"status": status})


@shared_task(name="sandbox.silver.sweep", ignore_result=True)
def sweep() -> int:
    """Adjudicate the claims whose adjudication task was lost (a worker died holding it)."""
    overdue = timezone.now() - timedelta(
        seconds=settings.SANDBOX_SILVER_DELAY_SECONDS + settings.SANDBOX_SILVER_SWEEP_SECONDS
    )
    ids = list(
        SilverClaim.objects.filter(adjudicated_at__isnull=True, submitted_at__lte=overdue).values_list("id", flat=True)
    )
    for claim_id in ids:
        adjudicate.delay(str(claim_id))
    return len(ids)
