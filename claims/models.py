"""What the portal itself must remember for HR administrators: pending denial updates (so each
applies exactly once) and an append-only audit trail. Claims themselves stay in the Claims API."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.gateway.models import DenialUpdate


def amount() -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events cannot be deleted")


class AuditEvent(models.Model):
    """One administrator action. Append-only: the portal offers no way to change or delete it."""

    class Action(models.TextChoices):
        VIEW_CLAIM = "view_claim", _("Viewed a claim")
        EXPORT = "export", _("Exported claims")
        DENIAL_UPDATE_ATTEMPT = "denial_update_attempt", _("Tried to resolve a denial")
        DENIAL_UPDATE_RESULT = "denial_update_result", _("Denial update outcome")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=200)
    business_entity_id = models.UUIDField(db_index=True)
    action = models.CharField(max_length=40, choices=Action.choices)
    target = models.CharField(max_length=200, blank=True)
    result = models.CharField(max_length=40)
    request_id = models.CharField(max_length=128, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target} {self.result}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit events cannot be changed")
        super().save(*args, **kwargs)

    @property
    def result_label(self) -> str:
        """The result in words, in the reader's language (the stored value is a code)."""
        return str(RESULT_LABELS.get(self.result, self.result))

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events cannot be deleted")

    @property
    def amount_moved(self) -> Decimal | None:
        """What a denial update moved (the sum of its reallocation amounts), if it moved any."""
        detail = self.detail if isinstance(self.detail, dict) else {}
        parts = [detail[name] for name in PendingDenialUpdate.FIELDS if name in detail]
        if not parts:
            return None
        try:
            return sum((Decimal(str(part)) for part in parts), Decimal("0.00"))
        except ArithmeticError:
            return None

    @property
    def used_recommendation(self) -> str:
        """The automated review's recommendation the update was pre-filled from ('' if none)."""
        detail = self.detail if isinstance(self.detail, dict) else {}
        return str(detail.get("used_recommendation") or "")

    @property
    def claim_number(self) -> str:
        """The claim the action was on ('' for an export or a target that is not a claim)."""
        return "" if self.action == self.Action.EXPORT or self.result == "not_found" else self.target


class PendingDenialUpdate(models.Model):
    """One logical denial update. Its id is the Idempotency-Key, minted when the form is first
    shown and sent with every attempt, so a double click, a browser retry or a gateway retry
    applies it once."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being filled in")
        CONFIRMING = "confirming", _("Waiting for confirmation")
        SUBMITTING = "submitting", _("Being sent")
        APPLIED = "applied", _("Applied")
        REJECTED = "rejected", _("Refused by the claims service")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    business_entity_id = models.UUIDField()
    claim_number = models.CharField(max_length=64)
    denial_id = models.UUIDField()
    remaining_at_start = amount()
    reallocate_to_pending_amount = amount()
    reallocate_to_paid_amount = amount()
    reallocate_to_deductible_applied_amount = amount()
    reallocate_to_coinsurance_applied_amount = amount()
    reallocate_to_copay_applied_amount = amount()
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    result = models.JSONField(default=dict, blank=True)
    # Set when the amounts came from an automated review ("Use this recommendation"): its
    # recommendation, recorded in the audit trail with the update.
    review_recommendation = models.CharField(max_length=64, blank=True)

    FIELDS = (
        "reallocate_to_pending_amount",
        "reallocate_to_paid_amount",
        "reallocate_to_deductible_applied_amount",
        "reallocate_to_coinsurance_applied_amount",
        "reallocate_to_copay_applied_amount",
    )

    def __str__(self) -> str:
        return f"denial update {self.id} ({self.state})"

    def as_update(self) -> DenialUpdate:
        return DenialUpdate(**{name: getattr(self, name) for name in self.FIELDS})

    @property
    def total(self) -> Decimal:
        return self.as_update().total


# What the audit trail's results mean (AuditEvent.result holds the code).
RESULT_LABELS = {
    "ok": _("Done"),
    "sent": _("Sent"),
    "applied": _("Applied"),
    "rejected": _("Refused by the claims service"),
    "failed": _("Failed"),
    "not_found": _("Not found"),
}
