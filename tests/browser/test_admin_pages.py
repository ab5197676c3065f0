"""HR administrator pages in Chromium, as hana (Acme Corp)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from claims.models import AuditEvent
from sandbox.models import Claim, Denial, DenialStatus
from tests.browser.conftest import assert_accessible, has_horizontal_scroll, screenshot
from tests.browser.test_signin import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def hana(page, demo):
    sign_in(page, "hana")
    page.wait_for_url("**/employer/claims/")
    return page


def _denied_claim(demo) -> Claim:
    for claim in Claim.objects.filter(person__id=demo.alice, claim_status="DENIED_STATUS", paid_amount=0):
        if claim.denials.count() == 1:
            return claim
    raise AssertionError("no single-denial claim seeded")


def _resolve(page, claim: Claim, amounts: dict[str, str]) -> None:
    page.goto(f"/employer/claims/{claim.claim_number}/")
    page.get_by_role("link", name="Resolve").first.click()
    page.wait_for_url("**/employer/denial-updates/*/")
    for label, value in amounts.items():
        page.get_by_label(label).fill(value)


def test_admin_pages_are_accessible(hana, demo):
    claim = _denied_claim(demo)
    for path in ("/employer/claims/", "/employer/claims/?status=denied", f"/employer/claims/{claim.claim_number}/"):
        hana.goto(path)
        assert_accessible(hana)
    _resolve(hana, claim, {"To paid": "1.00"})
    assert_accessible(hana)
    hana.get_by_role("button", name="Review the change").click()
    assert_accessible(hana)
    hana.get_by_role("button", name="Apply the change").click()
    hana.wait_for_url("**/result/")
    assert_accessible(hana)
    hana.goto("/employer/audit/")
    assert_accessible(hana)
    hana.set_viewport_size({"width": 320, "height": 640})
    for path in ("/employer/claims/", f"/employer/claims/{claim.claim_number}/", "/employer/audit/"):
        hana.goto(path)
        assert not has_horizontal_scroll(hana), path


def test_filter_totals_and_csv_export_match_the_api(hana, demo):
    hana.get_by_label("Status").select_option("denied")
    hana.wait_for_url("**status=denied**")
    hana.get_by_label("Amount from").fill("300")
    hana.get_by_role("button", name="Apply").click()
    hana.wait_for_url("**amount_min=300**")
    expected = Claim.objects.filter(
        person__employer__name="Acme Corp", claim_status__startswith="DENIED", claim_amount__gte=300
    ).order_by("-submission_date", "-claim_number")
    assert f"{expected.count()} claims match" in hana.inner_text("#employer-results")
    claimed = sum(c.claim_amount for c in expected)
    assert f"${claimed:,.2f}" in hana.inner_text("#employer-results")
    with hana.expect_download() as info:
        hana.get_by_role("link", name="Download these claims (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert [r["claim_number"] for r in rows] == [c.claim_number for c in expected]
    for row, claim in zip(rows, expected, strict=True):
        assert Decimal(row["claim_amount"]) == claim.claim_amount
        assert Decimal(row["denied_amount"]) == claim.denied_amount
    assert AuditEvent.objects.filter(action="export", detail__rows=len(rows)).exists()


def test_reallocate_part_of_a_denial_and_see_the_new_status(hana, demo):
    claim = _denied_claim(demo)
    denial = claim.denials.get()
    _resolve(hana, claim, {"To pending reimbursement": "40.00", "To paid": "10"})
    assert "$50.00" in hana.inner_text("[data-live-total]")
    hana.get_by_role("button", name="Review the change").click()
    effect = hana.inner_text("main")
    predicted = hana.locator("main .badge").first.inner_text()
    assert "$50.00" in effect and "Approved, payment pending" not in predicted  # money is still denied
    hana.get_by_role("button", name="Apply the change").click()
    hana.wait_for_url("**/result/")
    assert "The denial was updated" in hana.inner_text("main")
    assert hana.inner_text("[data-new-status]") == predicted
    screenshot(hana, "denial-update-result")
    denial.refresh_from_db()
    assert denial.denied_amount == claim.denied_amount - Decimal("50.00")
    assert denial.status == DenialStatus.PARTIALLY_RESOLVED
    actions = list(AuditEvent.objects.filter(target=claim.claim_number).values_list("action", "result"))
    assert ("denial_update_attempt", "sent") in actions and ("denial_update_result", "applied") in actions


def test_double_submit_and_back_then_resubmit_apply_once(hana, demo):
    claim = _denied_claim(demo)
    denial = claim.denials.get()
    _resolve(hana, claim, {"To paid": "25.00"})
    hana.get_by_role("button", name="Review the change").click()
    hana.get_by_role("button", name="Apply the change").dblclick()
    hana.wait_for_url("**/result/")
    hana.go_back()  # the confirmation page again
    hana.wait_for_load_state()
    if hana.get_by_role("button", name="Apply the change").count():
        hana.get_by_role("button", name="Apply the change").click()
    hana.wait_for_url("**/result/")
    hana.go_back()
    hana.go_back()  # the amounts form
    hana.wait_for_load_state()
    if hana.get_by_role("button", name="Review the change").count():
        hana.get_by_role("button", name="Review the change").click()
        hana.wait_for_load_state()
    denial.refresh_from_db()
    assert denial.denied_amount == claim.denied_amount - Decimal("25.00")  # the sandbox applied it once


def test_over_reallocation_is_refused_in_words(hana, demo):
    claim = _denied_claim(demo)
    _resolve(hana, claim, {"To paid": f"{claim.denied_amount + 1:.2f}"})
    hana.get_by_role("button", name="Review the change").click()
    alert = hana.get_by_role("alert")
    assert "more than the" in alert.inner_text() and "still denied" in alert.inner_text()
    assert hana.evaluate("document.activeElement.matches('[data-error-summary]')")
    for value, words in (("1.234", "at most two decimals"), ("-5", "zero or more"), ("ten", "dollars and cents")):
        hana.get_by_label("To paid").fill(value)
        hana.get_by_role("button", name="Review the change").click()
        assert words in hana.get_by_role("alert").inner_text()
    assert Denial.objects.get(claim=claim).status == DenialStatus.DENIED


def test_members_get_403_in_words_on_admin_pages(page, demo):
    sign_in(page, "alice")
    page.wait_for_url("**/claims/")
    for path in ("/employer/claims/", "/employer/audit/", "/employer/claims/export.csv"):
        response = page.goto(path)
        assert response.status == 403
        assert "You do not have access to this page" in page.inner_text("main")


def test_hana_cannot_open_daves_claims(hana, demo):
    daves = Claim.objects.filter(person__id=demo.dave, denials__isnull=False).first()
    assert hana.goto(f"/employer/claims/{daves.claim_number}/").status == 404
    denial = daves.denials.first()
    assert hana.goto(f"/employer/claims/{daves.claim_number}/denials/{denial.denial_id}/resolve/").status == 404
    hana.goto("/employer/claims/?q=Dave")
    assert "No claims match" in hana.inner_text("#employer-results")
