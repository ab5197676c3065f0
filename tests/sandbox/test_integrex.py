"""The sandbox's Integrex over real HTTP, through the portal's Integrex client (issue 18): the token
(shared through the cache, fetched again once on a 401/402), submit then 202s then the claim as the
common Answer, check() bounded when Integrex answers 202 forever, retried faults, 400 in words,
and nothing secret or personal in the logs."""

from __future__ import annotations

import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
import requests
from django.conf import settings
from django.utils import timezone

from portal.gateway.errors import DeadlineExceededError, ServiceError
from portal.gateway.insurer import Person, Query
from portal.gateway.integrex import (
    IntegrexAuthError,
    IntegrexClient,
    IntegrexRefused,
    IntegrexStillWorking,
    PollPolicy,
)
from portal.gateway.transport import RetryPolicy
from portal.request_context import reset_request_id, set_request_id
from sandbox.integrex.store import OUTCOMES, insurer_claims
from sandbox.models import IntegrexTicket
from tests.helpers import logged_text

pytestmark = pytest.mark.django_db(transaction=True)

FAST = RetryPolicy(retries=3, backoff_initial=0.02, backoff_max=0.05, overall_timeout=10.0, read_timeout=5.0)
QUICK_POLL = PollPolicy(initial=0.05, cap=0.2)
ALICE = Person(first_name="Alice", last_name="Nguyen", date_of_birth=date(1988, 4, 12), gender="F")


@pytest.fixture(autouse=True)
def _quick(settings, server_url: str):  # type: ignore[no-untyped-def]
    assert settings.INTEGREX_BASE_URL == f"{server_url}/sandbox/integrex"
    settings.SANDBOX_INTEGREX_DELAY_SECONDS = 0.3


@pytest.fixture
def request_id():  # type: ignore[no-untyped-def]
    token = set_request_id(f"test-{uuid.uuid4().hex}")
    yield
    reset_request_id(token)


def client(fault: str | None = None, **kwargs: object) -> IntegrexClient:
    headers = {"X-Sandbox-Fault": fault} if fault else None
    return IntegrexClient.from_settings(policy=FAST, poll=QUICK_POLL, extra_headers=headers, **kwargs)


def vision(provider: str, expense_type: str):  # type: ignore[no-untyped-def]
    outcome = OUTCOMES[(provider, expense_type)]
    return next(c for c in insurer_claims(timezone.localdate()) if c.outcome is outcome)


def query(provider: str = "ClearView Eye Care", expense_type: str = "Eye Exam", **changes: object) -> Query:
    claim = vision(provider, expense_type)
    fields: dict[str, object] = {
        "payer_id": "LKVSN",
        "payer_name": "Lakeside Vision Plan",
        "member_id": "LVP7730192",
        "group_number": "ACME-V1",
        "subscriber": ALICE,
        "provider_name": provider,
        "provider_npi": "1234567893",
        "provider_tax_id": "93-0812345",
        "service_date_from": claim.service_day,
        "billed_amount": claim.amount,
        "tracking_number": "CHK-1",
    }
    fields.update(changes)
    return Query(**fields)  # type: ignore[arg-type]


# --- the demo store -------------------------------------------------------------------------------


def test_the_store_is_alices_vision_claims_and_adds_up() -> None:
    claims = insurer_claims(timezone.localdate())
    assert sorted((c.provider, c.amount, c.outcome.category) for c in claims) == [
        ("1-800 Contacts", Decimal("320.00"), "F2"),
        ("ClearView Eye Care", Decimal("180.00"), "F1"),
        ("ClearView Eye Care", Decimal("289.00"), "A4"),
    ]
    for claim in claims:
        lines = claim.outcome.lines
        if not lines:
            continue
        assert sum(Decimal(line.charge) for line in lines) == claim.amount
        share = sum(Decimal(x or 0) for line in lines for x in (line.copay, line.coinsurance, line.non_covered))
        assert share == claim.amount - Decimal(claim.outcome.paid or 0)


# --- the flow -------------------------------------------------------------------------------------


