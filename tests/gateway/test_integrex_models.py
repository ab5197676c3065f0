"""Integrex's claim-info answers read in every shape and style the two published versions allow,
into the common Answer; the request body as the seed states it; error bodies in words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from portal.gateway.errors import MalformedResponseError
from portal.gateway.insurer import Channel, Person, Query
from portal.gateway.integrex import _words
from portal.gateway.integrex_models import ClaimInfoRow, request_body, rows, to_answer

CLAIM: dict[str, Any] = {
    "internalAccountNumber": "CHK-1",
    "patientLastName": "Nguyen",
    "patientFirstName": "Alice",
    "subID": "LVP7730192",
    "responseDate": "2026-12-02",
    "payerID": "LKVSN",
    "payerContactName": "LAKESIDE VISION PLAN",
    "payerContactPhone": "8005550147",
    "dateOfService": "2025-10-29",
    "payerClmNo": "LV25C0091442",
    "claimReceiptDate": "2025-11-01",
    "chargeAmt": "180.00",
    "paymentAmt": "120.00",
    "adjudicationDate": "2025-11-10",
    "checkDate": "2025-11-12",
    "checkNumber": "004417",
    "categoryCode": "F1",
    "statusCode": "65",
    "categoryDescription": "Finalized/Payment",
    "statusDescription": "Paid",
}
LINES: list[dict[str, Any]] = [
    {"svcLine": 1, "procedureCdQual": "HC", "procedureCd": "92014", "svcLnQty": 1, "allowedAmount": 120.0,
     "coPaymentAmount": 20.0, "reasonSourceCd3": "3", "reasonSourceCdDescTxt3": "Copay"},
    {"svcLine": 2, "procedureCd": "92015", "allowedAmount": 0, "nonCoveredAmount": 35.0,
     "reasonSourceCd1": "LV-RFR", "reasonSourceCdDescTxt1": "Not in the exam benefit",
     "reasonSourceCd2": "N130", "reasonSourceCdDescTxt2": "See the booklet",
     "reasonSourceCd3": "96", "reasonSourceCdDescTxt3": "Not covered"},
    {"svcLine": 3, "procedureCd": "92250", "allowedAmount": 25.0, "coInsuranceAmount": 5.0,
     "reasonSourceCd3": "2"},
]  # fmt: skip


def _check(answer: Any) -> None:
    assert answer.channel is Channel.INTEGREX
    assert answer.payer_name == "LAKESIDE VISION PLAN" and answer.payer_phone == "8005550147"
    assert answer.response_date == date(2026, 12, 2)
    (claim,) = answer.claims
    assert claim.statuses[0].category == "F1" and claim.statuses[0].code == "65"
    assert claim.statuses[0].category_text == "Finalized/Payment" and claim.statuses[0].code_text == "Paid"
    assert claim.charged == Decimal("180.00") and claim.paid == Decimal("120.00")
    assert claim.received_date == date(2025, 11, 1) and claim.adjudicated_date == date(2025, 11, 10)
    assert claim.check_number == "004417" and claim.check_date == date(2025, 11, 12)
    assert claim.payer_claim_number == "LV25C0091442" and claim.tracking_number == "CHK-1"
    assert claim.service_date_from == date(2025, 10, 29)
    exam, refraction, photos = claim.lines
    assert (exam.number, exam.procedure_code, exam.units) == (1, "92014", Decimal(1))
    assert exam.allowed == Decimal("120.00") and exam.copay == Decimal("20.00") and exam.coinsurance is None
    assert [(r.source, r.code, r.text) for r in exam.reasons] == [("CARC", "3", "Copay")]
    assert [(r.source, r.code) for r in refraction.reasons] == [("PAYER", "LV-RFR"), ("RARC", "N130"), ("CARC", "96")]
    assert refraction.not_covered == Decimal("35.00") and refraction.allowed == Decimal("0.00")
    assert photos.coinsurance == Decimal("5.00")
    for line in claim.lines:
        for amount in (line.allowed, line.copay, line.coinsurance, line.not_covered):
            assert amount is None or (isinstance(amount, Decimal) and amount.as_tuple().exponent == -2)
    share = sum((line.copay or 0) + (line.coinsurance or 0) + (line.not_covered or 0) for line in claim.lines)
    assert share == claim.charged - claim.paid == Decimal("60.00")


def test_a_list_of_per_service_line_rows() -> None:
    _check(to_answer(rows([{**CLAIM, **line} for line in LINES])))


@pytest.mark.parametrize("key", ["lines", "serviceLines", "svcLines"])
def test_an_object_with_a_lines_list(key: str) -> None:
    _check(to_answer(rows({**CLAIM, key: LINES})))


def test_a_flat_object_is_one_claim_and_one_line() -> None:
    answer = to_answer(rows({**CLAIM, **LINES[0]}))
    (claim,) = answer.claims
    (line,) = claim.lines
    assert line.copay == Decimal("20.00") and claim.paid == Decimal("120.00")


def test_a_status_only_answer_has_no_lines() -> None:
    answer = to_answer(rows({"categoryCode": "A4", "statusCode": "35", "payerID": "LKVSN", "responseDate": "null"}))
    (claim,) = answer.claims
    assert claim.statuses[0].category == "A4" and claim.lines == () and claim.charged is None
    assert answer.response_date is None


def test_v1_style_us_dates_and_amounts_as_strings() -> None:
    v1 = {
        **CLAIM,
        "dateOfService": "10/29/2025",
        "claimReceiptDate": "11/01/2025",
        "adjudicationDate": "20251110",
        "checkDate": "2025-11-12T00:00:00",
        "chargeAmt": 180,
        "paymentAmt": "$1,234.50",
        "payerClmNo": 12345678,
        "payerContactPhone": 8005550147,
    }
    line = {"svcLine": "1", "svcLnQty": "2", "allowedAmount": "1,200.10", "coPaymentAmount": "20"}
    line["dateCheckCashed"] = "null"
    (claim,) = to_answer(rows([{**v1, **line}])).claims
    assert claim.service_date_from == date(2025, 10, 29) and claim.received_date == date(2025, 11, 1)
    assert claim.adjudicated_date == date(2025, 11, 10) and claim.check_date == date(2025, 11, 12)
    assert claim.charged == Decimal("180.00") and claim.paid == Decimal("1234.50")
    assert claim.payer_claim_number == "12345678"
    (only,) = claim.lines
    assert only.number == 1 and only.units == Decimal(2) and only.allowed == Decimal("1200.10")
    assert only.copay == Decimal("20.00")


def test_floats_read_exactly_when_parsed_as_decimal() -> None:
    row = ClaimInfoRow.from_json({"allowedAmount": Decimal("0.1"), "coInsuranceAmount": 0.3})
    assert row.allowed_amount == Decimal("0.10") and row.coinsurance_amount == Decimal("0.30")


def test_rows_that_disagree_on_amounts_carry_their_lines_own() -> None:
    found = rows([{**CLAIM, **LINES[0], "chargeAmt": "120.00"}, {**CLAIM, **LINES[1], "chargeAmt": "60.00"}])
    (claim,) = to_answer(found).claims
    assert [line.charged for line in claim.lines] == [Decimal("120.00"), Decimal("60.00")]
    assert claim.charged == Decimal("180.00") and claim.paid == Decimal("120.00")


def test_two_payer_claims_are_two_answers() -> None:
    found = rows([{**CLAIM, **LINES[0]}, {**CLAIM, **LINES[1], "payerClmNo": "OTHER", "categoryCode": "F2"}])
    first, second = to_answer(found).claims
    assert first.payer_claim_number == "LV25C0091442" and second.statuses[0].category == "F2"


def test_the_seeds_misspelt_authorization_case_id_is_read() -> None:
    assert ClaimInfoRow.from_json({"authorizationCaseld": "AUTH-9"}).authorization_case_id == "AUTH-9"


def test_unknown_fields_are_kept() -> None:
    assert ClaimInfoRow.from_json({"newThing": "x"}).model_extra == {"newThing": "x"}


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({**CLAIM, "dateOfService": "29.10.2025"}, "claim info.dateOfService is not a date (yyyy-mm-dd or MM/DD/YYYY)"),
        ({**CLAIM, "paymentAmt": "a lot"}, "claim info.paymentAmt is not an amount"),
        ([CLAIM, "x"], "claim info[1] is not a JSON object"),
        ({**CLAIM, "lines": {}}, "claim info.lines is not a list"),
        ({**CLAIM, "svcLine": 1.5}, "claim info.svcLine is not a whole number"),
        ({**CLAIM, "checkNumber": True}, "claim info.checkNumber is not a string"),
        ("text", "neither an object nor a list"),
    ],
)
def test_bad_values_are_named_never_shown(body: Any, words: str) -> None:
    with pytest.raises(MalformedResponseError) as caught:
        rows(body)
    assert words in str(caught.value)
    assert "29.10.2025" not in str(caught.value) and "a lot" not in str(caught.value)


def test_request_body_is_the_seeds_fields_as_strings() -> None:
    query = Query(
        payer_id="LKVSN",
        payer_name="Lakeside Vision Plan",
        member_id="LVP7730192",
        subscriber=Person(first_name="Alice", last_name="Nguyen", date_of_birth=date(1988, 4, 12)),
        patient=Person(first_name="Minh", last_name="Nguyen", date_of_birth=date(2019, 6, 3)),
        provider_name="ClearView Eye Care",
        provider_npi="1234567893",
        provider_tax_id="93-0812345",
        service_date_from=date(2026, 3, 1),
        billed_amount=Decimal("1289.5"),
        tracking_number="CHK-42",
    )
    assert request_body(query) == {
        "patientDob": "2019-06-03",
        "patientFirstName": "Minh",
        "patientLastName": "Nguyen",
        "subscriberId": "LVP7730192",
        "subscriberFirstName": "Alice",
        "subscriberLastName": "Nguyen",
        "subscriberDob": "1988-04-12",
        "billingProviderNpi": "1234567893",
        "billingProviderName": "ClearView Eye Care",
        "taxId": "930812345",
        "admitDate": "2026-03-01",
        "totalCharges": "1289.50",
        "payerId": "LKVSN",
        "payerName": "Lakeside Vision Plan",
        "trackingId1": "CHK-42",
    }
    bare = request_body(query.model_copy(update={"patient": None, "provider_npi": "", "billed_amount": None}))
    assert bare["patientFirstName"] == "Alice" and bare["patientDob"] == "1988-04-12"
    assert "billingProviderNpi" not in bare and "totalCharges" not in bare


def _response(content: bytes) -> Any:
    return SimpleNamespace(content=content)


@pytest.mark.parametrize(
    ("content", "messages", "fields"),
    [
        (b'{"message": "Invalid payer"}', ("Invalid payer",), ()),
        (b'{"error": "bad date"}', ("bad date",), ()),
        (b'{"errors": ["one", "two"]}', ("one", "two"), ()),
        (b'{"message": "Bad", "errors": [{"field": "patientDob", "message": "is not a date"}]}',
         ("Bad", "patientDob is not a date"), ("patientDob",)),
        (b'{"errors": {"admitDate": "is missing"}}', ("admitDate is missing",), ("admitDate",)),
        (b"Bad Request: payerId", ("Bad Request: payerId",), ()),
        (b"", (), ()),
    ],
)  # fmt: skip
def test_error_bodies_in_words(content: bytes, messages: tuple[str, ...], fields: tuple[str, ...]) -> None:
    found, problems = _words(_response(content))
    assert found == messages and tuple(p.field for p in problems) == fields
