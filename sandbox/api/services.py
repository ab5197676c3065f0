"""The sandbox's rules that are not HTTP: reallocating denials and recording receipts."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils import timezone

from sandbox.api.problems import ApiProblem, iso
from sandbox.models import Claim, ClaimStatus, Denial, DenialStatus, Receipt, ReceiptStatus

REALLOCATION_FIELDS = (
    "reallocate_to_pending_amount",
    "reallocate_to_paid_amount",
    "reallocate_to_deductible_applied_amount",
    "reallocate_to_coinsurance_applied_amount",
    "reallocate_to_copay_applied_amount",
)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Reallocation:
    pending: Decimal = ZERO
    paid: Decimal = ZERO
    deductible: Decimal = ZERO
    coinsurance: Decimal = ZERO
    copay: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.pending + self.paid + self.deductible + self.coinsurance + self.copay


def denial_reallocate(*, claim_id: int, denial_id: uuid.UUID, amounts: Reallocation) -> dict[str, object]:
    """Move ``amounts`` out of a denial, following the spec's rules; returns DenialUpdateResult.

    Status rules: anything left pending -> PENDING_REIMBURSEMENT_STATUS; nothing pending and
    nothing left denied -> PAID_STATUS; otherwise the claim keeps its status. The denial becomes
    RESOLVED when nothing of it is left denied, else PARTIALLY_RESOLVED.
    """
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim_id)
        denial = Denial.objects.select_for_update().get(pk=denial_id, claim=claim)
        if amounts.total > denial.denied_amount:
            raise ApiProblem(
                422,
                f"The reallocation totals {amounts.total:.2f}, more than the "
                f"{denial.denied_amount:.2f} that remains denied.",
            )
        was_collecting_repayment = claim.claim_status == ClaimStatus.DENIED_COLLECTING_REPAYMENT
        denial.denied_amount -= amounts.total
        denial.status = DenialStatus.RESOLVED if denial.denied_amount == ZERO else DenialStatus.PARTIALLY_RESOLVED
        denial.save(update_fields=["denied_amount", "status"])

        claim.denied_amount -= amounts.total
        claim.paid_amount += amounts.paid
        claim.applied_deductible_amount += amounts.deductible
        claim.applied_coinsurance_amount += amounts.coinsurance
        claim.applied_copay_amount += amounts.copay
        if claim.pending_amount > ZERO:
            claim.claim_status = ClaimStatus.PENDING_REIMBURSEMENT
        elif claim.denied_amount == ZERO:
            claim.claim_status = ClaimStatus.PAID
        now = timezone.now()
        claim.processed_date = now
        claim.save()
        repayment_id = claim.repayment_id if was_collecting_repayment else None
        return {
            "claim_number": claim.claim_number,
            "denial_id": str(denial.denial_id),
            "repayment_id": str(repayment_id) if repayment_id else None,
            "claim_status": claim.claim_status,
            "denial_updated_timestamp": iso(now),
            "message": "Denial status successfully updated.",
        }


def receipt_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.SANDBOX_MEDIA_ROOT)


_NEEDS_RECEIPT = {ReceiptStatus.REQUIRED, ReceiptStatus.NEW_NEEDED, ReceiptStatus.OVERDUE}


def receipt_store(
    *,
    person_id: uuid.UUID,
    claim: Claim | None,
    file_name: str,
    mime_type: str,
    content_type: str,
    data: bytes,
) -> Receipt:
    external_id = f"ext-{uuid.uuid4().hex}"
    storage = receipt_storage()
    stored_name = storage.save(external_id, ContentFile(data))
    now = timezone.now()
    try:
        with transaction.atomic():
            receipt = Receipt.objects.create(
                receipt_id=f"rcpt-{secrets.token_hex(6)}",
                external_id=external_id,
                person_id=person_id,
                file_name=file_name,
                file_size=len(data),
                content_type=content_type,
                mime_type=mime_type,
                upload_date=now,
                tracked_expense_number=f"EXP-{secrets.randbelow(10**6):06d}",
                storage_name=stored_name,
                sha256=hashlib.sha256(data).hexdigest(),
            )
            if claim is not None:
                # The claim's row is locked while its receipt status is decided, so two uploads at
                # once cannot both count as the first receipt.
                locked = Claim.objects.select_for_update().only("receipt_status").get(pk=claim.pk)
                needs_receipt = locked.receipt_status in _NEEDS_RECEIPT
                had_receipt = needs_receipt and locked.receipts.exists()
                Receipt.claims.through.objects.create(receipt_id=receipt.pk, claim_id=locked.pk)
                if needs_receipt:
                    locked.receipt_status = ReceiptStatus.RE_UPLOADED if had_receipt else ReceiptStatus.RECEIVED
                    locked.receipt_status_dt = now
                    locked.save(update_fields=["receipt_status", "receipt_status_dt"])
    except Exception:
        storage.delete(stored_name)
        raise
    return receipt


def purge_idempotency_records() -> None:
    from sandbox.models import IdempotencyRecord

    IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - timedelta(hours=25)).delete()
