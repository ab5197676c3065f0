"""The sandbox's Optum Claim Status v2 over real HTTP (issue 18): exactly the configured client
credentials, signed bearer tokens, Optum's error shapes, its canned payers, the demo insurers'
store made from alice's seeded claims, the X-Sandbox-Fault header, and a raw-x12 answer that is
a real 277 saying what the JSON endpoint says."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import requests
from django.conf import settings
from django.utils import timezone

import x12
from sandbox import insurers
from sandbox.optum import tokens

pytestmark = pytest.mark.django_db(transaction=True)


def url(path: str) -> str:
    return f"{settings.OPTUM_BASE_URL}{path}"


@pytest.fixture
def bearer(server_url: str) -> dict[str, str]:
    response = requests.post(
        url("/apip/auth/v2/token"),
        json={
            "client_id": settings.OPTUM_CLIENT_ID,
            "client_secret": settings.OPTUM_CLIENT_SECRET,
            "grant_type": "client_credentials",
        },
        timeout=10,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    return {"Authorization": f"Bearer {body['access_token']}"}


def request_body(**changes: Any) -> dict[str, Any]:
    day = timezone.localdate() - timedelta(days=21)
    body: dict[str, Any] = {
        "controlNumber": "123456789",
        "tradingPartnerServiceId": "EVGDN",
        "providers": [
            {"providerType": "BillingProvider", "organizationName": "Bright Smiles Dental", "npi": "1234567893"}
        ],
        "subscriber": {"memberId": "EDB20931877", "firstName": "Alice", "lastName": "Nguyen", "gender": "F",
                       "dateOfBirth": "19880412"},
        "encounter": {"beginningDateOfService": f"{day:%Y%m%d}", "submittedAmount": "210.00", "trackingNumber": "T1"},
    }  # fmt: skip
    body.update(changes)
    return body


def post(path: str, body: Any, headers: dict[str, str]) -> requests.Response:
    return requests.post(url(path), json=body, headers=headers, timeout=10)


@pytest.mark.parametrize(
    "body",
    [
        {"client_id": "benefits-portal", "client_secret": "wrong", "grant_type": "client_credentials"},
        {"client_id": "someone-else", "client_secret": "", "grant_type": "client_credentials"},
        {},
    ],
)
def test_only_the_configured_client_gets_a_token(server_url: str, body: dict[str, str]) -> None:
    if body:
        body = {**body, "client_secret": body["client_secret"] or settings.OPTUM_CLIENT_SECRET}
        response = requests.post(url("/apip/auth/v2/token"), json=body, timeout=10)
        assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    else:
        response = requests.post(url("/apip/auth/v2/token"), json={"grant_type": "password"}, timeout=10)
        assert response.status_code == 400 and response.json()["error"] == "unsupported_grant_type"


def test_the_api_wants_a_valid_bearer_token(server_url: str, bearer: dict[str, str]) -> None:
    assert post("/medicalnetwork/claimstatus/v2/", request_body(), {}).status_code == 401
    expired = {"Authorization": f"Bearer {tokens.mint(settings.OPTUM_CLIENT_ID, -1)}"}
    refused = post("/medicalnetwork/claimstatus/v2/", request_body(), expired)
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_token"
    forged = {"Authorization": bearer["Authorization"][:-3] + "abc"}
    assert post("/medicalnetwork/claimstatus/v2/", request_body(), forged).status_code == 401
    assert post("/medicalnetwork/claimstatus/v2/", request_body(), bearer).status_code == 200


def test_tokens_are_signed_not_remembered(server_url: str, bearer: dict[str, str]) -> None:
    from django.core.cache import cache

    cache.clear()  # nothing of the token lives in this process: another process accepts it too
    token = bearer["Authorization"].removeprefix("Bearer ")
    assert tokens.valid(token, settings.OPTUM_CLIENT_ID) and not tokens.valid(token, "another-client")
    assert requests.get(url("/medicalnetwork/claimstatus/v2/healthcheck"), headers=bearer, timeout=10).json() == {
        "status": "healthy",
        "version": "v2",
    }


def test_field_errors_in_optums_shape(server_url: str, bearer: dict[str, str]) -> None:
    body = request_body(controlNumber="12345")
    body["subscriber"] = {"firstName": "Al^ice", "lastName": "Nguyen"}
    body["encounter"]["beginningDateOfService"] = "2026-03-10"
    response = post("/medicalnetwork/claimstatus/v2/", body, bearer)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {e["field"] for e in errors} == {
        "controlNumber", "subscriber.memberId", "subscriber.firstName", "encounter.beginningDateOfService",
    }  # fmt: skip
    for error in errors:
        assert set(error) == {"field", "description", "code", "followupAction", "location"}
        assert error["location"] == f"$.{error['field']}" and error["followupAction"] == "Please Correct and Resubmit"
    missing = next(e for e in errors if e["field"] == "subscriber.memberId")
    assert missing["code"] == "MISSING"
    assert "Al^ice" not in response.text and "2026-03-10" not in response.text  # no value is echoed


@pytest.mark.parametrize(
    ("fault", "shape"),
    [("aaa42", "errors"), ("aaa42-wrapped", "errorResponse"), ("aaa42-final", "errors"), ("down", "errors")],
)
def test_try_again_later_faults(server_url: str, bearer: dict[str, str], fault: str, shape: str) -> None:
    response = post("/medicalnetwork/claimstatus/v2/", request_body(), {**bearer, "X-Sandbox-Fault": fault})
    body = response.json()
    errors = body["errors"] if shape == "errors" else body["errorResponse"]["errors"]
    assert errors[0]["code"] == "42" or errors[0]["field"] == "Http Header"


def test_the_generic_faults_and_an_unknown_one(server_url: str, bearer: dict[str, str]) -> None:
    assert (
        post("/medicalnetwork/claimstatus/v2/", request_body(), {**bearer, "X-Sandbox-Fault": "503"}).status_code == 503
    )
    unknown = post("/medicalnetwork/claimstatus/v2/", request_body(), {**bearer, "X-Sandbox-Fault": "explode"})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "X-Sandbox-Fault"
    token_with_fault = requests.post(
        url("/apip/auth/v2/token"),
        json={"client_id": settings.OPTUM_CLIENT_ID, "client_secret": settings.OPTUM_CLIENT_SECRET,
              "grant_type": "client_credentials"},
        headers={"X-Sandbox-Fault": "aaa42"}, timeout=10,
    )  # fmt: skip
    assert token_with_fault.status_code == 200  # Optum's own faults are for the API, not the token


def test_raw_x12_answers_a_real_277_saying_what_the_json_says(server_url: str, bearer: dict[str, str]) -> None:
    body = request_body()
    body["encounter"].pop("submittedAmount")  # both claims of that week
    body["encounter"]["beginningDateOfService"] = f"{timezone.localdate() - timedelta(days=23):%Y%m%d}"
    by_json = post("/medicalnetwork/claimstatus/v2/", body, bearer).json()
    question = x12.StatusRequest.from_optum(body)
    raw = post("/medicalnetwork/claimstatus/v2/raw-x12", {"x12": x12.build_276(question)}, bearer)
    assert raw.status_code == 200, raw.text
    parsed = x12.parse_277(raw.json()["x12"])
    assert not parsed.warnings and len(parsed.reports) == 1
    again = x12.report_to_optum(parsed.reports[0], control_number=body["controlNumber"])
    assert again["claims"] == by_json["claims"] and len(again["claims"]) == 2
    assert again["payer"] == by_json["payer"]


def test_raw_x12_refuses_garbage_in_words(server_url: str, bearer: dict[str, str]) -> None:
    response = post("/medicalnetwork/claimstatus/v2/raw-x12", {"x12": "hello"}, bearer)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "x12"
    assert post("/medicalnetwork/claimstatus/v2/raw-x12", {}, bearer).json()["errors"][0]["code"] == "MISSING"


# --- the demo insurers' store ---------------------------------------------------------------------


def test_the_store_is_made_of_alices_seeded_claims(demo: Any) -> None:
    from sandbox.models import Claim

    seeded = {
        (claim.provider_name, claim.start_date_of_service.date(), claim.claim_amount)
        for claim in Claim.objects.filter(person__first_name="Alice", category__in=["Medical", "Dental", "Vision"])
        if claim.start_date_of_service is not None
    }
    held = insurers.store()
    assert held and {(c.provider, c.service_day, c.billed) for c in held} <= seeded
    assert {c.payer_id for c in held} == {"SUMMT", "EVGDN", "LKVSN"}
    assert any(c.dependent and c.patient[0] == "Minh" for c in held)
    assert ("Lakeshore Family Medicine", date.min) not in {(c.provider, c.service_day) for c in held}
    assert not [c for c in held if c.provider == "Lakeshore Family Medicine"]  # the one the insurer never got


@pytest.mark.parametrize(("shift", "found"), [(0, True), (7, True), (-7, True), (8, False)])
def test_a_date_of_service_matches_within_seven_days(shift: int, found: bool) -> None:
    today = date(2026, 11, 30)
    (claim,) = [c for c in insurers.store(today) if c.billed == Decimal("210.00")]
    got = insurers.find("EVGDN", "EDB20931877", "alice", "NGUYEN", claim.service_day + timedelta(days=shift),
                        Decimal("210.00"), today=today)  # fmt: skip
    assert bool(got) is found
    assert not insurers.find("EVGDN", "EDB20931877", "Alice", "Nguyen", claim.service_day, Decimal("1.00"), today=today)


def test_another_process_accepts_the_token(server_url: str, bearer: dict[str, str]) -> None:
    import os
    import subprocess
    import sys

    token = bearer["Authorization"].removeprefix("Bearer ")
    script = (
        "import django, sys; django.setup(); from django.conf import settings; "
        "from sandbox.optum.tokens import valid; "
        "sys.exit(0 if valid(sys.argv[1], settings.OPTUM_CLIENT_ID) else 3)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    done = subprocess.run([sys.executable, "-c", script, token], env=env, timeout=60, check=False)
    assert done.returncode == 0
