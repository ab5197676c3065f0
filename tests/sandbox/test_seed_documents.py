"""The demo's receipts on file (issue 16): alice's are real-looking documents made to fit their
claims, of every kind the reader knows, as text PDFs, phone photos and a scan, and a few are
deliberately flawed. Read back with the real reader, as the automated review will read them."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command

from evidence import Readability, read
from evidence.model import Kind
from evidence.text import normal
from sandbox.api.services import _NEEDS_RECEIPT, receipt_storage
from sandbox.models import Claim, Receipt

pytestmark = pytest.mark.django_db(transaction=True)

FLAWED = {  # (provider, expense): what its document lacks, as the claim's own story has it
    ("Bright Smiles Dental", "Fillings"): "provider",  # "Provider name missing" is asked for
    ("1-800 Contacts", "Contact Lenses"): "date_of_service",  # denied: "did not show required details"
    ("Align Chiropractic", "Chiropractic"): "patient",
    ("Bright Smiles Dental", "Orthodontics"): "amount",  # shows less than was claimed
}


def _readings(demo) -> list[tuple[Receipt, object]]:
    storage = receipt_storage()
    out = []
    for receipt in Receipt.objects.filter(person__id=demo.alice).prefetch_related("claims"):
        with storage.open(receipt.storage_name) as stored:
            data = stored.read()
        out.append((receipt, read(data, receipt.mime_type)))
    return out


def test_alices_receipts_on_file_are_documents_of_every_kind_that_fit_their_claims(demo) -> None:
    readings = _readings(demo)
    assert {reading.kind for _receipt, reading in readings} == set(Kind) - {Kind.UNKNOWN}
    assert {receipt.content_type for receipt, _ in readings} == {"PDF", "JPEG", "PNG"}
    flawed = {}
    for receipt, reading in readings:
        assert reading.readability is Readability.READ, receipt.file_name
        claim = receipt.claims.get()
        day: date = claim.start_date_of_service.date()
        lacks = FLAWED.get((claim.provider_name, claim.expense_type))
        if lacks == "amount":
            assert reading.value("amount") < claim.claim_amount
        elif lacks:
            assert reading.value(lacks) is None, receipt.file_name
        flawed[lacks] = flawed.get(lacks, 0) + 1
        if lacks != "amount":
            assert reading.value("amount") == claim.claim_amount, receipt.file_name
        if lacks != "date_of_service":
            assert reading.value("date_of_service") == day, receipt.file_name
        if lacks != "provider":
            assert normal(str(reading.value("provider"))) == normal(claim.provider_name), receipt.file_name
    assert flawed.pop(None) >= 10 and flawed == dict.fromkeys(FLAWED.values(), 1)


def test_documents_to_try_the_receipt_check_with(demo, tmp_path) -> None:
    """`make run` writes them to var/demo-documents/: for each of alice's claims that waits for a
    receipt, a PDF and a photo that pass and one that lacks something, named for what it lacks."""
    call_command("seed_sandbox", "--documents", str(tmp_path / "docs"), stdout=io.StringIO())
    names = sorted(path.name for path in (tmp_path / "docs").iterdir())
    waiting = Claim.objects.filter(person__id=demo.alice, receipt_status__in=_NEEDS_RECEIPT)
    assert len(names) == 3 * waiting.count() >= 12
    glasses = [name for name in names if name.startswith("clearview-eye-care-glasses")]
    assert len(glasses) == 3
    assert {"clearview-eye-care-glasses-photo.jpg", "clearview-eye-care-glasses.pdf"} < set(glasses)
    claim = waiting.get(provider_name="ClearView Eye Care")
    good = read((tmp_path / "docs" / "clearview-eye-care-glasses.pdf").read_bytes(), "application/pdf")
    assert good.value("amount") == claim.claim_amount and good.value("patient") == "Alice Nguyen"
    for name in names:
        if name.endswith("-no-patient.pdf"):
            assert read((tmp_path / "docs" / name).read_bytes(), "application/pdf").value("patient") is None
    flawed = {name.split("-")[-2] + "-" + name.split("-")[-1] for name in names if name.count("-no-") == 1}
    assert flawed >= {"no-patient.pdf", "no-date.pdf", "no-provider.pdf"}
    assert any(name.endswith("-amount-differs.pdf") for name in names)


def test_the_seeds_documents_are_made_once_per_process() -> None:
    """Every test that seeds the sandbox asks for the same documents: made once (photos take a
    second each), or the suite takes three times as long."""
    from sandbox import seed

    assert hasattr(seed._document, "cache_info"), "sandbox.seed._document lost its lru_cache"
