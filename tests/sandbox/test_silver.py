"""The sandbox's Silver over real HTTP, through the portal's Silver client (issue 17): the apiKey,
the seed's required fields, duplicates as the same claim, faults retried into exactly one claim,
and adjudication by the documented rules on the real evidence bytes read by the evidence reader."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
import requests
from django.conf import settings

from evidence.model import Kind
from evidence.samples import Facts, make_document
from portal.gateway.errors import BadRequestError, ForbiddenError
from portal.gateway.silver import Evidence, PlanType, Recommendation, SilverClient, Submission
from sandbox.models import SilverClaim
from sandbox.silver.tasks import adjudicate_now

pytestmark = pytest.mark.django_db(transaction=True)

DAY = date(2026, 3, 10)
FACTS = Facts(provider="Lakewood Family Dentistry", patient="Alice Nguyen", service_day=DAY, amount=Decimal("150.00"))


def _evidence(flaws: tuple[str, ...] = (), kind: Kind = Kind.DENTAL_INVOICE) -> Evidence:
    data, mime, _ = make_document(kind, flaws=flaws, seed=3, facts=FACTS)
    return Evidence(mime, data)


def _submission(number: str | None = None, **changes: object) -> Submission:
    fields: dict[str, object] = {
        "claim_number": number or f"CLM-{uuid.uuid4().hex[:10]}",
        "claim_amount": Decimal("150.00"),
        "service_start_date": DAY,
        "service_end_date": DAY,
        "submission_date": DAY + timedelta(days=5),
        "plan_name": "Acme 2026 Medical FSA",
        "plan_type": PlanType.MEDICAL_FSA,
        "plan_year_start": date(2026, 1, 1),
        "plan_year_end": date(2026, 12, 31),
        "final_submission_date": date(2027, 3, 31),
        "final_service_date": date(2026, 12, 31),
        "evidence": [_evidence()],
        "provider": "Lakewood Family Dentistry",
        "employer": "Acme Corp",
        "expense_category": "Dental",
        "expense_type": "Preventive Care",
    }
    fields.update(changes)
    return Submission(**fields)  # type: ignore[arg-type]


@pytest.fixture
def silver(server_url: str) -> SilverClient:
    assert settings.SILVER_BASE_URL == f"{server_url}/sandbox/silver"
    return SilverClient.from_settings()


def test_submit_then_read_the_adjudication(silver: SilverClient) -> None:
    submitted = silver.submit(_submission())
    assert not submitted.duplicate
    before = silver.claim(submitted.claim_id)
    assert before.adjudication_results is None and before.claim_amount == Decimal("150.00")
    assert adjudicate_now(str(submitted.claim_id)) and not adjudicate_now(str(submitted.claim_id))  # once
    after = silver.claim(submitted.claim_id)
    results = after.adjudication_results
    assert results is not None and results.silver_recommendation is Recommendation.APPROVE
    assert results.valid_service_date and results.valid_total_amount
    assert results.out_of_pocket_total == Decimal("150.00") and results.deny_code is None
    (invoice,) = after.medical_invoices
    assert sum(line.line_item_price for line in invoice.lines) == Decimal("150.00")
    assert all(line.sku and line.sku_type == "CDT" and line.eligible for line in invoice.lines)
    assert invoice.model_extra["patient"] == "Alice Nguyen"


def test_a_duplicate_claim_number_is_the_same_claim(silver: SilverClient) -> None:
    first = silver.submit(_submission("CLM-DUP-1"))
    again = silver.submit(_submission("CLM-DUP-1"))
    assert again.duplicate and again.claim_id == first.claim_id
    assert SilverClaim.objects.filter(claim_number="CLM-DUP-1").count() == 1


def test_faults_on_submit_end_in_exactly_one_claim(silver: SilverClient) -> None:
    for fault in ("503,times=1", "500,times=2", "drop,times=1"):
        number = f"CLM-F-{uuid.uuid4().hex[:8]}"
        silver.transport.extra_headers["X-Sandbox-Fault"] = fault
        try:
            submitted = silver.submit(_submission(number))
        finally:
            silver.transport.extra_headers.pop("X-Sandbox-Fault")
        assert SilverClaim.objects.filter(claim_number=number).count() == 1, fault
        assert str(submitted.claim_id) == str(SilverClaim.objects.get(claim_number=number).id)
        assert submitted.duplicate is (fault.startswith("drop")), fault  # the lost answer's retry


def test_a_wrong_or_missing_key_is_403_and_changes_nothing(server_url: str) -> None:
    wrong = SilverClient(base_url=settings.SILVER_BASE_URL, api_key="not-the-key")
    with pytest.raises(ForbiddenError) as caught:
        wrong.submit(_submission("CLM-KEY"))
    assert caught.value.status == 403 and caught.value.detail == "Invalid or missing API key"
    assert requests.get(f"{settings.SILVER_BASE_URL}/v1/claims?id={uuid.uuid4()}", timeout=10).status_code == 403
    assert not SilverClaim.objects.exists()


def test_bad_fields_are_named_each(silver: SilverClient) -> None:
    body = _submission().to_json()
    body.update(claim_amount=150.5, plan_type="gym", service_end_date="10/03/2026", evidence=[])
    del body["plan_name"]
    response = requests.post(
        f"{settings.SILVER_BASE_URL}/v1/claims", json=body, headers={"apiKey": settings.SILVER_API_KEY}, timeout=10
    )
    assert response.status_code == 400
    named = {tuple(problem["loc"][1:2]) for problem in response.json()["detail"]}
    assert named == {("claim_amount",), ("plan_type",), ("service_end_date",), ("evidence",), ("plan_name",)}
    assert "150.5" not in response.text  # no value is echoed
    with pytest.raises(BadRequestError):
        silver.submit(_submission(evidence=[Evidence("application/pdf", b"")]))


@pytest.mark.parametrize(
    ("changes", "flaws", "recommendation", "code"),
    [
        ({"service_start_date": date(2025, 12, 30)}, (), Recommendation.DENY, "SERVICE_DATE_OUTSIDE_PLAN_YEAR"),
        ({"submission_date": date(2027, 4, 2)}, (), Recommendation.DENY, "SUBMITTED_AFTER_DEADLINE"),
        ({}, ("no_patient",), Recommendation.REQUEST_MORE_INFORMATION, "MISSING_PATIENT"),
        ({}, ("no_date",), Recommendation.REQUEST_MORE_INFORMATION, "MISSING_DATE_OF_SERVICE"),
        ({}, ("amount_differs",), Recommendation.NEEDS_REVIEW, None),
        ({"claim_amount": Decimal("0.00")}, (), Recommendation.NOT_NEEDED, None),
    ],
)
def test_the_documented_rules(silver: SilverClient, changes, flaws, recommendation, code) -> None:
    submitted = silver.submit(_submission(evidence=[_evidence(flaws)], **changes))
    adjudicate_now(str(submitted.claim_id))
    results = silver.claim(submitted.claim_id).adjudication_results
    assert results is not None
    assert (results.silver_recommendation, results.deny_code) == (recommendation, code)
    if code:
        assert results.deny_text
