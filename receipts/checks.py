"""Receipt checks: files chosen in an upload form are read by a task worker before they are sent.

The view calls ``start_checks`` when files are chosen, shows ``checks_for`` while they are read,
hands ``files_for_sending`` to ``receipt_upload`` and calls ``forget`` once they are sent. Every
call is scoped to the signed-in user and the form's ``upload_token``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal import crypto
from receipts.filetypes import CheckedFile, kind_of_mime_type
from receipts.models import ReceiptCheck


def start_checks(*, user_id: int, claim_number: str, upload_token: str, files: list[CheckedFile]) -> list[ReceiptCheck]:
    """One check per file (in the order given), each queued to be read once the rows are stored.

    A file chosen again under the same token (the same bytes) keeps its check and its reading; a
    check that failed is queued again, from its first attempt.
    """
    checks = []
    for item in files:
        check, queue = _check_for(user_id=user_id, claim_number=claim_number, upload_token=upload_token, item=item)
        if queue:
            _enqueue_after_commit(check.pk)
        checks.append(check)
    return checks


def _check_for(*, user_id: int, claim_number: str, upload_token: str, item: CheckedFile) -> tuple[ReceiptCheck, bool]:
    digest = hashlib.sha256(item.data).hexdigest()
    now = timezone.now()
    lease = timedelta(seconds=settings.RECEIPT_CHECK_LEASE_SECONDS)
    mine = ReceiptCheck.objects.filter(user_id=user_id, upload_token=upload_token, sha256=digest, expires_at__gt=now)
    existing = mine.first()
    if existing is None:
        try:
            with transaction.atomic():
                # An expired row of the same file would block the new one until the sweep runs.
                ReceiptCheck.objects.filter(
                    user_id=user_id, upload_token=upload_token, sha256=digest, expires_at__lte=now
                ).delete()
                created = ReceiptCheck.objects.create(
                    user_id=user_id,
                    claim_number=claim_number,
                    upload_token=upload_token,
                    file_name=item.name,
                    mime_type=item.kind.mime_type,
                    size=len(item.data),
                    sha256=digest,
                    content_encrypted=crypto.encrypt_bytes(item.data),
                    created_at=now,
                    lease_expires_at=now + lease,
                    expires_at=now + timedelta(seconds=settings.RECEIPT_CHECK_TTL_SECONDS),
                )
            return created, True
        except IntegrityError:  # the same file chosen twice at once (two tabs, a double drop)
            return mine.get(), False
    if existing.state == ReceiptCheck.State.FAILED:
        again = mine.filter(pk=existing.pk, state=ReceiptCheck.State.FAILED).update(
            state=ReceiptCheck.State.QUEUED,
            attempts=0,
            error_code="",
            started_at=None,
            finished_at=None,
            lease_expires_at=now + lease,
        )
        existing.refresh_from_db()
        return existing, bool(again)
    return existing, False


def _enqueue(check_id: UUID) -> None:
    from receipts.tasks import read_receipt

    read_receipt.delay(str(check_id))


def _enqueue_after_commit(check_id: UUID) -> None:
    # robust: a broker that cannot be reached just now must not fail the member's request; the
    # row is queued, and the watchdog queues it again once its lease has passed.
    # A named function, not a partial: Django's log line for a failed robust hook reads its
    # __qualname__, and a partial has none (the error would then fail the request after all).
    def enqueue() -> None:
        _enqueue(check_id)

    transaction.on_commit(enqueue, robust=True)


def checks_for(*, user_id: int, upload_token: str) -> list[ReceiptCheck]:
    """The user's unexpired checks under this token, oldest first (``check.reading`` is the
    decoded Reading once read)."""
    return list(
        ReceiptCheck.objects.filter(user_id=user_id, upload_token=upload_token, expires_at__gt=timezone.now())
        .defer("content_encrypted")
        .order_by("created_at", "id")
    )


def files_for_sending(*, user_id: int, upload_token: str, check_ids: Iterable[UUID | str]) -> list[CheckedFile]:
    """The chosen files as ``receipt_upload`` takes them, decrypted, in the order of ``check_ids``.
    Ids that are not the user's, not under this token or expired are left out."""
    wanted = []
    for check_id in check_ids:
        try:
            wanted.append(str(UUID(str(check_id))))
        except ValueError:  # not an id at all (a tampered form): as good as someone else's
            continue
    rows = {
        str(row.pk): row
        for row in ReceiptCheck.objects.filter(
            user_id=user_id, upload_token=upload_token, expires_at__gt=timezone.now(), pk__in=wanted
        )
    }
    files = []
    for check_id in dict.fromkeys(wanted):
        row = rows.get(check_id)
        kind = kind_of_mime_type(row.mime_type) if row is not None else None
        if row is not None and kind is not None:
            files.append(CheckedFile(name=row.file_name, kind=kind, data=row.content))
    return files


def forget(*, user_id: int, upload_token: str) -> int:
    """Delete the user's checks under this token (their files are sent, or given up): how many."""
    deleted, _ = ReceiptCheck.objects.filter(user_id=user_id, upload_token=upload_token).delete()
    return deleted


def discard(*, user_id: int, upload_token: str, check_id: UUID | str) -> bool:
    """Delete one of the user's checks under this token (the member took that file out)."""
    try:
        pk = UUID(str(check_id))
    except ValueError:
        return False
    deleted, _ = ReceiptCheck.objects.filter(user_id=user_id, upload_token=upload_token, pk=pk).delete()
    return bool(deleted)
