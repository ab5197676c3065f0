"""Claim pages that tell the truth, on a phone (390 px): issue 14's findings 1, 3, 4 and 10."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sandbox.demo_files import receipt_pdf
from sandbox.models import Claim
from tests.browser.conftest import assert_accessible, check_and_send, has_horizontal_scroll, screenshot
from tests.browser.test_signin import sign_in

pytestmark = pytest.mark.browser


def _alice(demo, provider: str, **lookup) -> Claim:
    return Claim.objects.filter(person__id=demo.alice, provider_name=provider, **lookup).order_by("-submission_date")[0]


def test_an_upload_changes_what_the_page_and_the_list_say_at_once(phone390, demo, tmp_path):
    page = phone390
    sign_in(page, "alice")
    claim = _alice(demo, "ClearView Eye Care", claim_status="PENDING_RECEIPT_STATUS")
    page.goto(f"/claims/{claim.claim_number}/")
    status = page.locator("#claim-status")
    assert "Send a receipt" in status.inner_text()
    pdf = tmp_path / "itemized.pdf"
    pdf.write_bytes(receipt_pdf(["ClearView Eye Care", "Glasses $289.00"]))
    page.set_input_files("#id_receipt_files", str(pdf))
    check_and_send(page)
    page.wait_for_selector("[data-upload-success]")
    assert "Receipt received, under review" in status.inner_text()
    assert "Send a receipt" not in status.inner_text()
    assert page.locator("#upload-title").inner_text() == "Add another document"
    assert_accessible(page)
    screenshot(page, "situation-after-upload-390")
    page.goto("/claims/")
    row = page.locator("tr", has=page.locator(f'a[href="/claims/{claim.claim_number}/"]'))
    assert "Receipt received, under review" in row.inner_text()
    assert not has_horizontal_scroll(page)


def test_a_claim_past_its_filing_deadline_offers_nothing_it_cannot_do(phone390, demo):
    page = phone390
    sign_in(page, "alice")
    ortho = _alice(demo, "Bright Smiles Dental", expense_type="Orthodontics")
    page.goto(f"/claims/{ortho.claim_number}/")
    text = page.locator("#claim-status").inner_text()
    assert "The deadline to fix this has passed" in text and "March 31" in text
    assert page.locator("#upload").count() == 0 and "You can fix this" not in page.content()
    assert_accessible(page)
    assert not has_horizontal_scroll(page)
    screenshot(page, "situation-deadline-passed-390")


def test_a_partly_reallocated_claim_reads_right_for_the_member(phone390, demo):
    for claim in Claim.objects.filter(person__id=demo.bob, claim_status="DENIED_STATUS", paid_amount=0):
        if claim.denials.count() == 1 and claim.denied_amount > Decimal("60"):
            break
    denial = claim.denials.get()
    answer = demo.patch_denial(claim.claim_number, str(denial.denial_id), {"reallocate_to_pending_amount": "50.00"})
    assert answer.status_code == 200
    page = phone390
    sign_in(page, "bob")
    page.goto(f"/claims/{claim.claim_number}/")
    text = page.locator("#claim-status").inner_text()
    left = claim.denied_amount - Decimal("50.00")
    assert f"${left:,.2f}" in text and "$50.00 was approved" in text and "accepted" not in text
    page.goto("/claims/?status=denied")
    assert page.locator(f'a[href="/claims/{claim.claim_number}/"]').count() == 1
    assert_accessible(page)
    screenshot(page, "situation-partly-reallocated-390")


@pytest.mark.parametrize("width", [320, 390])
def test_resolve_is_fully_visible_and_usable_on_a_phone(browser, demo, width):
    from tests.browser.conftest import _open

    for page in _open(browser, demo.base_url, viewport={"width": width, "height": 800}, is_mobile=True):
        sign_in(page, "hana")
        page.wait_for_url("**/employer/claims/")
        claim = next(
            c
            for c in Claim.objects.filter(person__id=demo.alice, claim_status="DENIED_STATUS", paid_amount=0)
            if c.denials.count() == 1
        )
        page.goto(f"/employer/claims/{claim.claim_number}/")
        resolve = page.get_by_role("link", name="Resolve").first
        box = resolve.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
        assert box["height"] >= 44
        assert not has_horizontal_scroll(page)
        screenshot(page, f"resolve-on-a-phone-{width}")
        resolve.click()
        page.wait_for_url("**/employer/denial-updates/*/")
        page.get_by_label("To paid").fill("1,00")
        said = page.locator("[data-live-total]").inner_text().strip()  # as the server would refuse it
        assert said.startswith("The total is not added up yet: one amount is not in dollars and cents")
        assert "Total:" not in said
        page.get_by_label("To paid").fill("$1,0")
        page.get_by_label("To paid").fill("$10.00")
        assert "$10.00" in page.locator("[data-live-total]").inner_text()
        page.get_by_role("button", name="Review the change").click()
        page.wait_for_url("**/confirm/")  # the server took "$10.00" too
        assert_accessible(page)
        page.get_by_role("button", name="Apply the change").click()
        page.wait_for_url("**/result/")
        page.goto("/employer/audit/")
        row = page.locator("tr", has=page.locator(f'a[href="/employer/claims/{claim.claim_number}/"]')).first
        assert "$10.00" in row.inner_text()
        assert not has_horizontal_scroll(page)
        assert_accessible(page)
