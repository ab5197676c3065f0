"""Sandbox Claims API over real HTTP: claims, denial history, payees, expense categories, errors."""

from __future__ import annotations

from decimal import Decimal
from http import HTTPStatus

import pytest

from tests.conftest import claims_where

PROBLEM = "application/problem+json"


def assert_problem(response, status: int, *, detail_contains: str = "") -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "instance"}
    assert body["status"] == status
    assert detail_contains in body["detail"]
    return body


# --- endpoint 1: list ---------------------------------------------------------------------------


def test_member_lists_own_claims_page_by_page(demo):
    seen: list[str] = []
    index = 0
    while True:
        response = demo.get(f"/v1/claims?person_id={demo.alice}&page_size=7&index={index}", as_user="alice")
        assert response.status_code == HTTPStatus.OK
        page = response.json()
        assert page["index"] == index and page["page_size"] == 7
        seen += [c["claim_number"] for c in page["items"]]
        if not page["has_next"]:
            break
        assert len(page["items"]) == 7
        index += 1
    expected = claims_where(person__id=demo.alice).count()
    assert len(seen) == len(set(seen)) == expected >= 30


def test_claims_are_newest_first_and_money_has_two_decimals(demo):
    response = demo.get(f"/v1/claims?person_id={demo.alice}&page_size=50", as_user="alice")
    items = response.json()["items"]
    dates = [c["submission_date"] for c in items]
    assert dates == sorted(dates, reverse=True)
    assert '"paid_amount": 0.00' in response.text or '"denied_amount": 0.00' in response.text
    parsed = response.json(parse_float=Decimal)["items"][0]
    assert parsed["claim_amount"].as_tuple().exponent == -2


def test_default_page_is_ten(demo):
    page = demo.get(f"/v1/claims?person_id={demo.alice}", as_user="alice").json()
    assert page["index"] == 0 and page["page_size"] == 10 and len(page["items"]) == 10 and page["has_next"]


def test_hr_admin_lists_business_claims(demo):
    page = demo.get(f"/v1/claims?business_entity_id={demo.acme}&page_size=100", as_user="hana").json()
    people = {c["payee"] for c in page["items"]}
    assert len(page["items"]) == claims_where(person__employer__name="Acme Corp").count() > 50
    assert page["has_next"] is False
    numbers = {c["claim_number"] for c in page["items"]}
    assert all(n.startswith("11ACME") for n in numbers)
    assert "Dave Okafor" not in people


def test_hr_admin_may_list_an_employees_claims_by_person(demo):
    response = demo.get(f"/v1/claims?person_id={demo.bob}", as_user="hana")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["items"]


@pytest.mark.parametrize("query", ["", "person_id={alice}&business_entity_id={acme}"])
def test_both_or_neither_selector_is_400(demo, query):
    response = demo.get("/v1/claims?" + query.format(alice=demo.alice, acme=demo.acme), as_user="hana")
    assert_problem(response, 400, detail_contains="Exactly one of 'person_id' or 'business_entity_id'")


@pytest.mark.parametrize("param", ["person_id", "business_entity_id"])
def test_bad_uuid_is_400_naming_the_parameter(demo, param):
    response = demo.get(f"/v1/claims?{param}=not-a-uuid", as_user="alice")
    assert_problem(response, 400, detail_contains=f"'{param}'")


@pytest.mark.parametrize("value", ["0", "101", "-1", "ten"])
def test_page_size_out_of_range_is_400(demo, value):
    response = demo.get(f"/v1/claims?person_id={demo.alice}&page_size={value}", as_user="alice")
    assert_problem(response, 400, detail_contains="page_size")


def test_negative_index_is_400(demo):
    response = demo.get(f"/v1/claims?person_id={demo.alice}&index=-1", as_user="alice")
    assert_problem(response, 400, detail_contains="index")


def test_member_cannot_list_another_members_claims(demo):
    assert_problem(demo.get(f"/v1/claims?person_id={demo.bob}", as_user="alice"), 403)


def test_member_cannot_list_a_business(demo):
    assert_problem(demo.get(f"/v1/claims?business_entity_id={demo.acme}", as_user="alice"), 403)


