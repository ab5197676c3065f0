"""Optum's Response read by the gateway's models (no HTTP): every value a string, tolerant of
numbers printed bare, nulls and fields it does not know; a wrong shape is a MalformedResponseError
naming the field, never its value; both error shapes read."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portal.gateway.errors import MalformedResponseError
from portal.gateway.insurer import Channel
from portal.gateway.optum import Response, control_number

SAMPLE = {
    "controlNumber": "000000001",
    "tradingPartnerServiceId": "9496",
    "payer": {"organizationName": "Extra Healthy Insurance", "contactInformation": {"phone": "8005551212"}},
    "claims": [
        {
            "claimStatus": {
                "statusCategoryCode": "F1",
                "statusCategoryCodeValue": "Finalized/Payment-The claim/line has been paid.",
                "statusCode": "65",
                "entityCode": "1E",
                "entity": "Health Maintenance Organization (HMO)",
                "effectiveDate": "20100110",
                "submittedAmount": "219",
                "amountPaid": 95.55,
                "paidDate": "20100110",
                "checkIssueDate": "20100112",
                "checkNumber": "12345",
                "trackingNumber": "ABCD",
                "claimServiceDate": "20100101-20100102",
                "tradingPartnerClaimNumber": "AAAAAAAAAAA1",
                "secondaryStatusCategoryCode": "F1",
                "secondaryStatusCode": "6",
                "somethingNew": {"kept": "ignored"},
            },
            "serviceDetails": [
                {
                    "service": {"serviceIdQualifierCode": "HC", "procedureId": "99213", "submittedAmount": "219",
                                "amountPaid": "95.55", "submittedUnits": "1", "serviceDate": "20100101"},
                    "status": [{"statusCategoryCode": "F1", "statusCode": "65", "effectiveDate": "20100110"}],
                }
            ],
        }
    ],
    "meta": {"traceId": "abc"},
}  # fmt: skip


def test_the_documented_answer_is_read_into_the_portals_answer() -> None:
    answer = Response.from_json(SAMPLE).answer(Channel.OPTUM_JSON)
    assert answer.payer_name == "Extra Healthy Insurance" and answer.payer_phone == "8005551212"
    (claim,) = answer.claims
    assert [(s.category, s.code, s.entity) for s in claim.statuses] == [("F1", "65", "1E"), ("F1", "6", "")]
    assert claim.statuses[0].category_text.startswith("Finalized")
    assert (claim.charged, claim.paid) == (Decimal("219"), Decimal("95.55"))
    assert (claim.service_date_from, claim.service_date_to) == (date(2010, 1, 1), date(2010, 1, 2))
    assert (claim.adjudicated_date, claim.check_date, claim.check_number) == (
        date(2010, 1, 10),
        date(2010, 1, 12),
        "12345",
    )
    (line,) = claim.lines
    assert (line.number, line.procedure_qualifier, line.procedure_code, line.units) == (1, "HC", "99213", Decimal("1"))
    assert line.service_date == date(2010, 1, 1) and line.statuses[0].category == "F1"


def test_nulls_and_missing_parts_are_empty_not_errors() -> None:
    answer = Response.from_json({"claims": None, "payer": None, "errors": None}).answer(Channel.OPTUM_JSON)
    assert answer.claims == () and answer.payer_name == ""
    (claim,) = Response.from_json({"claims": [{}]}).answer(Channel.OPTUM_JSON).claims
    assert claim.statuses == () and claim.lines == ()


@pytest.mark.parametrize(
    ("claim_status", "named"),
    [
        ({"effectiveDate": "2010-01-10"}, "effectiveDate"),
        ({"amountPaid": "lots"}, "amountPaid"),
        ({"statusCode": ["65"]}, "statusCode"),
    ],
)
def test_a_wrong_shape_names_the_field_not_the_value(claim_status: dict[str, object], named: str) -> None:
    with pytest.raises(MalformedResponseError) as caught:
        Response.from_json({"claims": [{"claimStatus": claim_status}]})
    assert named in str(caught.value) and "lots" not in str(caught.value) and "2010-01-10" not in str(caught.value)


def test_both_error_shapes_and_the_gateways() -> None:
    detail = {
        "field": "AAA",
        "code": "42",
        "description": "Unable to Respond at Current Time",
        "followupAction": "Please Resubmit Original Transaction",
        "location": "Loop 2100A",
        "value": "secret",
    }
    top = Response.from_json({"errors": [detail]})
    wrapped = Response.from_json({"errorResponse": {"code": "42", "errors": [detail]}})
    assert top.all_errors == wrapped.all_errors and top.all_errors[0].try_later
    problem = top.all_errors[0].problem()
    assert (problem.field, problem.code) == ("AAA", "42") and "secret" not in problem.model_dump_json()
    down = Response.from_json({"errors": [{"field": "Http Header", "description": "down"}]}).all_errors[0]
    assert down.try_later and not down.do_not_resubmit
    final = Response.from_json({"errors": [{**detail, "followupAction": "Do Not Resubmit; We Will Respond"}]})
    assert final.all_errors[0].do_not_resubmit
    field = Response.from_json({"errors": [{"field": "subscriber.memberId", "code": "72"}]}).all_errors[0]
    assert not field.try_later and field.problem().field == "subscriber.memberId"
    gateway = Response.from_json({"error": "invalid_token", "error_description": "expired"})
    assert gateway.all_errors == () and gateway.error == "invalid_token"


def test_control_numbers_are_nine_digits_and_fresh() -> None:
    numbers = {control_number() for _ in range(200)}
    assert len(numbers) == 200 and all(len(n) == 9 and n.isdigit() and n != "000000000" for n in numbers)
