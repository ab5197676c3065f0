"""PATCH /v1/claims/{n}/denials/{id}: reallocation rules and Idempotency-Key semantics."""

from __future__ import annotations

import threading
import time
import uuid
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model

from sandbox.models import Claim, ClaimStatus, Denial, DenialStatus
from tests.sandbox.test_api_claims import assert_problem


def _single_denial_claim(demo, status: str = ClaimStatus.DENIED, *, paid: bool | None = None) -> Claim:
    claims = Claim.objects.filter(person__id=demo.alice, claim_status=status, denials__isnull=False)
    for claim in claims.distinct():
        if claim.denials.count() == 1 and (paid is None or (claim.paid_amount > 0) == paid):
            return claim
    raise AssertionError(f"no seeded {status} claim with one denial")


def _denial(claim: Claim) -> Denial:
    return claim.denials.get()


# --- rules ---------------------------------------------------------------------------------------


def test_partial_reallocation_to_pending(demo):
    claim = _single_denial_claim(demo, paid=False)
    denial = _denial(claim)
    response = demo.patch_denial(claim.claim_number, str(denial.denial_id), {"reallocate_to_pending_amount": "100.00"})
    assert response.status_code == HTTPStatus.OK, response.text
    result = response.json()
    assert result["claim_status"] == "PENDING_REIMBURSEMENT_STATUS"
    assert result["repayment_id"] is None and result["message"]
    claim.refresh_from_db()
    denial.refresh_from_db()
    assert claim.denied_amount == denial.denied_amount
    assert claim.pending_amount == Decimal("100.00")
    assert denial.status == DenialStatus.PARTIALLY_RESOLVED


def test_all_to_paid_resolves_and_pays(demo):
    claim = _single_denial_claim(demo, paid=False)
    denial = _denial(claim)
    amount = f"{denial.denied_amount:.2f}"
    result = demo.patch_denial(claim.claim_number, str(denial.denial_id), {"reallocate_to_paid_amount": amount}).json()
    assert result["claim_status"] == "PAID_STATUS"
    claim.refresh_from_db()
    denial.refresh_from_db()
    assert denial.status == DenialStatus.RESOLVED and denial.denied_amount == 0
    assert claim.denied_amount == 0 and claim.paid_amount == claim.claim_amount


def test_applied_amounts_move_to_their_buckets(demo):
    claim = _single_denial_claim(demo, paid=True)  # partly denied claim
    denial = _denial(claim)
    before = Claim.objects.get(pk=claim.pk)
    body = {
        "reallocate_to_deductible_applied_amount": "10.00",
        "reallocate_to_coinsurance_applied_amount": "20.00",
        "reallocate_to_copay_applied_amount": "5.00",
    }
    result = demo.patch_denial(claim.claim_number, str(denial.denial_id), body).json()
    claim.refresh_from_db()
    assert claim.applied_deductible_amount == before.applied_deductible_amount + Decimal("10.00")
    assert claim.applied_coinsurance_amount == before.applied_coinsurance_amount + Decimal("20.00")
    assert claim.applied_copay_amount == before.applied_copay_amount + Decimal("5.00")
    assert claim.denied_amount == before.denied_amount - Decimal("35.00")
    # Nothing pending and some still denied: the claim keeps its status.
    assert result["claim_status"] == before.claim_status == claim.claim_status


def test_fully_reallocating_to_applied_amounts_pays_the_claim(demo):
    claim = _single_denial_claim(demo, paid=True)
    denial = _denial(claim)
    amount = f"{denial.denied_amount:.2f}"
    result = demo.patch_denial(
        claim.claim_number, str(denial.denial_id), {"reallocate_to_deductible_applied_amount": amount}
    ).json()
    assert result["claim_status"] == "PAID_STATUS"


