"""Optum Claim Status v2 through the portal's client over real HTTP against the embedded sandbox
(issue 18): the shared token (one fetch for many calls, across clients and threads), expiry and a
401 mid-session, faults retried, both error shapes, "try again later", field errors, and the
answers (paid, pending, denied, not found, rejected) the same on the JSON and the raw X12 paths."""

from __future__ import annotations

import logging
import threading
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from portal.gateway.errors import (
    InsurerRefused,
    InsurerUnavailable,
    ServiceError,
    TransportError,
    UnauthorizedError,
)
from portal.gateway.insurer import Channel, Person, Query
from portal.gateway.optum import OptumClient, partner_name
from portal.gateway.transport import RetryPolicy
from portal.request_context import reset_request_id, set_request_id

pytestmark = pytest.mark.django_db(transaction=True)

ALICE = Person(first_name="Alice", last_name="Nguyen", date_of_birth=date(1988, 4, 12), gender="F")
MINH = Person(first_name="Minh", last_name="Nguyen", date_of_birth=date(2019, 6, 3), gender="M")
FAST = RetryPolicy(retries=3, backoff_initial=0.05, backoff_max=0.1, read_timeout=10.0, overall_timeout=20.0)


def _today() -> date:
    return timezone.localdate()


def dental(days_ago: int = 21, amount: str | None = "210.00", **changes: Any) -> Query:
    fields: dict[str, Any] = {
        "payer_id": "EVGDN",
        "payer_name": "Evergreen Dental Benefits",
        "member_id": "EDB20931877",
        "group_number": "ACME-D22",
        "subscriber": ALICE,
        "provider_name": "Bright Smiles Dental",
        "provider_npi": "1234567893",
        "provider_tax_id": "93-2270011",
        "service_date_from": _today() - timedelta(days=days_ago),
        "billed_amount": Decimal(amount) if amount else None,
        "tracking_number": "PORTAL-CHECK-1",
    }
    fields.update(changes)
    return Query(**fields)


def medical(provider: str, days_ago: int, amount: str, **changes: Any) -> Query:
    return dental(
        days_ago,
        amount,
        payer_id="SUMMT",
        payer_name="Summit Health Plan",
        member_id="SHP448812301",
        group_number="ACME-4410",
        provider_name=provider,
        provider_tax_id="",
        **changes,
    )


@pytest.fixture
def optum(server_url: str) -> OptumClient:
    assert settings.OPTUM_BASE_URL == f"{server_url}/sandbox/optum"
    return client()


def client(**kwargs: Any) -> OptumClient:
    kwargs.setdefault("policy", FAST)
    kwargs.setdefault("busy_backoff", 0.1)
    return OptumClient(
        base_url=settings.OPTUM_BASE_URL,
        client_id=settings.OPTUM_CLIENT_ID,
        client_secret=settings.OPTUM_CLIENT_SECRET,
        **kwargs,
    )


