"""The tokenizer: delimiters from the ISA, tolerance for the layout of real files, envelope
checks that name the place, and garbage refused in words."""

from __future__ import annotations

import pytest

import x12
from tests.x12.helpers import interchange, sample

CLAIM = (
    "BHT*0010*08*REF1*20240101*1200*DG",
    "HL*1**20*1",
    "NM1*PR*2*SUMMIT HEALTH PLAN*****PI*SUMMT",
    "HL*2*1*21*1",
    "NM1*41*2*PORTAL*****46*PORTAL",
    "HL*3*2*19*1",
    "NM1*1P*2*BRIGHT SMILES DENTAL*****XX*1234567893",
    "HL*4*3*22*0",
    "NM1*IL*1*NGUYEN*ALICE****MI*SHP448812301",
    "TRN*2*TRACE1",
    "STC*F1:65:PR*20240110**120.50*80.25*20240111*CHK*20240112*CHK0001",
    "DTP*472*D8*20240105",
)


def _one_claim(text: str | bytes) -> x12.ClaimStatus:
    (report,) = x12.parse_277(text).reports
    (claim,) = report.claims
    return claim


def test_segments_elements_and_components() -> None:
    result = x12.tokenize(sample("277-claim-level-status.277"))
    assert (result.element_separator, result.component_separator, result.repetition_separator) == ("*", ":", "^")
    assert result.segment_terminator == "~"
    assert (result.sender_id, result.receiver_id, result.control_number, result.usage) == (
        "000000005",
        "12345",
        "000000907",
        "T",
    )
    stc = next(s for s in result.segments if s.id == "STC")
    assert stc.index == 14 and stc.element(1) == "P3:317" and stc.component(1, 2) == "317"
    assert stc.element(40) == "" and stc.component(1, 9) == ""
    (transaction,) = result.transactions
    assert (transaction.set_id, transaction.control_number, transaction.implementation) == ("277", "0001", "005010X212")
    assert transaction.functional_id == "HN"


@pytest.mark.parametrize(
    ("element", "component", "terminator"),
    [("|", "^", "\n"), ("*", ">", "~"), ("^", "\\", "'"), ("*", ":", "~\r\n"), ("\x1d", "\x1f", "\x1c")],
)
def test_other_delimiters(element: str, component: str, terminator: str) -> None:
    text = interchange(*CLAIM, element=element, component=component, terminator=terminator)
    if element == "^":
        text = text.replace("^^00501", "U^00501")  # ISA11 cannot repeat the element separator
    claim = _one_claim(text)
    stc = claim.statuses[0]
    assert (stc.category, stc.code, stc.entity, str(stc.amount_paid)) == ("F1", "65", "PR", "80.25")
    assert (stc.payment_method, stc.check_number) == ("CHK", "CHK0001")


def test_bom_padding_blank_lines_and_trailing_whitespace() -> None:
    text = "\ufeff  \r\n" + interchange(*CLAIM, terminator="~\r\n\r\n   ") + "\n\n  \t"
    assert _one_claim(text).tracking_number == "TRACE1"
    assert _one_claim(text.encode("utf-8-sig")).tracking_number == "TRACE1"


def test_isa_without_padding_is_read_by_counting_separators() -> None:
    text = interchange(*CLAIM).replace("SENDER         ", "SENDER").replace("RECEIVER       ", "RECEIVER")
    result = x12.tokenize(text)
    assert (result.sender_id, result.receiver_id) == ("SENDER", "RECEIVER")


def test_lower_case_ids_and_codes_are_read_with_a_warning() -> None:
    text = interchange(*CLAIM).lower().replace("isa*", "ISA*", 1)
    parsed = x12.parse_277(text)
    (claim,) = parsed.reports[0].claims
    assert (claim.statuses[0].category, claim.statuses[0].entity) == ("F1", "PR")
    assert claim.subscriber is not None and claim.subscriber.last_name == "nguyen"
    assert any("lower case" in w for w in parsed.warnings)


