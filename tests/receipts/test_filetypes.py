"""What a receipt file really is: types by content, and polyglots refused in words."""

from __future__ import annotations

import io
import os
import zipfile
import zlib

import pytest

from receipts.filetypes import PDF, clean_file_name, problem_with
from sandbox.demo_files import receipt_pdf, receipt_png

JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


def _zip(entries: dict[str, bytes], *, prefix: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    return prefix + buffer.getvalue()


def _pdf_with(extra_object: bytes) -> bytes:
    """The clean receipt with one more object (unlisted in the cross-reference, whose own offset
    is kept right: a file that no parser reads is refused for that alone)."""
    clean = receipt_pdf(["Pharmacy", "$12.00"])
    pdf = clean.replace(b"xref\n", b"9 0 obj\n" + extra_object + b"\nendobj\nxref\n", 1)
    start = pdf.rindex(b"startxref\n") + len(b"startxref\n")
    return pdf[:start] + b"%d\n%%%%EOF\n" % pdf.rindex(b"xref\n0 ")


def _flate_object_stream(body: bytes) -> bytes:
    packed = zlib.compress(body)
    return b"<< /Type /ObjStm /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed) + packed + b"\nendstream"


GOOD = {
    "receipt.pdf": receipt_pdf(["Clinic visit", "$40.00"]),
    "receipt.png": receipt_png(),
    "photo.jpg": JPEG_HEAD + os.urandom(64 * 1024) + b"\xff\xd9",
    "scan.docx": _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document><w:body/></w:document>"}),
    "totals.csv": b"date,amount\n2026-01-02,12.00\n",
}

POLYGLOTS = {
    # name: (bytes, the words the member reads)
    "gifar.jpg": (JPEG_HEAD + os.urandom(4096) + b"\xff\xd9" + _zip({"a.class": b"\xca\xfe"}), "hides an archive"),
    "page.png": (receipt_png() + b"<html><script>alert(document.cookie)</script></html>", "web page code"),
    "trail.png": (receipt_png() + b"PAYLOAD" * 10, "extra data after the end of the image"),
    "cut.png": (receipt_png()[:-20], "damaged"),
    "svg.txt": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "web page code"),
    "gifjs.gif": (b"GIF89a/*\x00\x00\x00\x00*/=alert(1)//" + b"\x00" * 32, "doubles as script"),
    "dual.jpg": (JPEG_HEAD + b"%PDF-1.4\n1 0 obj<<>>endobj\n" + os.urandom(2048), "also a PDF"),
    "js.pdf": (_pdf_with(b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>"), "contains scripts"),
    "escaped.pdf": (_pdf_with(b"<< /S /J#61vaScript /JS (app.alert(1)) >>"), "contains scripts"),
    "hidden.pdf": (_pdf_with(_flate_object_stream(b"<< /S /Launch /F (cmd.exe) >>")), "contains scripts"),
    "attached.pdf": (_pdf_with(b"<< /Type /EmbeddedFile /Length 3 >>\nstream\nabc\nendstream"), "attachments"),
    # Markup after the first KiB (a browser sniffing the whole file would still find it).
    "late.txt": (b"Pharmacy receipt\n" * 100 + b"<body onload=alert(1)>", "web page code"),
    "late.csv": (b"date,amount\n2026-01-02,12.00\n" * 60 + b"<svg/onload=alert(1)>", "web page code"),
    "late.jpg": (JPEG_HEAD + os.urandom(4096) + b"<img src=x onerror=alert(1)>" + b"\xff\xd9", "web page code"),
    "macro.docx": (_zip({"word/document.xml": b"<w:document/>", "word/vbaProject.bin": b"\xd0\xcf"}), "macros"),
    "macro.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "_VBA_PROJECT".encode("utf-16-le"), "macros"),
}


@pytest.mark.parametrize("name", sorted(GOOD))
def test_ordinary_receipts_pass(name):
    kind, problem = problem_with(GOOD[name], name)
    assert problem is None and kind is not None


@pytest.mark.parametrize("name", sorted(POLYGLOTS))
def test_polyglots_are_refused_in_words(name):
    data, words = POLYGLOTS[name]
    kind, problem = problem_with(data, name)
    assert kind is None
    assert problem is not None and words in problem and f"“{name}”" in problem
    assert "upload that" in problem  # and what to do instead


def test_zip_bombs_are_refused():
    bomb = _zip({"word/document.xml": b"<w:document/>", "xl/padding.bin": b"\x00" * (210 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    _, problem = problem_with(bomb, "bomb.docx")
    assert problem is not None and "far more data" in problem


def test_mislabelled_and_oversized_files_are_refused():
    assert "is really a PDF file" in problem_with(GOOD["receipt.pdf"], "photo.jpg")[1]
    assert "is really a PNG file" in problem_with(GOOD["receipt.png"], "receipt.pdf")[1]
    assert "not a file type we accept" in problem_with(b"MZ\x90\x00" * 64, "receipt.pdf")[1]
    assert "not a file type we accept" in problem_with(b"<html>hi</html>", "receipt.html")[1]
    assert "the limit is 10 MB" in problem_with(b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "big.pdf")[1]
    assert problem_with(GOOD["receipt.pdf"], "RECEIPT.PDF") == (PDF, None)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\alice\\receipt.pdf", "receipt.pdf"),
        ("..", "receipt"),
        (".htaccess", "htaccess"),
        ("r\x00eceipt\n.pdf", "receipt.pdf"),
        ("a" * 300 + ".pdf", "a" * 247 + ".pdf"),
    ],
)
def test_path_tricks_in_names_are_neutralised(raw, clean):
    assert clean_file_name(raw) == clean


def test_random_image_data_is_not_mistaken_for_a_polyglot():
    for _ in range(20):
        data = JPEG_HEAD + os.urandom(512 * 1024) + b"\xff\xd9"
        assert problem_with(data, "photo.jpg")[1] is None
