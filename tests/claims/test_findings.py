"""The ten findings of issue 14, each over real HTTP against the sandbox (each failed before it).

alice's seeded claims are named by their provider (see sandbox/seed.py); bob's are generated."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from html import unescape

import pytest

from sandbox.demo_files import receipt_pdf
from sandbox.models import Claim
from tests.helpers import csrf as _csrf
from tests.helpers import portal_sign_in
from tests.helpers import upload_token as _token

pytestmark = pytest.mark.django_db(transaction=True)


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def _panel(html: str) -> str:
    """The words of a claim page's status part (the situation panel and its reasons/requests)."""
    found = re.search(
        r'<div id="claim-status".*?(?=<section id="upload"|<section aria-labelledby="amounts-title")', html, re.S
    )
    return _text(found.group(0)) if found else _text(html)


def _alice(demo, provider: str, **lookup) -> Claim:
    return Claim.objects.filter(person__id=demo.alice, provider_name=provider, **lookup).order_by("-submission_date")[0]


def _upload(browser, base: str, claim: Claim, *, htmx: bool) -> str:
    url = f"{base}/claims/{claim.claim_number}/"
    page = browser.get(url, timeout=10).text
    response = browser.post(
        f"{url}receipts/",
        data={"csrfmiddlewaretoken": _csrf(page), "upload_token": _token(page)},
        files={"receipt_files": ("itemized.pdf", receipt_pdf(["Itemized receipt", "$289.00"]), "application/pdf")},
        headers={"HX-Request": "true"} if htmx else {},
        timeout=20,
    )
    assert response.status_code == 200 and "Uploaded 1 document" in response.text, response.text[:500]
    return response.text


def _row(listing: str, claim: Claim) -> str:
    for row in re.findall(r"<tr>(.*?)</tr>", listing, re.S):
        if f"/{claim.claim_number}/" in row:
            return _text(row)
    raise AssertionError(f"{claim.claim_number} is not listed")


def test_1_after_an_upload_the_page_and_the_list_say_the_receipt_was_received(demo):
    browser, _ = portal_sign_in(demo.base_url, "alice")
    claim = _alice(demo, "ClearView Eye Care", claim_status="PENDING_RECEIPT_STATUS")
    answer = _upload(browser, demo.base_url, claim, htmx=True)
    # The in-page answer replaces the status panel: no request for the receipt just sent.
    assert 'id="claim-status" hx-swap-oob="true"' in answer
    assert "Receipt received, under review" in _panel(answer) and "Send a receipt" not in answer
    page = browser.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10).text
    assert "Receipt received, under review" in _panel(page)
    assert "needs a receipt" not in _panel(page) and "Send a receipt" not in _panel(page)
    listing = browser.get(f"{demo.base_url}/claims/?page=1", timeout=10).text
    assert "Receipt received, under review" in _row(listing, claim)


def test_2_requests_and_fixable_denials_are_answered_by_documents_sent_after_them(demo):
    browser, _ = portal_sign_in(demo.base_url, "alice")
    align = _alice(demo, "Align Chiropractic")  # on hold with an open request for information
    before = browser.get(f"{demo.base_url}/claims/{align.claim_number}/", timeout=10).text
    assert "Answer a request for more information" in _panel(before) and "Open" in _panel(before)
    _upload(browser, demo.base_url, align, htmx=False)
    after = browser.get(f"{demo.base_url}/claims/{align.claim_number}/", timeout=10).text
    assert "Documents received, under review" in _panel(after) and "Documents sent" in _panel(after)
    assert "Answer a request" not in _panel(after)
    contacts = _alice(demo, "1-800 Contacts")  # denied; a better receipt can fix it
    assert "You can fix this" in _panel(browser.get(f"{demo.base_url}/claims/{contacts.claim_number}/").text)
    _upload(browser, demo.base_url, contacts, htmx=True)
    page = browser.get(f"{demo.base_url}/claims/{contacts.claim_number}/", timeout=10).text
    assert "You can fix this" not in page and "Documents received, under review" in _panel(page)
    listing = browser.get(f"{demo.base_url}/claims/?status=denied", timeout=10).text
    assert "Documents received, under review" in _row(listing, contacts)  # still denied money, in Denied


