"""Receipts: list, read, upload (with every refusal), download of the same bytes."""

from __future__ import annotations

import base64
import io
import zipfile
from http import HTTPStatus

import pytest

from sandbox.demo_files import receipt_pdf, receipt_png
from sandbox.models import Claim, Receipt, ReceiptStatus
from tests.sandbox.test_api_claims import assert_problem

PDF = receipt_pdf(["Test Pharmacy", "Amount: $12.00"])
PNG = receipt_png()


def _upload(
    demo,
    data: bytes,
    *,
    mime: str = "application/pdf",
    name: str = "receipt.pdf",
    claim: str | None = None,
    as_user: str = "alice",
    person: str | None = None,
    **extra,
):
    body = {
        "file_name": name,
        "file_content_base64": base64.b64encode(data).decode(),
        "mime_type": mime,
        **extra,
    }
    query = f"?person_id={person or demo.alice}" + (f"&claim_number={claim}" if claim else "")
    return demo.call("POST", f"/v1/claims/receipts/upload-file-to-cloud{query}", as_user=as_user, json=body)


def test_claim_receipts_list_and_detail(demo):
    claim = Claim.objects.filter(person__id=demo.alice, receipts__isnull=False).first()
    page = demo.get(f"/v1/claims/{claim.claim_number}/receipts?person_id={demo.alice}", as_user="alice").json()
    assert page["has_next"] is False and len(page["items"]) == 1
    receipt = page["items"][0]
    assert receipt["claim_numbers"] == [claim.claim_number]
    assert {
        "receipt_id",
        "file_name",
        "file_size",
        "content_type",
        "upload_date",
        "tracked_expense_number",
        "download_url",
    } <= set(receipt)
    detail = demo.get(f"/v1/claims/receipts/{receipt['receipt_id']}?person_id={demo.alice}", as_user="alice")
    assert detail.json() == receipt


def test_claim_receipts_only_for_a_claim_the_caller_may_see(demo):
    with_receipt = Claim.objects.filter(person__id=demo.alice, receipts__isnull=False).first()
    without = Claim.objects.filter(person__id=demo.alice, receipts__isnull=True).first()
    bobs = Claim.objects.filter(person__id=demo.bob).first()
    daves = Claim.objects.filter(person__id=demo.dave).first()
    path = "/v1/claims/{}/receipts?person_id={}"
    assert demo.get(path.format(without.claim_number, demo.alice), as_user="alice").json()["items"] == []
    assert_problem(demo.get(path.format("NO-SUCH-CLAIM", demo.alice), as_user="alice"), 404)
    assert_problem(demo.get(path.format(bobs.claim_number, demo.alice), as_user="alice"), 404)  # not hers
    assert_problem(demo.get(path.format(bobs.claim_number, demo.bob), as_user="alice"), 403)  # not her
    # An HR administrator reads an employee's receipts, and nobody's at another employer.
    hanas = demo.get(path.format(with_receipt.claim_number, demo.alice), as_user="hana")
    assert hanas.status_code == HTTPStatus.OK and hanas.json()["items"]
    assert_problem(demo.get(path.format(daves.claim_number, demo.dave), as_user="hana"), 403)


def test_claim_receipts_months_back_filter(demo):
    old = Claim.objects.filter(person__id=demo.alice, receipts__isnull=False).order_by("submission_date").first()
    base = f"/v1/claims/{old.claim_number}/receipts?person_id={demo.alice}"
    assert demo.get(base + "&number_of_months_back=1", as_user="alice").json()["items"] == []
    assert demo.get(base + "&number_of_months_back=120", as_user="alice").json()["items"]
    assert_problem(demo.get(base + "&number_of_months_back=zero", as_user="alice"), 400)


def test_person_id_required_on_receipt_endpoints(demo):
    claim = Claim.objects.filter(person__id=demo.alice).first()
    assert_problem(
        demo.get(f"/v1/claims/{claim.claim_number}/receipts", as_user="alice"),
        400,
        detail_contains="person_id",
    )
    assert_problem(demo.get("/v1/claims/receipts/rcpt-x", as_user="alice"), 400, detail_contains="person_id")


def test_member_reading_another_members_receipt_gets_404(demo):
    bobs_receipt = _upload(demo, PDF, as_user="bob", person=demo.bob).json()
    response = demo.get(f"/v1/claims/receipts/{bobs_receipt['receipt_id']}?person_id={demo.alice}", as_user="alice")
    assert_problem(response, 404)
    download = demo.get(
        f"/v1/claims/receipts/download-file-from-cloud/{bobs_receipt['external_id']}?person_id={demo.alice}",
        as_user="alice",
    )
    assert_problem(download, 404)
    # Asking as Bob's person_id is refused outright.
    assert_problem(
        demo.get(f"/v1/claims/receipts/{bobs_receipt['receipt_id']}?person_id={demo.bob}", as_user="alice"),
        403,
    )


