"""The foundation: probes, serving under concurrency, demo data, tools, architecture contracts."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from pathlib import Path

import requests
from django.conf import settings
from django.core.management import call_command

from sandbox.models import Claim, ClaimStatus, Payee, Receipt, ReceiptStatus

ROOT = Path(__file__).resolve().parent.parent


def test_healthz(demo):
    response = requests.get(f"{demo.base_url}/healthz", timeout=10)
    assert response.status_code == HTTPStatus.OK and response.json() == {"status": "ok"}
    assert response.headers["X-Request-Id"]


def test_readyz_checks_database_and_claims_api(demo):
    body = requests.get(f"{demo.base_url}/readyz", timeout=10).json()
    assert body == {"status": "ready", "checks": {"database": "ok", "claims_api": "ok"}}


def test_readyz_is_503_when_the_claims_api_is_down(demo, settings):
    settings.CLAIMS_API_BASE_URL = "http://127.0.0.1:9/none"
    response = requests.get(f"{demo.base_url}/readyz", timeout=10)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["checks"]["claims_api"] == "failed"


def test_32_concurrent_users_do_not_deadlock(demo):
    """Each /readyz holds a server thread while it calls the sandbox on the same server."""
    token = demo.token("alice")

    def user(n: int) -> list[int]:
        with requests.Session() as s:
            codes = [s.get(f"{demo.base_url}/readyz", timeout=15).status_code for _ in range(3)]
            codes.append(
                s.get(
                    f"{demo.api_url}/v1/claims?person_id={demo.alice}",
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=15,
                ).status_code
            )
            return codes

    with ThreadPoolExecutor(max_workers=32) as pool:
        results = [code for codes in pool.map(user, range(32)) for code in codes]
    assert results == [200] * len(results)


def test_unknown_portal_page_is_a_friendly_404_with_reference(demo):
    response = requests.get(f"{demo.base_url}/no-such-page", timeout=10)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Page not found" in response.text
    assert response.headers["X-Request-Id"] in response.text


def test_demo_data_covers_every_state(demo):
    alice = Claim.objects.filter(person__id=demo.alice)
    assert alice.count() >= 30
    assert set(alice.values_list("claim_status", flat=True)) == set(ClaimStatus.values)
    assert set(alice.values_list("receipt_status", flat=True)) == set(ReceiptStatus.values)
    assert alice.values("plan_year_name").distinct().count() >= 2
    denied = alice.filter(claim_status=ClaimStatus.DENIED)
    assert any(c.denial_reasons.count() >= 2 for c in denied)
    assert all(c.denials.exists() for c in denied)
    assert alice.filter(claim_status=ClaimStatus.DENIED, paid_amount__gt=0).exists()  # partly denied
    assert alice.filter(rmis__status="OPEN").exists()
    assert alice.filter(is_ptp=True).exists()
    assert alice.filter(receipt_status=ReceiptStatus.REQUIRED).exists()
    assert Receipt.objects.filter(person__id=demo.alice, content_type="PDF").exists()
    assert Receipt.objects.filter(person__id=demo.alice, content_type="PNG").exists()
    assert Payee.objects.filter(person__id=demo.alice).exists()
    for claim in Claim.objects.all():
        assert claim.pending_amount >= 0, claim.claim_number
        assert claim.denied_amount == sum((d.denied_amount for d in claim.denials.all()), claim.denied_amount * 0)


def test_seed_is_idempotent(demo):
    before = (Claim.objects.count(), Receipt.objects.count(), Payee.objects.count())
    call_command("seed_sandbox", stdout=open("/dev/null", "w"))
    assert (Claim.objects.count(), Receipt.objects.count(), Payee.objects.count()) == before


def test_load_members_for_the_load_runs(demo, capsys):
    call_command("seed_sandbox", "--load-members", "2", stdout=open("/dev/null", "w"))
    before = (Claim.objects.count(), Receipt.objects.count())
    call_command("seed_sandbox", "--load-members", "2", stdout=open("/dev/null", "w"))  # idempotent
    assert (Claim.objects.count(), Receipt.objects.count()) == before
    for username in ("load001", "load002"):
        claims = Claim.objects.filter(person__user__username=username)
        assert claims.count() == 16
        assert Receipt.objects.filter(person__user__username=username).count() >= 4
    call_command("sandbox_token", "load002")
    token = capsys.readouterr().out.strip()
    person = Claim.objects.filter(person__user__username="load002").first().person_id
    response = demo.get(f"/v1/claims?person_id={person}&page_size=100", token=token)
    assert response.status_code == HTTPStatus.OK and len(response.json()["items"]) == 16


def test_sandbox_token_command_prints_a_working_token(demo, capsys):
    call_command("sandbox_token", "alice")
    token = capsys.readouterr().out.strip()
    response = demo.get(f"/v1/claims?person_id={demo.alice}", token=token)
    assert response.status_code == HTTPStatus.OK


def test_openapi_document_is_committed_in_sync_and_served(demo):
    from sandbox.management.commands.sandbox_openapi import render

    committed = (ROOT / "sandbox" / "api" / "openapi.json").read_text()
    assert committed == render(), "run `python manage.py sandbox_openapi` and commit the result"
    served = requests.get(f"{demo.api_url}/openapi.json", timeout=10)
    assert served.status_code == HTTPStatus.OK and served.json()["openapi"] == "3.1.0"
    assert len([op for path in json.loads(committed)["paths"].values() for op in path]) == 11


def test_import_contracts_hold():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Portal code never imports the sandbox KEPT" in result.stdout


def test_signing_key_is_generated_and_ignored_by_git():
    assert settings.SANDBOX_KEY_FILE.exists()
    ignored = subprocess.run(["git", "check-ignore", "-q", str(settings.SANDBOX_KEY_FILE)], cwd=ROOT, check=False)
    assert ignored.returncode == 0


def test_security_headers(demo):
    response = requests.get(f"{demo.base_url}/signin/", timeout=10)
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"].startswith("'self'")
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
