"""A member's insurance cards, the payer list that routes each insurer to a channel, and each
check of a claim with the insurer.

What a card holds (member id, group number, names and dates of birth) and what an insurer answers
(amounts, statuses, claim numbers) are health details: Fernet-encrypted in one column each, like
tokens; no plain column holds them, and they are never logged. The page shows a card back masked.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import crypto


class Coverage(models.TextChoices):
    MEDICAL = "medical", _("Medical")
    DENTAL = "dental", _("Dental")
    VISION = "vision", _("Vision")

    @property
    def card_name(self) -> str:
        """The card as a noun phrase for a sentence ("dental card"; "tarjeta dental")."""
        return str(_CARD_NAMES[self])

    @property
    def insurer_name(self) -> str:
        """Its insurer as a noun phrase for a sentence ("dental insurer"; "aseguradora dental")."""
        return str(_INSURER_NAMES[self])


# One phrase per coverage, so that each language can write it whole (Spanish puts the adjective
# after the noun, and "vision" is "de visión"): never a coverage's label put inside a sentence.
_CARD_NAMES = {
    Coverage.MEDICAL: pgettext_lazy("insurance", "medical card"),
    Coverage.DENTAL: pgettext_lazy("insurance", "dental card"),
    Coverage.VISION: pgettext_lazy("insurance", "vision card"),
}
_INSURER_NAMES = {
    Coverage.MEDICAL: pgettext_lazy("insurance", "medical insurer"),
    Coverage.DENTAL: pgettext_lazy("insurance", "dental insurer"),
    Coverage.VISION: pgettext_lazy("insurance", "vision insurer"),
}


class Payer(models.Model):
    """One insurer on the portal's payer list, and the channel that serves it."""

    class Channel(models.TextChoices):
        OPTUM_JSON = "optum_json", _("Optum claim status")
        OPTUM_X12 = "optum_x12", _("Optum claim status (X12)")
        INTEGREX = "integrex", _("Integrex claim information")

    payer_id = models.CharField(max_length=80, unique=True)  # the channel's id for this payer
    name = models.CharField(max_length=200)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    covers = models.CharField(max_length=64, default="medical,dental,vision")  # Coverage values
    phone = models.CharField(max_length=32, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def coverages(self) -> tuple[str, ...]:
        return tuple(c for c in self.covers.split(",") if c)


class InsuranceCard(models.Model):
    """A member's card for one kind of coverage (most people have one each for medical, dental
    and vision, often from different insurers)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    coverage = models.CharField(max_length=16, choices=Coverage.choices)
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="+")
    details_encrypted = models.BinaryField()  # Fernet: CardDetails as JSON
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "coverage"], name="one_card_per_coverage")]
        ordering = ["coverage"]

    def __str__(self) -> str:
        return f"insurance card {self.id} ({self.coverage})"

    @property
    def details(self) -> dict[str, Any]:
        return json.loads(crypto.decrypt_bytes(bytes(self.details_encrypted)))

    @details.setter
    def details(self, value: dict[str, Any]) -> None:
        self.details_encrypted = crypto.encrypt_bytes(json.dumps(value, default=_iso).encode())


class InsurerCheck(models.Model):
    """One question to an insurer about one claim, and its answer."""

    class State(models.TextChoices):
        WORKING = "working", _("Waiting for the insurer")
        ANSWERED = "answered", _("Answered")
        FAILED = "failed", _("Could not be checked")
        GAVE_UP = "gave_up", _("The insurer did not answer in time")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claim_number = models.CharField(max_length=64, db_index=True)  # the Claims API's
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=16, choices=Payer.Channel.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.WORKING)
    ticket = models.CharField(max_length=100, blank=True)  # Integrex's request id while working
    claimed_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True)  # the claim's, when asked
    answer_encrypted = models.BinaryField(null=True)  # Fernet: the gateway's Answer as JSON
    error_code = models.CharField(max_length=32, blank=True)
    request_id = models.CharField(max_length=64, blank=True)  # of the failed call, for support
    polls = models.PositiveSmallIntegerField(default=0)
    next_poll_at = models.DateTimeField(null=True, blank=True)
    poll_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    attached_at = models.DateTimeField(null=True, blank=True)  # shared with the plan's reviewers

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"insurer check {self.id} ({self.state})"

    @property
    def answer_json(self) -> dict[str, Any] | None:
        if not self.answer_encrypted:
            return None
        return json.loads(crypto.decrypt_bytes(bytes(self.answer_encrypted)))

    def keep_answer(self, answer_json: str) -> None:
        self.answer_encrypted = crypto.encrypt_bytes(answer_json.encode())


def _iso(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__}")