@pytest.fixture
def fetches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the token fetches of every client (every "process")."""
    counted: list[int] = []
    original = OptumClient._fetch_token

    def counting(self: OptumClient) -> tuple[str, float]:
        counted.append(1)
        return original(self)

    monkeypatch.setattr(OptumClient, "_fetch_token", counting)
    return counted


def with_fault(optum: OptumClient, fault: str, call: Any) -> Any:
    optum.token()  # the token first: the fault is for the claim status call
    optum.transport.extra_headers["X-Sandbox-Fault"] = fault
    token = set_request_id(f"req-{id(call)}-{fault}")  # the retries carry the same id (times=N)
    try:
        return call()
    finally:
        reset_request_id(token)
        optum.transport.extra_headers.pop("X-Sandbox-Fault")


# --- the answers -----------------------------------------------------------------------------


def test_a_finalized_dental_claim_with_the_members_share_and_lines(optum: OptumClient) -> None:
    answer = optum.status(dental())
    assert answer.channel is Channel.OPTUM_JSON and answer.payer_name == "Evergreen Dental Benefits"
    assert answer.payer_phone == "8005550177" and answer.response_date is not None
    (claim,) = answer.claims
    assert claim.statuses[0].category == "F1" and claim.statuses[0].code == "65"
    assert (claim.charged, claim.paid) == (Decimal("210.00"), Decimal("138.00"))
    assert claim.charged is not None and claim.paid is not None
    assert claim.charged - claim.paid == Decimal("72.00")  # alice's share
    assert claim.tracking_number == "PORTAL-CHECK-1" and claim.payer_claim_number.startswith("EVGDN")
    assert claim.check_number and claim.adjudicated_date and claim.payment_method == "CHK"
    assert [(line.procedure_code, line.charged, line.paid) for line in claim.lines] == [
        ("D0220", Decimal("40.00"), Decimal("32.00")),
        ("D2391", Decimal("170.00"), Decimal("106.00")),
    ]
    assert all(line.statuses[0].category == "F1" for line in claim.lines)


@pytest.mark.parametrize("raw_x12", [False, True])
@pytest.mark.parametrize(
    ("query", "category", "code"),
    [
        (dental(25, "95.00"), "P1", "20"),  # pending
        (dental(150, "260.00"), "F2", "84"),  # denied
        (medical("Lakeshore Family Medicine", 28, "240.00"), "A4", "35"),  # not on file
        (medical("Providence Urgent Care", 2, "75.00"), "A2", "20"),  # received
        (medical("Riverside Pediatrics", 15, "150.00", patient=MINH), "F1", "65"),  # the son's claim
        (dental(member_id="EDB00000000"), "A7", "33"),  # a wrong member id
    ],
)
def test_the_demo_insurers_answers(optum: OptumClient, query: Query, category: str, code: str, raw_x12: bool) -> None:
    answer = optum.status(query, raw_x12=raw_x12)
    assert answer.channel is (Channel.OPTUM_X12 if raw_x12 else Channel.OPTUM_JSON)
    (claim,) = answer.claims
    assert (claim.statuses[0].category, claim.statuses[0].code) == (category, code)


@pytest.mark.parametrize(
    ("query"),
    [
        dental(),
        dental(150, "260.00"),
        dental(days_ago=21, amount=None),  # no amount: both Bright Smiles claims of that week
        medical("Riverside Pediatrics", 15, "150.00", patient=MINH),
        medical("Lakeshore Family Medicine", 28, "240.00"),
        dental(member_id="EDB00000000"),
        dental(payer_id="00003"),
        dental(payer_id="000002", patient=MINH),
    ],
)
def test_raw_x12_and_json_give_the_same_answer(optum: OptumClient, query: Query) -> None:
    by_json = optum.status(query)
    by_x12 = optum.status(query, raw_x12=True)
    assert by_x12.channel is Channel.OPTUM_X12 and not by_x12.warnings
    assert by_x12.model_copy(update={"channel": Channel.OPTUM_JSON}) == by_json


def test_both_bright_smiles_claims_of_a_week_when_no_amount_is_given(optum: OptumClient) -> None:
    answer = optum.status(dental(days_ago=23, amount=None))
    assert sorted(claim.charged or 0 for claim in answer.claims) == [Decimal("95.00"), Decimal("210.00")]


@pytest.mark.parametrize(
    ("payer", "category", "code"),
    [("00001", "E0", "21"), ("000002", "F2", "88"), ("00003", "F1", "65"), ("00004", "A7", "21")],
)
def test_optums_canned_sandbox_payers(optum: OptumClient, payer: str, category: str, code: str) -> None:
    answer = optum.status(dental(payer_id=payer, patient=MINH if payer == "000002" else None))
    (claim,) = answer.claims
    assert (claim.statuses[0].category, claim.statuses[0].code) == (category, code)
    if payer == "00003":
        assert (claim.charged, claim.paid) == (Decimal("210.00"), Decimal("168.00"))


def test_healthcheck(optum: OptumClient) -> None:
    assert optum.healthcheck() == {"status": "healthy", "version": "v2"}


# --- field errors ------------------------------------------------------------------------------


def test_field_errors_are_typed_with_each_problem_and_not_retried(optum: OptumClient, fetches: list[int]) -> None:
    bad = dental(provider_npi="12345", subscriber=ALICE.model_copy(update={"first_name": "Al*ice"}))
    with pytest.raises(InsurerRefused) as caught:
        optum.status(bad)
    fields = {problem.field for problem in caught.value.problems}
    assert fields == {"providers[0].npi", "subscriber.firstName"}
    assert all(p.description and p.followup_action == "Please Correct and Resubmit" for p in caught.value.problems)
    assert caught.value.status == 400 and "Al*ice" not in str(caught.value)


def test_an_unknown_payer_is_a_field_error(optum: OptumClient) -> None:
    with pytest.raises(InsurerRefused) as caught:
        optum.status(dental(payer_id="NOPAYER"))
    assert [p.field for p in caught.value.problems] == ["tradingPartnerServiceId"]


def test_a_value_a_276_cannot_carry_is_refused_before_sending(optum: OptumClient) -> None:
    with pytest.raises(InsurerRefused):
        optum.status(dental(provider_name="Bright ~ Smiles"), raw_x12=True)


# --- try again later ---------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["aaa42,times=1", "aaa42-wrapped,times=2", "down,times=1"])
def test_try_again_later_is_retried_then_answered(optum: OptumClient, fault: str) -> None:
    answer = with_fault(optum, fault, lambda: optum.status(dental()))
    assert answer.claims[0].paid == Decimal("138.00")


@pytest.mark.parametrize("fault", ["aaa42", "aaa42-wrapped", "down"])
def test_try_again_later_for_ever_is_a_clear_error(optum: OptumClient, fault: str) -> None:
    with pytest.raises(InsurerUnavailable) as caught:
        with_fault(optum, fault, lambda: optum.status(dental()))
    assert caught.value.problems and caught.value.problems[0].description


def test_do_not_resubmit_is_not_retried(optum: OptumClient) -> None:
    calls: list[int] = []
    original = optum.transport.request

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    optum.token()
    optum.transport.request = counting  # type: ignore[method-assign]
    with pytest.raises(InsurerUnavailable) as caught:
        with_fault(optum, "aaa42-final", lambda: optum.status(dental()))
    assert len(calls) == 1 and "Do Not Resubmit" in caught.value.problems[0].followup_action


# --- transport faults ------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["503,times=2", "500,times=1", "drop,times=1", "502,times=3"])
@pytest.mark.parametrize("raw_x12", [False, True])
def test_5xx_and_dropped_connections_are_retried(optum: OptumClient, fault: str, raw_x12: bool) -> None:
    answer = with_fault(optum, fault, lambda: optum.status(dental(), raw_x12=raw_x12))
    assert answer.claims[0].paid == Decimal("138.00")


def test_a_lasting_outage_is_a_service_error(optum: OptumClient) -> None:
    with pytest.raises(ServiceError):
        with_fault(optum, "503", lambda: optum.status(dental()))
    with pytest.raises(TransportError):
        with_fault(optum, "drop", lambda: optum.status(dental()))


# --- the token -----------------------------------------------------------------------------------


def test_one_token_for_many_calls_clients_and_threads(server_url: str, fetches: list[int]) -> None:
    first = client()
    first.status(dental())
    first.status(dental(), raw_x12=True)
    client().healthcheck()  # another "process": the token is in the shared cache
    errors: list[BaseException] = []

    def call() -> None:
        try:
            client().status(dental(25, "95.00"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(fetches) == 1


def test_concurrent_first_calls_fetch_one_token(server_url: str, fetches: list[int]) -> None:
    barrier = threading.Barrier(6)
    tokens: list[str] = []

    def call() -> None:
        barrier.wait()
        tokens.append(client().token())

    threads = [threading.Thread(target=call) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fetches) == 1 and len(set(tokens)) == 1


def test_an_expired_token_is_fetched_again(
    server_url: str, fetches: list[int], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SANDBOX_OPTUM_TOKEN_SECONDS = 2
    optum = client()
    optum.status(dental())
    assert len(fetches) == 1
    import time

    time.sleep(2.2)  # kept for expires_in less a margin: gone from the cache, expired at Optum
    optum.status(dental())
    assert len(fetches) == 2


def test_a_401_mid_session_fetches_one_new_token_then_succeeds(optum: OptumClient, fetches: list[int]) -> None:
    from django.core.cache import cache

    from portal import crypto
    from sandbox.optum.tokens import mint

    optum.status(dental())
    # Optum ends the token early (expired by its clock, or revoked): the cached one is refused.
    cache.set(optum.shared_token.key, crypto.encrypt(mint(settings.OPTUM_CLIENT_ID, -5)), 600)
    answer = optum.status(dental())
    assert answer.claims[0].paid == Decimal("138.00") and len(fetches) == 2
    optum.status(dental(), raw_x12=True)
    assert len(fetches) == 2  # the new token is the shared one


def test_a_401_that_persists_is_refetched_once_then_raised(optum: OptumClient, fetches: list[int]) -> None:
    with pytest.raises(UnauthorizedError) as caught:
        with_fault(optum, "401", lambda: optum.status(dental()))
    assert caught.value.detail == "The access token is invalid or has expired."  # the gateway's {"error": ...}
    assert len(fetches) == 2  # the first token, and exactly one more


def test_wrong_credentials_are_unauthorized(server_url: str) -> None:
    wrong = OptumClient(base_url=settings.OPTUM_BASE_URL, client_id=settings.OPTUM_CLIENT_ID, client_secret="nope")
    with pytest.raises(UnauthorizedError) as caught:
        wrong.status(dental())
    assert caught.value.status == 401 and "invalid_client" in caught.value.title
    assert caught.value.detail == "The client id or secret is not valid."


# --- logs ------------------------------------------------------------------------------------------


def test_no_secret_token_or_member_detail_reaches_the_logs(
    optum: OptumClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    optum.status(dental())
    optum.status(dental(), raw_x12=True)
    with pytest.raises(InsurerRefused):
        optum.status(dental(provider_npi="12"))
    token = optum.token()
    from portal.logging import JsonFormatter, RedactFilter

    formatter, redact = JsonFormatter(), RedactFilter()
    raw = "\n".join(formatter.format(record) for record in caplog.records)  # as logged, before masking
    for record in caplog.records:
        redact.filter(record)
    written = "\n".join(formatter.format(record) for record in caplog.records)
    assert "optum_call" in raw and "optum_token_fetched" in raw
    for secret in (settings.OPTUM_CLIENT_SECRET, token, "EDB20931877", "Nguyen", "19880412", "210.00"):
        assert secret not in raw and secret not in written


@pytest.mark.parametrize(
    "line",
    [
        '{"client_id": "benefits-portal", "client_secret": "s3cr3t-Value_123", "grant_type": "client_credentials"}',
        "client_id=benefits-portal&client_secret=s3cr3t-Value_123&grant_type=client_credentials",
        '{"access_token": "eyJjaWQiOiJiZW5lZml0cy1wb3J0YWwifQ:1tXyZ:s3cr3t-Value_123abc", "expires_in": 3600}',
    ],
)
def test_secrets_in_bodies_are_masked_should_one_be_logged(line: str) -> None:
    from portal.logging import redact

    masked = redact(line)
    assert "s3cr3t-Value_123" not in masked and "[redacted]" in masked
    assert "benefits-portal" in masked or "access_token" in masked


def test_a_fresh_nine_digit_control_number_per_request(optum: OptumClient) -> None:
    import x12

    sent: list[Any] = []
    original = optum.transport.request

    def recording(*args: Any, **kwargs: Any) -> Any:
        sent.append(kwargs.get("json"))
        return original(*args, **kwargs)

    optum.token()
    optum.transport.request = recording  # type: ignore[method-assign]
    optum.status(dental())
    optum.status(dental())
    optum.status(dental(), raw_x12=True)
    numbers = [body["controlNumber"] for body in sent[:2]]
    numbers.append(x12.parse_276(sent[2]["x12"]).control_number)
    assert len(set(numbers)) == 3 and all(len(n) == 9 and n.isdigit() for n in numbers)


def test_the_shared_token_is_kept_encrypted(optum: OptumClient) -> None:
    from django.core.cache import cache

    token = optum.token()
    kept = cache.get(optum.shared_token.key)
    assert kept and token not in kept and settings.OPTUM_CLIENT_ID not in optum.shared_token.key


def test_a_received_claim_says_when(optum: OptumClient) -> None:
    (claim,) = optum.status(medical("Providence Urgent Care", 2, "75.00")).claims
    assert claim.received_date is not None and claim.paid is None and claim.adjudicated_date is None


def test_a_body_that_is_not_json_is_a_malformed_response(optum: OptumClient) -> None:
    from portal.gateway.errors import MalformedResponseError

    with pytest.raises(MalformedResponseError):
        with_fault(optum, "malformed", lambda: optum.status(dental()))


@pytest.mark.parametrize(
    ("name", "sent"),
    [
        ("Optum sandbox: accepted and paid", "Optum sandbox - accepted and paid"),
        ("Summit Health Plan", "Summit Health Plan"),
        ("A*B~C^D|E", "A - B - C - D - E"),
        (":: ^", None),
        ("", None),
        ("X" * 70, "X" * 60),
    ],
)
def test_the_payers_name_is_sent_without_x12_delimiters(name: str, sent: str | None) -> None:
    assert partner_name(name) == sent
