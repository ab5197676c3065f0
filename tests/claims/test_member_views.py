"""Member pages over HTTP (no browser): time zones, cache invalidation, upload as one operation."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sandbox.demo_files import receipt_pdf
from sandbox.models import Claim, Receipt, ReceiptStatus
from tests.helpers import csrf as _csrf
from tests.helpers import portal_sign_in
from tests.helpers import upload_token as _token


def test_instants_show_in_the_members_zone_and_service_dates_stay_calendar_dates(demo):
    claim = Claim.objects.filter(person__id=demo.alice, claim_status="PAID_STATUS").first()
    Claim.objects.filter(pk=claim.pk).update(
        start_date_of_service=datetime(2026, 3, 10, tzinfo=UTC),
        end_date_of_service=datetime(2026, 3, 10, tzinfo=UTC),
        submission_date=datetime(2026, 3, 11, 3, 0, tzinfo=UTC),  # 8 pm on Mar 10 in Portland
    )
    browser, _ = portal_sign_in(demo.base_url, "alice")
    page = browser.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10).text
    assert "<strong>Submitted</strong> Mar 10, 2026" in page
    assert "<dt>Date of service</dt><dd>Mar 10, 2026" in page


def waiting_for_a_receipt(html: str) -> int:
    """The "Needs your attention" count of claims that need a receipt (0 when not listed)."""
    found = re.search(r"(\d+) claims? needs? a receipt", html)
    return int(found.group(1)) if found else 0


def _alice_with_claims_waiting_for_a_receipt(demo):  # type: ignore[no-untyped-def]
    """alice signed in (her claim list now kept), how many claims wait for a receipt, and one."""
    browser, home = portal_sign_in(demo.base_url, "alice")
    waiting = Claim.objects.filter(
        person__id=demo.alice, claim_status="PENDING_RECEIPT_STATUS",
        receipt_status__in=[ReceiptStatus.REQUIRED, ReceiptStatus.OVERDUE, ReceiptStatus.NEW_NEEDED],
    ).exclude(rmis__status="OPEN").count()  # fmt: skip
    assert waiting_for_a_receipt(home.text) == waiting == 3
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    return browser, home, waiting, claim


def test_the_members_upload_clears_the_cached_list(demo):
    browser, _, waiting, claim = _alice_with_claims_waiting_for_a_receipt(demo)
    page = browser.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10).text
    response = browser.post(
        f"{demo.base_url}/claims/{claim.claim_number}/receipts/",
        data={"csrfmiddlewaretoken": _csrf(page), "upload_token": _token(page)},
        files={"receipt_files": ("r.pdf", receipt_pdf(["x"]), "application/pdf")},
        timeout=20,
    )
    assert response.status_code == 200 and "Uploaded 1 document" in response.text  # after the redirect
    listing = browser.get(f"{demo.base_url}/claims/", timeout=10).text
    assert waiting_for_a_receipt(listing) == waiting - 1


def test_resubmitting_the_same_form_does_not_upload_twice(demo):
    browser, _ = portal_sign_in(demo.base_url, "alice")
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    page = browser.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10).text
    form = {"csrfmiddlewaretoken": _csrf(page), "upload_token": _token(page)}
    pdf = receipt_pdf(["once"])
    for _ in range(3):  # double click, then the back button and submit again
        browser.post(
            f"{demo.base_url}/claims/{claim.claim_number}/receipts/",
            data=form,
            files={"receipt_files": ("r.pdf", pdf, "application/pdf")},
            timeout=20,
        )
    assert Receipt.objects.filter(claims=claim).count() == 1


def test_an_upload_whose_answer_was_lost_is_not_stored_twice_when_sent_again(demo, settings):
    browser, _ = portal_sign_in(demo.base_url, "alice")
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    page = browser.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10).text
    form = {"csrfmiddlewaretoken": _csrf(page), "upload_token": _token(page)}
    pdf = receipt_pdf(["Lost answer", "$18.00"])

    def send():
        return browser.post(
            f"{demo.base_url}/claims/{claim.claim_number}/receipts/", data=form, headers={"HX-Request": "true"},
            files={"receipt_files": ("lost.pdf", pdf, "application/pdf")}, timeout=30,
        )  # fmt: skip

    settings.SANDBOX_FAULT_RATE, settings.SANDBOX_FAULT_STATUS = 1.0, "drop"  # stored, then the line drops
    failed = send()
    assert "Uploaded 1 document" not in failed.text and "Reference:" in failed.text
    assert Receipt.objects.filter(claims=claim).count() == 1  # it did arrive
    settings.SANDBOX_FAULT_RATE = 0.0
    again = send()  # the member presses Upload again
    assert "Uploaded 1 document" in again.text
    assert Receipt.objects.filter(claims=claim).count() == 1


def test_upload_errors_are_in_words_and_nothing_is_sent(demo):
    browser, _ = portal_sign_in(demo.base_url, "alice")
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    url = f"{demo.base_url}/claims/{claim.claim_number}/receipts/"
    page = browser.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10).text
    form = {"csrfmiddlewaretoken": _csrf(page), "upload_token": _token(page)}
    cases = {
        "Choose at least one receipt file": None,
        "is not a file type we accept": ("run.exe", b"MZ\x90\x00" * 50, "application/octet-stream"),
        "is empty": ("empty.pdf", b"", "application/pdf"),
        "the limit is 10 MB": ("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1), "application/pdf"),
        "is really a PDF file": ("photo.png", receipt_pdf(["x"]), "image/png"),
        "contains web page code or script": ("r.pdf", receipt_pdf(["<script>alert(1)</script>"]), "application/pdf"),
    }
    for words, file in cases.items():
        response = browser.post(url, data=form, files={"receipt_files": file} if file else None, timeout=30)
        assert response.status_code == 200
        assert words in response.text, words
        assert 'class="error-summary"' in response.text
    assert Receipt.objects.filter(claims=claim).count() == 0


def test_path_tricks_in_file_names_are_neutralised(demo):
    browser, _ = portal_sign_in(demo.base_url, "alice")
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    page = browser.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10).text
    browser.post(
        f"{demo.base_url}/claims/{claim.claim_number}/receipts/",
        data={"csrfmiddlewaretoken": _csrf(page), "upload_token": _token(page)},
        files={"receipt_files": ("../../etc/passwd.pdf", receipt_pdf(["x"]), "application/pdf")},
        timeout=20,
    )
    assert Receipt.objects.get(claims=claim).file_name == "passwd.pdf"


def test_downloads_run_nothing_even_if_the_api_calls_them_web_pages(demo):
    receipt = Receipt.objects.filter(person__id=demo.alice).first()
    browser, _ = portal_sign_in(demo.base_url, "alice")
    url = f"{demo.base_url}/receipts/{receipt.external_id}/download/"
    normal = browser.get(url, timeout=10)
    assert normal.status_code == 200 and normal.headers["Content-Type"] == receipt.mime_type
    Receipt.objects.filter(pk=receipt.pk).update(mime_type="text/html")
    served = browser.get(url, timeout=10)
    assert served.status_code == 200 and served.content == normal.content
    assert served.headers["Content-Type"] == "application/octet-stream"
    assert served.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("attachment")


def test_a_claim_page_seen_again_comes_from_the_short_cache_and_the_members_upload_refreshes_it(demo):
    browser, _ = portal_sign_in(demo.base_url, "alice")
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    url = f"{demo.base_url}/claims/{claim.claim_number}/"
    page = browser.get(url, timeout=10).text
    assert "Renamed Pharmacy" not in page
    Claim.objects.filter(pk=claim.pk).update(provider_name="Renamed Pharmacy")  # changed upstream
    assert "Renamed Pharmacy" not in browser.get(url, timeout=10).text  # within the minute: no API calls
    response = browser.post(
        f"{url}receipts/",
        data={"csrfmiddlewaretoken": _csrf(page), "upload_token": _token(page)},
        files={"receipt_files": ("fresh.pdf", receipt_pdf(["fresh"]), "application/pdf")},
        timeout=20,
    )
    assert "Uploaded 1 document" in response.text  # the claim page after the redirect: read again
    assert "Renamed Pharmacy" in response.text and "fresh.pdf" in response.text


def test_an_htmx_upload_brings_the_kept_list_and_claim_page_up_to_date_without_reading_them_again(demo):
    browser, home, waiting, claim = _alice_with_claims_waiting_for_a_receipt(demo)
    url = f"{demo.base_url}/claims/{claim.claim_number}/"
    page = browser.get(url, timeout=10).text  # and the claim page
    shown = re.findall(r'href="/claims/([^"/]+)/"', home.text)
    other = next(number for number in shown if number != claim.claim_number)
    Claim.objects.filter(claim_number=other).update(provider_name="Renamed Elsewhere")  # changed upstream
    response = browser.post(
        f"{url}receipts/",
        data={"csrfmiddlewaretoken": _csrf(page), "upload_token": _token(page)},
        files={"receipt_files": ("fresh.pdf", receipt_pdf(["fresh"]), "application/pdf")},
        headers={"HX-Request": "true"},
        timeout=20,
    )
    assert response.status_code == 200 and "Uploaded 1 document" in response.text
    listing = browser.get(f"{demo.base_url}/claims/", timeout=10).text
    assert waiting_for_a_receipt(listing) == waiting - 1  # the uploaded claim as it is now
    assert "Renamed Elsewhere" not in listing  # the rest of the kept list was not read again
    again = browser.get(url, timeout=10).text
    assert "fresh.pdf" in again and "Receipt received" in again


def _without_tokens(html: str) -> str:
    """A page with this request's own tokens (CSRF, upload form, request id) blanked out."""
    html = re.sub(r'(name="(?:csrfmiddlewaretoken|upload_token)" value=")[^"]+', r"\1", html)
    return re.sub(r'("X-CSRFToken": ")[^"]+', r"\1", html)


