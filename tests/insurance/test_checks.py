"""Checking a claim with the insurer over real HTTP, through the pages, against the sandbox's
stand-ins: prefilled from the claim, the answer in words, shared with the plan, seen by HR."""

from __future__ import annotations

import re
import time

import pytest

from insurance.models import InsurerCheck
from insurance.payers import load_demo_payers
from sandbox.models import Claim
from tests.helpers import csrf, portal_sign_in
from tests.insurance.test_cards import save_card

HTMX = {"HX-Request": "true"}
VISION = {
    "coverage": "vision",
    "member_id": "LVP7730192",
    "group_number": "ACME-V1",
    "first_name": "Alice",
    "last_name": "Nguyen",
    "date_of_birth": "1988-04-12",
    "gender": "F",
    "dep0_first_name": "Minh",
    "dep0_last_name": "Nguyen",
    "dep0_date_of_birth": "2019-06-03",
}


@pytest.fixture
def quick(demo, settings):
    settings.SANDBOX_INTEGREX_DELAY_SECONDS = 1.0
    load_demo_payers()
    return demo


def _field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="{name}"', html)
    return (found.group(1) or found.group(2)) if found else ""


def _ask(session, base_url: str, claim_number: str, **changes: str):
    url = f"{base_url}/claims/{claim_number}/insurer/"
    form = session.get(url, timeout=10).text
    data = {
        "csrfmiddlewaretoken": csrf(form),
        "patient": "self",
        "service_date": _field(form, "service_date"),
        "billed_amount": _field(form, "billed_amount"),
        "provider_name": _field(form, "provider_name"),
        "provider_npi": "",
        "provider_tax_id": "",
        **changes,
    }
    return form, session.post(url, data=data, timeout=20)


