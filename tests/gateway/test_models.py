"""Parsing of API payloads (pure logic)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from portal.gateway.errors import MalformedResponseError
from portal.gateway.models import Claim, ClaimStatus, DenialUpdate, DenialUpdateResult, Page

SEED_CLAIM = {
    "claim_number": "11BPEB1210513P0000101",
    "claim_amount": 250.00,
    "claim_status": "PAID_STATUS",
    "submission_date": "2025-01-15T13:45:22Z",
    "paid_amount": 250.00,
    "submitted_amount": 250.00,
    "is_ptp": False,
    "receipt_status": "RECEIPT_NOT_NEEDED",
    "denied_amount": 0.00,
    "applied_copay_amount": 0.00,
    "applied_coinsurance_amount": 0.00,
    "applied_deductible_amount": 0.00,
    "claim_source": "CONSUMER",
    "expense_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
}


def parse(data):
    return Claim.from_json(json.loads(json.dumps(data), parse_float=Decimal))


def test_seed_example_parses_with_decimal_money_and_aware_dates():
    claim = parse(SEED_CLAIM)
    assert claim.claim_amount == Decimal("250.00") and isinstance(claim.paid_amount, Decimal)
    assert claim.submission_date.utcoffset().total_seconds() == 0
    assert claim.denial_reasons == () and claim.provider_name is None


def test_unknown_statuses_are_kept_not_fatal():
    claim = parse({**SEED_CLAIM, "claim_status": "REVERSED_STATUS", "receipt_status": "RECEIPT_LOST"})
    assert not claim.claim_status.is_known and claim.claim_status.value == "REVERSED_STATUS"
    assert not claim.receipt_status.is_known


def test_both_spellings_of_pending_reimbursement():
    assert ClaimStatus("PENDING_REIMBURSEMENT") is ClaimStatus.PENDING_REIMBURSEMENT
    seed_result = {
        "claim_number": "OM133344251215P0000101",
        "denial_id": "8b6f2c2e-9a7e-4a6d-9b6d-1f92c3c5a441",
        "claim_status": "PENDING_REIMBURSEMENT",
        "denial_updated_timestamp": "2025-01-15T13:45:22Z",
        "message": "Denial status successfully updated.",
    }
    result = DenialUpdateResult.from_json(seed_result)  # the seed omits repayment_id
    assert result.claim_status is ClaimStatus.PENDING_REIMBURSEMENT and result.repayment_id is None


@pytest.mark.parametrize(
    "broken",
    [
        {k: v for k, v in SEED_CLAIM.items() if k != "claim_amount"},
        {**SEED_CLAIM, "claim_amount": "lots"},
        {**SEED_CLAIM, "is_ptp": "no"},
        {**SEED_CLAIM, "expense_id": "nope"},
        {**SEED_CLAIM, "submission_date": "yesterday"},
        {**SEED_CLAIM, "submission_date": 1736948722},  # a Unix time is not the contract's date
        {**SEED_CLAIM, "claim_amount": True},
        {**SEED_CLAIM, "claim_amount": "NaN"},
        {**SEED_CLAIM, "claim_number": 101},
        {**SEED_CLAIM, "offering_id": "101"},
        {**SEED_CLAIM, "denial_reasons": "none"},
        ["not", "an", "object"],
    ],
)
def test_shape_errors_are_malformed_response_errors(broken):
    with pytest.raises(MalformedResponseError):
        parse(broken)


def test_page_parsing():
    page = Page.from_json({"index": 0, "page_size": 10, "has_next": False, "items": [SEED_CLAIM]}, Claim.from_json)
    assert [c.claim_number for c in page] == ["11BPEB1210513P0000101"]


def test_denial_update_sends_two_decimal_strings_and_skips_zeros():
    update = DenialUpdate(reallocate_to_pending_amount=Decimal("75"), reallocate_to_paid_amount=Decimal("50.5"))
    assert update.to_json() == {"reallocate_to_pending_amount": "75.00", "reallocate_to_paid_amount": "50.50"}
    assert update.total == Decimal("125.50")


def test_the_error_names_the_field_never_its_value():
    with pytest.raises(MalformedResponseError) as caught:
        parse({**SEED_CLAIM, "claim_amount": "Alice Nguyen, diabetes"})
    assert caught.value.detail == "Claim.claim_amount is not an amount" and "Alice" not in str(caught.value)
    with pytest.raises(MalformedResponseError) as caught:
        parse({k: v for k, v in SEED_CLAIM.items() if k != "expense_id"})
    assert caught.value.detail == "Claim.expense_id is missing"


def test_fields_the_contract_grows_are_ignored_and_money_is_exact():
    claim = parse({**SEED_CLAIM, "claim_amount": "1234.5", "new_field": {"x": 1}, "paid_amount": 0.1})
    assert claim.claim_amount == Decimal("1234.50") and claim.paid_amount == Decimal("0.10")
    assert not hasattr(claim, "new_field")
    moved = claim.model_copy(update={"paid_amount": Decimal("5.00")})
    assert moved.paid_amount == Decimal("5.00") and claim.paid_amount == Decimal("0.10")
    with pytest.raises(Exception, match="frozen"):
        claim.paid_amount = Decimal("1.00")  # type: ignore[misc]
