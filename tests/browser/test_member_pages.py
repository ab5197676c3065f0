"""Member pages walked as a member would, in Chromium, over real HTTP to the portal and sandbox."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.db.models import Q

from sandbox.demo_files import receipt_pdf
from sandbox.models import Claim, Receipt, ReceiptStatus
from tests.browser.conftest import assert_accessible, check_and_send, has_horizontal_scroll, screenshot
from tests.browser.test_signin import _forget_claims_list, sign_in

pytestmark = pytest.mark.browser

MEMBER_PAGES = ["/claims/", "/claims/?status=denied", "/receipts/", "/payees/", "/eligible-expenses/?q=glasses"]


@pytest.fixture
def alice(page, demo):
    sign_in(page, "alice")
    page.wait_for_url("**/claims/")
    return page


@pytest.fixture
def alice_phone(phone, demo):
    sign_in(phone, "alice")
    phone.wait_for_url("**/claims/")
    return phone


def _pdf(tmp_path: Path, name: str = "receipt.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(receipt_pdf(["ClearView Eye Care", "Glasses", "Amount paid: $289.00"]))
    return path


TARGETS = (
    "button, select, input:not([type=hidden]):not(.file-behind-label), "
    ".main-nav a, .pager a, .claims-table a, .attention a, .receipt-list a"
)


def _small_targets(page) -> list[str]:
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
          .filter(el => el.offsetParent !== null)
          .filter(el => el.getBoundingClientRect().height < 44)
          .map(el => el.outerHTML.slice(0, 80))""",
        TARGETS,
    )


def test_every_member_page_is_accessible_on_desktop(alice, demo):
    detail = Claim.objects.filter(person__id=demo.alice, denial_reasons__isnull=False, rmis__isnull=False).first()
    for path in [*MEMBER_PAGES, f"/claims/{detail.claim_number}/"]:
        alice.goto(path)
        assert_accessible(alice)


def test_every_member_page_works_at_320px(alice_phone, demo):
    detail = Claim.objects.filter(person__id=demo.alice, receipts__isnull=False).first()
    for path in [*MEMBER_PAGES, f"/claims/{detail.claim_number}/"]:
        alice_phone.goto(path)
        assert not has_horizontal_scroll(alice_phone), path
        assert _small_targets(alice_phone) == [], path
        assert_accessible(alice_phone)
    screenshot(alice_phone, "claim-detail-phone")


def test_filter_to_denied_open_one_and_read_why(alice, demo):
    alice.get_by_label("Show").select_option("denied")
    alice.wait_for_url("**status=denied**")
    rows = alice.locator("table.claims-table tbody tr")
    denied = Claim.objects.filter(person__id=demo.alice).filter(
        Q(claim_status__startswith="DENIED") | Q(denied_amount__gt=0)
    )
    assert rows.count() == denied.count()
    assert not any(row.endswith("\tPaid") for row in rows.all_inner_texts())  # money is still denied on each
    target = Claim.objects.filter(
        person__id=demo.alice, claim_status="DENIED_STATUS", denial_reasons__is_upload_receipt_allowed=True
    ).first()
    alice.goto(f"/claims/?status=denied&q={target.claim_number}")
    alice.get_by_role("link", name=target.provider_name).click()
    alice.wait_for_url(f"**/claims/{target.claim_number}/")
    reason = target.denial_reasons.first()
    main = alice.inner_text("main")
    assert "Why this claim was denied" in main and reason.explanation in main and reason.action_required in main
    assert alice.get_by_role("heading", name="Upload a document").is_visible()
    screenshot(alice, "claim-detail-denied")


def test_filters_and_pages_live_in_the_url(alice, demo):
    alice.goto("/claims/?page=2")
    first_on_two = alice.locator("table.claims-table tbody tr").first.inner_text()
    alice.reload()
    assert alice.locator("table.claims-table tbody tr").first.inner_text() == first_on_two
    alice.get_by_role("link", name="Newer claims").click()
    alice.wait_for_url("**page=1**")
    alice.go_back()
    alice.wait_for_url("**page=2**")
    assert alice.locator("table.claims-table tbody tr").first.inner_text() == first_on_two
    alice.goto("/claims/?q=ClearView")
    assert all("ClearView" in row for row in alice.locator("table.claims-table tbody tr").all_inner_texts())


def test_attention_summary_counts_what_needs_doing(alice, demo):
    section = alice.get_by_role("region", name="Needs your attention")
    text = section.inner_text()
    waiting = (
        Claim.objects.filter(
            person__id=demo.alice, claim_status="PENDING_RECEIPT_STATUS",
            receipt_status__in=[ReceiptStatus.REQUIRED, ReceiptStatus.OVERDUE, ReceiptStatus.NEW_NEEDED],
        )
        .exclude(rmis__status="OPEN")
        .count()
    )  # fmt: skip
    assert f"{waiting} claims need a receipt" in text


