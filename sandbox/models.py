"""The sandbox's own records: the state behind its Claims API v1 and its identity provider."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models


def money() -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))


class ClaimStatus(models.TextChoices):
    PENDING_RECEIPT = "PENDING_RECEIPT_STATUS"
    PENDING_REIMBURSEMENT = "PENDING_REIMBURSEMENT_STATUS"
    SCHEDULED_REIMBURSEMENT = "SCHEDULED_REIMBURSEMENT_STATUS"
    PAID = "PAID_STATUS"
    DENIED = "DENIED_STATUS"
    DENIED_COLLECTING_REPAYMENT = "DENIED_COLLECTING_REPAYMENT_STATUS"
    HOLD = "HOLD_STATUS"
    FREEZE = "FREEZE_STATUS"
    BANKING_FAILED = "BANKING_FAILED_STATUS"
    UNSPECIFIED = "UNSPECIFIED"


class ReceiptStatus(models.TextChoices):
    REQUIRED = "RECEIPT_REQUIRED"
    RECEIVED = "RECEIPT_RECEIVED"
    OVERDUE = "RECEIPT_OVERDUE"
    NOT_NEEDED = "RECEIPT_NOT_NEEDED"
    AVAILABLE = "RECEIPT_AVAILABLE"
    NEW_NEEDED = "RECEIPT_NEW_NEEDED"
    RE_UPLOADED = "RECEIPT_RE_UPLOADED"
    PENDING = "RECEIPT_PENDING"
    UNSPECIFIED = "UNSPECIFIED"


class ClaimSource(models.TextChoices):
    CONSUMER = "CONSUMER"
    ADMINISTRATOR = "ADMINISTRATOR"
    CARD = "CARD"
    PROVIDER = "PROVIDER"


class DenialStatus(models.TextChoices):
    DENIED = "DENIED"
    PARTIALLY_RESOLVED = "PARTIALLY_RESOLVED"
    RESOLVED = "RESOLVED"


class AccountType(models.TextChoices):
    FSA = "FSA"
    HSA = "HSA"
    HRA = "HRA"
    DCFSA = "DCFSA"
    LPFSA = "LPFSA"


class BusinessEntity(models.Model):
    """An employer (the API's business_entity_id / employer_id)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    code = models.CharField(max_length=8, unique=True, help_text="Prefix of claim numbers")

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A plan participant (the API's person_id). ``user`` is their sign-in at the sandbox IdP."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sandbox_person",
    )
    employer = models.ForeignKey(BusinessEntity, on_delete=models.PROTECT, related_name="people")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    account_types = models.JSONField(default=list)
    zoneinfo = models.CharField(max_length=64, default="America/New_York")
    # The OIDC `locale` claim (BCP 47) the provider sends, if set: the language the person reads.
    locale = models.CharField(max_length=35, default="")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class AdminAccount(models.Model):
    """An HR administrator or a service account acting for one business entity."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sandbox_admin")
    business_entity = models.ForeignKey(BusinessEntity, on_delete=models.PROTECT)
    is_service_account = models.BooleanField(default=False)
    locale = models.CharField(max_length=35, default="")  # the OIDC `locale` claim


class Claim(models.Model):
    claim_number = models.CharField(max_length=32, unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="claims")
    # The person's employer, kept on the claim so an employer's listing is one ordered index walk.
    employer = models.ForeignKey(BusinessEntity, on_delete=models.PROTECT, related_name="claims", null=True)
    claim_amount = money()
    paid_amount = money()
    submitted_amount = money()
    denied_amount = money()
    applied_copay_amount = money()
    applied_coinsurance_amount = money()
    applied_deductible_amount = money()
    claim_status = models.CharField(max_length=40, choices=ClaimStatus.choices)
    is_ptp = models.BooleanField(default=False)
    receipt_status = models.CharField(max_length=40, choices=ReceiptStatus.choices)
    claim_source = models.CharField(max_length=20, choices=ClaimSource.choices)
    expense_id = models.UUIDField(default=uuid.uuid4)
    submission_date = models.DateTimeField(null=True, blank=True)
    start_date_of_service = models.DateTimeField(null=True, blank=True)
    end_date_of_service = models.DateTimeField(null=True, blank=True)
    processed_date = models.DateTimeField(null=True, blank=True)
    scheduled_for_reimbursement_date = models.DateTimeField(null=True, blank=True)
    plan_year_start_date = models.DateTimeField(null=True, blank=True)
    final_filing_date = models.DateTimeField(null=True, blank=True)
    receipt_status_dt = models.DateTimeField(null=True, blank=True)
    provider_name = models.CharField(max_length=200, null=True, blank=True)
    plan_year_name = models.CharField(max_length=100, null=True, blank=True)
    plan_name = models.CharField(max_length=100, null=True, blank=True)
    category = models.CharField(max_length=100, null=True, blank=True)
    expense_type = models.CharField(max_length=100, null=True, blank=True)
    issue_response = models.CharField(max_length=300, null=True, blank=True)
    payee = models.CharField(max_length=200, null=True, blank=True)
    offering_id = models.IntegerField(null=True, blank=True)
    plan_id = models.UUIDField(null=True, blank=True)
    # Not in the API: the repayment being collected on a DENIED_COLLECTING_REPAYMENT claim.
    repayment_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-submission_date", "-claim_number"]
        indexes = [
            models.Index(fields=["person", "-submission_date"]),
            models.Index(fields=["employer", "-submission_date", "-claim_number"], name="claim_employer_listing"),
        ]
        constraints = [
            models.CheckConstraint(
                name="claim_amounts_within_claim",
                condition=models.Q(
                    claim_amount__gte=models.F("paid_amount")
                    + models.F("denied_amount")
                    + models.F("applied_copay_amount")
                    + models.F("applied_coinsurance_amount")
                    + models.F("applied_deductible_amount")
                ),
            )
        ]

    def __str__(self) -> str:
        return self.claim_number

    def save(self, *args: object, **kwargs: object) -> None:
        if self.employer_id is None and self.person_id is not None:
            self.employer_id = Person.objects.values_list("employer_id", flat=True).get(pk=self.person_id)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def pending_amount(self) -> Decimal:
        return self.claim_amount - (
            self.paid_amount
            + self.denied_amount
            + self.applied_copay_amount
            + self.applied_coinsurance_amount
            + self.applied_deductible_amount
        )


class DenialReason(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="denial_reasons")
    denial_code = models.CharField(max_length=20)
    reason = models.CharField(max_length=300)
    denial_date_time = models.DateTimeField()
    is_upload_receipt_allowed = models.BooleanField(default=False)
    explanation = models.TextField()
    action_required = models.TextField()

    class Meta:
        ordering = ["denial_date_time", "id"]


class Rmi(models.Model):
    """A request for more information on a claim."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="rmis")
    action_date = models.DateTimeField()
    reason = models.CharField(max_length=300)
    code = models.CharField(max_length=20)
    description = models.TextField()
    status = models.CharField(max_length=40)
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["action_date", "id"]


class Denial(models.Model):
    """A denial history record. ``denied_amount`` is what remains denied after reallocations."""

    denial_id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="denials")
    denial_code = models.CharField(max_length=20)
    denial_reason = models.CharField(max_length=300)
    denied_amount = money()
    status = models.CharField(max_length=20, choices=DenialStatus.choices)
    action_date = models.DateTimeField()

    class Meta:
        ordering = ["action_date", "denial_id"]


