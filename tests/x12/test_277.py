"""The 277 reader on files written elsewhere, the 277 builder, and the Optum JSON mapping: a
report survives build_277 -> parse_277 and report_to_optum -> report_from_optum unchanged."""

from __future__ import annotations

import json
import time
from datetime import date
from decimal import Decimal

import pytest

import x12
from tests.x12.helpers import interchange, sample

ALICE = x12.Party(member_id="EDB20931877", first_name="ALICE", last_name="NGUYEN")
MINH = x12.Party(first_name="MINH", last_name="NGUYEN")
DENTIST = x12.ProviderId("ServiceProvider", organization_name="BRIGHT SMILES DENTAL", npi="1234567893")
CLINIC = x12.ProviderId("ServiceProvider", last_name="LEE", first_name="DANA", tin="123456789")


def _report() -> x12.StatusReport:
    paid = x12.ClaimStatus(
        tracking_number="PORTAL-1",
        statuses=[
            x12.Stc(
                "F1",
                "65",
                "PR",
                effective_date=date(2024, 2, 1),
                submitted_amount=Decimal("210.00"),
                amount_paid=Decimal("140.00"),
                paid_date=date(2024, 2, 1),
                payment_method="CHK",
                check_issue_date=date(2024, 2, 3),
                check_number="000123",
                secondary=[x12.StatusTriple("F1", "107"), x12.StatusTriple("F3", "101", "QC", "")],
            ),
            x12.Stc("F3", "101", action_code="WQ", message="PATIENT OWES 70.00"),
        ],
        payer_claim_number="EVG-99812",
        patient_account_number="BSD-4471",
        clearinghouse_claim_number="CH-1",
        service_date_from=date(2024, 1, 15),
        service_date_to=None,
        service_lines=[
            x12.ServiceLineStatus(
                qualifier="AD",
                procedure_code="D1110",
                modifiers=(),
                submitted_amount=Decimal("120"),
                amount_paid=Decimal("96"),
                units=Decimal("1"),
                statuses=[x12.Stc("F1", "65", effective_date=date(2024, 2, 1))],
                line_item_control_number="L1",
                service_date_from=date(2024, 1, 15),
            ),
            x12.ServiceLineStatus(
                qualifier="HC",
                procedure_code="99213",
                modifiers=("25", "GT"),
                submitted_amount=Decimal("90.5"),
                amount_paid=Decimal("44"),
                revenue_code="0450",
                statuses=[x12.Stc("F2", "88", "QC"), x12.Stc("F1", "65")],
                service_date_from=date(2024, 1, 15),
                service_date_to=date(2024, 1, 16),
            ),
        ],
        subscriber=ALICE,
        dependent=None,
        billing_type="",
        provider=DENTIST,
    )
    child = x12.ClaimStatus(
        tracking_number="PORTAL-2",
        statuses=[x12.Stc("P1", "20", effective_date=date(2024, 2, 2), submitted_amount=Decimal("75"))],
        service_date_from=date(2024, 1, 20),
        service_date_to=date(2024, 1, 20),
        subscriber=ALICE,
        dependent=MINH,
        provider=DENTIST,
    )
    other = x12.ClaimStatus(
        tracking_number="PORTAL-3",
        statuses=[x12.Stc("A4", "35")],
        subscriber=x12.Party(member_id="X2", first_name="BO", last_name="SMITH"),
        provider=CLINIC,
    )
    return x12.StatusReport(
        payer=x12.PayerInfo(
            name="EVERGREEN DENTAL BENEFITS", id="EVGDN", contact_name="PROVIDER SERVICES", phone="8005550100"
        ),
        receiver=x12.ProviderId("BillingProvider", organization_name="PORTAL", etin="PORTAL01"),
        providers=[DENTIST, CLINIC],
        subscriber=ALICE,
        dependent=None,
        claims=[paid, child, other],
        receiver_statuses=[x12.Stc("A1", "19")],
        provider_statuses=[x12.Stc("E0", "24", "85", effective_date=date(2024, 2, 2))],
        receiver_tracking_number="R1",
        provider_tracking_number="P1",
    )


