"""The question to the insurer starts from what the portal knows: the claim, and what the receipt
check read in the member's documents for it (NPI, tax id, the bill's total)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

from django.contrib.auth import get_user_model
from django.utils import timezone

from evidence.model import Field, Kind, Readability, Reading
from insurance.services import coverage_for, prefill
from portal import crypto
from portal.gateway.models import Claim
from receipts.models import ReceiptCheck

CLAIM = {
    "claim_number": "11ACME261111P0000007", "claim_amount": "72.00", "paid_amount": "0.00",
    "submitted_amount": "72.00", "denied_amount": "0.00", "applied_copay_amount": "0.00",
    "applied_coinsurance_amount": "0.00", "applied_deductible_amount": "0.00",
    "claim_status": "PENDING_RECEIPT_STATUS", "is_ptp": False, "receipt_status": "RECEIPT_REQUIRED",
    "claim_source": "PORTAL", "expense_id": str(uuid.uuid4()), "provider_name": "Bright Smiles Dental",
    "category": "Dental", "expense_type": "Fillings", "start_date_of_service": "2026-11-11T00:00:00Z",
}  # fmt: skip


def _read_for(user, claim: Claim, reading: Reading) -> None:  # type: ignore[no-untyped-def]
    """A document the receipt check read for the claim."""
    now = timezone.now()
    ReceiptCheck.objects.create(
        user=user, claim_number=claim.claim_number, upload_token="t", file_name="bill.pdf", mime_type="application/pdf",
        size=1, sha256="0" * 64, content_encrypted=crypto.encrypt_bytes(b"%PDF"), state=ReceiptCheck.State.READ,
        reading_encrypted=crypto.encrypt(json.dumps(reading.to_json())), created_at=now,
        lease_expires_at=now, expires_at=now + timedelta(hours=1),
    )  # fmt: skip


def test_the_question_is_prefilled_from_the_claim_and_the_documents_read(db):
    user = get_user_model().objects.create(username="prefill")
    claim = Claim.from_json(CLAIM)
    assert prefill(claim, user.pk) == {
        "service_date": datetime(2026, 11, 11, tzinfo=UTC).date(),
        "billed_amount": D("72.00"),
        "provider_name": "Bright Smiles Dental",
    }
    reading = Reading(
        kind=Kind.DENTAL_INVOICE,
        readability=Readability.READ,
        fields={
            "npi": Field("1760854442", 0.97),
            "tax_id": Field("932270011", 0.95),
            "patient": Field("Alice Nguyen", 0.9),
            "total": Field(D("210.00"), 0.96),
        },
    )
    _read_for(user, claim, reading)
    found = prefill(claim, user.pk)
    assert found["provider_npi"] == "1760854442" and found["provider_tax_id"] == "932270011"
    assert found["billed_amount"] == D("210.00")  # the bill before insurance, larger than the claim
    assert found["patient_name"] == "Alice Nguyen"


def test_an_npi_with_a_wrong_check_digit_is_not_prefilled(db):
    """The form would refuse it, asking the member to fix a number they never typed."""
    user = get_user_model().objects.create(username="prefill-npi")
    claim = Claim.from_json(CLAIM)
    reading = Reading(
        kind=Kind.DENTAL_INVOICE, readability=Readability.READ,
        fields={"npi": Field("1657394572", 0.97), "tax_id": Field("93-2270011", 0.95)},
    )  # fmt: skip
    _read_for(user, claim, reading)
    found = prefill(claim, user.pk)
    assert "provider_npi" not in found and found["provider_tax_id"] == "93-2270011"


def test_which_insurer_pays_first_for_which_claim():
    def kind(category: str, expense: str) -> str | None:
        return coverage_for(Claim.from_json({**CLAIM, "category": category, "expense_type": expense}))

    assert kind("Dental", "Fillings") == "dental"
    assert kind("Vision", "Glasses") == "vision"
    assert kind("Medical", "Eye Exam") == "vision"
    assert kind("Medical", "Doctor Visit") == "medical"
    assert kind("Dependent Care", "Daycare") is None
    assert kind("Pharmacy", "Prescription") is None