def test_upload_a_pdf_status_changes_in_place_and_downloads_back_identical(alice, demo, tmp_path):
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    alice.goto(f"/claims/{claim.claim_number}/")
    assert "Receipt needed" in alice.locator("#receipt-step").inner_text()
    pdf = _pdf(tmp_path)
    alice.set_input_files("#id_receipt_files", str(pdf))
    assert "receipt.pdf" in alice.locator("[data-previews]").inner_text()
    check_and_send(alice)
    alice.get_by_text("Uploaded 1 document: receipt.pdf.").wait_for()
    assert "Receipt received" in alice.locator("#receipt-step").inner_text()  # updated without a reload
    assert alice.url.endswith(f"/claims/{claim.claim_number}/")
    claim.refresh_from_db()
    assert claim.receipt_status == ReceiptStatus.RECEIVED
    with alice.expect_download() as info:
        alice.locator("#receipts-on-file").get_by_role("link", name="receipt.pdf").click()
    download = info.value
    assert Path(download.path()).read_bytes() == pdf.read_bytes()
    assert download.suggested_filename == "receipt.pdf"


def test_download_never_exposes_the_api(alice, demo):
    receipt = Receipt.objects.filter(person__id=demo.alice).first()
    alice.goto("/receipts/")
    link = alice.get_by_role("link", name=receipt.file_name).first
    href = link.get_attribute("href")
    assert href.startswith("/receipts/") and "sandbox" not in href and "person_id" not in href
    response = alice.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == receipt.mime_type
    assert "attachment" in response.headers["content-disposition"]
    assert "authorization" not in {k.lower() for k in response.headers}


def test_double_click_uploads_once(alice, demo, tmp_path):
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    alice.goto(f"/claims/{claim.claim_number}/")
    alice.set_input_files("#id_receipt_files", str(_pdf(tmp_path)))
    check_and_send(alice, double=True)
    alice.get_by_text("Uploaded 1 document").wait_for()
    alice.wait_for_timeout(500)
    assert Receipt.objects.filter(claims=claim).count() == 1


def test_failed_upload_can_be_retried_without_picking_the_file_again(alice, demo, tmp_path, settings):
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    alice.goto(f"/claims/{claim.claim_number}/")
    alice.set_input_files("#id_receipt_files", str(_pdf(tmp_path)))
    settings.SANDBOX_FAULT_RATE = 1.0
    settings.SANDBOX_FAULT_STATUS = "503"
    check_and_send(alice)
    summary = alice.get_by_role("alert")
    summary.wait_for()
    assert "Your receipt was not uploaded" in summary.inner_text() and "Reference:" in summary.inner_text()
    assert alice.evaluate("document.activeElement.matches('[data-error-summary]')")
    assert Receipt.objects.filter(claims=claim).count() == 0
    settings.SANDBOX_FAULT_RATE = 0.0
    # Nothing is lost: the checked file is still there to send, without choosing it again.
    assert "receipt.pdf" in alice.locator("#receipt-check").inner_text()
    alice.locator("#receipt-check form.check-send button").click()
    alice.get_by_text("Uploaded 1 document").wait_for()
    assert Receipt.objects.filter(claims=claim).count() == 1


def test_wrong_file_type_is_refused_before_sending(alice, demo, tmp_path):
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    alice.goto(f"/claims/{claim.claim_number}/")
    bad = tmp_path / "setup.exe"
    bad.write_bytes(b"MZ\x90\x00" * 10)
    alice.set_input_files("#id_receipt_files", str(bad))
    assert "not a file type we accept" in alice.locator("#files-error").inner_text()
    alice.get_by_role("button", name="Check documents", exact=True).click()
    assert "not a file type we accept" in alice.get_by_role("alert").inner_text()
    assert alice.evaluate("document.activeElement.classList.contains('error-summary')")
    assert Receipt.objects.filter(claims=claim).count() == 0


def test_a_mislabelled_file_is_refused_by_the_server_with_words(nojs, demo, tmp_path):
    """Without JavaScript the server checks the bytes: a PNG named .pdf is refused."""
    page = nojs
    sign_in(page, "alice")
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    page.goto(f"/claims/{claim.claim_number}/")
    from sandbox.demo_files import receipt_png

    fake = tmp_path / "receipt.pdf"
    fake.write_bytes(receipt_png())
    page.set_input_files("#id_receipt_files", str(fake))
    page.get_by_role("button", name="Check documents", exact=True).click()
    assert "is really a PNG file" in page.get_by_role("alert").inner_text()
    # ...and a real PDF goes through the confirmation step, then the page shows the new status.
    page.set_input_files("#id_receipt_files", str(_pdf(tmp_path)))
    page.get_by_role("button", name="Check documents", exact=True).click()
    page.wait_for_url("**/receipts/check/**")
    page.locator("#receipt-check form.check-send button").click()
    page.wait_for_url(f"**/claims/{claim.claim_number}/**")
    assert "Uploaded 1 document" in page.inner_text("main")
    assert "Receipt received" in page.locator("#receipt-step").inner_text()