def test_build_then_parse_gives_the_same_report() -> None:
    report = _report()
    text = x12.build_277(report, control_number="123456789")
    assert "STC*F1:65:PR*20240201**210*140*20240201*CHK*20240203*000123*F1:107*F3:101:QC~" in text
    assert "STC*F3:101**WQ*********PATIENT OWES 70.00~" in text
    assert "SVC*HC:99213:25:GT*90.5*44*0450~" in text
    parsed = x12.parse_277(text)
    assert parsed.warnings == []
    assert parsed.control_number == "123456789"
    assert parsed.reports == [report]


def test_optum_json_round_trip_and_shape() -> None:
    report = _report()
    data = x12.report_to_optum(report, control_number="123456789")
    assert json.loads(json.dumps(data)) == data
    assert x12.report_from_optum(data) == report
    status = data["claims"][0]["claimStatus"]
    assert {k: status[k] for k in ("statusCategoryCode", "statusCode", "entityCode", "amountPaid", "paidDate")} == {
        "statusCategoryCode": "F1",
        "statusCode": "65",
        "entityCode": "PR",
        "amountPaid": "140",
        "paidDate": "20240201",
    }
    assert (status["submittedAmount"], status["checkIssueDate"], status["checkNumber"]) == ("210", "20240203", "000123")
    assert (status["trackingNumber"], status["tradingPartnerClaimNumber"]) == ("PORTAL-1", "EVG-99812")
    assert (status["patientAccountNumber"], status["claimServiceDate"]) == ("BSD-4471", "20240115")
    assert status["secondaryStatusCategoryCode"] == "F1" and status["tertiaryEntityCode"] == "QC"
    assert data["claims"][1]["claimStatus"]["claimServiceDate"] == "20240120-20240120"
    assert data["claims"][1]["dependent"] == {"firstName": "MINH", "lastName": "NGUYEN"}
    line = data["claims"][0]["serviceDetails"][1]
    assert line["service"]["serviceIdQualifierCode"] == "HC" and line["service"]["procedureId"] == "99213"
    assert (line["service"]["submittedAmount"], line["service"]["amountPaid"]) == ("90.5", "44")
    assert [s["statusCategoryCode"] for s in line["status"]] == ["F2", "F1"]
    assert data["payer"] == {
        "organizationName": "EVERGREEN DENTAL BENEFITS",
        "payerIdentification": "EVGDN",
        "contactInformation": {"name": "PROVIDER SERVICES", "phone": "8005550100"},
    }

    def strings(value: object) -> bool:
        if isinstance(value, dict):
            return all(strings(v) for v in value.values())
        if isinstance(value, list):
            return all(strings(v) for v in value)
        return isinstance(value, str)

    assert strings(data)


def test_the_json_and_x12_paths_agree() -> None:
    report = _report()
    via_x12 = x12.parse_277(x12.build_277(report, control_number="5")).reports[0]
    via_json = x12.report_from_optum(x12.report_to_optum(report))
    assert via_x12 == via_json


def test_every_sample_round_trips_through_optum_json() -> None:
    for name in (
        "277-claim-level-status.277",
        "277-claim-level-status-ncpdp.277",
        "277-information-receiver-level-status.277",
        "277-provider-level-status.277",
    ):
        for report in x12.parse_277(sample(name)).reports:
            assert x12.report_from_optum(x12.report_to_optum(report)) == report


