"""The receipt check's findings: a Reading against the five things and the claim (pure)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from evidence import Field, Kind, LineItem, Readability, Reading
from receipts.findings import ClaimFacts, Item, State, findings

FACTS = ClaimFacts(
    amount=Decimal("42.10"),
    service_start=date(2026, 3, 15),
    service_end=date(2026, 3, 15),
    plan_year_start=date(2026, 1, 1),
    provider="ClearView Eye Care",
    patients=("Alice Example",),
)


def reading(**fields: object) -> Reading:
    made = {}
    for name, value in fields.items():
        if isinstance(value, Field):
            made[name] = value
        else:
            made[name] = Field(value=value, confidence=0.95)  # type: ignore[arg-type]
    days = tuple(f.value for n, f in made.items() if n == "date_of_service" and isinstance(f.value, date))
    return Reading(kind=Kind.MEDICAL_INVOICE, readability=Readability.READ, fields=made, dates_of_service=days)


COMPLETE = dict(
    date_of_service=date(2026, 3, 15),
    provider="ClearView Eye Care, LLC",
    patient="ALICE M EXAMPLE",
    description="Eye exam",
    amount=Decimal("42.10"),
)


def states(r: Reading, facts: ClaimFacts = FACTS) -> dict[Item, State]:
    return {f.item: f.state for f in findings(r, facts).items}


def test_a_complete_receipt_passes_all_five():
    result = findings(reading(**COMPLETE), FACTS)
    assert result.complete and set(states(reading(**COMPLETE)).values()) == {State.MATCHES}


@pytest.mark.parametrize("missing", ["date_of_service", "provider", "patient", "description", "amount"])
def test_what_was_not_read_is_said_as_ours_not_the_members(missing):
    fields = {k: v for k, v in COMPLETE.items() if k != missing}
    result = findings(reading(**fields), FACTS)
    (finding,) = [f for f in result.items if f.item == missing]
    assert finding.state is State.NOT_READ and not result.complete
    assert finding.message.startswith("We could not read")
    assert "your receipt" not in finding.message.lower()


def test_a_value_read_without_confidence_is_unsure_and_never_a_mismatch():
    fields = dict(COMPLETE, amount=Field(value=Decimal("4.10"), confidence=0.3))
    assert states(reading(**fields))[Item.AMOUNT] is State.UNSURE
    fields = dict(COMPLETE, patient=Field(value="Bob Other", confidence=0.4))
    assert states(reading(**fields))[Item.PATIENT] is State.UNSURE


def test_amounts_compare_with_the_claim_or_the_part_still_owed():
    assert states(reading(**dict(COMPLETE, amount=Decimal("40.00"))))[Item.AMOUNT] is State.DIFFERS
    assert states(reading(**dict(COMPLETE, amount=Decimal("50.00"))))[Item.AMOUNT] is State.MATCHES  # more: fine
    owed = ClaimFacts(**{**FACTS.__dict__, "still_owed": Decimal("12.10")})
    assert states(reading(**dict(COMPLETE, amount=Decimal("12.10"))), owed)[Item.AMOUNT] is State.MATCHES
    # The total stands in when no paid amount was read.
    fields = {k: v for k, v in COMPLETE.items() if k != "amount"}
    assert states(reading(**fields, total=Decimal("42.10")))[Item.AMOUNT] is State.MATCHES


def test_dates_outside_the_service_dates_differ_and_the_plan_year_is_named():
    result = findings(reading(**dict(COMPLETE, date_of_service=date(2026, 4, 2))), FACTS)
    (when,) = [f for f in result.items if f.item is Item.DATE]
    assert when.state is State.DIFFERS and "Mar 15, 2026" in when.message and "plan year" not in when.message
    result = findings(reading(**dict(COMPLETE, date_of_service=date(2025, 3, 15))), FACTS)
    (when,) = [f for f in result.items if f.item is Item.DATE]
    assert when.state is State.DIFFERS and "plan year" in when.message


def test_an_ambiguous_day_and_month_is_settled_by_the_claims_dates():
    # Read as 2026-03-04 (04/03 or 03/04): the claim's date 2026-04-03 settles it, not a mismatch.
    facts = ClaimFacts(**{**FACTS.__dict__, "service_start": date(2026, 4, 3), "service_end": date(2026, 4, 3)})
    ambiguous = Field(value=date(2026, 3, 4), confidence=0.9, uncertain="day_month_ambiguous")
    assert states(reading(**dict(COMPLETE, date_of_service=ambiguous)), facts)[Item.DATE] is State.MATCHES
    # Neither reading fits the claim: we say we are not sure, never that the date is wrong.
    other = ClaimFacts(**{**FACTS.__dict__, "service_start": date(2026, 6, 1), "service_end": date(2026, 6, 1)})
    assert states(reading(**dict(COMPLETE, date_of_service=ambiguous)), other)[Item.DATE] is State.UNSURE


def test_names_and_providers_match_loosely_but_a_different_person_is_said_kindly():
    assert states(reading(**dict(COMPLETE, patient="Example, Alice")))[Item.PATIENT] is State.MATCHES
    assert states(reading(**dict(COMPLETE, patient="A. Example")))[Item.PATIENT] is State.MATCHES
    other = findings(reading(**dict(COMPLETE, patient="Bob Smith")), FACTS)
    (who,) = [f for f in other.items if f.item is Item.PATIENT]
    assert who.state is State.DIFFERS and "dependent" in who.message
    assert states(reading(**dict(COMPLETE, provider="CLEARVIEW EYE")))[Item.PROVIDER] is State.MATCHES
    assert states(reading(**dict(COMPLETE, provider="Walgreens #1234")))[Item.PROVIDER] is State.DIFFERS


def test_line_items_describe_the_purchase_when_no_description_is_read():
    fields = {k: v for k, v in COMPLETE.items() if k != "description"}
    r = Reading(
        kind=Kind.PHARMACY_RECEIPT,
        readability=Readability.READ,
        fields={k: Field(value=v, confidence=0.9) for k, v in fields.items()},  # type: ignore[arg-type]
        line_items=(LineItem(description="Amoxicillin 500mg", amount=Decimal("42.10")),),
        dates_of_service=(date(2026, 3, 15),),
    )
    (what,) = [f for f in findings(r, FACTS).items if f.item is Item.DESCRIPTION]
    assert what.state is State.MATCHES and what.shown == "Amoxicillin 500mg"


@pytest.mark.parametrize("readability", [Readability.DAMAGED, Readability.UNSUPPORTED, Readability.NO_TEXT])
def test_a_file_that_could_not_be_read_says_why_in_words(readability):
    result = findings(Reading(kind=Kind.UNKNOWN, readability=readability), FACTS)
    assert not result.readable and not result.complete and result.problem and not result.items


def test_foreign_currency_is_not_counted_against_the_member():
    r = reading(**dict(COMPLETE, amount=Decimal("9.00")))
    r = Reading(
        kind=r.kind, readability=r.readability, fields=r.fields, dates_of_service=r.dates_of_service, currency="MYR"
    )
    (amount,) = [f for f in findings(r, FACTS).items if f.item is Item.AMOUNT]
    assert amount.state is State.MATCHES and amount.shown == "MYR 9.00" and "currency" in amount.message
