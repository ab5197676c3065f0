"""Generated documents read end to end: text PDFs of every kind, and a few photos and scans (OCR)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from evidence import Readability, read
from evidence.model import Kind
from evidence.samples import FLAWS, KINDS, Facts, make_document
from evidence.text import normal

CHECKED = ("date_of_service", "provider", "patient", "amount", "total", "insurer_paid", "npi", "tax_id")


def _assert_reads(
    kind: Kind, variant: str, seed: int, turn: int | None = None, checked: tuple[str, ...] = CHECKED
) -> None:
    data, mime, truth = make_document(kind, variant=variant, seed=seed, turn=turn)
    reading = read(data, mime)
    assert reading.readability is Readability.READ
    assert reading.kind.value == truth["kind"]
    for name in checked:
        got, expected = reading.value(name), truth[name]
        if isinstance(expected, str):
            got, expected = normal(str(got)), normal(expected)
        assert got == expected, name
    assert reading.fields["amount"].where is not None


@pytest.mark.parametrize("kind", KINDS)
def test_text_pdfs_of_every_kind(kind: Kind) -> None:
    for seed in (1, 2):
        _assert_reads(kind, "pdf", seed)


def test_a_phone_photo_of_a_pharmacy_receipt() -> None:
    _assert_reads(Kind.PHARMACY_RECEIPT, "photo", 3, turn=0)


def test_a_faint_scan_of_a_dental_invoice() -> None:
    _assert_reads(Kind.DENTAL_INVOICE, "scan", 3, turn=0)


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_photos_turned_on_their_side_or_upside_down(turn: int) -> None:
    kind = Kind.EXPLANATION_OF_BENEFITS if turn == 180 else Kind.PHARMACY_RECEIPT
    _assert_reads(kind, "photo", 5, turn=turn, checked=("date_of_service", "provider", "patient", "amount", "total"))


def test_flawed_documents_lack_what_they_lack() -> None:
    for flaw, field in (("no_patient", "patient"), ("no_date", "date_of_service"), ("no_provider", "provider")):
        data, mime, truth = make_document(Kind.MEDICAL_INVOICE, flaws=(flaw,), seed=4)
        assert truth[field] is None
        assert read(data, mime).value(field) is None, flaw


def test_amount_differs_records_what_the_member_will_claim() -> None:
    data, mime, truth = make_document(Kind.PHARMACY_RECEIPT, flaws=("amount_differs",), seed=4)
    assert truth["claimed_amount"] != truth["amount"]
    assert read(data, mime).value("amount") == truth["amount"]


FACTS = Facts(
    provider="Cascade Physical Therapy",
    patient="Alice Nguyen",
    service_day=date(2026, 11, 3),
    amount=Decimal("1234.56"),
)


@pytest.mark.parametrize("kind", KINDS)
def test_a_document_can_show_a_claims_own_facts(kind: Kind) -> None:
    """The demo seed's receipts fit their claims: provider, patient, day and amount are the claim's,
    on every kind, whatever the seed's made-up items and taxes were; the reader reads them back."""
    for seed in (1, 2, 3):
        data, mime, truth = make_document(kind, seed=seed, facts=FACTS)
        assert (truth["provider"], truth["date_of_service"], truth["amount"]) == (
            FACTS.provider,
            FACTS.service_day,
            FACTS.amount,
        )
        assert sum((item["amount"] for item in truth["line_items"]), Decimal(0)) <= truth["total"]
        if kind is not Kind.SHOP_RECEIPT:  # a shop's receipt names nobody
            assert truth["patient"] == FACTS.patient
        reading = read(data, mime)
        assert reading.value("amount") == FACTS.amount and reading.value("date_of_service") == FACTS.service_day
        assert normal(str(reading.value("provider"))) == normal(FACTS.provider)


def test_a_flawed_document_for_a_claim_lacks_what_it_lacks() -> None:
    data, mime, truth = make_document(Kind.DENTAL_INVOICE, flaws=("amount_differs",), seed=1, facts=FACTS)
    assert truth["claimed_amount"] == FACTS.amount and truth["amount"] < FACTS.amount
    assert read(data, mime).value("amount") == truth["amount"]
    data, mime, truth = make_document(Kind.DEPENDENT_CARE_INVOICE, flaws=("no_patient",), seed=1, facts=FACTS)
    assert truth["patient"] is None and read(data, mime).value("patient") is None


def test_the_generator_refuses_what_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="unknown"):
        make_document(Kind.PHARMACY_RECEIPT, flaws=("torn",))
    assert set(FLAWS) == {"no_patient", "no_date", "no_provider", "amount_differs"}


def test_a_reading_survives_its_json_form() -> None:
    data, mime, _ = make_document(Kind.EXPLANATION_OF_BENEFITS, seed=2)
    reading = read(data, mime)
    again = type(reading).from_json(reading.to_json())
    assert again.fields == reading.fields
    assert again.line_items == reading.line_items