def test_unknown_segments_are_skipped_with_a_warning_known_extras_quietly() -> None:
    body = list(CLAIM)
    body.insert(5, "QTY*90*1")
    body.insert(6, "AMT*YU*120.50")
    body.insert(11, "ZZZ*whatever")
    parsed = x12.parse_277(interchange(*body))
    assert parsed.reports[0].claims[0].statuses[0].code == "65"
    assert parsed.warnings == ["segment 15 (ZZZ): this segment is not part of a 277 claim status; it was skipped."]


# --- envelopes ---------------------------------------------------------------------------------


def test_wrong_se_count_is_a_warning_naming_the_element() -> None:
    text = interchange(*CLAIM).replace(f"SE*{len(CLAIM) + 2}*0001", "SE*99*0001")
    parsed = x12.parse_277(text)
    assert parsed.warnings == ["segment 16 (SE), element SE01: says 99 segments, but 14 were found."]
    assert parsed.reports[0].claims[0].tracking_number == "TRACE1"


def test_control_number_mismatches_are_warnings() -> None:
    text = interchange(*CLAIM).replace("SE*14*0001", "SE*14*0002").replace("GE*1*42", "GE*1*43")
    text = text.replace("IEA*1*000000042", "IEA*1*000000099")
    warnings = x12.tokenize(text).warnings
    assert warnings == [
        "segment 16 (SE), element SE02: the transaction set control number does not match ST02 of segment 3 (ST).",
        "segment 17 (GE), element GE02: the group control number does not match GS06 of segment 2 (GS).",
        "segment 18 (IEA), element IEA02: the interchange control number does not match ISA13.",
    ]


def test_group_and_interchange_counts() -> None:
    text = interchange(*CLAIM).replace("GE*1*42", "GE*2*42").replace("IEA*1*", "IEA*3*")
    assert x12.tokenize(text).warnings == [
        "segment 17 (GE), element GE01: says 2 transaction sets, but 1 were found.",
        "segment 18 (IEA), element IEA01: says 3 functional groups, but 1 were found.",
    ]


def test_missing_iea_is_an_error() -> None:
    text = interchange(*CLAIM).replace("IEA*1*000000042~\n", "")
    with pytest.raises(x12.X12Error, match=r"ends at segment 17 \(GE\) without IEA .*truncated"):
        x12.tokenize(text)


def test_missing_se_is_an_error_naming_the_st() -> None:
    text = interchange(*CLAIM).replace("SE*14*0001~\n", "")
    with pytest.raises(x12.X12Error, match=r"segment 16 \(GE\): the transaction set that starts at segment 3 \(ST\)"):
        x12.tokenize(text)


def test_file_cut_inside_a_transaction() -> None:
    text = interchange(*CLAIM)
    cut = text[: text.index("TRN*2")]
    with pytest.raises(x12.X12Error, match=r"ends inside the transaction set that starts at segment 3 \(ST\)"):
        x12.tokenize(cut)


def test_missing_ge_is_an_error() -> None:
    text = interchange(*CLAIM).replace("GE*1*42~\n", "")
    with pytest.raises(x12.X12Error, match=r"segment 17 \(IEA\).*segment 2 \(GS\) has no GE"):
        x12.tokenize(text)


def test_several_transactions_and_groups() -> None:
    text = interchange(*CLAIM)
    second = "\n".join(
        ["GS*HN*SENDER*RECEIVER*20240101*1200*43*X*005010X212~", "ST*277*0002*005010X212~"]
        + [f"{s}~" for s in CLAIM]
        + ["SE*14*0002~", "GE*1*43~", ""]
    ).replace("TRACE1", "TRACE2")
    text = text.replace("IEA*1*", second + "IEA*2*")
    parsed = x12.parse_277(text)
    assert parsed.warnings == []
    assert [c.tracking_number for r in parsed.reports for c in r.claims] == ["TRACE1", "TRACE2"]


