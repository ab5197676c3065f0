"""The portal in Spanish on a phone: the switch (with and without JavaScript), then the member's
pages in Spanish at 390 and 320 px, accessible and without horizontal scroll."""

from __future__ import annotations

import pytest

from sandbox.models import Claim
from tests.browser.conftest import assert_accessible, has_horizontal_scroll, screenshot
from tests.browser.test_signin import sign_in

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
