"""The audit trail's integrity: references the server made, targets the API confirmed."""

from __future__ import annotations

import re

from claims.models import AuditEvent
from sandbox.models import Claim
from tests.helpers import portal_sign_in

CHOSEN = "REF-CHOSEN-BY-CLIENT-0001"


def _acme_claim(demo) -> Claim:
    return Claim.objects.filter(person__id=demo.alice).first()


def test_the_audit_reference_is_the_servers_own_and_the_clients_id_only_a_correlation(demo):
    browser, _ = portal_sign_in(demo.base_url, "hana")
    claim = _acme_claim(demo)
    url = f"{demo.base_url}/employer/claims/{claim.claim_number}/"
    answers = [browser.get(url, headers={"X-Request-Id": CHOSEN}, timeout=10) for _ in range(2)]
    assert all(a.status_code == 200 for a in answers)
    events = list(AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_CLAIM).order_by("id"))
    assert len(events) == 2
    references = [e.request_id for e in events]
    assert CHOSEN not in references and len(set(references)) == 2
    assert all(re.fullmatch(r"[0-9a-f]{32}", ref) for ref in references)
    assert references == [a.headers["X-Request-Id"] for a in answers]  # what the page quotes
    assert all(e.detail.get("correlation_id") == CHOSEN for e in events)
    trail = browser.get(f"{demo.base_url}/employer/audit/", timeout=10).text
    assert references[0] in trail and CHOSEN not in trail


def test_a_client_id_that_is_not_plain_and_short_is_not_kept_at_all(demo):
    browser, _ = portal_sign_in(demo.base_url, "hana")
    claim = _acme_claim(demo)
    for sent in ("x" * 65, "a b", "<script>", "ünïcode"):
        browser.get(
            f"{demo.base_url}/employer/claims/{claim.claim_number}/", headers={"X-Request-Id": sent}, timeout=10
        )
    assert all("correlation_id" not in e.detail for e in AuditEvent.objects.all())


def test_a_claim_the_api_did_not_confirm_is_not_written_as_a_target(demo):
    browser, _ = portal_sign_in(demo.base_url, "hana")
    typed = "CLM-FORGED-TYPED-<b>9999"
    response = browser.get(f"{demo.base_url}/employer/claims/{typed}/", timeout=10)
    assert response.status_code == 404
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW_CLAIM)
    assert event.result == "not_found" and event.target == ""
    assert "TYPED" not in str(event.detail) and "FORGED" not in str(event)