# --- garbage -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "The file is empty"),
        (b"   \n\t ", "The file is empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "not X12: it looks like a PDF document"),
        (b'{"controlNumber": "000000001"}', "not X12: it looks like JSON"),
        (b"<html><body>Bad gateway</body></html>", "not X12: it looks like HTML or XML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not X12"),
        (b"hello world, this is a letter", "not X12: it does not start with an ISA segment"),
        (b"ISA*00*          *00*    ", "ISA segment is cut short"),
        (b"ISA", "ISA segment is cut short"),
        (b"ISAX00X          X00", "element separator"),
    ],
)
def test_garbage_is_refused_in_words(data: bytes, words: str) -> None:
    with pytest.raises(x12.X12Error) as caught:
        x12.parse_277(data)
    assert words in str(caught.value)


def test_isa_alone_is_truncated() -> None:
    isa = sample("277-claim-level-status.277").splitlines()[0]
    with pytest.raises(x12.X12Error, match="without IEA"):
        x12.tokenize(isa)
    with pytest.raises(x12.X12Error, match="ISA16"):
        x12.tokenize(isa[:-2])


def test_content_after_the_interchange_is_ignored_with_a_warning() -> None:
    text = interchange(*CLAIM) + "GS*HN*X*Y*20240101*1200*9*X*005010X212~\nGARBAGE TEXT\n"
    result = x12.tokenize(text)
    assert result.warnings == [
        "Segment 20 is not a segment (its id is not 2 or 3 letters and digits); it was skipped.",
        "segment 19 (GS) comes after the interchange ended; it was ignored.",
    ]
    assert len(result.transactions) == 1


def test_two_interchanges_in_one_file() -> None:
    text = interchange(*CLAIM) + interchange(*CLAIM).replace("TRACE1", "TRACE9")
    parsed = x12.parse_277(text)
    assert [c.tracking_number for r in parsed.reports for c in r.claims] == ["TRACE1", "TRACE9"]
    assert parsed.warnings == []


def test_garbage_inside_a_transaction_is_skipped_but_still_counted() -> None:
    body = list(CLAIM)
    body.insert(9, "#### not a segment ####")
    parsed = x12.parse_277(interchange(*body))
    assert parsed.warnings == ["Segment 13 is not a segment (its id is not 2 or 3 letters and digits); it was skipped."]
    assert parsed.reports[0].claims[0].tracking_number == "TRACE1"
    assert [s.index for s in x12.tokenize(interchange(*body)).segments][-4:] == [16, 17, 18, 19]


def test_spaces_and_tabs_between_segments() -> None:
    text = interchange(*CLAIM, terminator="~ \t ")
    assert _one_claim(text).statuses[0].check_number == "CHK0001"
    assert x12.tokenize(text).warnings == []


def test_old_style_isa11_is_not_a_repetition_separator() -> None:
    result = x12.tokenize(interchange(*CLAIM).replace("*^*00501*", "*U*00501*"))
    assert result.repetition_separator is None


def test_no_terminator_after_iea_and_lines_wrapped_mid_segment() -> None:
    flat = interchange(*CLAIM, terminator="~")
    assert _one_claim(flat.rstrip("~")).tracking_number == "TRACE1"
    wrapped = "\r\n".join(flat[i : i + 80] for i in range(0, len(flat), 80))  # fixed-width records
    claim = _one_claim(wrapped)
    assert claim.tracking_number == "TRACE1" and claim.statuses[0].check_number == "CHK0001"


@pytest.mark.parametrize("width", [40, 64, 80, 100, 104, 105, 106])
def test_wrapped_lines_anywhere_in_the_isa(width: int) -> None:
    flat = interchange(*CLAIM, terminator="~")
    wrapped = "\n".join(flat[i : i + width] for i in range(0, len(flat), width))
    result = x12.tokenize(wrapped)
    assert (result.component_separator, result.segment_terminator, result.receiver_id) == (":", "~", "RECEIVER")
    assert _one_claim(wrapped).statuses[0].check_number == "CHK0001"


def test_the_collector_is_back_on_after_reading_even_from_several_threads() -> None:
    import gc
    import threading

    text = interchange(*CLAIM)
    threads = [threading.Thread(target=lambda: [x12.parse_277(text) for _ in range(50)]) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gc.isenabled()
    with pytest.raises(x12.X12Error):
        x12.parse_277(b"%PDF")
    assert gc.isenabled()
    gc.disable()
    try:
        x12.parse_277(text)
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