def test_hr_admin_cannot_read_another_employer(demo):
    assert_problem(demo.get(f"/v1/claims?business_entity_id={demo.northwind}", as_user="hana"), 403)
    assert_problem(demo.get(f"/v1/claims?person_id={demo.dave}", as_user="hana"), 403)
    daves = claims_where(person__id=demo.dave).first()
    assert_problem(demo.get(f"/v1/claims/{daves.claim_number}", as_user="hana"), 404)
    assert_problem(demo.get(f"/v1/claims/{daves.claim_number}/denials", as_user="hana"), 404)


# --- auth ---------------------------------------------------------------------------------------


def test_no_token_is_401_with_www_authenticate(demo):
    response = demo.get(f"/v1/claims?person_id={demo.alice}")
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_expired_token_is_401(demo):
    token = demo.token("alice", lifetime=-120)
    response = demo.get(f"/v1/claims?person_id={demo.alice}", token=token)
    assert_problem(response, 401, detail_contains="expired")
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")


def test_token_signature_verified_once_and_expiry_checked_on_every_call(demo, monkeypatch):
    import time
    import types

    import jwt

    from sandbox.api import auth

    decodes = []
    real_decode = jwt.decode
    monkeypatch.setattr(auth.jwt, "decode", lambda *a, **k: decodes.append(1) or real_decode(*a, **k))
    token = demo.token("alice", lifetime=60)
    for _ in range(3):
        assert demo.get(f"/v1/claims?person_id={demo.alice}", token=token).status_code == 200
    assert len(decodes) == 1  # the signature is checked once per token, not per call

    # The same token after its expiry (plus the 5 s leeway): refused although it was verified before.
    later = time.time() + 66
    monkeypatch.setattr(auth, "time", types.SimpleNamespace(time=lambda: later))
    response = demo.get(f"/v1/claims?person_id={demo.alice}", token=token)
    assert_problem(response, 401, detail_contains="expired")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_tampered_or_foreign_token_is_401(demo):
    token = demo.token("alice")
    head, payload, signature = token.split(".")
    forged = f"{head}.{payload}.{signature[::-1]}"
    assert_problem(demo.get(f"/v1/claims?person_id={demo.alice}", token=forged), 401)
    assert_problem(demo.get(f"/v1/claims?person_id={demo.alice}", token="garbage"), 401)


def test_token_for_another_audience_is_401(demo, settings):
    import jwt

    from sandbox.idp.tokens import signing_key

    pem, kid = signing_key()
    token = jwt.encode(
        {
            "iss": settings.OIDC_ISSUER_URL,
            "aud": "someone-else",
            "sub": "1",
            "exp": 9999999999,
            "scope": "claims:read",
            "person_id": demo.alice,
        },
        pem,
        algorithm="RS256",
        headers={"kid": kid},
    )
    assert_problem(demo.get(f"/v1/claims?person_id={demo.alice}", token=token), 401)


def test_missing_scope_is_403(demo):
    token = demo.token("alice", scopes=["receipts:read"])
    response = demo.get(f"/v1/claims?person_id={demo.alice}", token=token)
    assert_problem(response, 403, detail_contains="claims:read")
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


# --- endpoint 2 and 3: one claim, denial history --------------------------------------------------


def test_member_reads_own_claim_with_reasons_and_rmis(demo):
    claim = claims_where(person__id=demo.alice, denial_reasons__isnull=False, rmis__isnull=False).first()
    body = demo.get(f"/v1/claims/{claim.claim_number}", as_user="alice").json()
    assert body["claim_number"] == claim.claim_number
    reason = body["denial_reasons"][0]
    assert set(reason) == {
        "denial_code",
        "reason",
        "denial_date_time",
        "is_upload_receipt_allowed",
        "explanation",
        "action_required",
    }
    rmi = body["requests_for_more_information"][0]
    assert set(rmi) == {"action_date", "reason", "code", "description", "status", "note"}


