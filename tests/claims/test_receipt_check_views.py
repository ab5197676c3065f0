"""The receipt check's pages over HTTP: nothing is sent before the member sends, removing a file,
sending exactly once, other members' checks out of reach, and the panel's polling."""

from __future__ import annotations

import re
import uuid

from receipts.models import ReceiptCheck
from sandbox.demo_files import receipt_pdf
from sandbox.models import Claim, Receipt, ReceiptStatus
from tests.helpers import csrf as _csrf
from tests.helpers import portal_sign_in
from tests.helpers import upload_token as _token

HTMX = {"HX-Request": "true"}


def _start(demo, who: str = "alice", files=None):  # type: ignore[no-untyped-def]
    browser, _ = portal_sign_in(demo.base_url, who)
    person = demo.alice if who == "alice" else demo.bob
    claim = Claim.objects.filter(person__id=person, receipt_status=ReceiptStatus.REQUIRED).first()
    page = browser.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10).text
    csrf, token = _csrf(page), _token(page)
    files = files or [("receipt_files", ("a.pdf", receipt_pdf(["Pharmacy", "Total $12.00"]), "application/pdf"))]
    answer = browser.post(
        f"{demo.base_url}/claims/{claim.claim_number}/receipts/check/",
        data={"csrfmiddlewaretoken": csrf, "upload_token": token}, files=files, headers=HTMX, timeout=20,
    )  # fmt: skip
    return browser, claim, csrf, token, answer


def test_checking_sends_nothing_and_the_panel_polls_with_backoff(demo):
    browser, claim, _csrf_token, token, answer = _start(demo)
    assert answer.status_code == 200 and 'id="receipt-check"' in answer.text
    assert "Reading this document" in answer.text and "a.pdf" in answer.text
    assert 'hx-trigger="load delay:0.5s"' in answer.text and "poll=1" in answer.text
    assert Receipt.objects.filter(claims=claim).count() == 0
    (check,) = ReceiptCheck.objects.all()
    assert check.claim_number == claim.claim_number and check.upload_token == token
    review = f"{demo.base_url}/claims/{claim.claim_number}/receipts/check/{token}/"
    later = browser.get(review + "?poll=5", headers=HTMX, timeout=10).text
    assert 'hx-trigger="load delay:3s"' in later and "poll=6" in later
    # Without JavaScript the same check is a page of its own that refreshes itself while reading.
    full = browser.get(review, timeout=10).text
    assert "Check your documents before sending" in full and 'http-equiv="refresh"' in full


def test_sending_uploads_each_file_once_and_forgets_what_was_read(demo):
    browser, claim, csrf, token, _ = _start(demo)
    send = f"{demo.base_url}/claims/{claim.claim_number}/receipts/check/{token}/send/"
    first = browser.post(send, data={"csrfmiddlewaretoken": csrf}, headers=HTMX, timeout=20)
    assert first.status_code == 200 and "Uploaded 1 document: a.pdf." in first.text
    assert 'id="receipt-check" class="receipt-check" hx-swap-oob="true"' in first.text
    assert not ReceiptCheck.objects.exists()
    # Send pressed again (its answer was lost): the same answer, nothing sent twice.
    again = browser.post(send, data={"csrfmiddlewaretoken": csrf}, headers=HTMX, timeout=20)
    assert again.status_code == 200 and "Uploaded 1 document: a.pdf." in again.text
    assert Receipt.objects.filter(claims=claim).count() == 1
    # Another form (token) of the same member has nothing to send.
    other = f"{demo.base_url}/claims/{claim.claim_number}/receipts/check/{uuid.uuid4()}/send/"
    assert "nothing to send" in browser.post(other, data={"csrfmiddlewaretoken": csrf}, headers=HTMX, timeout=20).text


