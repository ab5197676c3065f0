"""The gateway against the running sandbox: typed results, errors, retries, idempotent writes."""

from __future__ import annotations

import logging
import time
import uuid
from decimal import Decimal

import pytest

from portal.gateway import (
    ClaimsApiClient,
    DeadlineExceededError,
    ForbiddenError,
    MalformedResponseError,
    NotFoundError,
    RateLimitedError,
    ServiceError,
    StaticToken,
    UnauthorizedError,
    gather,
)
from portal.gateway.models import AccountType, ClaimStatus, DenialUpdate, ReceiptStatus
from portal.gateway.transport import RetryPolicy
from portal.request_context import reset_request_id, set_request_id
from sandbox.demo_files import receipt_pdf
from sandbox.models import Claim as ClaimRow
from sandbox.models import Denial as DenialRow

FAST = RetryPolicy(retries=3, backoff_initial=0.02, backoff_max=0.05, overall_timeout=10.0, read_timeout=5.0)


@pytest.fixture
def request_id():
    token = set_request_id(f"test-{uuid.uuid4().hex}")
    yield
    reset_request_id(token)


def client(demo, user="alice", *, fault: str | None = None, policy: RetryPolicy = FAST) -> ClaimsApiClient:
    headers = {"X-Sandbox-Fault": fault} if fault else None
    return ClaimsApiClient(tokens=StaticToken(demo.token(user)), policy=policy, extra_headers=headers)


def attempts(caplog) -> list:
    return [r for r in caplog.records if r.getMessage() == "claims_api_call"]


@pytest.fixture
def calls(caplog):
    caplog.set_level(logging.INFO, logger="portal.gateway")
    return caplog


def a_claim(demo, **lookup) -> ClaimRow:
    return ClaimRow.objects.filter(person__id=demo.alice, **lookup).first()


# --- typed results --------------------------------------------------------------------------------


def test_typed_claim(demo):
    row = a_claim(demo, denial_reasons__isnull=False, rmis__isnull=False)
    claim = client(demo).get_claim(row.claim_number)
    assert isinstance(claim.claim_amount, Decimal) and claim.claim_amount == row.claim_amount
    assert claim.claim_amount.as_tuple().exponent == -2
    assert claim.submission_date.tzinfo is not None
    assert isinstance(claim.claim_status, ClaimStatus) and claim.claim_status.is_known
    assert isinstance(claim.receipt_status, ReceiptStatus)
    assert claim.denial_reasons[0].explanation and claim.requests_for_more_information[0].description
    assert claim.pending_amount == row.pending_amount


def test_every_endpoint_typed(demo, tmp_path):
    alice = client(demo)
    page = alice.list_claims(person_id=demo.alice, page_size=5)
    assert len(page.items) == 5 and page.has_next
    with_receipt = a_claim(demo, receipts__isnull=False)
    receipts = alice.list_claim_receipts(with_receipt.claim_number, person_id=demo.alice)
    receipt = alice.get_receipt(receipts.items[0].receipt_id, person_id=demo.alice)
    assert receipt.claim_numbers == (with_receipt.claim_number,)
    payees = list(alice.iter_payees(person_id=demo.alice))
    assert payees and payees[0].name
    categories = alice.expense_categories(person_id=demo.alice, account_type=AccountType.DCFSA, employer_id=demo.acme)
    assert categories[0].category_name == "Dependent Care"
    pdf = receipt_pdf(["Gateway test"])
    uploaded = alice.upload_receipt(
        person_id=demo.alice,
        file_name="gw.pdf",
        content=pdf,
        mime_type="application/pdf",
        claim_number=with_receipt.claim_number,
    )
    assert uploaded.external_id and uploaded.file_size == len(pdf)
    download = alice.download_receipt(uploaded.external_id, person_id=demo.alice)
    assert download.content_type == "application/pdf" and download.filename == "gw.pdf"
    assert b"".join(download.chunks()) == pdf
    denied = ClaimRow.objects.filter(person__id=demo.alice, denials__isnull=False).first()
    history = client(demo, "hana").get_denials(denied.claim_number)
    assert history.denials[0].denied_amount == denied.denials.first().denied_amount


def test_walks_every_page_concurrently(demo):
    numbers = [c.claim_number for c in client(demo).iter_claims(person_id=demo.alice, page_size=7)]
    expected = list(ClaimRow.objects.filter(person__id=demo.alice).values_list("claim_number", flat=True))
    assert numbers == expected  # same order, nothing twice, nothing missing


