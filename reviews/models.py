"""Automated reviews of a claim's evidence by Silver: the portal's own record of each one.

A review is one (claim, evidence set): its Silver ``claim_number`` is derived from both, so a
retried submission is a duplicate of the first at Silver and new evidence is a new review (the
unique constraint keeps one row per number). The row is the task's state (no result backend). What
is sent (the claim's fields, the files) and what comes back (the results, the line items) are
health details: Fernet-encrypted, and the files are deleted once Silver has them.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal import crypto


class Review(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent for review")
        SUBMITTED = "submitted", _("Sent for automated review")
        COMPLETE = "complete", _("Reviewed")
        FAILED = "failed", _("Could not be sent for review")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    claim_number = models.CharField(max_length=64, db_index=True)  # the Claims API's
    person_id = models.UUIDField()
    employer = models.CharField(max_length=200, blank=True)  # the business entity, for HR's lists
    silver_claim_number = models.CharField(max_length=200, unique=True)
    silver_claim_id = models.UUIDField(null=True, blank=True, unique=True)
    requested_by = models.CharField(max_length=16)  # "member" (a send) or "admin" (HR asked)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error_code = models.CharField(max_length=64, blank=True)
    submission_encrypted = models.BinaryField()  # Fernet: the Submission's JSON, evidence included
    recommendation = models.CharField(max_length=64, blank=True)  # Silver's, once reviewed
    result_encrypted = models.BinaryField(null=True)  # Fernet: the claim as Silver answered it
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)  # a submit attempt's

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "submitted_at"], name="review_open"),
            # A member's list asks which of their claims' reviews ask them for more.
            models.Index(fields=["person_id", "recommendation"], name="review_person_asks"),
        ]

    def __str__(self) -> str:
        return f"review {self.id} ({self.state})"

    @property
    def submission(self) -> dict[str, Any]:
        return json.loads(crypto.decrypt_bytes(bytes(self.submission_encrypted)))

    @property
    def result(self) -> dict[str, Any] | None:
        if not self.result_encrypted:
            return None
        return json.loads(crypto.decrypt_bytes(bytes(self.result_encrypted)))


class WebhookDelivery(models.Model):
    """One webhook event taken in: its id is unique, so a delivery repeated is a no-op."""

    event_id = models.CharField(max_length=200, unique=True)
    event_type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"webhook {self.event_id}"
