"""The portal in Spanish on a phone: the switch (with and without JavaScript), then the member's
pages in Spanish at 390 and 320 px, accessible and without horizontal scroll."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from insurance.payers import load_demo_payers
from sandbox.demo_files import receipt_pdf
from sandbox.models import Claim, Receipt
from tests.browser.conftest import assert_accessible, has_horizontal_scroll, screenshot
from tests.browser.test_signin import sign_in
from tests.helpers import claim_waiting_for_receipt
from tests.portal.test_spanish_pages import english_words
from tests.receipts.workers import start_worker

__all__ = ["start_worker"]  # the fixture

pytestmark = pytest.mark.browser


def _switch_to_spanish(page) -> None:
    page.get_by_role("button", name="Español").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"


def test_alice_reads_her_claims_in_spanish_on_a_phone(phone390, demo):
    page = phone390
    sign_in(page, "alice")
    _switch_to_spanish(page)
    assert page.url.endswith("/claims/")  # back where she was
    assert "Sus reclamos" in page.locator("h1").inner_text()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    screenshot(page, "claims-es-390")
    denied = Claim.objects.filter(person__id=demo.alice, denials__isnull=False).order_by("-submission_date")[0]
    page.goto(f"/claims/{denied.claim_number}/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Cronología" in page.inner_text("main")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    screenshot(page, "claim-es-390")
    page.goto("/receipts/")
    assert "Sus recibos" in page.locator("h1").inner_text() and not has_horizontal_scroll(page)
    # Back to English, and the choice is kept on her profile for her next visit.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"


def test_the_switch_works_without_javascript(nojs, demo):
    page = nojs
    page.goto("/signin/")
    _switch_to_spanish(page)
    assert "Iniciar sesión" in page.inner_text("main")  # a plain form post and a redirect, no script


def test_the_spanish_layout_fits_a_320_px_phone(phone, demo):
    page = phone
    sign_in(page, "hana")
    page.wait_for_url("**/employer/claims/")
    _switch_to_spanish(page)
    assert "Reclamos de su empleador" in page.inner_text("main")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    page.goto("/employer/audit/")
    assert "Registro de auditoría" in page.inner_text("main") and not has_horizontal_scroll(page)
    screenshot(page, "audit-es-320")


def es(text: str) -> str:
    """The portal's Spanish for one of its English texts (the catalog is the source)."""
    with translation.override("es"):
        return gettext(text)


def _spanish_and_fit(page, name: str) -> None:
    """The page is in Spanish, shows none of the portal's English, fits the phone, is axe-clean."""
    assert page.locator("html").get_attribute("lang") == "es", page.url
    assert english_words(page.content()) == [], page.url
    assert not has_horizontal_scroll(page), page.url
    # Longer Spanish labels never squeeze a value into a sliver (dates stacked letter by letter).
    narrowest = page.evaluate(
        "() => Math.min(1e9, ...[...document.querySelectorAll('dl dd')]"
        ".filter(d => d.offsetParent).map(d => d.getBoundingClientRect().width))"
    )
    assert narrowest >= 120, (page.url, narrowest)
    assert_accessible(page)
    screenshot(page, name)


