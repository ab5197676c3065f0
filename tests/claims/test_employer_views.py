"""HR admin operations over HTTP: exactly-once denial updates, the audit trail, the export."""

from __future__ import annotations

import csv
import io
import re
import threading
import uuid
from decimal import Decimal

import pytest

from claims.employer.export import safe_cell
from claims.models import AuditEvent, PendingDenialUpdate
from sandbox.models import Claim, Denial, IdempotencyRecord
from tests.helpers import csrf as _csrf
from tests.helpers import portal_sign_in


def _claims(demo) -> list[Claim]:
    """Acme claims with one denial and nothing paid yet (alice's first)."""
    found = []
    for person in (demo.alice, demo.bob):
        for claim in Claim.objects.filter(person__id=person, claim_status="DENIED_STATUS", paid_amount=0):
            if claim.denials.count() == 1:
                found.append(claim)
    return found


def _claim(demo) -> Claim:
    return _claims(demo)[0]


def _in_parallel(calls: list) -> list:
    """Run the calls at the same instant, one thread each; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


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
    # Six clicks at once: one sends, the others wait for its row lock, then see it applied (or are
    # told it is on its way); none sends it again.
    answers = _in_parallel([lambda: browser.post(url, data={"csrfmiddlewaretoken": token}, timeout=30)] * 6)
    assert [answer.status_code for answer in answers] == [200] * 6
    assert all("The denial was updated" in a.text or "being applied" in a.text for a in answers)
    assert Denial.objects.get(claim=claim).denied_amount == claim.denied_amount - Decimal("30.00")
    op = PendingDenialUpdate.objects.get(claim_number=claim.claim_number)
    assert op.state == PendingDenialUpdate.State.APPLIED
    assert IdempotencyRecord.objects.filter(key=op.id).count() == 1
    trail = AuditEvent.objects.filter(target=claim.claim_number).exclude(action="view_claim")
    assert sorted(trail.values_list("action", "result")) == [
        ("denial_update_attempt", "sent"),
        ("denial_update_result", "applied"),
    ]


def test_parallel_updates_of_different_claims_each_apply_once_with_a_complete_trail(demo):
    claims = _claims(demo)[:4]
    assert len(claims) == 4
    browsers = [portal_sign_in(demo.base_url, "hana")[0] for _ in range(2)]  # two tabs' worth of sessions
    pending = []
    for index, claim in enumerate(claims):
        browser = browsers[index % 2]
        url, page = _confirm_page(browser, demo.base_url, claim, f"{10 + index}.00")
        pending.append((browser, url, _csrf(page)))
    calls = [
        (lambda b=b, u=u, t=t: b.post(u, data={"csrfmiddlewaretoken": t}, timeout=30))
        for b, u, t in pending + pending  # each one twice, all at once
    ]
    answers = _in_parallel(calls)
    assert [answer.status_code for answer in answers] == [200] * len(calls)
    for index, claim in enumerate(claims):
        assert Denial.objects.get(claim=claim).denied_amount == claim.denied_amount - Decimal(f"{10 + index}.00")
        trail = AuditEvent.objects.filter(target=claim.claim_number).exclude(action="view_claim")
        assert sorted(trail.values_list("action", "result")) == [
            ("denial_update_attempt", "sent"),
            ("denial_update_result", "applied"),
        ], claim.claim_number
    assert PendingDenialUpdate.objects.filter(state=PendingDenialUpdate.State.APPLIED).count() == 4


def test_the_resolve_form_names_the_denial_it_resolves(demo):
    claim = _claim(demo)
    denial = claim.denials.get()
    hana, _ = portal_sign_in(demo.base_url, "hana")
    form = hana.get(
        f"{demo.base_url}/employer/claims/{claim.claim_number}/denials/{denial.denial_id}/resolve/", timeout=10
    )
    assert form.url.endswith("/") and "/employer/denial-updates/" in form.url
    named = re.search(r"<p>Denial ([^:<]+): <span lang=\"en\">([^<]*)</span></p>", form.text)
    assert named and named.groups() == (denial.denial_code, denial.denial_reason)


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


def test_the_database_itself_keeps_the_trail_append_only(demo):
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's (production); the ORM guard above holds everywhere")
    actor = get_user_model().objects.create(username="leaver")
    event = AuditEvent.objects.create(
        actor=actor, actor_name="Leaver", business_entity_id=demo.acme, action="export", result="ok", target="x"
    )
    for sql in (
        "UPDATE claims_auditevent SET result = 'changed' WHERE id = %s",
        "UPDATE claims_auditevent SET actor_id = NULL, target = 'y' WHERE id = %s",
        "DELETE FROM claims_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [event.pk])
    actor.delete()  # the account may go; its events stay, with the name they were recorded under
    kept = AuditEvent.objects.get(pk=event.pk)
    assert kept.actor_id is None and kept.actor_name == "Leaver" and kept.result == "ok"


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