def test_submit_then_202_then_the_paid_claim_with_lines_reasons_and_amounts() -> None:
    integrex = client()
    ticket = integrex.submit(query())
    assert ticket.isdigit() and IntegrexTicket.objects.filter(id=ticket).exists()
    assert integrex.fetch(ticket) is None  # still working
    time.sleep(0.35)
    answer = integrex.fetch(ticket)
    assert answer is not None and answer.channel.value == "integrex"
    assert answer.payer_name == "LAKESIDE VISION PLAN" and answer.response_date == timezone.localdate()
    (claim,) = answer.claims
    assert (claim.statuses[0].category, claim.statuses[0].code) == ("F1", "65")
    assert claim.charged == Decimal("180.00") and claim.paid == Decimal("120.00")
    assert claim.service_date_from == vision("ClearView Eye Care", "Eye Exam").service_day
    assert claim.received_date and claim.adjudicated_date and claim.check_number == "004417" and claim.check_date
    assert claim.tracking_number == "CHK-1" and claim.message.startswith("Check cashed")
    assert [line.procedure_code for line in claim.lines] == ["92014", "92015", "92250"]
    exam, refraction, photos = claim.lines
    assert exam.copay == Decimal("20.00") and photos.coinsurance == Decimal("5.00")
    assert refraction.not_covered == Decimal("35.00")
    assert [(r.source, r.code) for r in refraction.reasons] == [("PAYER", "LV-RFR"), ("RARC", "N130"), ("CARC", "96")]
    assert all(r.text for r in refraction.reasons)
    share = sum((x.copay or 0) + (x.coinsurance or 0) + (x.not_covered or 0) for x in claim.lines)
    assert share == claim.charged - claim.paid == Decimal("60.00")
    assert isinstance(exam.allowed, Decimal) and exam.allowed == Decimal("120.00")


def test_check_polls_until_the_answer() -> None:
    answer = client().check(query("1-800 Contacts", "Contact Lenses"), within=10)
    (claim,) = answer.claims
    assert claim.statuses[0].category == "F2" and claim.paid == Decimal("0.00")
    assert sum(line.not_covered or 0 for line in claim.lines) == Decimal("320.00")
    assert {r.code for line in claim.lines for r in line.reasons} >= {"119", "LV-FREQ"}


@pytest.mark.parametrize(
    ("changes", "category", "code"),
    [
        ({"provider": "ClearView Eye Care", "expense_type": "Glasses"}, "A4", "35"),  # not billed yet
        ({"billed_amount": Decimal("181.00")}, "A4", "35"),  # another amount: another claim
        ({"member_id": "LVP0000000"}, "A7", "29"),
        ({"payer_id": "SUMMT"}, "D0", "35"),
    ],
)
def test_claims_the_insurer_does_not_have(changes: dict[str, object], category: str, code: str) -> None:
    provider = str(changes.pop("provider", "ClearView Eye Care"))
    expense_type = str(changes.pop("expense_type", "Eye Exam"))
    answer = client().check(query(provider, expense_type, **changes), within=10)
    (claim,) = answer.claims
    assert (claim.statuses[0].category, claim.statuses[0].code) == (category, code)
    assert claim.lines == () and claim.paid is None


def test_the_patient_may_be_a_dependent_within_seven_days() -> None:
    day = vision("ClearView Eye Care", "Eye Exam").service_day
    moved = query(service_date_from=date.fromordinal(day.toordinal() + 7), billed_amount=None)
    assert client().check(moved, within=10).claims[0].statuses[0].category == "F1"
    son = Person(first_name="Minh", last_name="Nguyen", date_of_birth=date(2019, 6, 3))
    assert client().check(query(patient=son), within=10).claims[0].statuses[0].category == "A4"


def test_the_other_shape_and_us_dates_read_the_same(settings) -> None:  # type: ignore[no-untyped-def]
    first = client().check(query(), within=10)
    settings.SANDBOX_INTEGREX_SHAPE, settings.SANDBOX_INTEGREX_DATES = "object", "us"
    raw = requests.get  # the answer really is an object with MM/DD/YYYY dates
    integrex = client()
    ticket = integrex.submit(query())
    IntegrexTicket.objects.filter(id=ticket).update(ready_at=timezone.now())
    body = raw(
        f"{settings.INTEGREX_BASE_URL}/api/v2/claim-info",
        params={"id": ticket},
        headers={"Authorization": f"Bearer {integrex.tokens.get()}"},
        timeout=5,
    ).json()
    assert isinstance(body, dict) and len(body["lines"]) == 3 and "/" in body["dateOfService"]
    assert integrex.fetch(ticket) == first


