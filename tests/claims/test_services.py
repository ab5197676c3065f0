"""What the claim pages show, worked out from situations (claims.services)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.services import claim_rows
from claims.situation import situation


@pytest.mark.parametrize("number", ["11ACME261128P0000103", "A B", "x?y", "50%", "ñ-ü", "a+b&c=d", "~:@!$'()*,;"])
@pytest.mark.parametrize("employer", [False, True])
def test_the_rows_claim_urls_are_what_reverse_gives(employer, number):
    from tests.claims.test_situation import CASES, TODAY, build

    claim = build(CASES[0])[0].model_copy(update={"claim_number": number})
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


def test_a_lists_facts_and_rows_are_worked_out_once_per_copy_and_per_day_and_language(monkeypatch, db):
    import gc
    import time
    from datetime import timedelta

    from django.utils import timezone

    from claims import services
    from claims.selectors import ClaimList
    from claims.situation import Audience
    from tests.claims.test_situation import CASES, build

    made: list[int] = []
    real = services.list_situations

    def counting(claims, *, audience, asking=frozenset()):  # type: ignore[no-untyped-def]
        made.append(len(claims.claims))
        return real(claims, audience=audience, asking=asking)

    monkeypatch.setattr(services, "list_situations", counting)
    claims = tuple(build(case)[0] for case in CASES[:5])
    kept = ClaimList(read_at=time.time(), claims=claims)
    first = services.list_facts(kept, audience=Audience.MEMBER)
    assert services.list_facts(kept, audience=Audience.MEMBER) is first and made == [5]
    rows = services.claim_rows(first.situations[:2], employer=False, kept=kept)
    again = services.claim_rows(first.situations[:3], employer=False, kept=kept)
    assert again[:2] == rows and again[0] is rows[0]
    assert services.claim_rows(first.situations[:2], employer=False) == rows  # the same rows worked out now

    # What the words and dates depend on is part of the key: another audience, day, language.
    services.list_facts(kept, audience=Audience.ADMIN)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    services.list_facts(kept, audience=Audience.MEMBER)
    monkeypatch.setattr(services, "get_language", lambda: "es")
    services.list_facts(kept, audience=Audience.MEMBER)
    assert made == [5, 5, 5, 5]

    # A copy that replaces it (claims changed) is worked out anew; a copy let go takes its values.
    replaced = ClaimList(read_at=time.time(), claims=claims[:4])
    assert len(services.list_facts(replaced, audience=Audience.MEMBER).situations) == 4
    held = len(services._per_copy._memo)
    del kept, replaced
    gc.collect()
    assert len(services._per_copy._memo) == held - 2
