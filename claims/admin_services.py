"""HR administrator operations: the employer's claims, the audit trail, denial updates.

A denial update is one logical operation (``PendingDenialUpdate``) whose id is the API's
Idempotency-Key. Submitting it takes a row lock to move it to "submitting", then calls the API
outside any transaction (never holding a lock across HTTP), then records the outcome.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from claims.models import AuditEvent, PendingDenialUpdate
from claims.presentation import claim_status_label
from claims.services import StatusGroup, cached_claims, forget_cached_claims, in_group
from portal.gateway import (
    ApiError,
    BadRequestError,
    ClaimsApiClient,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    UnprocessableError,
)
from portal.gateway.models import Claim, ClaimStatus

ZERO = Decimal("0.00")
SUBMIT_STALE_AFTER = timedelta(minutes=2)


# --- audit ---------------------------------------------------------------------------------------


def audit_record(
    *,
    request: HttpRequest,
    action: str,
    result: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    profile = request.profile  # type: ignore[attr-defined]
    detail = dict(detail or {})
    correlation_id = getattr(request, "correlation_id", None)
    if correlation_id:  # the caller's own id, beside the server's reference, never instead of it
        detail["correlation_id"] = correlation_id
    return AuditEvent.objects.create(
        actor_id=request.user.pk,
        actor_name=profile.display_name or str(request.user.pk),
        business_entity_id=profile.business_entity_id,
        action=action,
        target=target[:200],
        result=result,
        request_id=getattr(request, "request_id", ""),
        detail=detail,
    )


# --- the employer's claims -----------------------------------------------------------------------


def employer_claims(*, client: ClaimsApiClient, user_id: int, business_entity_id: str) -> list[Claim]:
    """Every claim of the business, newest first: pages fetched 8 at a time, cached briefly."""
    return cached_claims(
        f"portal:employer-claims:{user_id}:{business_entity_id}",
        lambda: client.iter_claims(business_entity_id=business_entity_id, page_size=100, concurrency=8),
    )


def employer_claims_invalidate(*, user_id: int, business_entity_id: str) -> None:
    forget_cached_claims(f"portal:employer-claims:{user_id}:{business_entity_id}")


@dataclass(frozen=True)
class EmployerFilter:
    group: StatusGroup | None = None
    plan_year: str = ""
    query: str = ""
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    served_from: date | None = None
    served_to: date | None = None

    def matches(self, claim: Claim) -> bool:
        if self.group is not None and not in_group(claim, self.group):
            return False
        if self.plan_year and (claim.plan_year_name or "") != self.plan_year:
            return False
        if self.query:
            haystack = f"{claim.claim_number} {claim.provider_name or ''} {claim.payee or ''}".casefold()
            if self.query.casefold() not in haystack:
                return False
        if self.amount_min is not None and claim.claim_amount < self.amount_min:
            return False
        if self.amount_max is not None and claim.claim_amount > self.amount_max:
            return False
        served = claim.start_date_of_service.date() if claim.start_date_of_service else None
        if self.served_from is not None and (served is None or served < self.served_from):
            return False
        return not (self.served_to is not None and (served is None or served > self.served_to))

    @property
    def active(self) -> bool:
        return any(v not in (None, "") for v in vars(self).values())


@dataclass(frozen=True)
class Totals:
    count: int
    claimed: Decimal
    paid: Decimal
    denied: Decimal


def totals(claims: Iterable[Claim]) -> Totals:
    count, claimed, paid, denied = 0, ZERO, ZERO, ZERO
    for claim in claims:
        count += 1
        claimed += claim.claim_amount
        paid += claim.paid_amount
        denied += claim.denied_amount
    return Totals(count, claimed, paid, denied)


# --- export --------------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "claim_number", "date_of_service", "submitted", "provider", "payee", "category", "expense_type",
    "plan", "plan_year", "status", "status_code", "receipt_status", "claim_amount", "paid_amount",
    "denied_amount", "pending_amount", "copay_applied", "coinsurance_applied", "deductible_applied",
]  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A spreadsheet cannot run it: text starting like a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def _row(claim: Claim) -> list[str]:
    served = claim.start_date_of_service.date().isoformat() if claim.start_date_of_service else ""
    submitted = claim.submission_date.date().isoformat() if claim.submission_date else ""
    values: list[object] = [
        claim.claim_number, served, submitted, claim.provider_name, claim.payee, claim.category,
        claim.expense_type, claim.plan_name, claim.plan_year_name, claim_status_label(claim.claim_status).text,
        claim.claim_status.value, claim.receipt_status.value, f"{claim.claim_amount:.2f}",
        f"{claim.paid_amount:.2f}", f"{claim.denied_amount:.2f}", f"{claim.pending_amount:.2f}",
        f"{claim.applied_copay_amount:.2f}", f"{claim.applied_coinsurance_amount:.2f}",
        f"{claim.applied_deductible_amount:.2f}",
    ]  # fmt: skip
    return [safe_cell(v) for v in values]


def csv_lines(claims: Iterable[Claim]) -> Iterator[str]:
    """The export, one encoded line at a time (streamed: memory stays flat)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    yield "\ufeff" + buffer.getvalue()  # BOM: spreadsheets then read UTF-8 correctly
    for claim in claims:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(_row(claim))
        yield buffer.getvalue()