def _until_answered(session, url: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        part = session.get(url, headers=HTMX, timeout=10).text
        if "hx-trigger" not in part:
            return part
        time.sleep(0.5)
    raise AssertionError("the insurer's answer never came")


def test_alice_checks_her_eye_exam_with_integrex_sees_her_share_and_shares_it_with_hana(quick):
    alice, _ = portal_sign_in(quick.base_url, "alice")
    save_card(alice, quick.base_url, VISION, "LKVSN")
    claim = Claim.objects.get(person__id=quick.alice, provider_name="ClearView Eye Care", expense_type="Eye Exam")
    page = alice.get(f"{quick.base_url}/claims/{claim.claim_number}/", timeout=10).text
    assert "Check with my insurer" in page
    form, asked = _ask(alice, quick.base_url, claim.claim_number)
    # Prefilled from the claim: its date of service, amount and provider.
    assert _field(form, "service_date") == claim.start_date_of_service.date().isoformat()
    assert _field(form, "billed_amount") == f"{claim.claim_amount:.2f}"
    assert _field(form, "provider_name") == "ClearView Eye Care"
    assert asked.status_code == 200 and "Waiting for Lakeside Vision Plan" in asked.text
    assert '<meta http-equiv="refresh"' in asked.text  # without JavaScript the page refreshes itself
    answer = _until_answered(alice, asked.url)
    assert "Lakeside Vision Plan has finished processing this claim." in answer
    assert "$120.00" in answer and "$60.00" in answer  # paid by the insurer, her share
    assert "more than your share of $60.00" in answer  # the claim asks for the whole bill
    assert "<code>119</code>" not in answer and "<code>3</code>" in answer  # reasons, with their codes
    assert "LVP7730192" not in answer
    check = InsurerCheck.objects.get(claim_number=claim.claim_number)
    assert check.state == "answered" and check.polls >= 1
    shared = alice.post(f"{asked.url}attach/", data={"csrfmiddlewaretoken": csrf(answer)}, timeout=10)
    assert "now on your claim for the plan" in shared.text and "Shared with the plan" in shared.text
    again = alice.post(f"{asked.url}attach/", data={"csrfmiddlewaretoken": csrf(answer)}, timeout=10)
    assert "already shared" in again.text
    hana, _ = portal_sign_in(quick.base_url, "hana")
    theirs = hana.get(f"{quick.base_url}/employer/claims/{claim.claim_number}/", timeout=10).text
    panel = re.search(r'<section class="panel insurer-panel".*?</section>', theirs, re.S).group(0)
    assert "What the member's insurer says" in panel and "Patient's share" in panel and "$60.00" in panel
    assert "The claim is for $180.00, $120.00 more than the patient&#x27;s share of $60.00." in panel
    assert "Your claim" not in panel
    assert "LVP7730192" not in theirs and "1988" not in theirs


def test_a_claim_the_insurer_does_not_have_says_so_and_a_silent_insurer_is_given_up_plainly(quick, settings):
    alice, _ = portal_sign_in(quick.base_url, "alice")
    save_card(alice, quick.base_url, VISION, "LKVSN")
    glasses = Claim.objects.filter(
        person__id=quick.alice, provider_name="ClearView Eye Care", expense_type="Glasses"
    ).first()
    _, asked = _ask(alice, quick.base_url, glasses.claim_number)
    answer = _until_answered(alice, asked.url)
    assert "Lakeside Vision Plan has no record of this claim." in answer
    assert "Add this answer to my claim" in answer  # "not on file" is worth showing the plan too

    settings.SANDBOX_INTEGREX_DELAY_SECONDS = float("inf")
    settings.INSURER_CHECK_WAIT_SECONDS = 2
    _, asked = _ask(alice, quick.base_url, glasses.claim_number)
    answer = _until_answered(alice, asked.url, seconds=20)
    assert "The insurer has not answered yet." in answer and "Ask again" in answer
    assert InsurerCheck.objects.filter(state="gave_up").count() == 1


def test_bad_details_in_the_question_are_refused_in_words(quick):
    alice, _ = portal_sign_in(quick.base_url, "alice")
    save_card(alice, quick.base_url, VISION, "LKVSN")
    claim = Claim.objects.get(person__id=quick.alice, provider_name="ClearView Eye Care", expense_type="Eye Exam")
    _, asked = _ask(alice, quick.base_url, claim.claim_number, service_date="2999-01-01", billed_amount="12.345")
    assert asked.status_code == 200
    assert "The date of service cannot be in the future." in asked.text
    assert "Enter an amount in dollars and cents" in asked.text
    assert not InsurerCheck.objects.exists()


DENTAL = {**VISION, "coverage": "dental", "member_id": "EDB20931877", "group_number": "ACME-D22"}
MEDICAL = {**VISION, "coverage": "medical", "member_id": "SHP448812301", "group_number": "ACME-4410"}


def test_optum_answers_at_once_as_json_for_dental_and_as_x12_for_medical(quick):
    alice, _ = portal_sign_in(quick.base_url, "alice")
    save_card(alice, quick.base_url, DENTAL, "EVGDN")
    save_card(alice, quick.base_url, MEDICAL, "SUMMT")
    fillings = Claim.objects.get(person__id=quick.alice, provider_name="Bright Smiles Dental", expense_type="Fillings")
    _, asked = _ask(alice, quick.base_url, fillings.claim_number)
    assert "Evergreen Dental Benefits has finished processing this claim." in asked.text
    assert "$138.00" in asked.text and "$72.00" in asked.text and "at most" in asked.text
    assert "<code>D2391</code>" in asked.text and "Left unpaid $64.00" in asked.text
    assert InsurerCheck.objects.get(claim_number=fillings.claim_number).channel == "optum_json"

    # Minh's visit: the patient is the dependent on alice's card; asked through a 276, read from a 277.
    visit = Claim.objects.get(person__id=quick.alice, provider_name="Riverside Pediatrics")
    _, asked = _ask(alice, quick.base_url, visit.claim_number, patient="dep0")
    assert "Summit Health Plan has finished processing this claim." in asked.text, asked.text[-3000:]
    assert "$120.00" in asked.text
    assert InsurerCheck.objects.get(claim_number=visit.claim_number).channel == "optum_x12"

    unknown = Claim.objects.filter(person__id=quick.alice, provider_name="Lakeshore Family Medicine").first()
    _, asked = _ask(alice, quick.base_url, unknown.claim_number)
    assert "Summit Health Plan has no record of this claim." in asked.text
    assert "Add this answer to my claim" in asked.text  # "not found" is an answer worth sharing too


def test_a_member_id_the_insurer_does_not_know_is_rejected_in_words(quick):
    alice, _ = portal_sign_in(quick.base_url, "alice")
    save_card(alice, quick.base_url, {**DENTAL, "member_id": "EDB00000000"}, "EVGDN")
    fillings = Claim.objects.get(person__id=quick.alice, provider_name="Bright Smiles Dental", expense_type="Fillings")
    _, asked = _ask(alice, quick.base_url, fillings.claim_number)
    assert "Evergreen Dental Benefits could not match the details sent." in asked.text
    assert "exactly as on your card" in asked.text


def test_a_payer_whose_name_holds_an_x12_delimiter_is_asked_all_the_same(quick):
    """ "Optum sandbox: accepted and paid": the ':' is the portal's, not the member's to fix."""
    alice, _ = portal_sign_in(quick.base_url, "alice")
    save_card(alice, quick.base_url, MEDICAL, "00003")
    visit = Claim.objects.get(person__id=quick.alice, provider_name="Riverside Pediatrics")
    _, asked = _ask(alice, quick.base_url, visit.claim_number, patient="dep0")
    check = InsurerCheck.objects.get(claim_number=visit.claim_number)
    assert check.state == InsurerCheck.State.ANSWERED, asked.text[-2000:]
    assert "refused some of the details" not in asked.text and "must not contain" not in asked.text