# --- errors ---------------------------------------------------------------------------------------


def test_404_is_not_retried_and_carries_the_problem(demo, calls, request_id):
    with pytest.raises(NotFoundError) as caught:
        client(demo).get_claim("NOPE-123")
    error = caught.value
    assert error.status == 404 and error.instance == "/v1/claims/NOPE-123" and error.request_id.startswith("test-")
    assert "was not found" in error.detail
    assert len(attempts(calls)) == 1


def test_403_and_401(demo):
    with pytest.raises(ForbiddenError):
        client(demo).list_claims(person_id=demo.bob)
    with pytest.raises(UnauthorizedError):
        ClaimsApiClient(tokens=StaticToken("not-a-token"), policy=FAST).list_claims(person_id=demo.alice)


def test_malformed_json_is_a_clear_error(demo):
    with pytest.raises(MalformedResponseError) as caught:
        client(demo, fault="malformed").get_claim(a_claim(demo).claim_number)
    assert "not JSON" in caught.value.detail


# --- retries --------------------------------------------------------------------------------------


def test_503_then_success_is_retried(demo, calls, request_id):
    claim = client(demo, fault="503,times=1").get_claim(a_claim(demo).claim_number)
    assert claim.claim_number
    assert [r.status for r in attempts(calls)] == [503, 200]


def test_persistent_503_gives_up_after_the_retries(demo, calls, request_id):
    with pytest.raises(ServiceError) as caught:
        client(demo, fault="503").get_claim(a_claim(demo).claim_number)
    assert caught.value.status == 503
    assert len(attempts(calls)) == 1 + FAST.retries


def test_429_with_retry_after_waits_then_succeeds(demo, calls, request_id):
    started = time.monotonic()
    client(demo, fault="429,times=1").get_claim(a_claim(demo).claim_number)
    assert time.monotonic() - started >= 1.0  # Retry-After: 1 honoured (not the short backoff)
    assert [r.status for r in attempts(calls)] == [429, 200]


def test_429_without_retry_after_fails_fast(demo, calls, request_id):
    started = time.monotonic()
    with pytest.raises(RateLimitedError):
        client(demo, fault="429-no-retry-after").get_claim(a_claim(demo).claim_number)
    assert time.monotonic() - started < 0.5
    assert len(attempts(calls)) == 1


def test_dropped_connection_on_get_is_retried(demo, calls, request_id):
    client(demo, fault="drop,times=1").get_claim(a_claim(demo).claim_number)
    statuses = [r.status for r in attempts(calls)]
    assert statuses == [None, 200]
    assert attempts(calls)[0].error


def test_deadline_exceeded_is_a_clear_timeout(demo, request_id):
    policy = RetryPolicy(retries=3, backoff_initial=0.02, overall_timeout=1.0, read_timeout=5.0)
    started = time.monotonic()
    with pytest.raises(DeadlineExceededError) as caught:
        client(demo, fault="latency=3000", policy=policy).get_claim(a_claim(demo).claim_number)
    assert time.monotonic() - started < 1.8
    assert "1 s" in caught.value.detail and caught.value.request_id


def test_lost_patch_response_is_retried_with_the_same_key_and_applied_once(demo, calls, request_id):
    claim = ClaimRow.objects.filter(person__id=demo.alice, claim_status="DENIED_STATUS", paid_amount=0).first()
    denial = claim.denials.first()
    key = uuid.uuid4()
    result = client(demo, "hana", fault="drop,times=1").update_denial(
        claim.claim_number,
        denial.denial_id,
        DenialUpdate(reallocate_to_paid_amount=Decimal("12.50")),
        idempotency_key=key,
    )
    assert result.claim_number == claim.claim_number
    assert [r.status for r in attempts(calls)] == [None, 200]
    assert DenialRow.objects.get(pk=denial.pk).denied_amount == denial.denied_amount - Decimal("12.50")


def test_patch_is_not_retried_after_a_response(demo, calls, request_id):
    claim = ClaimRow.objects.filter(person__id=demo.alice, denials__isnull=False).first()
    with pytest.raises(ServiceError):
        client(demo, "hana", fault="503").update_denial(
            claim.claim_number,
            claim.denials.first().denial_id,
            DenialUpdate(reallocate_to_paid_amount=Decimal("1.00")),
            idempotency_key=uuid.uuid4(),
        )
    assert len(attempts(calls)) == 1


