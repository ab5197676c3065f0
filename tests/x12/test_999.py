"""The 999 reader: accepted or rejected, and which segment and element were refused."""

from __future__ import annotations

import x12
from tests.x12.helpers import sample

ENVELOPE = (
    "ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*PORTAL         *240101*1200*^*00501*000000005*0*P*:~\n"
    "GS*FA*CLEARINGHOUSE*PORTAL*20240101*1200*5*X*005010X231A1~\n"
    "ST*999*0001*005010X231A1~\n"
    "{body}"
    "SE*{count}*0001~\n"
    "GE*1*5~\n"
    "IEA*1*000000005~\n"
)


def _ack(*segments: str) -> str:
    return ENVELOPE.format(body="".join(f"{s}~\n" for s in segments), count=len(segments) + 2)


def test_accepted() -> None:
    ack = x12.parse_999(_ack("AK1*HR*1*005010X212", "AK2*276*000000001*005010X212", "IK5*A", "AK9*A*1*1*1"))
    assert ack.accepted and ack.code == "A"
    assert ack.errors == [] and ack.warnings == []
    assert ack.group_control_number == "1"
    assert [(t.control_number, t.code, t.accepted) for t in ack.transactions] == [("000000001", "A", True)]


def test_rejected_with_segment_and_element_errors() -> None:
    ack = x12.parse_999(
        _ack(
            "AK1*HR*1*005010X212",
            "AK2*276*000000001*005010X212",
            "IK3*NM1*13*2100D*8",
            "IK4*9*67*7",
            "IK3*DTP*17*2200D*8",
            "IK4*3:1*1251*8",
            "IK3*ZZZ*20**2",
            "IK5*R*5",
            "AK9*R*1*1*0",
        )
    )
    assert not ack.accepted and ack.code == "R"
    first, second, third = ack.errors
    assert (first.segment_id, first.segment_position, first.loop, first.segment_error) == ("NM1", 13, "2100D", "8")
    assert (first.element_position, first.element_reference, first.element_error) == (9, "67", "7")
    assert (second.segment_id, second.element_position, second.component_position) == ("DTP", 3, 1)
    assert (third.segment_id, third.element_position, third.segment_error) == ("ZZZ", None, "2")
    assert first.describe() == "segment NM1 at position 13, element 9 was refused (error code 8, 7)."
    assert [(t.code, t.accepted, t.error_codes) for t in ack.transactions] == [("R", False, ("5",))]


def test_accepted_with_errors_counts_as_accepted() -> None:
    ack = x12.parse_999(_ack("AK1*HR*1", "AK2*276*0001", "IK3*REF*9**8", "IK5*E", "AK9*E*1*1*1"))
    assert ack.accepted and ack.code == "E" and len(ack.errors) == 1


def test_no_ak9_reads_as_not_accepted_with_a_warning() -> None:
    ack = x12.parse_999(_ack("AK1*HR*1"))
    assert not ack.accepted
    assert ack.warnings == ["The 999 for group 1 has no AK9 (functional group response); read as not accepted."]


def test_a_277_is_not_a_999() -> None:
    ack = x12.parse_999(sample("277-claim-level-status.277"))
    assert not ack.accepted
    assert "not a 999" in ack.warnings[-2] and ack.warnings[-1] == "The interchange holds no 999 acknowledgement."


def test_every_999_of_an_interchange_is_read_and_one_rejection_is_not_hidden() -> None:
    """Two 999s in one interchange (two groups acknowledged): the second one's rejection counts."""
    first = ["ST*999*0001*005010X231A1", "AK1*HR*311*005010X212", "AK2*276*0001", "IK5*A", "AK9*A*1*1*1", "SE*6*0001"]
    second = ["ST*999*0002*005010X231A1", "AK1*HR*312*005010X212", "AK2*276*0001", "IK3*NM1*5*2100A*8",
              "IK4*9*67*7", "IK5*R*5", "AK9*R*1*1*0", "SE*8*0002"]  # fmt: skip
    text = "~".join(
        ["ISA*00*          *00*          *ZZ*OPTUM          *ZZ*PORTAL         *240315*1402*^*00501*000000905*0*T*:",
         "GS*FA*OPTUM*PORTAL*20240315*1402*905*X*005010X231A1", *first, *second, "GE*2*905", "IEA*1*000000905"]
    ) + "~"  # fmt: skip
    ack = x12.parse_999(text)
    assert not ack.accepted and ack.code == "R"
    assert [(g.control_number, g.code, g.accepted) for g in ack.groups] == [("311", "A", True), ("312", "R", False)]
    assert [(t.code, t.accepted) for t in ack.transactions] == [("A", True), ("R", False)]
    assert [(e.segment_id, e.element_position) for e in ack.errors] == [("NM1", 9)]
    assert ack.warnings == []