def test_optum_response_as_optum_writes_it() -> None:
    # The shape of Optum's answers (no extension fields), e.g. the dependent-denied sandbox answer.
    data = {
        "controlNumber": "000000001",
        "tradingPartnerServiceId": "000002",
        "payer": {"organizationName": "Extra Healthy Insurance", "payerIdentification": "000002"},
        "providers": [
            {"organizationName": "TestProvider", "taxId": "0123456789", "providerType": "BillingProvider"},
            {"organizationName": "happy doctors group", "npi": "1760854442", "providerType": "ServiceProvider"},
        ],
        "subscriber": {"memberId": "0000000000", "firstName": "johnone", "lastName": "doeone"},
        "dependent": {"firstName": "janeone", "lastName": "doeone"},
        "claims": [
            {
                "claimStatus": {
                    "statusCategoryCode": "F2",
                    "statusCategoryCodeValue": "Finalized/Denial-The claim/line has been denied.",
                    "statusCode": "88",
                    "entityCode": "QC",
                    "effectiveDate": "20100105",
                    "submittedAmount": "200.00",
                    "amountPaid": "0",
                    "trackingNumber": "ABCD",
                    "claimServiceDate": "20100101-20100102",
                    "tradingPartnerClaimNumber": "00000000000000000000",
                },
                "serviceDetails": [
                    {
                        "service": {"serviceIdQualifierCode": "HC", "procedureId": "99211", "submittedAmount": "200"},
                        "status": [{"statusCategoryCode": "F2", "statusCode": "88", "effectiveDate": "20100105"}],
                    }
                ],
            }
        ],
    }
    report = x12.report_from_optum(data)
    (claim,) = report.claims
    assert claim.statuses[0].category == "F2" and claim.statuses[0].amount_paid == 0
    assert claim.dependent == x12.Party(first_name="janeone", last_name="doeone")
    assert (claim.service_date_from, claim.service_date_to) == (date(2010, 1, 1), date(2010, 1, 2))
    assert report.receiver is not None and report.receiver.tax_id == "0123456789"
    assert claim.service_lines[0].statuses[0].code == "88"
    # ... and the 277 built from it says the same.
    assert x12.parse_277(x12.build_277(report, control_number="1")).reports == [report]


def test_report_from_optum_names_a_bad_field() -> None:
    with pytest.raises(x12.X12Error) as caught:
        x12.report_from_optum({"claims": [{"claimStatus": {"statusCategoryCode": "F1", "amountPaid": "a lot"}}]})
    assert caught.value.field == "claims[0].claimStatus.amountPaid"


def test_reserved_characters_in_a_report_name_the_field() -> None:
    report = _report()
    report.claims[0].payer_claim_number = "EVG*99812"
    with pytest.raises(x12.X12Error) as caught:
        x12.build_277(report, control_number="1")
    assert caught.value.field == "claims[0].tradingPartnerClaimNumber"
    report = _report()
    report.claims[0].statuses[1].message = "owes: 70"
    with pytest.raises(x12.X12Error, match=r"claims\[0\]\.statuses\[1\]\.message contains ':'"):
        x12.build_277(report, control_number="1")


# --- files written elsewhere -------------------------------------------------------------------

IMSWEB_STYLE = (
    "ISA*00*          *00*          *ZZ*MCKESSON_TSH   *ZZ*208459         *200107*2319*^*00501*000000001*1*P*:~\n"
)
IMSWEB_STYLE += """GS*HN*CHC*123456*20201117*0427*832838996*X*005010X212~
ST*277*0001*005010X212~
BHT*0010*08*000000001*20201117*042749*DG~
HL*1**20*1~
NM1*PR*2*UTD HEALTHCARE*****PI*877260000~
HL*2*1*21*1~
NM1*41*2*WONDER HEALTHCARE*****46*123456789~
HL*3*2*19*1~
NM1*1P*2*HAPPY DOCTORS GROUP*****XX*1111111111~
HL*4*3*22*0~
NM1*IL*1*DOEONE*JANEONE****MI*0000000001~
TRN*2*0000001~
STC*A1:704*20201116*WQ*600********PAYER ACKNOWLEDGED RECEIPT OF THE CLAIM~
REF*EJ*12345~
REF*D9*12345~
DTP*472*RD8*20201113-20201113~
HL*5**20*1~
NM1*PR*2*UTD HEALTHCARE*****PI*877260000~
HL*6*5*21*1~
NM1*41*2*WONDER HEALTHCARE*****46*123456789~
HL*7*6*19*1~
NM1*1P*2*HAPPY DOCTORS GROUP*****XX*1111111111~
HL*8*7*22*0~
NM1*IL*1*DOEONE*JOHNONE****MI*0000000000~
TRN*2*0000002~
STC*A1:704*20201116*WQ*400********PAYER ACKNOWLEDGED RECEIPT OF THE CLAIM~
REF*EJ*12346~
REF*D9*12346~
DTP*472*RD8*20200820-20200820~
SE*29*0001~
GE*1*832838996~
IEA*1*842928883~
"""