def test_upload_is_not_resent_after_the_connection_dropped(demo, calls, request_id):
    from portal.gateway import TransportError
    from sandbox.models import Receipt

    before = Receipt.objects.count()
    with pytest.raises(TransportError):
        client(demo, fault="drop").upload_receipt(
            person_id=demo.alice, file_name="r.pdf", content=receipt_pdf(["x"]), mime_type="application/pdf"
        )
    assert len(attempts(calls)) == 1
    assert Receipt.objects.count() == before + 1  # it did arrive once; it was not sent twice


def test_401_refreshes_the_token_once_and_retries(demo):
    class Expiring:
        def __init__(self):
            self.refreshed = 0

        def get(self):
            return demo.token("alice", lifetime=-60)

        def refresh(self, stale):
            self.refreshed += 1
            return demo.token("alice")

    tokens = Expiring()
    page = ClaimsApiClient(tokens=tokens, policy=FAST).list_claims(person_id=demo.alice)
    assert page.items and tokens.refreshed == 1


# --- concurrency ----------------------------------------------------------------------------------


def test_independent_calls_run_concurrently_with_one_request_id(demo, calls, request_id):
    alice = client(demo, fault="latency=400")
    row = a_claim(demo, receipts__isnull=False)
    started = time.monotonic()
    claim, history, receipts = gather(
        lambda: alice.get_claim(row.claim_number),
        lambda: alice.get_denials(row.claim_number),
        lambda: alice.list_claim_receipts(row.claim_number, person_id=demo.alice),
    )
    elapsed = time.monotonic() - started
    assert claim.claim_number == history.claim_number == row.claim_number and receipts.items
    assert elapsed < 0.9, f"took {elapsed:.2f}s: the calls did not overlap"
    assert len({r.upstream_request_id for r in attempts(calls)}) == 1


def test_gather_can_return_exceptions(demo):
    alice = client(demo)
    number = a_claim(demo).claim_number  # here: a query in a gather thread would keep its connection
    ok, missing = gather(
        lambda: alice.get_claim(number),
        lambda: alice.get_claim("NOPE"),
        return_exceptions=True,
    )
    assert ok.claim_number and isinstance(missing, NotFoundError)


def _uploaded(demo) -> tuple[bytes, str]:
    pdf = receipt_pdf(["Download retry", "$9.00"])
    uploaded = client(demo).upload_receipt(
        person_id=demo.alice, file_name="retry.pdf", content=pdf, mime_type="application/pdf"
    )
    return pdf, uploaded.external_id


def test_a_download_cut_short_is_asked_for_again_and_arrives_whole(demo, calls, request_id):
    pdf, external_id = _uploaded(demo)
    calls.clear()
    download = client(demo, fault="drop,times=1").download_receipt(external_id, person_id=demo.alice)
    assert b"".join(download.chunks()) == pdf and download.filename == "retry.pdf"
    assert [r.status for r in attempts(calls)] == [200, 200]  # cut mid-file after its headers, then whole


def test_a_download_cut_short_every_time_is_a_clear_transport_error(demo, calls, request_id):
    from portal.gateway import TransportError
    from portal.gateway.client import DOWNLOAD_ATTEMPTS

    _, external_id = _uploaded(demo)
    calls.clear()
    with pytest.raises(TransportError) as caught:
        client(demo, fault="drop").download_receipt(external_id, person_id=demo.alice)
    assert "cut short" in caught.value.detail
    assert len(attempts(calls)) == DOWNLOAD_ATTEMPTS


def test_proxy_and_ca_bundle_settings_come_from_the_environment_once_per_origin(monkeypatch):
    from portal.gateway import transport

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/company-ca.pem")
    transport._environment.cache_clear()
    try:
        proxies, verify = transport._environment(transport._origin("https://api.example/v1/claims?x=1"))
        assert proxies.get("https") == "http://proxy.example:3128" and verify == "/etc/ssl/company-ca.pem"
        assert transport._environment("https://internal.example")[0] == {}  # NO_PROXY still applies
        assert transport._origin("http://localhost:8000/sandbox/api/v1") == "http://localhost:8000"
        assert transport._session().trust_env is False  # requests does not read them again per call
    finally:
        transport._environment.cache_clear()
