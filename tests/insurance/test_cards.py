"""My insurance: saved encrypted, shown back masked, never logged, required before a check."""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from insurance.models import InsuranceCard, Payer
from insurance.payers import load_demo_payers
from sandbox.models import Claim
from tests.helpers import csrf, portal_sign_in

DENTAL = {
    "coverage": "dental",
    "member_id": "EDB20931877",
    "group_number": "ACME-D22",
    "first_name": "Alice",
    "last_name": "Nguyen",
    "date_of_birth": "1988-04-12",
    "gender": "F",
    "dep0_first_name": "Minh",
    "dep0_last_name": "Nguyen",
    "dep0_date_of_birth": "2019-06-03",
}


@pytest.fixture
def payers(demo):
    load_demo_payers()
    return demo


def save_card(session, base_url: str, data: dict[str, str], payer_id: str):
    page = session.get(f"{base_url}/insurance/", timeout=10).text
    payer = Payer.objects.get(payer_id=payer_id)
    return session.post(
        f"{base_url}/insurance/", data={**data, "payer": str(payer.pk), "csrfmiddlewaretoken": csrf(page)}, timeout=10
    )


def test_alice_saves_her_dental_card_encrypted_and_sees_it_masked(payers, caplog):
    caplog.set_level(logging.DEBUG)
    alice, _ = portal_sign_in(payers.base_url, "alice")
    saved = save_card(alice, payers.base_url, DENTAL, "EVGDN")
    assert saved.status_code == 200 and "Your dental card is saved." in saved.text
    assert "EDB20931877" not in saved.text and "••••1877" in saved.text
    assert "1988-04-12" not in saved.text and "Minh Nguyen" in saved.text
    (card,) = InsuranceCard.objects.all()
    assert card.details["member_id"] == "EDB20931877"
    with connection.cursor() as cursor:
        cursor.execute("SELECT details_encrypted FROM insurance_insurancecard")
        (raw,) = cursor.fetchone()
    assert b"EDB20931877" not in bytes(raw) and b"1988" not in bytes(raw) and b"Nguyen" not in bytes(raw)
    logged = "\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records)
    assert "EDB20931877" not in logged and "1988-04-12" not in logged
    # The edit form shows the card's values back to its owner only (her own page, no-store).
    edit = alice.get(f"{payers.base_url}/insurance/?coverage=dental", timeout=10).text
    assert 'value="EDB20931877"' in edit


def test_bad_card_details_are_refused_in_words_and_nothing_is_saved(payers):
    alice, _ = portal_sign_in(payers.base_url, "alice")
    bad = {**DENTAL, "member_id": "EDB*209", "date_of_birth": "2999-01-01", "dep0_first_name": ""}
    answer = save_card(alice, payers.base_url, bad, "LKVSN")  # a vision plan for a dental card
    assert answer.status_code == 200
    assert "cannot contain" in answer.text and "Enter a real date of birth." in answer.text
    assert "does not offer this coverage" in answer.text
    assert "Enter the first name of this dependent, or clear the row." in answer.text
    assert not InsuranceCard.objects.exists()


def test_checking_a_claim_without_a_card_asks_for_the_card_first_and_daycare_has_no_insurer(payers):
    alice, _ = portal_sign_in(payers.base_url, "alice")
    dental = Claim.objects.filter(person__id=payers.alice, category="Dental").first()
    page = alice.get(f"{payers.base_url}/claims/{dental.claim_number}/", timeout=10).text
    assert "Add my insurance card to check" in page
    asked = alice.get(f"{payers.base_url}/claims/{dental.claim_number}/insurer/", timeout=10)
    assert asked.url.startswith(f"{payers.base_url}/insurance/?coverage=dental")
    assert "Add your dental card first" in asked.text
    daycare = Claim.objects.filter(person__id=payers.alice, category="Dependent Care").first()
    assert 'id="insurer"' not in alice.get(f"{payers.base_url}/claims/{daycare.claim_number}/", timeout=10).text
    assert alice.get(f"{payers.base_url}/claims/{daycare.claim_number}/insurer/", timeout=10).status_code == 404