def test_3_after_the_filing_deadline_nothing_is_offered_that_cannot_be_done(demo):
    browser, home = portal_sign_in(demo.base_url, "alice")
    ortho = _alice(demo, "Bright Smiles Dental", expense_type="Orthodontics")  # last day: March 31 this year
    page = browser.get(f"{demo.base_url}/claims/{ortho.claim_number}/", timeout=10).text
    panel = _panel(page)
    assert "The deadline to fix this has passed" in panel and "was March 31" in panel
    assert "You can fix this" not in page and 'id="upload"' not in page and "Action needed" not in page
    fixable = re.search(r"(\d+) denied claims? you can fix", home.text)
    listed = browser.get(f"{demo.base_url}/claims/?need=fix-denial", timeout=10).text
    assert ortho.claim_number not in listed
    assert int(fixable.group(1)) == len(re.findall(r'href="/claims/[^"/]+/"', listed))
    # A paid claim near its plan year's end warns of nothing; a claim waiting for the member does.
    paid = _alice(demo, "Legacy Good Samaritan")
    assert "Deadline soon" not in browser.get(f"{demo.base_url}/claims/{paid.claim_number}/").text
    Claim.objects.filter(pk=_alice(demo, "ClearView Eye Care", claim_status="PENDING_RECEIPT_STATUS").pk).update(
        final_filing_date=paid.final_filing_date
    )
    from claims.selectors import member_claims_forget
    from portal.models import Profile

    member_claims_forget(user_id=Profile.objects.get(person_id=demo.alice).user_id)
    clearview = _alice(demo, "ClearView Eye Care", claim_status="PENDING_RECEIPT_STATUS")
    waiting = browser.get(f"{demo.base_url}/claims/{clearview.claim_number}/", timeout=10).text
    assert "Deadline soon:" in _panel(waiting) and "days left" in _panel(waiting)


def _bobs_denied_claim(demo) -> Claim:
    for claim in Claim.objects.filter(person__id=demo.bob, claim_status="DENIED_STATUS", paid_amount=0):
        if claim.denials.count() == 1 and claim.denied_amount > Decimal("60"):
            return claim
    raise AssertionError("bob has no denied claim")


def test_4_a_partly_reallocated_claim_says_what_is_still_denied_and_stays_in_denied(demo):
    claim = _bobs_denied_claim(demo)
    denial = claim.denials.get()
    answer = demo.patch_denial(claim.claim_number, str(denial.denial_id), {"reallocate_to_pending_amount": "50.00"})
    assert answer.status_code == 200, answer.text
    left = claim.denied_amount - Decimal("50.00")
    bob, _ = portal_sign_in(demo.base_url, "bob")
    page = bob.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10).text
    panel = _panel(page)
    assert f"${left:,.2f} still denied" in panel or f"${left:,.2f} was not approved" in panel
    assert "accepted" not in panel and "$50.00 was approved" in panel
    assert claim.claim_number in bob.get(f"{demo.base_url}/claims/?status=denied", timeout=10).text
    hana, _ = portal_sign_in(demo.base_url, "hana")
    denied = hana.get(f"{demo.base_url}/employer/claims/", params={"status": "denied", "q": claim.claim_number}).text
    assert claim.claim_number in denied and f"still denied <strong>${left:,.2f}</strong>" in denied
    review = hana.get(f"{demo.base_url}/employer/claims/{claim.claim_number}/", timeout=10).text
    assert "Partly resolved" in review and "Partially_resolved" not in review and "Partiallyresolved" not in review


