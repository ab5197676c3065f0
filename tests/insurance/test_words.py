"""An insurer's answer in words: the stage, the member's share, the comparison with the claim."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from insurance.words import answer_words
from portal.gateway.insurer import Answer, Channel, ClaimAnswer, FieldProblem, Line, Reason, StatusCode


def _answer(*claims: ClaimAnswer, channel: Channel = Channel.OPTUM_JSON, **kw: object) -> Answer:
    return Answer(channel=channel, payer_name="Evergreen Dental Benefits", claims=claims, **kw)  # type: ignore[arg-type]


def test_a_finalized_claim_gives_the_share_left_unpaid_and_says_it_is_an_upper_bound() -> None:
    claim = ClaimAnswer(
        statuses=(StatusCode(category="F1", code="65"),),
        charged=D("185.00"),
        paid=D("115.00"),
        service_date_from=date(2026, 3, 2),
    )
    words = answer_words(_answer(claim), claimed=D("70.00"))
    (c,) = words.claims
    assert words.known
    assert c.stage == "paid"
    assert c.member_share == D("70.00") and c.share_is_upper_bound
    assert "matches what the insurer left unpaid" in c.comparison and c.matches_claim is True
    assert "Evergreen Dental Benefits has finished processing" in words.headline
    assert [code.code for code in c.codes] == ["F1", "65"]


def test_integrex_lines_give_the_exact_share_with_reasons_in_words() -> None:
    line = Line(
        procedure_code="92004",
        charged=D("180.00"),
        paid=D("120.00"),
        coinsurance=D("20.00"),
        copay=D("10.00"),
        statuses=(StatusCode(category="F1", code="65"),),
        reasons=(Reason(source="CARC", code="2"), Reason(source="CARC", code="3"), Reason(source="PAYER", code="ZX9")),
    )
    claim = ClaimAnswer(
        statuses=(StatusCode(category="F1", code="65"),), charged=D("180.00"), paid=D("120.00"), lines=(line,)
    )
    words = answer_words(_answer(claim, channel=Channel.INTEGREX), claimed=D("50.00"))
    (c,) = words.claims
    assert c.member_share == D("30.00") and not c.share_is_upper_bound
    assert "$20.00 more than your share of $30.00" in c.comparison and c.matches_claim is False
    (lw,) = c.lines
    texts = {code.code: code.text for code in lw.codes}
    assert texts["2"] and texts["3"] and texts["2"] != texts["3"]
    assert "ask your insurer" in texts["ZX9"].lower()  # a payer's own code nobody here can explain


def test_a_paid_claim_with_a_denied_line_is_finished_not_paid() -> None:
    lines = (
        Line(procedure_code="D1110", statuses=(StatusCode(category="F1", code="65"),)),
        Line(procedure_code="D4910", statuses=(StatusCode(category="F2", code="88", entity="QC"),)),
    )
    claim = ClaimAnswer(
        statuses=(StatusCode(category="F1", code="65"),), charged=D("300.00"), paid=D("90.00"), lines=lines
    )
    (c,) = answer_words(_answer(claim), claimed=D("210.00")).claims
    assert c.stage == "finalized"
    assert c.member_share == D("210.00")


def test_no_claim_found_says_so_plainly() -> None:
    claim = ClaimAnswer(statuses=(StatusCode(category="D0", code="35"),))
    words = answer_words(_answer(claim), claimed=D("75.00"))
    assert not words.known
    assert "has no record of this claim" in words.headline
    assert words.claims[0].member_share is None and words.claims[0].comparison == ""

    empty = answer_words(_answer(), claimed=D("75.00"))
    assert "has no record of this claim" in empty.headline and not empty.known


def test_request_level_status_and_field_problems() -> None:
    rejected = answer_words(
        _answer(request_statuses=(StatusCode(category="A7", code="562", entity="85"),)), claimed=None
    )
    assert "could not match the details" in rejected.headline
    unknown_member = answer_words(
        _answer(request_statuses=(StatusCode(category="A7", code="33", entity="IL"),)), claimed=None
    )
    assert unknown_member.detail == (
        "The insurer found no member with this name and member ID. Check the member ID, the names and the dates "
        "of birth exactly as on your card, then check again."
    )  # the member's question was turned away: nothing for the provider to correct
    refused = answer_words(
        _answer(problems=(FieldProblem(field="subscriber.memberId", description="Invalid member id"),)), claimed=None
    )
    assert [(p.label, p.text, p.insurers_words) for p in refused.problems] == [("Member ID", "Invalid member id", True)]
    assert (refused.headline, refused.detail) == (
        "Evergreen Dental Benefits refused some of the details sent.",
        "Each is named below. Correct it, then check again.",
    )  # nothing to wait for: never "try again later"
    # A field in a list ([0]) is named by the form's label; one the member did not fill in by its own name.
    named = answer_words(
        _answer(problems=(
            FieldProblem(field="providers[0].npi", description="NPI failed validation"),
            FieldProblem(field="tradingPartnerName", description="must not contain ~ * : or ^"),
            FieldProblem(field="dependent.dateOfBirth", description=""),
        )),
        claimed=None,
    )  # fmt: skip
    assert [(p.label, p.text, p.insurers_words) for p in named.problems] == [
        ("Provider's NPI", "NPI failed validation", True),
        ("", "tradingPartnerName: must not contain ~ * : or ^", True),
        ("Patient's date of birth", "refused", False),
    ]
    unsaid = answer_words(_answer(problems=(FieldProblem(field="", description=""),)), claimed=None)
    assert [(p.text, p.insurers_words) for p in unsaid.problems] == [
        ("The insurer refused part of the request.", False)
    ]


def test_unknown_codes_are_shown_as_themselves() -> None:
    claim = ClaimAnswer(statuses=(StatusCode(category="Q9", code="99999"),))
    words = answer_words(_answer(claim), claimed=None)
    (c,) = words.claims
    assert c.stage == "unknown"
    assert {code.code for code in c.codes} == {"Q9", "99999"}
    assert all("ask your insurer" in code.text.lower() for code in c.codes if not code.known)


def test_a_status_code_in_the_code_list_names_its_entity() -> None:
    """Status 562 with entity 85: "the National Provider Identifier (NPI) of the billing
    provider", not "of someone named on the claim"."""
    claim = ClaimAnswer(statuses=(StatusCode(category="A7", code="562", entity="85"),))
    (c,) = answer_words(_answer(claim), claimed=None).claims
    texts = {code.kind: code.text for code in c.codes}
    assert "billing provider" in texts["status"] and "someone named" not in texts["status"]