def test_alice_walks_through_her_claims_in_spanish_at_390_px(phone390, demo, tmp_path, settings, start_worker):
    """Her list, a denied claim, an upload through the receipt check, and the insurer check."""
    settings.SANDBOX_INTEGREX_DELAY_SECONDS = 2.0
    load_demo_payers()
    start_worker("evidence.read")
    page = phone390
    sign_in(page, "alice")
    _switch_to_spanish(page)
    _spanish_and_fit(page, "walk-es-list-390")
    denied = Claim.objects.filter(person__id=demo.alice, denials__isnull=False).order_by("-submission_date")[0]
    page.goto(f"/claims/{denied.claim_number}/")
    _spanish_and_fit(page, "walk-es-denied-390")

    claim = claim_waiting_for_receipt(demo)
    page.goto(f"/claims/{claim.claim_number}/")
    receipt = tmp_path / "clearview.pdf"
    amount = f"${claim.claim_amount:,.2f}"
    lines = ["ClearView Eye Care", f"{claim.start_date_of_service:%m/%d/%Y}", f"Eye exam {amount}", f"Total {amount}"]
    receipt.write_bytes(receipt_pdf(lines))
    # The page's own chooser, in Spanish (the browser's says "Choose Files" in its own language).
    assert page.get_by_text(es("Choose files"), exact=True).is_visible()
    assert page.locator("[data-file-status]").inner_text() == es("No file chosen")
    page.set_input_files("#id_receipt_files", str(receipt))
    assert page.locator("[data-file-status]").inner_text() == es("1 file chosen")
    page.get_by_role("button", name=es("Check documents"), exact=True).click()
    page.get_by_role("button", name=es("Send anyway")).or_(
        page.locator("#receipt-check form.check-send button")
    ).first.wait_for()
    page.locator("#receipt-check li.checked-doc").first.wait_for()
    # Read by the worker: the panel stops asking (the poll is on the panel itself).
    page.wait_for_function("() => !document.querySelector('#receipt-check[hx-trigger^=\"load\"]')", timeout=60_000)
    _spanish_and_fit(page, "walk-es-receipt-check-390")
    page.locator("#receipt-check form.check-send button").click()
    # The answer first (whatever it says), then what it must show: a failure names what was answered.
    link = page.locator("#receipts-on-file").get_by_role("link", name="clearview.pdf")
    try:
        page.locator("#upload-result :is(.message, [role=alert], .warning)").first.wait_for(timeout=60_000)
        link.wait_for(timeout=5_000)
    except Exception as error:
        screenshot(page, "walk-es-uploaded-390-failed")
        answered = page.locator("#upload-result").inner_text()
        raise AssertionError(
            f"after Send, the page says {answered!r}; main: {page.inner_text('main')[:1500]!r}"
        ) from error
    _spanish_and_fit(page, "walk-es-uploaded-390")
    assert Receipt.objects.filter(claims=claim).count() == 1

    page.goto("/insurance/?coverage=vision")
    page.locator("#id_coverage").select_option("vision")
    page.locator("#id_payer").select_option(label="Lakeside Vision Plan")
    for field, value in (("member_id", "LVP7730192"), ("group_number", "ACME-V1"), ("first_name", "Alice"),
                         ("last_name", "Nguyen"), ("date_of_birth", "1988-04-12")):  # fmt: skip
        page.locator(f"#id_{field}").fill(value)
    page.get_by_role("button", name=es("Save the card")).click()
    page.get_by_text("••••0192").first.wait_for()
    _spanish_and_fit(page, "walk-es-cards-390")
    eye = Claim.objects.get(person__id=demo.alice, provider_name="ClearView Eye Care", expense_type="Eye Exam")
    page.goto(f"/claims/{eye.claim_number}/")
    page.get_by_role("link", name=es("Check with my insurer")).click()
    _spanish_and_fit(page, "walk-es-insurer-form-390")
    page.get_by_role("button", name=es("Ask %(payer)s") % {"payer": "Lakeside Vision Plan"}).click()
    page.locator("#insurer-answer").wait_for(timeout=30_000)
    page.get_by_role("button", name=es("Add this answer to my claim")).wait_for(timeout=30_000)
    page.get_by_text(es("The insurer's codes")).first.click()
    _spanish_and_fit(page, "walk-es-insurer-answer-390")
    page.get_by_role("button", name=es("Add this answer to my claim")).click()
    page.get_by_text(es("The insurer's answer is now on your claim for the plan's review.")).wait_for()
    _spanish_and_fit(page, "walk-es-insurer-shared-390")


def test_hana_resolves_a_denial_in_spanish_at_390_px(phone390, demo):
    """The employer list, a resolution, and the audit trail."""
    page = phone390
    sign_in(page, "hana")
    page.wait_for_url("**/employer/claims/")
    _switch_to_spanish(page)
    _spanish_and_fit(page, "walk-es-employer-list-390")
    claim = next(
        c
        for c in Claim.objects.filter(person__id=demo.alice, claim_status="DENIED_STATUS", paid_amount=0)
        if c.denials.count() == 1
    )
    page.goto(f"/employer/claims/{claim.claim_number}/")
    _spanish_and_fit(page, "walk-es-employer-claim-390")
    page.get_by_role("link", name=es("Resolve")).first.click()
    page.wait_for_url("**/employer/denial-updates/*/")
    page.get_by_label(es("To paid")).fill("10")
    _spanish_and_fit(page, "walk-es-resolve-390")
    page.get_by_role("button", name=es("Review the change")).click()
    page.wait_for_url("**/confirm/")
    _spanish_and_fit(page, "walk-es-confirm-390")
    page.get_by_role("button", name=es("Apply the change")).click()
    page.wait_for_url("**/result/")
    assert es("The denial was updated") in page.inner_text("main")
    _spanish_and_fit(page, "walk-es-result-390")
    page.goto("/employer/audit/")
    assert claim.claim_number in page.inner_text("main")
    _spanish_and_fit(page, "walk-es-audit-390")