def test_filters_work_without_javascript(nojs, demo):
    page = nojs
    sign_in(page, "alice")
    page.get_by_label("Show").select_option("paid")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**status=paid**")
    assert all("Paid" in r for r in page.locator("table.claims-table tbody tr").all_inner_texts())


def test_another_members_claim_is_the_same_404(alice, demo):
    bobs = Claim.objects.filter(person__id=demo.bob).first()
    response = alice.goto(f"/claims/{bobs.claim_number}/")
    assert response.status == 404
    assert alice.get_by_role("heading", name="Page not found").is_visible()
    missing = alice.goto("/claims/NO-SUCH-CLAIM/")
    assert missing.status == 404
    assert_accessible(alice)


def test_sandbox_503s_give_the_friendly_page(alice, demo, settings):
    settings.SANDBOX_FAULT_RATE = 1.0
    settings.SANDBOX_FAULT_STATUS = "503"
    settings.GATEWAY_RETRIES = 1
    settings.GATEWAY_BACKOFF_INITIAL = 0.01
    _forget_claims_list()
    response = alice.goto("/claims/")
    assert response.status == 503
    main = alice.inner_text("main")
    assert "can't reach the claims service" in main and "Reference:" in main
    assert alice.get_by_role("link", name="Try again").is_visible()
    assert_accessible(alice)
    screenshot(alice, "upstream-error")
    settings.SANDBOX_FAULT_RATE = 0.0
    alice.get_by_role("link", name="Try again").click()
    assert alice.get_by_role("heading", name="Your claims").is_visible()


def test_pages_are_lean(alice, demo):
    """Each page's own HTML + CSS + JS is under 100 KB compressed."""
    sizes: dict[str, int] = {}
    alice.on(
        "response",
        lambda r: (
            sizes.__setitem__(r.url, len(gzip.compress(r.body())))
            if r.request.resource_type in ("document", "stylesheet", "script")
            else None
        ),
    )
    detail = Claim.objects.filter(person__id=demo.alice, denial_reasons__isnull=False).first()
    for path in ("/claims/", f"/claims/{detail.claim_number}/"):
        sizes.clear()
        alice.goto(path)
        alice.wait_for_load_state("networkidle")
        assert sizes and sum(sizes.values()) < 100 * 1024, sizes


def test_eligible_expenses_search_and_payees(alice, demo):
    alice.goto("/eligible-expenses/")
    for name in ("Health Care FSA", "Health Reimbursement Arrangement (HRA)", "Dependent Care FSA"):
        assert alice.get_by_role("heading", name=name).is_visible()
    alice.get_by_label("Search expenses").fill("daycare")
    alice.wait_for_url("**q=daycare**")
    text = alice.inner_text("#expense-results")
    assert "Daycare Center" in text and "Eye Exam" not in text
    alice.goto("/payees/")
    assert alice.get_by_role("heading", name="Little Acorns Daycare").is_visible()


def _tab_to(page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"could not reach {selector} with the Tab key")


def test_keyboard_only_member_can_filter_open_a_claim_and_reach_the_upload(alice, demo):
    alice.goto("/claims/")
    alice.keyboard.press("Tab")
    assert alice.evaluate("document.activeElement.classList.contains('skip-link')")
    _tab_to(alice, "#id_status")
    alice.keyboard.press("ArrowDown")  # "Needs your action"
    alice.wait_for_url("**status=needs-action**")
    _tab_to(alice, "table.claims-table a")
    alice.keyboard.press("Enter")
    alice.wait_for_url("**/claims/*/")
    _tab_to(alice, "#id_receipt_files")
    _tab_to(alice, "form[data-upload-form] button[type=submit]")
    alice.keyboard.press("Enter")  # nothing chosen: the error summary takes focus
    alice.get_by_role("alert").wait_for()
    assert alice.evaluate("document.activeElement.classList.contains('error-summary')")


def test_the_chosen_files_sizes_read_right_an_empty_file_is_0_kb(alice, demo, tmp_path):
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    alice.goto(f"/claims/{claim.claim_number}/")
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * (1536 * 1024))  # 1.5 MB
    alice.set_input_files("#id_receipt_files", [str(tmp_path / "empty.pdf"), str(tmp_path / "scan.pdf")])
    previews = alice.locator("[data-previews]").inner_text()
    assert "empty.pdf (0 KB)" in previews and "scan.pdf (1.5 MB)" in previews
    assert "“empty.pdf” is empty." in alice.inner_text("main")
