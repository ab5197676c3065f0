"""The 276 builder and reader, from Optum's documented example request (research §1.6)."""

from __future__ import annotations

import copy
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

import x12

EXAMPLE: dict[str, Any] = {
    "controlNumber": "000000001",
    "tradingPartnerServiceId": "000002",
    "providers": [
        {"organizationName": "TestProvider", "taxId": "0123456789", "providerType": "BillingProvider"},
        {"organizationName": "happy doctors group", "npi": "1760854442", "providerType": "ServiceProvider"},
    ],
    "subscriber": {
        "memberId": "0000000000",
        "firstName": "johnone",
        "lastName": "doeone",
        "gender": "M",
        "dateOfBirth": "18800102",
    },
    "dependent": {"firstName": "janeone", "lastName": "doeone", "gender": "F", "dateOfBirth": "18800101"},
    "encounter": {"beginningDateOfService": "20100101", "endDateOfService": "20100102", "trackingNumber": "ABCD"},
}
NOW = datetime(2024, 3, 4, 5, 6)


def test_the_documented_request_reads_into_typed_values() -> None:
    request = x12.StatusRequest.from_optum(EXAMPLE)
    assert request.control_number == "000000001" and request.payer_id == "000002"
    billing, service = request.providers
    assert billing == x12.ProviderId("BillingProvider", organization_name="TestProvider", tax_id="0123456789")
    assert service == x12.ProviderId("ServiceProvider", organization_name="happy doctors group", npi="1760854442")
    assert request.subscriber == x12.Party("0000000000", "johnone", "doeone", "M", date(1880, 1, 2))
    assert request.dependent == x12.Party(None, "janeone", "doeone", "F", date(1880, 1, 1))
    assert request.encounter == x12.Encounter(date(2010, 1, 1), date(2010, 1, 2), tracking_number="ABCD")
    assert request.to_optum() == EXAMPLE


def test_the_documented_request_builds_a_276_that_reads_back_the_same() -> None:
    request = x12.StatusRequest.from_optum(EXAMPLE)
    text = x12.build_276(request, now=NOW)
    assert text.splitlines() == [
        "ISA*00*          *00*          *ZZ*PORTAL         *ZZ*000002         *240304*0506*^*00501*000000001*0*P*:~",
        "GS*HR*PORTAL*000002*20240304*0506*1*X*005010X212~",
        "ST*276*000000001*005010X212~",
        "BHT*0010*13*ABCD*20240304*0506~",
        "HL*1**20*1~",
        "NM1*PR*2******PI*000002~",
        "HL*2*1*21*1~",
        "NM1*41*2*TestProvider*****FI*0123456789~",
        "HL*3*2*19*1~",
        "NM1*1P*2*happy doctors group*****XX*1760854442~",
        "HL*4*3*22*1~",
        "DMG*D8*18800102*M~",
        "NM1*IL*1*doeone*johnone****MI*0000000000~",
        "HL*5*4*23~",
        "DMG*D8*18800101*F~",
        "NM1*QC*1*doeone*janeone~",
        "TRN*1*ABCD~",
        "DTP*472*RD8*20100101-20100102~",
        "SE*17*000000001~",
        "GE*1*1~",
        "IEA*1*000000001~",
    ]
    parsed = x12.parse_276(text)
    assert parsed.warnings == []
    assert parsed.requests == [request]
    assert parsed.control_number == "000000001"


def test_every_optum_field_survives_the_round_trip() -> None:
    full = copy.deepcopy(EXAMPLE)
    full["tradingPartnerName"] = "Summit Health Plan"
    full["dependent"]["groupNumber"] = "ACME-4410"
    full["encounter"].update(
        {
            "tradingPartnerClaimNumber": "1234567890",
            "locationIdentifier": "LU12345",
            "billingType": "111",
            "patientAccountNumber": "PAT123456",
            "pharmacyPrescriptionNumber": "RX123456",
            "clearingHouseClaimNumber": "D9123456",
            "submittedAmount": "100.5",
        }
    )
    full["serviceLineInformation"] = {
        "productOrServiceIDQualifier": "AD",
        "procedureCode": "D0120",
        "procedureModifiers": ["TC", "59"],
        "lineItemChargeAmount": "100.5",
        "revenueCode": "0123",
        "unitsOfServiceCount": "2",
        "lineItemControlNumber": "FJ12345",
        "serviceLineDate": "20100101",
        "serviceLineEndDate": "20100102",
    }
    request = x12.StatusRequest.from_optum(full)
    assert request.encounter.submitted_amount == Decimal("100.5")
    assert request.to_optum() == full
    text = x12.build_276(request, now=NOW)
    assert "SVC*AD:D0120:TC:59*100.5**0123***2~" in text
    assert "REF*6P*ACME-4410~" in text and "AMT*T3*100.5~" in text
    (again,) = x12.parse_276(text).requests
    assert again == request