def test_5_a_claim_that_asks_for_a_receipt_offers_the_upload(demo):
    browser, _ = portal_sign_in(demo.base_url, "alice")
    for claim in Claim.objects.filter(person__id=demo.alice, claim_status="PENDING_RECEIPT_STATUS"):
        page = browser.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10).text
        asks = any(words in _panel(page) for words in ("Send a receipt", "Send a new receipt", "receipt is overdue"))
        assert not asks or 'id="upload"' in page, claim.provider_name
    providence = _alice(demo, "Providence Urgent Care", claim_status="PENDING_RECEIPT_STATUS")  # receipt pending
    page = browser.get(f"{demo.base_url}/claims/{providence.claim_number}/", timeout=10).text
    assert "We need a receipt" not in page and "Send a receipt" not in page


def test_6_failed_payments_repayments_and_frozen_accounts_say_what_to_do_and_whom_to_contact(demo, settings):
    settings.PLAN_CONTACT = "the Acme Benefits Center at 1-800-555-0134"
    browser, _ = portal_sign_in(demo.base_url, "alice")
    needs = browser.get(f"{demo.base_url}/claims/?status=needs-action", timeout=10).text
    failed = _alice(demo, "Bright Smiles Dental", claim_status="BANKING_FAILED_STATUS")
    assert "Payment failed: check your bank details" in _row(needs, failed)
    page = _panel(browser.get(f"{demo.base_url}/claims/{failed.claim_number}/", timeout=10).text)
    assert "1-800-555-0134" in page and "cannot be seen or changed in this portal" in page
    repay = _alice(demo, "CVS Pharmacy #2210")
    page = _panel(browser.get(f"{demo.base_url}/claims/{repay.claim_number}/", timeout=10).text)
    assert "Repay $63.18 or send a receipt" in page and "1-800-555-0134" in page and "due date" in page
    frozen = _alice(demo, "Bright Smiles Dental", claim_status="FREEZE_STATUS")
    page = _panel(browser.get(f"{demo.base_url}/claims/{frozen.claim_number}/", timeout=10).text)
    assert "1-800-555-0134" in page and "HR administrator" not in page


def test_7_every_attention_count_is_the_number_of_claims_its_link_shows(demo):
    browser, home = portal_sign_in(demo.base_url, "alice")
    items = re.findall(r'<li><a href="\?need=([a-z-]+)"[^>]*>(\d+) ', home.text)
    assert len(items) >= 5
    for need, count in items:
        listing = browser.get(f"{demo.base_url}/claims/?need={need}", timeout=10).text
        assert len(re.findall(r'href="/claims/[^"/]+/"', listing)) == int(count), need
        # The list says which claims it shows, in the words of the link that led there.
        said = re.search(rf'<li><a href="\?need={need}"[^>]*>([^<]+)</a>', home.text).group(1)
        shown = re.search(r'<p class="result-count"[^>]*>(.*?)</p>', listing, re.S).group(1)
        assert shown.startswith(f"{said}."), (need, shown)
    needs = browser.get(f"{demo.base_url}/claims/?status=needs-action", timeout=10).text
    assert len(re.findall(r'href="/claims/[^"/]+/"', needs)) == sum(int(c) for _, c in items)


