"""Every public sample (LinuxForHealth/x12, Apache-2.0; see data/PROVENANCE.md) parses, with its
known defects read as warnings and their meaning kept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import x12
from tests.x12.helpers import DATA, sample


def test_claim_level_277_pending_paid_and_denied_with_a_line() -> None:
    parsed = x12.parse_277(sample("277-claim-level-status.277"))
    assert parsed.control_number == "000000907"
    (report,) = parsed.reports
    assert (report.payer.name, report.payer.id) == ("ABC INSURANCE", "12345")
    assert report.receiver is not None and report.receiver.etin == "X67E"
    assert [p.npi for p in report.providers] == ["1666666661", "166666666"]
    pending, paid, denied = report.claims

    assert pending.tracking_number == "ABCXYZ1"
    stc = pending.statuses[0]
    assert (stc.category, stc.code, stc.entity) == ("P3", "317", "")
    assert stc.effective_date == date(2005, 9, 13)
    assert stc.submitted_amount == Decimal("8513.88") and stc.amount_paid is None
    assert (pending.payer_claim_number, pending.billing_type, pending.patient_account_number) == (
        "05347006051",
        "111",
        "SM123456",
    )
    assert (pending.service_date_from, pending.service_date_to) == (date(2005, 8, 31), date(2005, 9, 6))
    assert pending.subscriber == x12.Party(member_id="123456789A", first_name="FRED", last_name="SMITH")
    assert pending.dependent is None

    stc = paid.statuses[0]
    assert (stc.category, stc.code) == ("F0", "3")
    assert stc.amount_paid == Decimal("7599.00") and stc.submitted_amount == Decimal("7599.00")
    assert paid.subscriber is not None and paid.subscriber.last_name == "JONES"

    stc = denied.statuses[0]
    assert (stc.category, stc.code, stc.entity) == ("F2", "88", "QC")
    assert (stc.submitted_amount, stc.amount_paid) == (Decimal("150.00"), Decimal("0.00"))
    assert denied.dependent == x12.Party(first_name="JOSEPH", last_name="MANN")
    assert denied.subscriber is not None and denied.subscriber.member_id == "345678901"
    assert denied.provider is not None and denied.provider.organization_name == "HOME HOSPITAL PHYSICIANS"
    (line,) = denied.service_lines
    assert (line.qualifier, line.procedure_code, line.modifiers) == ("HC", "99203", ())
    assert (line.submitted_amount, line.amount_paid, line.units) == (Decimal("150.00"), Decimal("0.00"), Decimal("1"))
    assert [(s.category, s.code, s.entity) for s in line.statuses] == [("F2", "88", "QC")]
    assert line.service_date_from == date(2005, 5, 1) and line.service_date_to is None
    # The sample's SE01 says 36 but the set has 38 segments: a warning that names the place.
    assert parsed.warnings == ["segment 40 (SE), element SE01: says 36 segments, but 38 were found."]


def test_ncpdp_277_reject_code_with_its_qualifier() -> None:
    parsed = x12.parse_277(sample("277-claim-level-status-ncpdp.277"))
    (claim,) = parsed.reports[0].claims
    stc = claim.statuses[0]
    assert (stc.category, stc.code, stc.entity, stc.code_list_qualifier) == ("F2", "80", "", "RX")
    assert (stc.submitted_amount, stc.amount_paid) == (Decimal("85"), Decimal("0"))
    assert claim.pharmacy_prescription_number == "7654321"
    assert claim.service_date_from == date(2006, 3, 1)
    assert parsed.warnings == []


def test_receiver_level_277() -> None:
    parsed = x12.parse_277(sample("277-information-receiver-level-status.277"))
    (report,) = parsed.reports
    assert report.claims == []
    assert report.receiver_tracking_number == "ABC276XXX"
    (stc,) = report.receiver_statuses
    assert (stc.category, stc.code, stc.effective_date) == ("E0", "0", date(2005, 9, 16))
    assert parsed.warnings == []


def test_provider_level_277_reads_the_glued_stc_with_a_warning() -> None:
    parsed = x12.parse_277(sample("277-provider-level-status.277"))
    # The provider-level status is HOME HOSPITAL PHYSICIANS' (the second HL 19), not that of HOME
    # HOSPITAL, under which the claim sits: a report of its own (same payer and receiver), so that
    # it is not read, or written back, as the first provider's.
    hospital, physicians = parsed.reports
    assert [p.organization_name for p in hospital.providers] == ["HOME HOSPITAL"]
    assert [c.tracking_number for c in hospital.claims] == ["ABCXYZ1"] and not hospital.provider_statuses
    assert [p.organization_name for p in physicians.providers] == ["HOME HOSPITAL PHYSICIANS"]
    assert physicians.receiver == hospital.receiver and physicians.payer == hospital.payer
    assert not physicians.claims and not physicians.receiver_statuses
    (stc,) = physicians.provider_statuses
    assert (stc.category, stc.code, stc.entity) == ("E0", "24", "85")
    assert stc.effective_date == date(2005, 9, 16)
    assert physicians.provider_tracking_number == "0"
    for report in parsed.reports:  # written back, each status stays with its provider
        assert x12.parse_277(x12.build_277(report, control_number="1")).reports == [report]
    (warning,) = parsed.warnings
    assert warning.startswith("segment 22 (STC): a component separator stands where the element separator belongs")


def _two_levels(level: str, entity: str) -> str:
    """A 277 whose information source has two receivers (level 21) or two providers (19), each
    with its own trace number and status (from a public 277CA's shape)."""
    head = "ISA*00*          *00*          *ZZ*PAYER          *ZZ*PORTAL         *240101*1200*^*00501*000000001*0*P*:~"
    segments = [
        "GS*HN*PAYER*PORTAL*20240101*1200*1*X*005010X212", "ST*277*0001*005010X212",
        "BHT*0010*08*1*20240101*1200*DG", "HL*1**20*1", "NM1*PR*2*PAYER ONE*****PI*P1",
    ]  # fmt: skip
    if level == "19":
        segments += ["HL*2*1*21*1", "NM1*41*2*BILLING CO*****46*R1"]
    for n, (name, ident, trace, status) in enumerate(
        [("FIRST", "1111111112", "T1", "A1:19"), ("SECOND", "1222222225", "T2", "A3:24:41")]
    ):
        hl = n + (3 if level == "19" else 2)
        parent = "2" if level == "19" else "1"
        segments += [
            f"HL*{hl}*{parent}*{level}*0", f"NM1*{entity}*2*{name}*****XX*{ident}",
            f"TRN*{'1' if level == '19' else '2'}*{trace}", f"STC*{status}*20240101*WQ*{100 * (n + 1)}",
        ]  # fmt: skip
    segments.append(f"SE*{len(segments)}*0001")
    return head + "~".join([*segments, "GE*1*1", "IEA*1*000000001"]) + "~"


@pytest.mark.parametrize(("level", "entity"), [("21", "41"), ("19", "1P"), ("19", "85")])
def test_each_receiver_or_provider_keeps_its_own_trace_and_statuses(level: str, entity: str) -> None:
    parsed = x12.parse_277(_two_levels(level, entity))
    first, second = parsed.reports
    assert first.payer.name == second.payer.name == "PAYER ONE"
    if level == "21":
        assert [r.receiver.organization_name for r in parsed.reports] == ["FIRST", "SECOND"]  # type: ignore[union-attr]
        said = [
            (r.receiver_tracking_number, [(s.category, s.code) for s in r.receiver_statuses]) for r in parsed.reports
        ]
    else:
        assert first.receiver == second.receiver and first.receiver.organization_name == "BILLING CO"  # type: ignore[union-attr]
        assert [[p.organization_name for p in r.providers] for r in parsed.reports] == [["FIRST"], ["SECOND"]]
        said = [
            (r.provider_tracking_number, [(s.category, s.code) for s in r.provider_statuses]) for r in parsed.reports
        ]
    assert said == [("T1", [("A1", "19")]), ("T2", [("A3", "24")])]
    assert [s.submitted_amount for r in parsed.reports for s in (*r.receiver_statuses, *r.provider_statuses)] == [
        100,
        200,
    ]


def test_provider_level_276_reads_hl6_as_hl_with_a_warning() -> None:
    parsed = x12.parse_276(sample("276-provider-level-status.276"))
    (warning,) = parsed.warnings
    assert warning.startswith("segment 21 (HL6): the segment id is glued to its first element")
    assert "read as HL with HL01 = 6" in warning
    first, second = parsed.requests
    assert first.encounter.tracking_number == "ABCXYZ1"
    assert second.encounter.tracking_number == "ABCXYZ3"
    # HL*6 is the subscriber level (22) under provider 5, so the claim keeps its people and provider.
    assert second.subscriber.last_name == "MANN" and second.subscriber.member_id == "345678901"
    born = date(1995, 11, 1)
    assert second.dependent == x12.Party(first_name="JOSEPH", last_name="MANN", gender="M", date_of_birth=born)
    assert second.providers[1].organization_name == "HOME HOSPITAL PHYSICIANS"
    line = second.encounter.service_line
    assert line is not None and (line.qualifier, line.procedure_code, line.submitted_amount) == ("HC", "99203", 150)
    assert line.units == 1 and line.service_date_from == date(2005, 5, 1)
    assert x12.tokenize(sample("276-provider-level-status.276")).segments[20].elements == ["HL", "6", "5", "22", "1"]


def test_receiver_level_276() -> None:
    parsed = x12.parse_276(sample("276-information-receiver-level-status.276"))
    (request,) = parsed.requests
    assert request.control_number == "0001"
    assert (request.payer_id, request.payer_name) == ("12345", "ABC INSURANCE")
    billing, service = request.providers
    assert billing == x12.ProviderId("BillingProvider", organization_name="XYZ SERVICE", etin="X67E")
    assert service == x12.ProviderId("ServiceProvider", organization_name="HOME HOSPITAL", npi="1666666661")
    assert request.subscriber == x12.Party(
        member_id="123456789A", first_name="FRED", last_name="SMITH", gender="M", date_of_birth=date(1930, 12, 10)
    )
    e = request.encounter
    assert (e.tracking_number, e.billing_type, e.patient_account_number) == ("ABCXYZ1", "111", "SM123456")
    assert e.submitted_amount == Decimal("8513.88")
    assert (e.beginning_date_of_service, e.end_date_of_service) == (date(2005, 8, 31), date(2005, 9, 6))
    assert parsed.warnings == []


def test_ncpdp_276() -> None:
    (request,) = x12.parse_276(sample("276-claim-level-status-ncpdp.276")).requests
    assert request.encounter.pharmacy_prescription_number == "7654321"
    assert request.encounter.submitted_amount == Decimal("85.00")
    assert request.encounter.beginning_date_of_service == date(2006, 3, 1)
    assert request.encounter.end_date_of_service is None


@pytest.mark.parametrize("path", sorted(DATA.glob("*.27?")), ids=lambda p: p.name)
def test_every_sample_survives_build_and_parse_again(path: Path) -> None:
    text = path.read_text()
    if path.suffix == ".277":
        for report in x12.parse_277(text).reports:
            again = x12.parse_277(x12.build_277(report, control_number="7"))
            assert again.reports == [report] and again.warnings == []
    else:
        for request in x12.parse_276(text).requests:
            requests = x12.parse_276(x12.build_276(request))
            assert requests.warnings == []
            assert [r.encounter for r in requests.requests] == [request.encounter]