def test_a_clearinghouse_277_with_free_text_and_one_source_per_claim() -> None:
    parsed = x12.parse_277(IMSWEB_STYLE)
    assert [r.payer.id for r in parsed.reports] == ["877260000", "877260000"]
    first = parsed.reports[0].claims[0]
    stc = first.statuses[0]
    assert (stc.category, stc.code, stc.action_code, stc.submitted_amount) == ("A1", "704", "WQ", Decimal("600"))
    assert stc.message == "PAYER ACKNOWLEDGED RECEIPT OF THE CLAIM"
    assert (first.patient_account_number, first.clearinghouse_claim_number) == ("12345", "12345")
    assert first.service_date_from == first.service_date_to == date(2020, 11, 13)
    assert parsed.reports[1].claims[0].subscriber == x12.Party("0000000000", "JOHNONE", "DOEONE")
    assert parsed.warnings == ["segment 33 (IEA), element IEA02: the interchange control number does not match ISA13."]


def test_a_277ca_with_pipe_components_qty_amt_and_a_patient_level() -> None:
    text = (
        "ISA*00*          *00*          *ZZ*EMEDNYBAT      *ZZ*ETIN           *110311*0512*^*00501*000001120*0*T*|~"
        "GS*HN*EMEDNYBAT*ABCD*20110311*051225*1120*X*005010X214~ST*277*000001120*005010X214~"
        "BHT*0085*08*3920394930203*20110311*051225*TH~HL*1**20*1~NM1*PR*2*NYSDOH*****FI*141797357~"
        "TRN*1*000001120~DTP*050*D8*20110311~DTP*009*D8*20110311~HL*2*1*21*1~NM1*41*1*TEST*TEST****46*ETIN~"
        "TRN*2*11200001~STC*A1|20*20110311*WQ*199.14~QTY*90*1~AMT*YU*199.14~HL*3*2*19*1~"
        "NM1*85*2*PROVLNAME*****XX*123456789~TRN*1*1107000000000001FF~HL*4*3*PT~"
        "NM1*QC*1*CLILNAME*CLIFNAME*CLIMI***MI*XX99999X~TRN*2*3920394930203~STC*A7|562|85*20110311*WQ*199.14~"
        "REF*1K*1107000000001120~REF*BLT*731~DTP*472*D8*20090311~SE*24*000001120~GE*1*1120~IEA*1*000001120~"
    )
    parsed = x12.parse_277(text)
    (report,) = parsed.reports
    assert [(s.category, s.code) for s in report.receiver_statuses] == [("A1", "20")]
    (claim,) = report.claims
    assert (claim.statuses[0].category, claim.statuses[0].code, claim.statuses[0].entity) == ("A7", "562", "85")
    assert claim.subscriber is not None and claim.subscriber.member_id == "XX99999X"
    assert (claim.payer_claim_number, claim.billing_type, claim.service_date_from) == (
        "1107000000001120",
        "731",
        date(2009, 3, 11),
    )
    assert report.providers[0].npi == "123456789"
    assert parsed.warnings == ["segment 3 (ST), element ST03: the implementation is 005010X214, read as 005010X212."]


def test_missing_optional_segments_and_odd_values() -> None:
    text = interchange(
        "HL*1**20*1",
        "NM1*PR*2*PAYER",
        "HL*2*1*22*0",  # no receiver or provider level at all
        "NM1*IL*1*DOE",
        "TRN*2",
        "STC*F1*BADDATE**not-money",
        "DTP*472*D8*2024",
    )
    parsed = x12.parse_277(text)
    (claim,) = parsed.reports[0].claims
    assert claim.tracking_number == "" and claim.provider is None
    stc = claim.statuses[0]
    assert (stc.category, stc.code, stc.effective_date, stc.submitted_amount) == ("F1", "", None, None)
    assert claim.service_date_from is None
    assert parsed.warnings == [  # each value given but unreadable is named, never shown
        "segment 9 (STC), element STC02 is not a date (CCYYMMDD); it was left out.",
        "segment 9 (STC), element STC04 is not an amount; it was left out.",
        "segment 10 (DTP), element DTP03: the service date is not a date (CCYYMMDD or CCYYMMDD-CCYYMMDD); "
        "it was skipped.",
    ]