# --- bounded polling --------------------------------------------------------------------------------


def test_check_is_bounded_when_integrex_answers_202_forever() -> None:
    integrex = client("processing")
    started = time.monotonic()
    with pytest.raises(IntegrexStillWorking) as caught:
        integrex.check(query(), within=1.5)
    elapsed = time.monotonic() - started
    assert 1.3 <= elapsed <= 2.5
    error = caught.value
    assert error.ticket and IntegrexTicket.objects.filter(id=error.ticket).exists()
    assert 1.3 <= error.elapsed <= 2.5 and error.within == 1.5
    assert "No answer yet after" in str(error) and error.ticket in str(error)
    # The caller resumes with the ticket once Integrex is done.
    answer = client().check(query(), within=5, ticket=error.ticket)
    assert answer.claims[0].statuses[0].category == "F1"


def test_a_forever_delay_setting_also_stays_202(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SANDBOX_INTEGREX_DELAY_SECONDS = float("inf")
    integrex = client()
    ticket = integrex.submit(query())
    assert IntegrexTicket.objects.get(id=ticket).ready_at is None
    with pytest.raises(IntegrexStillWorking):
        integrex.check(query(), within=0.5, ticket=ticket)


def test_a_slow_integrex_is_bounded_too() -> None:
    ticket = client().submit(query())
    slow = client("latency=3000")  # its token is the one the first client put in the cache
    started = time.monotonic()
    with pytest.raises(IntegrexStillWorking) as caught:
        slow.check(query(), within=1.0, ticket=ticket)  # the poll's own deadline is what is left
    assert time.monotonic() - started < 2.0 and caught.value.ticket == ticket
    started = time.monotonic()
    with pytest.raises(DeadlineExceededError):  # no ticket yet: nothing to resume
        slow.check(query(), within=1.0)
    assert time.monotonic() - started < 2.0


# --- the token ------------------------------------------------------------------------------------


def test_the_token_is_shared_through_the_cache() -> None:
    first, second = client(), client()
    first.submit(query())
    second.submit(query())
    assert first.tokens.fetches == 1 and second.tokens.fetches == 0
    assert first.tokens.get() == second.tokens.get()


def test_one_fetch_at_a_time_however_many_callers() -> None:
    clients = [client() for _ in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        tokens = list(pool.map(lambda c: c.tokens.get(), clients))
    assert len(set(tokens)) == 1 and sum(c.tokens.fetches for c in clients) == 1


def test_the_token_is_kept_for_its_lifetime_less_a_margin(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SANDBOX_INTEGREX_TOKEN_SECONDS = 3
    integrex = client()
    first = integrex.tokens.get()
    assert integrex.tokens.get() == first and integrex.tokens.fetches == 1
    time.sleep(2.8)  # kept int(3 - 0.3) = 2 s: a new one before Integrex would refuse the old
    integrex.submit(query())
    assert integrex.tokens.fetches == 2 and integrex.tokens.get() != first


def test_a_401_fetches_a_new_token_once(request_id: None) -> None:
    integrex = client("expired,times=1")
    stale = client().tokens.get()  # a token already in the cache, which Integrex now refuses
    ticket = integrex.submit(query())
    assert ticket and integrex.tokens.fetches == 1 and integrex.tokens.get() != stale


def test_401_again_after_the_new_token_is_an_auth_error() -> None:
    integrex = client("expired")
    with pytest.raises(IntegrexAuthError) as caught:
        integrex.submit(query())
    assert caught.value.status == 401 and integrex.tokens.fetches == 2
    assert "expired" in str(caught.value)


def test_402_for_a_disabled_client() -> None:
    with pytest.raises(IntegrexAuthError) as caught:
        client("disabled").fetch("123")
    assert caught.value.status == 402 and "disabled" in str(caught.value)


def test_wrong_credentials_are_an_auth_error() -> None:
    integrex = IntegrexClient(
        base_url=settings.INTEGREX_BASE_URL, client_id=settings.INTEGREX_CLIENT_ID, client_secret="wrong", policy=FAST
    )
    with pytest.raises(IntegrexAuthError) as caught:
        integrex.submit(query())
    assert caught.value.status == 401 and "invalid_client" in str(caught.value)


def test_credentials_in_the_form_body_work_too() -> None:
    integrex = client(client_auth="body")
    assert integrex.submit(query()) and integrex.tokens.fetches == 1


def test_the_token_endpoint_answers_the_standard_response() -> None:
    response = requests.post(
        f"{settings.INTEGREX_BASE_URL}/api/v2/auth",
        data={"grant_type": "client_credentials"},
        auth=(settings.INTEGREX_CLIENT_ID, settings.INTEGREX_CLIENT_SECRET),
        timeout=5,
    )
    body = response.json()
    assert response.status_code == 200 and body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert "no-store" in response.headers["Cache-Control"]
    unsupported = requests.post(
        f"{settings.INTEGREX_BASE_URL}/api/v2/auth", data={"grant_type": "password"}, timeout=5,
        auth=(settings.INTEGREX_CLIENT_ID, settings.INTEGREX_CLIENT_SECRET),
    )  # fmt: skip
    assert unsupported.status_code == 400 and unsupported.json()["error"] == "unsupported_grant_type"


def test_an_expired_token_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SANDBOX_INTEGREX_TOKEN_SECONDS = 1
    token = client().tokens.get()
    time.sleep(2.1)
    response = requests.get(
        f"{settings.INTEGREX_BASE_URL}/api/v2/claim-info",
        params={"id": "1"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert response.status_code == 401


# --- faults ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["503,times=2", "500,times=1", "drop,times=1"])
@pytest.mark.parametrize("where", ["token", "claim-info"])
def test_5xx_and_dropped_connections_are_retried(request_id: None, fault: str, where: str, caplog) -> None:  # type: ignore[no-untyped-def]
    if where == "claim-info":
        client().tokens.get()  # the token is in the cache: the faults meet the claim-info calls
    caplog.set_level(logging.INFO, logger="portal.gateway")
    answer = client(fault).check(query(), within=10)
    assert answer.claims[0].statuses[0].category == "F1"
    calls = [r for r in caplog.records if r.getMessage() == "integrex_api_call"]
    failed = [r for r in calls if r.status in (500, 503) or r.error]
    assert failed and {r.route for r in failed} == {"/api/v2/auth" if where == "token" else "/api/v2/claim-info"}


def test_5xx_beyond_the_retries_is_a_service_error() -> None:
    with pytest.raises(ServiceError):
        client("503").submit(query())


# --- 400 ------------------------------------------------------------------------------------------


def test_400_is_typed_with_integrex_words() -> None:
    with pytest.raises(IntegrexRefused) as caught:
        client().submit(query(member_id=""))
    error = caught.value
    assert error.status == 400 and "Some error with the data submitted." in error.messages
    assert [(p.field, p.description) for p in error.problems] == [("subscriberId", "is missing")]
    assert "subscriberId is missing" in str(error)


def test_an_unknown_ticket_is_a_400() -> None:
    with pytest.raises(IntegrexRefused) as caught:
        client().fetch("999")
    assert "no claim-info request has this id" in str(caught.value)


# --- logs -----------------------------------------------------------------------------------------


def test_no_secret_or_member_data_in_the_logs(caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    integrex = client("503,times=1")
    answer = integrex.check(query(tracking_number="CHK-SECRET-77"), within=10)
    with pytest.raises(IntegrexRefused):
        integrex.submit(query(member_id=""))
    ticket = integrex.submit(query())
    logged = "\n".join(logged_text(record) for record in caplog.records if record.name != "django.db.backends")
    assert "integrex_api_call" in logged and answer.claims
    for secret in (
        settings.INTEGREX_CLIENT_SECRET, integrex.tokens.get(), "LVP7730192", "Alice", "Nguyen", "1988-04-12",
        "1234567893", "930812345", "CHK-SECRET-77", ticket, "LV25C0091442", "92015",
    ):  # fmt: skip
        assert secret not in logged, secret