class Receipt(models.Model):
    receipt_id = models.CharField(max_length=40, unique=True)
    external_id = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="receipts")
    claims = models.ManyToManyField(Claim, related_name="receipts", blank=True)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=10)
    mime_type = models.CharField(max_length=120)
    upload_date = models.DateTimeField()
    tracked_expense_number = models.CharField(max_length=40, null=True, blank=True)
    storage_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-upload_date", "-id"]


class Payee(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="payees")
    payee_id = models.CharField(max_length=40)
    payee_tin = models.CharField(max_length=20, null=True, blank=True)
    name = models.CharField(max_length=200)
    account_number = models.CharField(max_length=40, null=True, blank=True)
    address_line1 = models.CharField(max_length=200, null=True, blank=True)
    address_line2 = models.CharField(max_length=200, null=True, blank=True)
    address_line3 = models.CharField(max_length=200, null=True, blank=True)
    address_line4 = models.CharField(max_length=200, null=True, blank=True)
    city = models.CharField(max_length=100, null=True, blank=True)
    state = models.CharField(max_length=40, null=True, blank=True)
    postal_code = models.CharField(max_length=20, null=True, blank=True)
    country = models.CharField(max_length=2, null=True, blank=True)

    class Meta:
        ordering = ["name", "payee_id"]
        constraints = [models.UniqueConstraint(fields=["person", "payee_id"], name="unique_payee_per_person")]


class ExpenseCategory(models.Model):
    """Eligible expenses per account type; ``employer`` null means the platform default."""

    employer = models.ForeignKey(BusinessEntity, null=True, blank=True, on_delete=models.CASCADE)
    account_type = models.CharField(max_length=8, choices=AccountType.choices)
    category_name = models.CharField(max_length=100)
    category_types = models.JSONField(default=list)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["account_type", "position", "category_name"]


class IdempotencyRecord(models.Model):
    """One Idempotency-Key of one caller: the request it guarded and, once done, its response."""

    caller = models.CharField(max_length=200)
    key = models.UUIDField()
    request_hash = models.CharField(max_length=64)
    completed = models.BooleanField(default=False)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["caller", "key"], name="unique_idempotency_key")]


class SilverClaim(models.Model):
    """A claim submitted to the sandbox's Silver (seeds/003): what was sent, its evidence, and once
    adjudicated (after SANDBOX_SILVER_DELAY_SECONDS) the parsed evidence and the results."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    claim_number = models.CharField(max_length=200, unique=True)
    body = models.JSONField()  # the submitted fields, evidence left out
    evidence = models.JSONField()  # [{"mime_type": ..., "content": base64}]
    parsed = models.JSONField(default=dict)  # the four categories, once adjudicated
    results = models.JSONField(null=True)  # adjudication_results, null until adjudicated
    submitted_at = models.DateTimeField(auto_now_add=True)
    adjudicated_at = models.DateTimeField(null=True)
    deliveries = models.PositiveIntegerField(default=0)  # webhooks sent

    class Meta:
        ordering = ["submitted_at"]


class IntegrexTicket(models.Model):
    """A claim query posted to the sandbox's Integrex (seeds/004): its answer is decided when it is
    posted and given from ``ready_at`` on (null: never, the query stays "processing")."""

    id = models.CharField(primary_key=True, max_length=32)  # numeric string, as Integrex's
    client_id = models.CharField(max_length=200)
    request = models.JSONField()  # the posted fields, as validated
    answer = models.JSONField()  # the per-service-line rows GET answers with once ready
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["created_at"]
