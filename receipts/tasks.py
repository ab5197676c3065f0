"""Task-worker jobs for receipt checks: read a chosen file, re-queue the stuck, delete the expired.

Each may run twice for the same check (the broker redelivers after a worker died, the watchdog
queues a check again): a check is taken by one conditional UPDATE, and an attempt only writes its
result while it still holds the check. The reader is imported inside the task, never at import
time, so web processes (which import this module to queue tasks) never load it.
"""

from __future__ import annotations

import json
import logging
import random
import time
from datetime import timedelta

from celery import Task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from portal import crypto
from portal.celery import app
from receipts.models import ReceiptCheck

logger = logging.getLogger(__name__)

State = ReceiptCheck.State
Error = ReceiptCheck.Error
_LEASE = settings.RECEIPT_CHECK_LEASE_SECONDS


def _lease() -> timedelta:
    return timedelta(seconds=settings.RECEIPT_CHECK_LEASE_SECONDS)


def retry_delay(attempt: int) -> float:
    """Seconds before attempt ``attempt + 1``: exponential from RECEIPT_CHECK_RETRY_SECONDS, with
    a little jitter so that checks which failed together do not retry together."""
    base = settings.RECEIPT_CHECK_RETRY_SECONDS * 2 ** (attempt - 1)
    return base * random.uniform(0.8, 1.2)


# The time limits sit inside the lease: an attempt still running is never handed to another worker.
@app.task(bind=True, ignore_result=True, max_retries=None, soft_time_limit=_LEASE * 0.8, time_limit=_LEASE * 0.9)
def read_receipt(self: Task, check_id: str) -> None:  # type: ignore[type-arg]
    now = timezone.now()
    taken = (
        ReceiptCheck.objects.filter(pk=check_id, expires_at__gt=now, attempts__lt=settings.RECEIPT_CHECK_MAX_ATTEMPTS)
        .filter(Q(state=State.QUEUED) | Q(state=State.READING, lease_expires_at__lte=now))
        .update(state=State.READING, attempts=F("attempts") + 1, started_at=now, lease_expires_at=now + _lease())
    )
    if not taken:  # read already, being read, failed for good, expired or forgotten
        logger.info("receipt check not taken", extra={"check_id": check_id})
        return
    check = ReceiptCheck.objects.filter(pk=check_id).first()
    if check is None:  # forgotten (sent) in the meantime
        return
    attempt = check.attempts
    mine = ReceiptCheck.objects.filter(pk=check_id, state=State.READING, attempts=attempt)
    started = time.monotonic()
    try:
        reader = import_string(settings.EVIDENCE_READER)
        reading = reader(check.content, check.mime_type)
        stored = crypto.encrypt(json.dumps(reading.to_json(), separators=(",", ":")))
    except SoftTimeLimitExceeded:
        error = Error.TOO_SLOW
    except Exception as exc:  # noqa: BLE001 - any reader failure is retried; only its type is logged
        error = Error.READER_FAILED
        logger.warning(
            "receipt reader failed",
            extra={"check_id": check_id, "attempt": attempt, "error_type": type(exc).__name__},
        )
    else:
        done = timezone.now()
        mine.update(state=State.READ, reading_encrypted=stored, error_code="", finished_at=done, lease_expires_at=done)
        logger.info(
            "receipt check read",
            extra={"check_id": check_id, "attempt": attempt, "seconds": round(time.monotonic() - started, 3)},
        )
        return
    done = timezone.now()
    if attempt >= settings.RECEIPT_CHECK_MAX_ATTEMPTS:
        mine.update(state=State.FAILED, error_code=error, finished_at=done, lease_expires_at=done)
        logger.warning("receipt check failed", extra={"check_id": check_id, "attempt": attempt, "error": error})
        return
    delay = retry_delay(attempt)
    if mine.update(state=State.QUEUED, error_code=error, lease_expires_at=done + timedelta(seconds=delay) + _lease()):
        raise self.retry(countdown=delay)


@app.task(ignore_result=True)
def requeue_stuck_checks() -> int:
    """Queue again the checks whose attempt (or whose message) was lost: a worker died mid-read,
    or the embedded broker lost a message it had handed out. Those out of attempts fail."""
    now = timezone.now()
    stuck = ReceiptCheck.objects.filter(
        state__in=[State.QUEUED, State.READING], lease_expires_at__lte=now, expires_at__gt=now
    )
    stuck.filter(attempts__gte=settings.RECEIPT_CHECK_MAX_ATTEMPTS).update(
        state=State.FAILED, error_code=Error.WORKER_LOST, finished_at=now, lease_expires_at=now
    )
    requeued = 0
    for check_id in stuck.values_list("pk", flat=True)[:500]:
        # Conditional, so that two schedulers by mistake still queue each check once.
        if stuck.filter(pk=check_id).update(state=State.QUEUED, lease_expires_at=now + _lease()):
            read_receipt.delay(str(check_id))
            requeued += 1
    if requeued:
        logger.warning("receipt checks queued again", extra={"count": requeued})
    return requeued


@app.task(ignore_result=True)
def delete_expired_checks() -> int:
    deleted, _ = ReceiptCheck.objects.filter(expires_at__lte=timezone.now()).delete()
    if deleted:
        logger.info("expired receipt checks deleted", extra={"count": deleted})
    return deleted