def test_amounts_that_are_not_x12_amounts_are_left_out_with_a_warning_never_a_crash() -> None:
    """X12 amounts have no exponent, no thousands separator and at most 18 digits: "1E5000" once
    reached Decimal and then int() (a traceback); "1,250.00" vanished without a word."""
    text = interchange("HL*1**20*1", "NM1*PR*2*PAYER", "HL*2*1*22*0", "TRN*2*T1", "STC*F1:65*20240315**1E5000*1,250.00")
    parsed = x12.parse_277(text)
    stc = parsed.reports[0].claims[0].statuses[0]
    assert (stc.submitted_amount, stc.amount_paid) == (None, None)
    assert [w for w in parsed.warnings if "STC" in w] == [
        "segment 8 (STC), element STC04 is not an amount; it was left out.",
        "segment 8 (STC), element STC05 is not an amount; it was left out.",
    ]
    assert x12.values.parse_amount("-.5") == Decimal("-0.5") and x12.values.parse_amount("100") == Decimal("100")
    assert x12.values.parse_amount("1" * 19) is None


def test_blanks_before_a_terminator_are_not_data() -> None:
    text = interchange("HL*1**20*1", "NM1*PR*2*PAYER   ", "HL*2*1*22*0", "TRN*2*ABCXYZ1   ", "DTP*472*D8*20240301  ")
    parsed = x12.parse_277(text)
    claim = parsed.reports[0].claims[0]
    assert claim.tracking_number == "ABCXYZ1" and claim.service_date_from == date(2024, 3, 1)
    assert parsed.reports[0].payer.name == "PAYER"


def test_a_status_without_a_trace_opens_a_claim_with_a_warning() -> None:
    parsed = x12.parse_277(interchange("HL*1**20*1", "NM1*PR*2*PAYER", "HL*2*1*22*0", "NM1*IL*1*DOE", "STC*A4:35"))
    assert parsed.reports[0].claims[0].statuses[0].category == "A4"
    assert parsed.warnings == [
        "segment 8 (STC): a claim status without a TRN before it; read as a claim with no trace number."
    ]


def test_a_276_given_to_the_277_reader_says_so() -> None:
    parsed = x12.parse_277(sample("276-claim-level-status-ncpdp.276"))
    assert parsed.reports == []
    assert parsed.warnings == ["The transaction set at segment 3 (ST) is a 276, not a 277; it was skipped."]


# --- size --------------------------------------------------------------------------------------


def _many(count: int) -> x12.StatusReport:
    report = _report()
    template = report.claims[0]
    report.claims = [
        x12.ClaimStatus(
            tracking_number=f"T{i}",
            statuses=template.statuses,
            payer_claim_number=f"P{i}",
            service_date_from=template.service_date_from,
            service_lines=template.service_lines,
            subscriber=x12.Party(member_id=f"M{i}", first_name="A", last_name="B"),
            provider=DENTIST,
        )
        for i in range(count)
    ]
    return report


def test_ten_thousand_claims_parse_and_time_grows_about_linearly() -> None:
    small, large = x12.build_277(_many(1000), control_number="1"), x12.build_277(_many(10000), control_number="2")
    started = time.process_time()
    x12.parse_277(small)
    small_seconds = time.process_time() - started
    started = time.process_time()
    parsed = x12.parse_277(large)
    large_seconds = time.process_time() - started
    assert len(parsed.reports[0].claims) == 10000 and parsed.warnings == []
    assert parsed.reports[0].claims[-1].payer_claim_number == "P9999"
    # A sanity check, not a timing target (that is bench/x12_parse.py): CPU time, and loose enough
    # for shared machines, ten times the claims must not cost forty times the time (quadratic would).
    assert large_seconds < max(small_seconds, 0.005) * 40


def test_an_hl_without_its_level_code_takes_the_level_of_its_nm1() -> None:
    text = interchange(
        "HL*1**20*1",
        "NM1*PR*2*PAYER*****PI*P1",
        "HL*2*1**1",
        "NM1*1P*2*CLINIC*****XX*1234567893",
        "HL*3*2**0",
        "NM1*IL*1*DOE*JANE****MI*M1",
        "TRN*2*T1",
        "STC*F1:65",
    )
    parsed = x12.parse_277(text)
    (claim,) = parsed.reports[0].claims
    assert claim.tracking_number == "T1" and claim.provider is not None and claim.subscriber is not None
    assert parsed.warnings == [
        "segment 6 (HL), element HL03: unknown hierarchical level ''; the level was read from the NM1 that follows.",
        "segment 8 (HL), element HL03: unknown hierarchical level ''; the level was read from the NM1 that follows.",
    ]