def test_8_hr_pages_speak_to_the_administrator_and_label_who_was_paid(demo):
    hana, home = portal_sign_in(demo.base_url, "hana")
    table = _text(re.search(r"<table.*?</table>", home.text, re.S).group(0))
    assert "Waiting for your receipt" not in table and "Send a receipt" not in table
    assert "Waiting for the member's receipt" in table
    assert 'value="needs-action">Waiting for the member<' in home.text and "Needs your action" not in home.text
    assert "a member's name matches only the claims that were paid to them" in _text(home.text)
    ptp = Claim.objects.filter(person__id=demo.alice, is_ptp=True, provider_name="OHSU Hospital").first()
    review = hana.get(f"{demo.base_url}/employer/claims/{ptp.claim_number}/", timeout=10).text
    assert "OHSU Hospital · OHSU Hospital" not in review and "OHSU Hospital (the provider)" in review
    listed = hana.get(f"{demo.base_url}/employer/claims/", params={"q": ptp.claim_number}, timeout=10).text
    assert "The provider" in _row(listed, ptp)
    export = hana.get(f"{demo.base_url}/employer/claims/export.csv", timeout=30).content.decode("utf-8-sig")
    rows = {row["claim_number"]: row for row in csv.DictReader(io.StringIO(export))}
    waiting = _alice(demo, "ClearView Eye Care", claim_status="PENDING_RECEIPT_STATUS")
    assert rows[waiting.claim_number]["status"] == "Waiting for the member's receipt"
    assert rows[waiting.claim_number]["waiting_for"] == "member"
    assert rows[ptp.claim_number]["paid_to_provider"] == "yes"


def test_9_invalid_employer_filters_are_shown_with_htmx_too_and_never_give_unfiltered_totals(demo):
    hana, _ = portal_sign_in(demo.base_url, "hana")
    total = Claim.objects.filter(person__employer__name="Acme Corp").count()
    for bad in (
        {"amount_min": "1,00"},
        {"amount_min": "500", "amount_max": "100"},
        {"served_from": "2026-05-01", "served_to": "2026-01-01"},
    ):
        swapped = hana.get(f"{demo.base_url}/employer/claims/", params=bad, headers={"HX-Request": "true"}).text
        assert "Check the filters" in swapped and f"{total}</strong> claims" not in swapped, bad
        assert "export.csv" not in swapped, bad
        export = hana.get(f"{demo.base_url}/employer/claims/export.csv", params=bad, timeout=20)
        assert export.status_code == 400 and "Check the filters" in export.text, bad
    # What people type for dollars is understood.
    expected = Claim.objects.filter(person__employer__name="Acme Corp", claim_amount__gte=100, claim_amount__lte=1000)
    for low, high in (("$100", "1,000"), ("100.00", "$1,000.00")):
        page = hana.get(f"{demo.base_url}/employer/claims/", params={"amount_min": low, "amount_max": high}).text
        assert "Check the filters" not in page and f"<strong>{expected.count()}</strong> claims match" in page


def test_10_the_resolve_form_takes_what_its_live_total_takes_and_the_audit_trail_says_when_how_much_and_where(demo):
    from claims.forms import MoneyField

    field = MoneyField()
    assert [field.clean(v) for v in ("$50", "1,000", "$1,234.5", " 75 ")] == [
        Decimal("50"), Decimal("1000"), Decimal("1234.5"), Decimal("75"),
    ]  # fmt: skip
    for bad in ("1,00", "$", "12,34.00", "1.234", "-5", "1e3"):
        with pytest.raises(Exception, match=r"dollars and cents|two decimals|zero or more"):
            field.clean(bad)
    claim = _bobs_denied_claim(demo)
    denial = claim.denials.get()
    hana, _ = portal_sign_in(demo.base_url, "hana")
    form = hana.get(f"{demo.base_url}/employer/claims/{claim.claim_number}/denials/{denial.denial_id}/resolve/")
    confirm = hana.post(form.url, data={"csrfmiddlewaretoken": _csrf(form.text), "reallocate_to_paid_amount": "$50"})
    assert confirm.url.endswith("/confirm/"), _text(confirm.text)[:400]
    done = hana.post(confirm.url, data={"csrfmiddlewaretoken": _csrf(confirm.text)})
    assert "The denial was updated" in done.text
    trail = hana.get(f"{demo.base_url}/employer/audit/", timeout=10).text
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", trail, re.S) if "Denial update outcome" in r)
    assert f'href="/employer/claims/{claim.claim_number}/"' in row and "$50.00" in row
    assert re.search(r"\d{1,2}:\d{2} [AP]M [A-Z]{2,4}\b", _text(row)), _text(row)  # hana's zone, named
