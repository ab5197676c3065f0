from __future__ import annotations

from decimal import Decimal as D

import pytest

from insurance.forms import CheckForm
from x12.values import npi_is_valid


@pytest.mark.parametrize("npi", ["1760854442", "1234567893", "1982736450"])
def test_valid_npis(npi: str) -> None:
    assert npi_is_valid(npi)


@pytest.mark.parametrize("npi", ["1760854441", "176085444", "17608544420", "abcdefghij", ""])
def test_invalid_npis(npi: str) -> None:
    assert not npi_is_valid(npi)


def _form(**data: str) -> CheckForm:
    base = {"patient": "self", "service_date": "2026-03-02", "provider_name": "Bright Smiles Dental"}
    return CheckForm({**base, **data}, patients=[("self", "Alice Nguyen")])


def test_amounts_as_people_type_them() -> None:
    form = _form(billed_amount="$1,234.5")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["billed_amount"] == D("1234.50")
    for bad in ("12.345", "-5", "abc", "0"):
        assert not _form(billed_amount=bad).is_valid()


def test_reserved_x12_characters_and_bad_ids_are_refused_in_words() -> None:
    form = _form(provider_name="Smiles*Dental", provider_npi="1760854441", provider_tax_id="12-34")
    assert not form.is_valid()
    assert "cannot contain" in form.errors["provider_name"][0]
    assert "check digit" in form.errors["provider_npi"][0]
    assert "9 digits" in form.errors["provider_tax_id"][0]
    assert _form(provider_tax_id="93-2270011", provider_npi="1760854442").is_valid()
