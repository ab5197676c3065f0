"""Issue 18 in a browser: alice saves her insurance cards, checks claims with her insurers, reads the
answers in words and shares one with the plan; hana sees it on the claim. Axe-clean, no sideways
scroll on a phone, and nothing of her card in the server's logs."""

from __future__ import annotations

import logging

import pytest

from insurance.models import InsurerCheck
from insurance.payers import load_demo_payers
from sandbox.models import Claim
from tests.browser.conftest import assert_accessible, has_horizontal_scroll, screenshot
from tests.browser.test_signin import sign_in

CARD_SECRETS = ("LVP7730192", "EDB20931877", "1988-04-12", "2019-06-03", "04/12/1988")


@pytest.fixture
def payers(demo, settings):
    settings.SANDBOX_INTEGREX_DELAY_SECONDS = 2.0
    load_demo_payers()
    return demo


def save_card(page, coverage: str, payer: str, member_id: str, group: str) -> None:
    page.goto(f"/insurance/?coverage={coverage}")
    page.get_by_label("Coverage").select_option(coverage)
    page.get_by_label("Insurer").select_option(label=payer)
    page.get_by_label("Member ID").fill(member_id)
    page.get_by_label("Group number").fill(group)
    page.get_by_label("First name on the card").fill("Alice")
    page.get_by_label("Last name on the card").fill("Nguyen")
    page.get_by_label("Date of birth", exact=True).fill("1988-04-12")
    page.get_by_label("Dependent 1: first name").fill("Minh")
    page.get_by_label("Dependent 1: last name").fill("Nguyen")
    page.get_by_label("Dependent 1: date of birth").fill("2019-06-03")
    page.get_by_role("button", name="Save the card").click()


def test_alice_checks_her_eye_exam_with_an_insurer_that_answers_later_and_shares_it(phone390, browser, payers, caplog):
    caplog.set_level(logging.DEBUG)
    page = phone390
    sign_in(page, "alice")
    save_card(page, "vision", "Lakeside Vision Plan", "LVP7730192", "ACME-V1")
    page.get_by_text("Your vision card is saved.").wait_for()
    main = page.inner_text("main")
    assert "••••0192" in main and "LVP7730192" not in main and "Minh Nguyen" in main
    assert_accessible(page)
    assert not has_horizontal_scroll(page)
    screenshot(page, "insurance-cards-390")

    claim = Claim.objects.get(person__id=payers.alice, provider_name="ClearView Eye Care", expense_type="Eye Exam")
    page.goto(f"/claims/{claim.claim_number}/")
    page.get_by_role("link", name="Check with my insurer").click()
    assert page.get_by_label("Provider", exact=True).input_value() == "ClearView Eye Care"
    assert page.get_by_label("Amount the provider billed").input_value() == f"{claim.claim_amount:.2f}"
    assert_accessible(page)
    page.get_by_role("button", name="Ask Lakeside Vision Plan").click()
    page.get_by_text("Waiting for Lakeside Vision Plan").wait_for()
    assert_accessible(page)
    screenshot(page, "insurer-waiting-390")
    # htmx asks again with backoff until Integrex answers; the page changes in place.
    page.get_by_text("Lakeside Vision Plan has finished processing this claim.").wait_for(timeout=30_000)
    answer = page.inner_text("#insurer-answer")
    assert "$120.00" in answer and "$60.00" in answer and "more than your share of $60.00" in answer
    page.get_by_text("The insurer's codes").first.click()
    assert_accessible(page)
    assert not has_horizontal_scroll(page)
    screenshot(page, "insurer-answer-integrex-390")
    page.get_by_role("button", name="Add this answer to my claim").click()
    page.get_by_text("The insurer's answer is now on your claim for the plan's review.").wait_for()
    assert "Shared with the plan" in page.inner_text("#insurer")
    assert InsurerCheck.objects.get(claim_number=claim.claim_number).attached_at is not None

    hana_context = browser.new_context(base_url=payers.base_url, viewport={"width": 1280, "height": 900})
    from tests.browser.conftest import AXE

    hana_context.add_init_script(path=str(AXE))
    hana = hana_context.new_page()
    sign_in(hana, "hana")
    hana.goto(f"/employer/claims/{claim.claim_number}/")
    panel = hana.inner_text("#insurer")
    assert "What the member's insurer says" in panel and "Patient's share" in panel and "$60.00" in panel
    assert all(secret not in hana.content() for secret in CARD_SECRETS)
    assert_accessible(hana)
    screenshot(hana, "insurer-answer-hr-1280")
    hana_context.close()

    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert logged and all(secret not in logged for secret in CARD_SECRETS)


def test_alice_checks_a_dental_claim_and_one_her_insurer_does_not_have(page, browser, payers):
    sign_in(page, "alice")
    save_card(page, "dental", "Evergreen Dental Benefits", "EDB20931877", "ACME-D22")
    page.get_by_text("Your dental card is saved.").wait_for()
    save_card(page, "medical", "Summit Health Plan", "SHP448812301", "ACME-4410")
    page.get_by_text("Your medical card is saved.").wait_for()

    fillings = Claim.objects.get(person__id=payers.alice, provider_name="Bright Smiles Dental", expense_type="Fillings")
    page.goto(f"/claims/{fillings.claim_number}/")
    page.get_by_role("link", name="Check with my insurer").click()
    page.get_by_role("button", name="Ask Evergreen Dental Benefits").click()
    page.get_by_text("Evergreen Dental Benefits has finished processing this claim.").wait_for()
    answer = page.inner_text("#insurer-answer")
    assert "$138.00" in answer and "$72.00" in answer and "D2391" in answer
    assert_accessible(page)
    screenshot(page, "insurer-answer-optum-1280")
    page.get_by_role("button", name="Add this answer to my claim").click()
    page.get_by_text("Shared with the plan").wait_for()
    hana_context = browser.new_context(base_url=payers.base_url, viewport={"width": 390, "height": 844})
    hana = hana_context.new_page()
    sign_in(hana, "hana")
    hana.goto(f"/employer/claims/{fillings.claim_number}/")
    panel = hana.inner_text("#insurer")
    assert "Evergreen Dental Benefits has finished processing this claim." in panel and "$72.00" in panel
    assert "EDB20931877" not in hana.content() and not has_horizontal_scroll(hana)
    hana_context.close()

    unknown = Claim.objects.filter(person__id=payers.alice, provider_name="Lakeshore Family Medicine").first()
    page.goto(f"/claims/{unknown.claim_number}/insurer/")
    page.get_by_role("button", name="Ask Summit Health Plan").click()
    page.get_by_text("Summit Health Plan has no record of this claim.").wait_for()
    assert "ask the provider whether they sent the claim" in page.inner_text("#insurer-answer")
    assert_accessible(page)
    screenshot(page, "insurer-not-found-1280")
