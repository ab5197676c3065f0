"""HR admin operations over HTTP: exactly-once denial updates, the audit trail, the export."""

from __future__ import annotations

import csv
import io
import re
import threading
import uuid
from decimal import Decimal

import pytest

from claims.admin_services import safe_cell
from claims.models import AuditEvent, PendingDenialUpdate
from sandbox.models import Claim, Denial, IdempotencyRecord
from tests.portal.conftest import portal_sign_in


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _claim(demo) -> Claim:
    for claim in Claim.objects.filter(person__id=demo.alice, claim_status="DENIED_STATUS", paid_amount=0):
        if claim.denials.count() == 1:
            return claim
    raise AssertionError


def _confirm_page(browser, base: str, claim: Claim, amount: str = "20.00") -> tuple[str, str]:
    """Start an update and fill its amounts; returns (confirm URL, its page)."""
    denial = claim.denials.get()
    form = browser.get(f"{base}/employer/claims/{claim.claim_number}/denials/{denial.denial_id}/resolve/", timeout=10)
    confirm = browser.post(
        form.url, data={"csrfmiddlewaretoken": _csrf(form.text), "reallocate_to_paid_amount": amount}, timeout=10
    )
    assert confirm.url.endswith("/confirm/"), confirm.url
    return confirm.url, confirm.text


def test_a_lost_response_then_a_retry_applies_once(demo, settings):
    claim = _claim(demo)
    browser, _ = portal_sign_in(demo.base_url, "hana")
    url, page = _confirm_page(browser, demo.base_url, claim)
    settings.SANDBOX_FAULT_RATE = 1.0
    settings.SANDBOX_FAULT_STATUS = "drop"  # applied, then the connection is cut, on every attempt
    settings.GATEWAY_RETRIES = 2
    settings.GATEWAY_BACKOFF_INITIAL = 0.01
    failed = browser.post(url, data={"csrfmiddlewaretoken": _csrf(page)}, timeout=30)
    assert "could not be applied just now" in failed.text and "Reference:" in failed.text
    op = PendingDenialUpdate.objects.get(claim_number=claim.claim_number)
    assert op.state == PendingDenialUpdate.State.CONFIRMING
    settings.SANDBOX_FAULT_RATE = 0.0
    done = browser.post(url, data={"csrfmiddlewaretoken": _csrf(failed.text)}, timeout=30)
    assert "The denial was updated" in done.text
    assert Denial.objects.get(claim=claim).denied_amount == claim.denied_amount - Decimal("20.00")
    assert IdempotencyRecord.objects.filter(key=op.id).count() == 1
    results = list(AuditEvent.objects.filter(target=claim.claim_number, action="denial_update_result")
                   .values_list("result", flat=True))  # fmt: skip
    assert sorted(results) == ["applied", "failed"]


def test_parallel_confirms_apply_once(demo):
    claim = _claim(demo)
    browser, _ = portal_sign_in(demo.base_url, "hana")
    url, page = _confirm_page(browser, demo.base_url, claim, "30.00")
    token = _csrf(page)
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def confirm() -> None:
        barrier.wait()
        statuses.append(browser.post(url, data={"csrfmiddlewaretoken": token}, timeout=30).status_code)

    threads = [threading.Thread(target=confirm) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 4
    assert Denial.objects.get(claim=claim).denied_amount == claim.denied_amount - Decimal("30.00")
    op = PendingDenialUpdate.objects.get(claim_number=claim.claim_number)
    assert op.state == PendingDenialUpdate.State.APPLIED
    assert AuditEvent.objects.filter(target=claim.claim_number, action="denial_update_attempt").count() == 1


def test_an_admin_cannot_use_anothers_operation(demo):
    claim = _claim(demo)
    hana, _ = portal_sign_in(demo.base_url, "hana")
    url, _ = _confirm_page(hana, demo.base_url, claim)
    alice, _ = portal_sign_in(demo.base_url, "alice")
    assert alice.get(url, timeout=10).status_code == 403  # members: no admin pages at all
    assert hana.get(f"{demo.base_url}/employer/denial-updates/{uuid.uuid4()}/", timeout=10).status_code == 404


def test_audit_events_cannot_be_changed_or_deleted(demo):
    event = AuditEvent.objects.create(
        actor_name="x", business_entity_id=demo.acme, action="export", result="ok", target="claims.csv"
    )
    event.result = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(result="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_the_audit_page_shows_only_the_admins_business(demo):
    AuditEvent.objects.create(
        actor_name="Someone Else", business_entity_id=demo.northwind, action="export", result="ok", target="nw.csv"
    )
    browser, _ = portal_sign_in(demo.base_url, "hana")
    browser.get(f"{demo.base_url}/employer/claims/{_claim(demo).claim_number}/", timeout=10)
    page = browser.get(f"{demo.base_url}/employer/audit/", timeout=10).text
    assert "Viewed a claim" in page and "Hana Kim" in page
    assert "Someone Else" not in page and "nw.csv" not in page


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1 555 0100", "'+1 555 0100"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(1)", "'@SUM(1)"),
        ("-12.50", "-12.50"),
        ("Bright Smiles Dental", "Bright Smiles Dental"),
        (None, ""),
    ],
)
def test_export_cells_cannot_run_as_formulas(value, cell):
    assert safe_cell(value) == cell


def test_export_escapes_formulas_and_writes_plain_decimals(demo):
    claim = Claim.objects.filter(person__employer__name="Acme Corp").first()
    Claim.objects.filter(pk=claim.pk).update(provider_name='=HYPERLINK("http://evil","x")')
    browser, _ = portal_sign_in(demo.base_url, "hana")
    response = browser.get(f"{demo.base_url}/employer/claims/export.csv", timeout=30)
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == Claim.objects.filter(person__employer__name="Acme Corp").count()
    row = next(r for r in rows if r["claim_number"] == claim.claim_number)
    assert row["provider"].startswith("'=")
    assert re.fullmatch(r"\d+\.\d{2}", row["claim_amount"])


def test_employer_list_filters_by_plan_year_amount_and_dates(demo):
    browser, _ = portal_sign_in(demo.base_url, "hana")
    year = Claim.objects.filter(person__employer__name="Acme Corp").values_list("plan_year_name", flat=True).first()
    page = browser.get(f"{demo.base_url}/employer/claims/", params={"plan_year": year}, timeout=20).text
    expected = Claim.objects.filter(person__employer__name="Acme Corp", plan_year_name=year).count()
    assert f"<strong>{expected}</strong> claims match" in page
    bad = browser.get(
        f"{demo.base_url}/employer/claims/", params={"amount_min": "500", "amount_max": "100", "served_from": "x"},
        timeout=20,
    ).text  # fmt: skip
    assert "The upper amount must be at least the lower one." in bad and "Enter a valid date." in bad