def test_filters_swap_the_results_region_and_each_query_shows_its_own_claims(demo):
    browser, _ = portal_sign_in(demo.base_url, "alice")
    listing = browser.get(f"{demo.base_url}/claims/?status=needs-action", timeout=10).text
    swapped = browser.get(f"{demo.base_url}/claims/?status=needs-action", headers={"HX-Request": "true"}, timeout=10)
    assert swapped.text.strip().startswith('<div id="claims-results">')
    assert _without_tokens(swapped.text).strip() in _without_tokens(listing)
    denied = browser.get(f"{demo.base_url}/claims/?status=denied", headers={"HX-Request": "true"}, timeout=10).text
    needs = set(re.findall(r'href="/claims/([^"/]+)/"', swapped.text))
    shown = set(re.findall(r'href="/claims/([^"/]+)/"', denied))
    denied_numbers = set(
        Claim.objects.filter(person__id=demo.alice, denied_amount__gt=0).values_list("claim_number", flat=True)
    )
    assert shown == denied_numbers and needs != shown  # each query its own results, from the kept list


def test_a_kept_claim_page_is_shown_in_the_zone_the_member_has_now(demo):
    from portal.models import Profile

    claim = Claim.objects.filter(person__id=demo.alice, claim_status="PAID_STATUS").first()
    Claim.objects.filter(pk=claim.pk).update(submission_date=datetime(2026, 3, 11, 3, 0, tzinfo=UTC))
    browser, _ = portal_sign_in(demo.base_url, "alice")
    url = f"{demo.base_url}/claims/{claim.claim_number}/"
    assert "<strong>Submitted</strong> Mar 10, 2026" in browser.get(url, timeout=10).text  # Portland
    profile = Profile.objects.get(person_id=demo.alice)
    profile.time_zone = "UTC"
    profile.save()
    assert "<strong>Submitted</strong> Mar 11, 2026" in browser.get(url, timeout=10).text  # same copy, other zone


def test_the_timeline_of_a_paid_claim_never_says_not_yet_above_paid(demo):
    """Paid with no scheduled (or processed) day on record: the step is done, its day unknown."""
    claim = Claim.objects.filter(person__id=demo.alice, paid_amount__gt=0).first()
    Claim.objects.filter(pk=claim.pk).update(scheduled_for_reimbursement_date=None, processed_date=None)
    alice, _ = portal_sign_in(demo.base_url, "alice")
    page = alice.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10).text
    timeline = page[page.index('<ol class="timeline">') : page.index("</ol>", page.index('<ol class="timeline">'))]
    steps = re.findall(r'<li[^>]*class="([^"]*)"[^>]*><strong>([^<]+)</strong>\s*([^<]*)', timeline)
    by_name = {name: (css, text.strip()) for css, name, text in steps}
    assert by_name["Payment scheduled"] == ("done", "—") and by_name["Processed"] == ("done", "—")
    assert by_name["Paid"][0] == "done" and "not yet" not in timeline