def test_upload_links_claim_and_moves_receipt_status(demo):
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    response = _upload(
        demo, PNG, mime="image/png", name="glasses.png", claim=claim.claim_number, content_length=len(PNG)
    )
    assert response.status_code == HTTPStatus.OK, response.text
    body = response.json()
    assert body["external_id"] and body["content_type"] == "PNG" and body["file_size"] == len(PNG)
    assert body["claim_numbers"] == [claim.claim_number]
    # The answer is built from what was stored, not read back: it must be what a read returns.
    stored = demo.get(f"/v1/claims/receipts/{body['receipt_id']}?person_id={demo.alice}", as_user="alice")
    assert {k: v for k, v in body.items() if k != "external_id"} == stored.json()
    claim.refresh_from_db()
    assert claim.receipt_status == ReceiptStatus.RECEIVED
    # A second receipt on the same claim, once a new one is needed, is a re-upload.
    Claim.objects.filter(pk=claim.pk).update(receipt_status=ReceiptStatus.NEW_NEEDED)
    _upload(demo, PDF, claim=claim.claim_number)
    claim.refresh_from_db()
    assert claim.receipt_status == ReceiptStatus.RE_UPLOADED


def test_download_streams_the_same_bytes(demo):
    body = _upload(demo, PDF, name="pharmacy receipt.pdf").json()
    response = demo.get(
        f"/v1/claims/receipts/download-file-from-cloud/{body['external_id']}?person_id={demo.alice}",
        as_user="alice",
    )
    assert response.status_code == HTTPStatus.OK
    assert response.content == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "pharmacy receipt.pdf" in response.headers["Content-Disposition"]


def test_seeded_receipt_files_are_real(demo):
    receipt = Receipt.objects.filter(person__id=demo.alice, content_type="PDF").first()
    response = demo.get(
        f"/v1/claims/receipts/download-file-from-cloud/{receipt.external_id}?person_id={demo.alice}",
        as_user="alice",
    )
    assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "mime", "label"),
    [
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image/jpeg", "JPEG"),
        (b"GIF89a" + b"\x00" * 32, "image/gif", "GIF"),
        (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 32, "image/heic", "HEIC"),
        (_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"),
        (b"date,amount\n2026-01-02,12.00\n", "text/csv", "CSV"),
    ],
)
def test_other_accepted_types(demo, data, mime, label):
    response = _upload(demo, data, mime=mime, name=f"r.{label.lower()}")
    assert response.status_code == HTTPStatus.OK, response.text
    assert response.json()["content_type"] == label


def test_bad_base64_is_400(demo):
    body = {"file_name": "r.pdf", "file_content_base64": "%%%not base64%%%", "mime_type": "application/pdf"}
    response = demo.call(
        "POST", f"/v1/claims/receipts/upload-file-to-cloud?person_id={demo.alice}", as_user="alice", json=body
    )
    assert_problem(response, 400, detail_contains="base64")


def test_lying_mime_type_is_400(demo):
    assert_problem(_upload(demo, PNG, mime="application/pdf"), 400, detail_contains="not a valid PDF")
    assert_problem(_upload(demo, b"MZ\x90\x00" + b"\x00" * 100, mime="image/png", name="r.png"), 400)


def test_wrong_content_length_is_400(demo):
    assert_problem(_upload(demo, PDF, content_length=len(PDF) + 1), 400, detail_contains="content_length")
    assert_problem(_upload(demo, PDF, content_length="12"), 400, detail_contains="content_length")


def test_over_ten_mib_is_400(demo):
    big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)
    assert_problem(_upload(demo, big), 400, detail_contains="10 MiB")


def test_unaccepted_type_is_415(demo):
    assert_problem(_upload(demo, b"<html></html>", mime="text/html", name="r.html"), 415)
    assert_problem(_upload(demo, b"MZ\x90\x00", mime="application/x-msdownload", name="r.exe"), 415)


@pytest.mark.parametrize("name", ["../../etc/passwd", "a/b.pdf", "..\\x.pdf", "bad\x00.pdf", " "])
def test_path_tricks_in_file_name_are_400(demo, name):
    assert_problem(_upload(demo, PDF, name=name), 400, detail_contains="file_name")


def test_missing_fields_and_bad_json_are_400(demo):
    url = f"/v1/claims/receipts/upload-file-to-cloud?person_id={demo.alice}"
    assert_problem(demo.call("POST", url, as_user="alice", json={"file_name": "x.pdf"}), 400)
    assert_problem(
        demo.call("POST", url, as_user="alice", data=b"{not json", headers={"Content-Type": "application/json"}),
        400,
    )


def test_upload_for_someone_else_is_refused(demo):
    assert_problem(_upload(demo, PDF, person=demo.bob), 403)
    bobs_claim = Claim.objects.filter(person__id=demo.bob).first()
    assert_problem(_upload(demo, PDF, claim=bobs_claim.claim_number), 404)


def test_admin_cannot_upload(demo):
    assert_problem(_upload(demo, PDF, as_user="hana"), 403, detail_contains="receipts:write")


def test_nothing_is_stored_after_a_refused_upload(demo):
    before = Receipt.objects.count()
    _upload(demo, PNG, mime="application/pdf")
    _upload(demo, PDF, content_length=1)
    assert Receipt.objects.count() == before