def test_claim_lookup_scoped_by_person(demo):
    claim = claims_where(person__id=demo.alice).first()
    ok = demo.get(f"/v1/claims/{claim.claim_number}?person_id={demo.alice}", as_user="hana")
    assert ok.status_code == HTTPStatus.OK
    assert_problem(demo.get(f"/v1/claims/{claim.claim_number}?person_id={demo.bob}", as_user="hana"), 404)
    assert_problem(demo.get(f"/v1/claims/{claim.claim_number}?person_id=nope", as_user="hana"), 400)


def test_member_reading_another_members_claim_gets_404(demo):
    bobs = claims_where(person__id=demo.bob).first()
    missing = demo.get("/v1/claims/NOPE0000000", as_user="alice")
    other = demo.get(f"/v1/claims/{bobs.claim_number}", as_user="alice")
    assert_problem(other, 404)
    assert_problem(missing, 404)
    assert_problem(demo.get(f"/v1/claims/{bobs.claim_number}/denials", as_user="alice"), 404)


def test_denial_history(demo):
    claim = claims_where(person__id=demo.alice, denials__isnull=False).distinct().first()
    body = demo.get(f"/v1/claims/{claim.claim_number}/denials", as_user="hana").json()
    assert body["claim_number"] == claim.claim_number
    denial = body["denials"][0]
    assert set(denial) == {
        "denial_id",
        "denial_code",
        "denial_reason",
        "denied_amount",
        "status",
        "action_date",
    }
    assert isinstance(denial["denied_amount"], str) and denial["denied_amount"].count(".") == 1
    assert len(denial["denied_amount"].split(".")[1]) == 2


# --- endpoints 9 and 10 ---------------------------------------------------------------------------


def test_payees(demo):
    page = demo.get(f"/v1/claims/payees?person_id={demo.alice}&page_size=2", as_user="alice").json()
    assert len(page["items"]) == 2 and page["has_next"] is True
    assert {
        "payee_id",
        "payee_tin",
        "name",
        "account_number",
        "address_line1",
        "city",
        "state",
        "postal_code",
        "country",
    } <= set(page["items"][0])
    assert_problem(demo.get("/v1/claims/payees", as_user="alice"), 400, detail_contains="person_id")
    assert_problem(demo.get(f"/v1/claims/payees?person_id={demo.bob}", as_user="alice"), 403)


@pytest.mark.parametrize("account_type", ["FSA", "HSA", "HRA", "DCFSA", "LPFSA"])
def test_expense_categories_for_every_account_type(demo, account_type):
    response = demo.get(
        f"/v1/claims/expense-categories-and-types?person_id={demo.alice}&account_type={account_type}"
        f"&employer_id={demo.acme}",
        as_user="alice",
    )
    items = response.json()["items"]
    assert items and all(i["category_name"] and i["category_types"] for i in items)


def test_expense_categories_errors(demo):
    base = f"/v1/claims/expense-categories-and-types?person_id={demo.alice}"
    assert_problem(demo.get(f"{base}&employer_id={demo.acme}", as_user="alice"), 400, detail_contains="account_type")
    assert_problem(demo.get(f"{base}&account_type=XYZ&employer_id={demo.acme}", as_user="alice"), 400)
    assert_problem(demo.get(f"{base}&account_type=FSA", as_user="alice"), 400, detail_contains="employer_id")
    assert_problem(demo.get(f"{base}&account_type=FSA&employer_id={demo.northwind}", as_user="alice"), 404)


# --- transport-level errors -----------------------------------------------------------------------


def test_unknown_path_is_404_problem(demo):
    assert_problem(demo.get("/v2/whatever", as_user="alice"), 404)
    assert_problem(demo.get("/nope"), 404)


def test_wrong_method_is_405_problem(demo):
    response = demo.call("DELETE", f"/v1/claims?person_id={demo.alice}", as_user="alice")
    assert_problem(response, 405)
    assert response.headers["Allow"] == "GET"


def test_request_id_is_echoed(demo):
    response = demo.get("/claims/health/liveness", headers={"X-Request-Id": "abc-123"})
    assert response.headers["X-Request-Id"] == "abc-123"
