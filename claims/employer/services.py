"""HR administrator operations: denial updates and the audit trail.

A denial update is one logical operation (``PendingDenialUpdate``) whose id is the API's
Idempotency-Key. Submitting it takes a row lock to move it to "submitting", then calls the API
outside any transaction (never holding a lock across HTTP), then records the outcome.
Services take the acting administrator (``Actor``), not a request, so a command or a task can
call them too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from claims.models import AuditEvent, PendingDenialUpdate
from claims.selectors import employer_claims_forget
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


@dataclass(frozen=True)
class Actor:
    """Who acts, for whom, under which request: what an audit record names."""

    user_id: int
    name: str
    business_entity_id: str
    request_id: str = ""  # the portal's own: the audit reference
    correlation_id: str = ""  # the caller's X-Request-Id, if it sent a usable one


def audit_record(
    *, actor: Actor, action: str, result: str, target: str = "", detail: dict[str, Any] | None = None
) -> AuditEvent:
    detail = dict(detail or {})
    if actor.correlation_id:  # the caller's own id, beside the server's reference, never instead of it
        detail["correlation_id"] = actor.correlation_id
    return AuditEvent.objects.create(
        actor_id=actor.user_id,
        actor_name=actor.name or str(actor.user_id),
        business_entity_id=actor.business_entity_id,
        action=action,
        target=target[:200],
        result=result,
        request_id=actor.request_id,
        detail=detail,
    )


# --- denial updates ------------------------------------------------------------------------------


class UpdateInProgress(Exception):
    """Another request is sending this update right now."""


class UpdateNotReady(Exception):
    """The amounts were not confirmed yet."""


def denial_update_start(
    *,
    actor_id: int,
    business_entity_id: str,
    claim_number: str,
    denial_id: uuid.UUID,
    remaining: Decimal,
    review_recommendation: str = "",
) -> PendingDenialUpdate:
    return PendingDenialUpdate.objects.create(
        actor_id=actor_id,
        business_entity_id=business_entity_id,
        claim_number=claim_number,
        denial_id=denial_id,
        remaining_at_start=remaining,
        review_recommendation=review_recommendation,
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


def predicted_claim(claim: Claim, op: PendingDenialUpdate) -> Claim:
    """The claim after the update, by the API's reallocation rules (for the confirmation step):
    the denied amount goes down by the total, the other amounts up by their parts, and the status
    follows (anything pending: pending reimbursement; nothing pending or denied: paid)."""
    denied = max(ZERO, claim.denied_amount - op.total)
    pending = claim.pending_amount + op.reallocate_to_pending_amount
    if pending > 0:
        status = ClaimStatus.PENDING_REIMBURSEMENT
    elif denied <= 0:
        status = ClaimStatus.PAID
    else:
        status = claim.claim_status
    return claim.model_copy(
        update={
            "claim_status": status,
            "denied_amount": denied,
            "paid_amount": claim.paid_amount + op.reallocate_to_paid_amount,
            "applied_deductible_amount": claim.applied_deductible_amount + op.reallocate_to_deductible_applied_amount,
            "applied_coinsurance_amount": claim.applied_coinsurance_amount
            + op.reallocate_to_coinsurance_applied_amount,
            "applied_copay_amount": claim.applied_copay_amount + op.reallocate_to_copay_applied_amount,
        }
    )


def denial_update_submit(*, op_id: uuid.UUID, actor: Actor, client: ClaimsApiClient) -> PendingDenialUpdate:
    """Send the update once. Safe to call again: an applied or refused update is not resent, and a
    retry after a lost answer reuses the same Idempotency-Key (the API then replays its answer)."""
    with transaction.atomic():
        op = PendingDenialUpdate.objects.select_for_update().get(pk=op_id, actor_id=actor.user_id)
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
    if op.review_recommendation:
        detail["used_recommendation"] = op.review_recommendation
    audit_record(
        actor=actor, action=AuditEvent.Action.DENIAL_UPDATE_ATTEMPT, result="sent",
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
            actor=actor, action=AuditEvent.Action.DENIAL_UPDATE_RESULT, result="rejected",
            target=op.claim_number, detail={**detail, "status": exc.status},
        )  # fmt: skip
        return op
    except ApiError as exc:
        # Unknown outcome (5xx, connection lost after retries): may be sent again with the same key.
        op.state = PendingDenialUpdate.State.CONFIRMING
        op.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor, action=AuditEvent.Action.DENIAL_UPDATE_RESULT, result="failed",
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
        actor=actor, action=AuditEvent.Action.DENIAL_UPDATE_RESULT, result="applied",
        target=op.claim_number, detail={**detail, "claim_status": result.claim_status.value},
    )  # fmt: skip
    employer_claims_forget(user_id=actor.user_id, business_entity_id=str(op.business_entity_id))
    return op
