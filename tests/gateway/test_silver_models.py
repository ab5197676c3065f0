"""Silver's results and submissions (pure logic): cents exactly to and from Decimal, the seed's
shapes, recommendations Silver may add, fields the seed does not name kept, webhook envelopes."""

from __future__ import annotations

import json
import uuid
from datetime import date
from decimal import Decimal

import pytest

from portal.gateway.errors import MalformedResponseError
from portal.gateway.silver import (
    Evidence,
    PlanType,
    Recommendation,
    SilverClaim,
    Submission,
    WebhookEvent,
    from_cents,
    to_cents,
)

CLAIM_ID = "a1b2c3d4-e5f6-7890-abcd-ef1234567890"
# The seed's webhook example (research §3.5), with a receipt as documented in §3.4.
PAYLOAD = {
    "id": CLAIM_ID,
    "claim_number": "CLM-2025-00042",
    "claim_amount": 15000,
    "service_start_date": "2025-03-10",
    "service_end_date": "2025-03-10",
    "submission_date": "2025-03-15",
    "plan_type": "medical_fsa",
    "receipts": [
        {
            "merchant": "Lakewood Family Dentistry",
            "purchased_at": "2025-03-10",
            "total_eligible_amount": 15000,
            "items": [
                {"title": "Prophylaxis - adult", "sku": "D1110", "sku_type": "CDT", "line_item_price": 9500,
                 "claimable_amount": 9500, "eligible": True, "tooth": "all"},
                {"title": "Bitewings", "sku": "D0274", "sku_type": "CDT", "line_item_price": 5500,
                 "claimable_amount": 5500, "eligible": True},
            ],
        }
    ],
    "medical_invoices": [{"provider": "Dr. Cho", "line_items": [{"description": "Exam", "amount": 4500}]}],
    "dependent_care_invoices": [],
    "statement_of_accounts": None,
    "adjudication_results": {
        "silver_recommendation": "approve",
        "valid_service_date": True,
        "valid_total_amount": True,
        "out_of_pocket_total": 15000,
        "deny_code": None,
        "deny_text": None,
        "suggested_service_date_start": None,
        "suggested_service_date_end": None,
        "suggested_provider_name": "Lakewood Family Dentistry",
    },
}  # fmt: skip


def parse(data):
    return SilverClaim.from_json(json.loads(json.dumps(data), parse_float=Decimal))


def test_cents_convert_exactly_both_ways():
    assert to_cents(Decimal("150.00")) == 15000 and to_cents(Decimal("0.1")) == 10
    assert to_cents(Decimal("1234567.89")) == 123456789
    assert from_cents(15000) == Decimal("150.00") and from_cents(1) == Decimal("0.01")
    with pytest.raises(ValueError, match="cents"):
        to_cents(Decimal("1.005"))


def test_the_seeds_claim_with_its_evidence_and_results():
    claim = parse(PAYLOAD)
    assert claim.id == uuid.UUID(CLAIM_ID) and claim.claim_amount == Decimal("150.00")
    (receipt,) = claim.receipts
    assert receipt.purchased_at == date(2025, 3, 10) and receipt.total_eligible_amount == Decimal("150.00")
    first = receipt.lines[0]
    assert (first.label, first.code, first.line_item_price, first.eligible) == (
        "Prophylaxis - adult", "CDT D1110", Decimal("95.00"), True,
    )  # fmt: skip
    assert first.model_extra == {"tooth": "all"}  # a field the seed does not name is kept
    (invoice,) = claim.medical_invoices
    assert invoice.lines[0].label == "Exam" and invoice.lines[0].model_extra == {"amount": 4500}
    assert claim.statement_of_accounts == ()
    assert [category for category, _ in claim.documents] == ["receipts", "medical_invoices"]
    results = claim.adjudication_results
    assert results.silver_recommendation is Recommendation.APPROVE
    assert results.out_of_pocket_total == Decimal("150.00") and results.suggested_provider_name


def test_results_are_none_until_adjudicated_and_new_recommendations_are_kept():
    assert parse({**PAYLOAD, "adjudication_results": None}).adjudication_results is None
    claim = parse({**PAYLOAD, "adjudication_results": {"silver_recommendation": "escalate_to_tpa"}})
    recommendation = claim.adjudication_results.silver_recommendation
    assert not recommendation.is_known and recommendation.value == "escalate_to_tpa"


@pytest.mark.parametrize(
    "broken",
    [
        {**PAYLOAD, "id": "not-a-uuid"},
        {**PAYLOAD, "claim_amount": 150.5},  # cents are whole
        {**PAYLOAD, "claim_amount": True},
        {**PAYLOAD, "receipts": "none"},
        {**PAYLOAD, "adjudication_results": {"valid_service_date": True}},  # no recommendation
        {**PAYLOAD, "service_start_date": "March 10"},
    ],
)
def test_a_wrong_shape_is_malformed_naming_the_field(broken):
    with pytest.raises(MalformedResponseError, match="Silver SilverClaim"):
        parse(broken)


def test_a_submission_is_the_seeds_body_with_cents_and_base64():
    submission = Submission(
        claim_number="CLM-2025-00042", claim_amount=Decimal("150.00"), service_start_date=date(2025, 3, 10),
        service_end_date=date(2025, 3, 10), submission_date=date(2025, 3, 15), plan_name="Acme 2025 Medical FSA",
        plan_type=PlanType.MEDICAL_FSA, plan_year_start=date(2025, 1, 1), plan_year_end=date(2025, 12, 31),
        final_submission_date=date(2026, 3, 31), final_service_date=date(2025, 12, 31),
        evidence=[Evidence("application/pdf", b"%PDF-1.4")], provider="Lakewood Family Dentistry",
        employer="Acme Corp", expense_category="Dental", expense_type="Preventive Care",
    )  # fmt: skip
    body = submission.to_json()
    assert body["claim_amount"] == 15000 and body["plan_type"] == "medical_fsa"
    assert body["evidence"] == [{"mime_type": "application/pdf", "content": "JVBERi0xLjQ="}]
    assert body["final_service_date"] == "2025-12-31" and body["method_filed"] == "online"
    assert "description" not in body  # not given: not sent


def test_webhook_envelopes():
    event = WebhookEvent.from_json(
        {"eventId": "evt_1", "eventType": "adjudication_complete", "eventPayload": PAYLOAD, "sentAt": "x"}
    )
    assert event.event_id == "evt_1" and event.claim().claim_number == "CLM-2025-00042"
    for broken in ({"eventType": "adjudication_complete", "eventPayload": {}}, {"eventId": "", "eventType": "x",
                   "eventPayload": {}}, ["x"], {"eventId": "e", "eventType": "x", "eventPayload": "x"}):  # fmt: skip
        with pytest.raises(MalformedResponseError):
            WebhookEvent.from_json(broken)