def test_a_file_taken_out_is_not_sent(demo):
    files = [
        ("receipt_files", ("keep.pdf", receipt_pdf(["Keep", "$1.00"]), "application/pdf")),
        ("receipt_files", ("drop.pdf", receipt_pdf(["Drop", "$2.00"]), "application/pdf")),
    ]
    browser, claim, csrf, token, answer = _start(demo, files=files)
    assert "keep.pdf" in answer.text and "drop.pdf" in answer.text
    drop = ReceiptCheck.objects.get(file_name="drop.pdf")
    base = f"{demo.base_url}/claims/{claim.claim_number}/receipts/check/{token}"
    panel = browser.post(
        f"{base}/remove/", data={"csrfmiddlewaretoken": csrf, "check_id": str(drop.pk)}, headers=HTMX, timeout=10
    ).text
    assert "keep.pdf" in panel and "drop.pdf" not in panel
    sent = browser.post(f"{base}/send/", data={"csrfmiddlewaretoken": csrf}, timeout=20)  # without JavaScript
    assert (
        sent.url.endswith(f"/claims/{claim.claim_number}/#receipts") and "Uploaded 1 document: keep.pdf." in sent.text
    )
    assert list(Receipt.objects.filter(claims=claim).values_list("file_name", flat=True)) == ["keep.pdf"]


def test_another_members_check_is_out_of_reach(demo):
    _, claim, _, token, _ = _start(demo)
    bob, _ = portal_sign_in(demo.base_url, "bob")
    page = bob.get(f"{demo.base_url}/claims/", timeout=10).text
    csrf = _csrf(page)
    base = f"{demo.base_url}/claims/{claim.claim_number}/receipts/check/{token}"
    assert bob.get(f"{base}/", timeout=10).status_code == 404  # not bob's claim
    bobs = Claim.objects.filter(person__id=demo.bob).first()
    other = f"{demo.base_url}/claims/{bobs.claim_number}/receipts/check/{token}"
    shown = bob.get(f"{other}/", headers=HTMX, timeout=10).text
    assert "a.pdf" not in shown and "No documents chosen yet" in shown
    refused = bob.post(f"{other}/send/", data={"csrfmiddlewaretoken": csrf}, headers=HTMX, timeout=10)
    assert "nothing to send" in refused.text
    assert ReceiptCheck.objects.count() == 1 and Receipt.objects.filter(claims=claim).count() == 0
    assert (
        bob.get(f"{demo.base_url}/claims/{bobs.claim_number}/receipts/check/not-a-token/", timeout=10).status_code
        == 404
    )


def test_a_bad_file_is_refused_in_words_where_the_form_shows_its_messages(demo):
    fake = [("receipt_files", ("r.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "application/pdf"))]
    _, _, _, _, answer = _start(demo, files=fake)
    assert answer.headers.get("HX-Retarget") == "#upload-result" and answer.headers.get("HX-Reswap") == "innerHTML"
    assert re.search(r"Your receipt was not uploaded", answer.text)
    assert not ReceiptCheck.objects.exists()


def test_a_broker_out_of_reach_does_not_fail_the_check(demo, monkeypatch):
    """The row is stored and the watchdog queues it later; the member's request still answers."""
    from kombu.exceptions import OperationalError

    from receipts import tasks

    def down(*_args, **_kwargs):
        raise OperationalError("broker unreachable")

    monkeypatch.setattr(tasks.read_receipt, "delay", down)
    answer = _start(demo)[-1]
    assert answer.status_code == 200 and 'id="receipt-check"' in answer.text
    assert ReceiptCheck.objects.get().state == ReceiptCheck.State.QUEUED


def test_the_answer_to_a_send_keeps_the_insurer_panel_in_the_status_region(demo):
    """The status region is swapped whole after a send: every panel in it is drawn again."""
    from tests.helpers import claim_waiting_for_receipt

    browser, _ = portal_sign_in(demo.base_url, "alice")
    claim = claim_waiting_for_receipt(demo)  # an eye exam: the member's vision insurer may be asked
    page = browser.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10).text
    assert 'id="insurer"' in page
    csrf, token = _csrf(page), _token(page)
    base = f"{demo.base_url}/claims/{claim.claim_number}/receipts/check/"
    browser.post(
        base, data={"csrfmiddlewaretoken": csrf, "upload_token": token}, headers=HTMX, timeout=20,
        files=[("receipt_files", ("eye.pdf", receipt_pdf(["ClearView Eye Care", "Total $12.00"]), "application/pdf"))],
    )  # fmt: skip
    sent = browser.post(f"{base}{token}/send/", data={"csrfmiddlewaretoken": csrf}, headers=HTMX, timeout=20).text
    region = sent[sent.index('<div id="claim-status"') :]
    assert "Uploaded 1 document: eye.pdf." in sent and 'id="insurer"' in region
