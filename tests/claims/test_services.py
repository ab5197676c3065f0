"""What the claim pages show, worked out from situations (claims.services)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.services import claim_url


@pytest.mark.parametrize("number", ["11ACME261128P0000103", "A B", "x?y", "50%", "ñ-ü", "a+b&c=d", "~:@!$'()*,;"])
@pytest.mark.parametrize("route", ["claims:claim_detail", "claims:employer_claim_review"])
def test_claim_urls_are_what_reverse_gives(route, number):
    assert claim_url(route, number) == reverse(route, args=[number])


def test_the_filters_select_is_what_djangos_select_draws():
    from django import forms

    from claims.forms import Select

    choices = [("", "All claims"), ("denied", "Denied & <more>"), ("paid", "Paid")]
    for value in ("", "denied", None):
        ours = Select(choices=choices, attrs={"id": "id_status"}).render("status", value)
        theirs = forms.Select(choices=choices, attrs={"id": "id_status"}).render("status", value)
        assert ours.replace("\n", "").replace("  ", "") == theirs.replace("\n", "").replace("  ", "")