def test_collecting_repayment_returns_repayment_id(demo):
    claim = _single_denial_claim(demo, ClaimStatus.DENIED_COLLECTING_REPAYMENT)
    denial = _denial(claim)
    result = demo.patch_denial(claim.claim_number, str(denial.denial_id), {"reallocate_to_paid_amount": "10.00"}).json()
    assert result["repayment_id"] == str(claim.repayment_id)


def test_invariant_holds_after_updates(demo):
    claim = _single_denial_claim(demo, paid=False)
    denial = _denial(claim)
    demo.patch_denial(claim.claim_number, str(denial.denial_id), {"reallocate_to_paid_amount": "1.00"})
    demo.patch_denial(claim.claim_number, str(denial.denial_id), {"reallocate_to_pending_amount": "2.00"})
    claim.refresh_from_db()
    assert claim.pending_amount >= 0
    assert (
        claim.paid_amount
        + claim.denied_amount
        + claim.applied_copay_amount
        + claim.applied_coinsurance_amount
        + claim.applied_deductible_amount
        <= claim.claim_amount
    )


def test_over_reallocation_is_422_and_changes_nothing(demo):
    claim = _single_denial_claim(demo)
    denial = _denial(claim)
    too_much = f"{denial.denied_amount + Decimal('0.01'):.2f}"
    response = demo.patch_denial(claim.claim_number, str(denial.denial_id), {"reallocate_to_paid_amount": too_much})
    assert_problem(response, 422, detail_contains="more than")
    denial.refresh_from_db()
    assert denial.status == DenialStatus.DENIED


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"reallocate_to_paid_amount": "10"},
        {"reallocate_to_paid_amount": 10.0},
        {"reallocate_to_paid_amount": "0.00"},
        {"reallocate_to_paid_amount": "-1.00"},
        {"reallocate_to_lunch_amount": "1.00"},
        ["reallocate_to_paid_amount"],
    ],
)
def test_bad_body_is_400(demo, body):
    claim = _single_denial_claim(demo)
    assert_problem(demo.patch_denial(claim.claim_number, str(_denial(claim).denial_id), body), 400)


def test_member_updating_a_denial_is_403(demo):
    claim = _single_denial_claim(demo)
    response = demo.patch_denial(
        claim.claim_number,
        str(_denial(claim).denial_id),
        {"reallocate_to_paid_amount": "1.00"},
        as_user="alice",
    )
    assert_problem(response, 403)


def test_unknown_denial_or_other_employers_claim_is_404(demo):
    claim = _single_denial_claim(demo)
    assert_problem(demo.patch_denial(claim.claim_number, str(uuid.uuid4()), {"reallocate_to_paid_amount": "1.00"}), 404)
    daves = Claim.objects.filter(person__id=demo.dave, denials__isnull=False).first()
    assert_problem(
        demo.patch_denial(
            daves.claim_number, str(daves.denials.first().denial_id), {"reallocate_to_paid_amount": "1.00"}
        ),
        404,
    )


# --- idempotency ---------------------------------------------------------------------------------


def test_missing_or_malformed_key_is_400(demo):
    claim = _single_denial_claim(demo)
    path = f"/v1/claims/{claim.claim_number}/denials/{_denial(claim).denial_id}"
    body = {"reallocate_to_paid_amount": "1.00"}
    assert_problem(demo.call("PATCH", path, as_user="hana", json=body), 400, detail_contains="Idempotency-Key")
    response = demo.call("PATCH", path, as_user="hana", json=body, headers={"Idempotency-Key": "abc"})
    assert_problem(response, 400, detail_contains="UUID")


def test_replay_returns_the_first_response_and_applies_once(demo):
    claim = _single_denial_claim(demo, paid=False)
    denial = _denial(claim)
    key = str(uuid.uuid4())
    body = {"reallocate_to_paid_amount": "10.00"}
    first = demo.patch_denial(claim.claim_number, str(denial.denial_id), body, key=key)
    second = demo.patch_denial(claim.claim_number, str(denial.denial_id), body, key=key)
    assert first.status_code == second.status_code == HTTPStatus.OK
    assert first.json() == second.json()
    assert second.headers.get("Idempotent-Replayed") == "true"
    denial.refresh_from_db()
    original = Decimal(claim.denied_amount)
    assert denial.denied_amount == original - Decimal("10.00")