def test_subscriber_as_patient_and_one_day_of_service() -> None:
    data = copy.deepcopy(EXAMPLE)
    del data["dependent"]
    data["encounter"] = {"beginningDateOfService": "20240105", "trackingNumber": "T1", "submittedAmount": "70.00"}
    data["subscriber"]["groupNumber"] = "ACME-D22"
    request = x12.StatusRequest.from_optum(data)
    text = x12.build_276(request, now=NOW)
    assert "HL*4*3*22*0~" in text and "DTP*472*D8*20240105~" in text and "AMT*T3*70~" in text
    assert "NM1*QC" not in text
    (again,) = x12.parse_276(text).requests
    assert again == request


def test_a_missing_service_provider_is_the_billing_provider_by_its_tax_id() -> None:
    data = copy.deepcopy(EXAMPLE)
    data["providers"] = data["providers"][:1]
    text = x12.build_276(x12.StatusRequest.from_optum(data), now=NOW)
    assert "NM1*1P*2*TestProvider*****FI*0123456789~" in text


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("subscriber", "lastName"), "doe*one", "subscriber.lastName"),
        (("subscriber", "firstName"), "john~", "subscriber.firstName"),
        (("providers", 0, "organizationName"), "Test:Provider", "providers[BillingProvider].name"),
        (("encounter", "trackingNumber"), "AB^CD", "encounter.trackingNumber"),
        (("dependent", "firstName"), "jane\none", "dependent.firstName"),
    ],
)
def test_reserved_characters_are_refused_naming_the_field(path: tuple[Any, ...], value: str, field: str) -> None:
    data = copy.deepcopy(EXAMPLE)
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    request = x12.StatusRequest.from_optum(data)
    with pytest.raises(x12.X12Error) as caught:
        x12.build_276(request)
    assert caught.value.field == field
    assert field in str(caught.value) and "reserves as a delimiter" in str(caught.value)
    assert value not in str(caught.value)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.pop("controlNumber"), "request.controlNumber"),
        (lambda d: d.update(providers=[]), "providers"),
        (lambda d: d["providers"][1].update(providerType="Dentist"), "providers[1].providerType"),
        (lambda d: d["subscriber"].pop("memberId"), "subscriber.memberId"),
        (lambda d: d["subscriber"].update(gender="X"), "subscriber.gender"),
        (lambda d: d["subscriber"].update(dateOfBirth="01/02/1880"), "subscriber.dateOfBirth"),
        (lambda d: d["dependent"].pop("lastName"), "dependent"),
        (lambda d: d["encounter"].update(submittedAmount="lots"), "encounter.submittedAmount"),
        (lambda d: d.update(subscriber="johnone"), "subscriber"),
    ],
)
def test_bad_optum_requests_name_the_field_not_the_value(change: Any, field: str) -> None:
    data = copy.deepcopy(EXAMPLE)
    change(data)
    with pytest.raises(x12.X12Error) as caught:
        x12.StatusRequest.from_optum(data)
    assert caught.value.field == field
    assert "johnone" not in str(caught.value) and "18800102" not in str(caught.value)


def test_control_number_must_be_digits() -> None:
    data = copy.deepcopy(EXAMPLE)
    data["controlNumber"] = "ABC"
    with pytest.raises(x12.X12Error, match="controlNumber: a control number is up to nine digits"):
        x12.build_276(x12.StatusRequest.from_optum(data))


def test_a_276_needs_a_billing_provider() -> None:
    data = copy.deepcopy(EXAMPLE)
    data["providers"] = data["providers"][1:]
    with pytest.raises(x12.X12Error, match="BillingProvider"):
        x12.build_276(x12.StatusRequest.from_optum(data))