# --- denial updates ------------------------------------------------------------------------------


class UpdateInProgress(Exception):
    """Another request is sending this update right now."""


class UpdateNotReady(Exception):
    """The amounts were not confirmed yet."""


def denial_update_start(
    *, actor_id: int, business_entity_id: str, claim_number: str, denial_id: uuid.UUID, remaining: Decimal
) -> PendingDenialUpdate:
    return PendingDenialUpdate.objects.create(
        actor_id=actor_id,
        business_entity_id=business_entity_id,
        claim_number=claim_number,
        denial_id=denial_id,
        remaining_at_start=remaining,
    )


def denial_update_set_amounts(*, op: PendingDenialUpdate, amounts: dict[str, Decimal]) -> PendingDenialUpdate:
    with transaction.atomic():
        locked = PendingDenialUpdate.objects.select_for_update().get(pk=op.pk)
        if locked.state not in (PendingDenialUpdate.State.DRAFT, PendingDenialUpdate.State.CONFIRMING):
            return locked  # already sent: amounts can no longer change under this key
        for name in PendingDenialUpdate.FIELDS:
            setattr(locked, name, amounts.get(name) or ZERO)
        locked.state = PendingDenialUpdate.State.CONFIRMING
        locked.save()
        return locked


def predicted_status(claim: Claim, op: PendingDenialUpdate) -> ClaimStatus:
    """The claim's status after the update, by the API's rules (for the confirmation step)."""
    pending = claim.pending_amount + op.reallocate_to_pending_amount
    if pending > 0:
        return ClaimStatus.PENDING_REIMBURSEMENT
    if claim.denied_amount - op.total <= 0:
        return ClaimStatus.PAID
    return claim.claim_status


def denial_update_submit(
    *, op_id: uuid.UUID, actor_id: int, client: ClaimsApiClient, request: HttpRequest
) -> PendingDenialUpdate:
    """Send the update once. Safe to call again: an applied or refused update is not resent, and a
    retry after a lost answer reuses the same Idempotency-Key (the API then replays its answer)."""
    with transaction.atomic():
        op = PendingDenialUpdate.objects.select_for_update().get(pk=op_id, actor_id=actor_id)
        if op.state in (PendingDenialUpdate.State.APPLIED, PendingDenialUpdate.State.REJECTED):
            return op
        if op.state == PendingDenialUpdate.State.SUBMITTING and timezone.now() - op.updated_at < SUBMIT_STALE_AFTER:
            raise UpdateInProgress
        if op.state == PendingDenialUpdate.State.DRAFT:
            raise UpdateNotReady
        op.state = PendingDenialUpdate.State.SUBMITTING
        op.save(update_fields=["state", "updated_at"])
    detail = {name: f"{getattr(op, name):.2f}" for name in op.FIELDS if getattr(op, name) > 0}
    detail["denial_id"] = str(op.denial_id)
    detail["idempotency_key"] = str(op.id)
    audit_record(
        request=request, action=AuditEvent.Action.DENIAL_UPDATE_ATTEMPT, result="sent",
        target=op.claim_number, detail=detail,
    )  # fmt: skip
    try:
        result = client.update_denial(op.claim_number, op.denial_id, op.as_update(), idempotency_key=op.id)
    except ConflictError:
        raise UpdateInProgress from None
    except (UnprocessableError, BadRequestError, NotFoundError, ForbiddenError) as exc:
        op.state = PendingDenialUpdate.State.REJECTED
        op.result = {"status": exc.status, "detail": exc.detail or exc.title, "request_id": exc.request_id}
        op.save(update_fields=["state", "result", "updated_at"])
        audit_record(
            request=request, action=AuditEvent.Action.DENIAL_UPDATE_RESULT, result="rejected",
            target=op.claim_number, detail={**detail, "status": exc.status},
        )  # fmt: skip
        return op
    except ApiError as exc:
        # Unknown outcome (5xx, connection lost after retries): may be sent again with the same key.
        op.state = PendingDenialUpdate.State.CONFIRMING
        op.save(update_fields=["state", "updated_at"])
        audit_record(
            request=request, action=AuditEvent.Action.DENIAL_UPDATE_RESULT, result="failed",
            target=op.claim_number, detail={**detail, "status": exc.status, "error": type(exc).__name__},
        )  # fmt: skip
        raise
    op.state = PendingDenialUpdate.State.APPLIED
    op.result = {
        "claim_status": result.claim_status.value,
        "repayment_id": str(result.repayment_id) if result.repayment_id else None,
        "message": result.message,
        "updated_at": result.denial_updated_timestamp.isoformat() if result.denial_updated_timestamp else None,
    }
    op.save(update_fields=["state", "result", "updated_at"])
    audit_record(
        request=request, action=AuditEvent.Action.DENIAL_UPDATE_RESULT, result="applied",
        target=op.claim_number, detail={**detail, "claim_status": result.claim_status.value},
    )  # fmt: skip
    employer_claims_invalidate(user_id=actor_id, business_entity_id=str(op.business_entity_id))
    return op