def test_replay_of_a_failed_request_replays_the_failure(demo):
    claim = _single_denial_claim(demo)
    denial = _denial(claim)
    key = str(uuid.uuid4())
    body = {"reallocate_to_paid_amount": "999999.00"}
    first = demo.patch_denial(claim.claim_number, str(denial.denial_id), body, key=key)
    second = demo.patch_denial(claim.claim_number, str(denial.denial_id), body, key=key)
    assert first.status_code == second.status_code == 422
    assert first.json() == second.json()


def test_same_key_different_body_is_422(demo):
    claim = _single_denial_claim(demo, paid=False)
    denial = _denial(claim)
    key = str(uuid.uuid4())
    demo.patch_denial(claim.claim_number, str(denial.denial_id), {"reallocate_to_paid_amount": "1.00"}, key=key)
    response = demo.patch_denial(
        claim.claim_number, str(denial.denial_id), {"reallocate_to_paid_amount": "2.00"}, key=key
    )
    assert_problem(response, 422, detail_contains="different request")
    denial.refresh_from_db()
    assert denial.denied_amount == claim.denied_amount - Decimal("1.00")


def test_keys_are_scoped_to_the_caller(demo):
    from sandbox.models import IdempotencyRecord

    claim = _single_denial_claim(demo, paid=False)
    denial = _denial(claim)
    key = str(uuid.uuid4())
    demo.patch_denial(claim.claim_number, str(denial.denial_id), {"reallocate_to_paid_amount": "1.00"}, key=key)
    assert IdempotencyRecord.objects.filter(key=key).count() == 1
    hana = get_user_model().objects.get(username="hana")
    assert IdempotencyRecord.objects.get(key=key).caller == str(hana.pk)


def test_concurrent_requests_with_one_key_apply_once_and_the_other_gets_409(demo):
    claim = _single_denial_claim(demo, paid=False)
    denial = _denial(claim)
    key = str(uuid.uuid4())
    body = {"reallocate_to_paid_amount": "5.00"}
    results: dict[str, object] = {}

    def slow_first() -> None:
        results["first"] = demo.patch_denial(
            claim.claim_number,
            str(denial.denial_id),
            body,
            key=key,
            headers={"X-Sandbox-Fault": "latency=1500"},
        )

    worker = threading.Thread(target=slow_first)
    worker.start()
    time.sleep(0.6)  # the first request now holds the key
    second = demo.patch_denial(claim.claim_number, str(denial.denial_id), body, key=key)
    worker.join()
    assert_problem(second, 409)
    assert results["first"].status_code == HTTPStatus.OK
    denial.refresh_from_db()
    assert denial.denied_amount == claim.denied_amount - Decimal("5.00")
    # Once the first has finished, the same key replays it.
    third = demo.patch_denial(claim.claim_number, str(denial.denial_id), body, key=key)
    assert third.json() == results["first"].json()


def test_dropped_response_then_retry_with_same_key_applies_once(demo):
    """The classic lost response: applied, connection cut, client retries with the same key."""
    import requests

    claim = _single_denial_claim(demo, paid=False)
    denial = _denial(claim)
    key = str(uuid.uuid4())
    body = {"reallocate_to_paid_amount": "7.00"}
    with pytest.raises(requests.exceptions.RequestException):
        demo.patch_denial(claim.claim_number, str(denial.denial_id), body, key=key, headers={"X-Sandbox-Fault": "drop"})
    retry = demo.patch_denial(claim.claim_number, str(denial.denial_id), body, key=key)
    assert retry.status_code == HTTPStatus.OK
    denial.refresh_from_db()
    assert denial.denied_amount == claim.denied_amount - Decimal("7.00")
