"""What the claim pages show, worked out from situations (claims.services)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.services import claim_rows
from claims.situation import situation


@pytest.mark.parametrize("number", ["11ACME261128P0000103", "A B", "x?y", "50%", "ñ-ü", "a+b&c=d", "~:@!$'()*,;"])
@pytest.mark.parametrize("employer", [False, True])
def test_the_rows_claim_urls_are_what_reverse_gives(employer, number):
    from dataclasses import replace

    from tests.claims.test_situation import CASES, TODAY, build

    claim = replace(build(CASES[0])[0], claim_number=number)
    (row,) = claim_rows([situation(claim, today=TODAY)], employer=employer)
    route = "claims:employer_claim_review" if employer else "claims:claim_detail"
    assert row.url == reverse(route, args=[number])


def test_the_filters_select_is_what_djangos_select_draws():
    from django import forms

    from claims.forms import Select

    choices = [("", "All claims"), ("denied", "Denied & <more>"), ("paid", "Paid")]
    for value in ("", "denied", None):
        ours = Select(choices=choices, attrs={"id": "id_status"}).render("status", value)
        theirs = forms.Select(choices=choices, attrs={"id": "id_status"}).render("status", value)
        assert ours.replace("\n", "").replace("  ", "") == theirs.replace("\n", "").replace("  ", "")
