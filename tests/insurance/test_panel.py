"""The claim page's insurer panel: the card for the claim's coverage and the member's latest check
of the claim, read in one statement (portal.quick_reads), each member's own."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from insurance.models import InsuranceCard, InsurerCheck, Payer
from insurance.payers import load_demo_payers
from insurance.services import member_panel

pytestmark = pytest.mark.django_db
DENTAL = SimpleNamespace(claim_number="C-1", category="Dental", expense_type="Cleaning")


def _check(user, claim_number: str, state: str, *, minutes_ago: int) -> InsurerCheck:
    check = InsurerCheck.objects.create(
        user=user, claim_number=claim_number, payer=Payer.objects.get(payer_id="EVGDN"),
        channel=Payer.Channel.OPTUM_JSON, state=state,
    )  # fmt: skip
    InsurerCheck.objects.filter(pk=check.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))
    return check


def test_the_card_and_the_latest_check_are_the_members_own(django_assert_num_queries) -> None:
    load_demo_payers()
    alice, bob = (get_user_model().objects.create(username=name) for name in ("alice-p", "bob-p"))
    with django_assert_num_queries(1):  # no check yet: one statement
        panel = member_panel(DENTAL, alice.pk)  # type: ignore[arg-type]
    assert panel is not None and panel.coverage == "dental" and not panel.has_card and panel.latest is None
    card = InsuranceCard(user=bob, coverage="dental", payer=Payer.objects.get(payer_id="EVGDN"))
    card.details = {"member_id": "X"}
    card.save()
    _check(bob, "C-1", InsurerCheck.State.FAILED, minutes_ago=1)  # bob's, not alice's
    assert member_panel(DENTAL, alice.pk) == panel  # type: ignore[arg-type]
    vision = InsuranceCard(user=alice, coverage="vision", payer=Payer.objects.get(payer_id="LKVSN"))
    vision.details = {"member_id": "Y"}
    vision.save()
    _check(alice, "C-2", InsurerCheck.State.FAILED, minutes_ago=1)  # another claim
    assert member_panel(DENTAL, alice.pk) == panel  # type: ignore[arg-type]  # a vision card is not a dental one
    _check(alice, "C-1", InsurerCheck.State.FAILED, minutes_ago=30)
    _check(alice, "C-1", InsurerCheck.State.GAVE_UP, minutes_ago=2)  # the latest
    with django_assert_num_queries(2):  # a check found is read with its payer
        panel = member_panel(DENTAL, alice.pk)  # type: ignore[arg-type]
    assert panel is not None and panel.latest is not None and "not answered yet" in panel.latest.failure
    bobs = member_panel(DENTAL, bob.pk)  # type: ignore[arg-type]
    assert bobs is not None and bobs.has_card and bobs.latest is not None and "could not reach" in bobs.latest.failure
    assert (
        member_panel(SimpleNamespace(claim_number="C-3", category="Dependent care", expense_type=""), alice.pk) is None
    )  # type: ignore[arg-type]
