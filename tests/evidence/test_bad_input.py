"""Files that cannot be read give a Reading that says why, never an exception."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from evidence import Readability, read
from evidence.model import Kind
from evidence.samples import make_document

ROOT = Path(__file__).resolve().parents[2]


def _pdf() -> bytes:
    return make_document(Kind.MEDICAL_INVOICE, seed=1)[0]


def test_empty_bytes() -> None:
    reading = read(b"", "application/pdf")
    assert (reading.readability, reading.problem) == (Readability.DAMAGED, "empty_file")


def test_a_truncated_pdf() -> None:
    reading = read(_pdf()[:600], "application/pdf")
    assert reading.readability is Readability.DAMAGED


def test_an_encrypted_pdf() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf())))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    reading = read(out.getvalue(), "application/pdf")
    assert (reading.readability, reading.problem) == (Readability.DAMAGED, "encrypted_pdf")


def test_a_zip_renamed_pdf() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("receipt.txt", "Total 12.00")
    reading = read(out.getvalue(), "application/pdf")
    assert (reading.readability, reading.problem) == (Readability.UNSUPPORTED, "archive_file")


def test_bytes_that_claim_to_be_a_pdf_and_are_not() -> None:
    reading = read(b"hello, I am not a PDF", "application/pdf")
    assert (reading.readability, reading.problem) == (Readability.DAMAGED, "not_a_pdf")


def test_an_old_word_file_is_said_to_be_unsupported() -> None:
    reading = read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "application/msword")
    assert (reading.readability, reading.problem) == (Readability.UNSUPPORTED, "old_office_file")


def test_a_one_pixel_png_has_no_text() -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(out, "PNG")
    reading = read(out.getvalue(), "image/png")
    assert reading.readability is Readability.NO_TEXT


def test_a_truncated_jpeg() -> None:
    data = make_document(Kind.SHOP_RECEIPT, variant="photo", seed=1, turn=0)[0]
    reading = read(data[:200], "image/jpeg")
    assert reading.readability is Readability.DAMAGED


def test_a_huge_photo_is_downscaled_without_blowing_memory(tmp_path: Path) -> None:
    """8000x6000: decoded at a fraction of its size (JPEG draft), read in a process of bounded size."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (8000, 6000), "white")
    font = ImageFont.load_default(220)
    ImageDraw.Draw(image).text((600, 1500), "Sunrise Pharmacy", font=font, fill="black")
    ImageDraw.Draw(image).text((600, 3500), "TOTAL  $42.50", font=font, fill="black")
    path = tmp_path / "huge.jpg"
    image.save(path, "JPEG", quality=85)
    del image
    # The peak of the child's own memory (VmHWM): its ru_maxrss would also count the test
    # process's size when it started the child (Linux keeps the larger across exec).
    script = (
        "import re; from evidence import read;"
        f"r = read(open({str(path)!r}, 'rb').read(), 'image/jpeg');"
        "hwm = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) // 1024;"
        "print(r.readability.value, r.value('total'), hwm)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    readability, total, peak_mib = out.stdout.split()
    assert (readability, total) == ("read", "42.50")
    assert int(peak_mib) < 900  # an 8000x6000 RGB decode alone is 137 MiB; model and runtime ~400


@pytest.mark.parametrize("kind", ["docx", "xlsx", "csv"])
def test_office_files_and_csv_are_read_as_text(kind: str) -> None:
    lines = [
        ["Lakeside Medical Clinic"],
        ["Patient:", "Ana Ruiz"],
        ["Date of service:", "03/14/2025"],
        ["Office visit 99213", "120.00"],
        ["Balance due", "120.00"],
    ]
    out = io.BytesIO()
    if kind == "docx":
        import docx

        document = docx.Document()
        document.add_paragraph("Lakeside Medical Clinic")
        table = document.add_table(rows=0, cols=2)
        for line in lines[1:]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = line
        document.save(out)
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif kind == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        for line in lines:
            book.active.append(line)  # type: ignore[union-attr]
        book.save(out)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        out.write("\n".join(",".join(line) for line in lines).encode())
        mime = "text/csv"
    reading = read(out.getvalue(), mime)
    assert reading.readability is Readability.READ
    assert (reading.value("patient"), str(reading.value("amount")), str(reading.value("date_of_service"))) == (
        "Ana Ruiz",
        "120.00",
        "2025-03-14",
    )
    assert reading.value("provider") == "Lakeside Medical Clinic"


def test_a_decoders_surprise_is_a_damaged_file_not_an_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    import evidence.reader

    def surprise(data: bytes, kind: str) -> None:
        raise RuntimeError("secret contents of the file")

    monkeypatch.setattr(evidence.reader, "load", surprise)
    reading = read(b"%PDF-1.7", "application/pdf")
    assert (reading.readability, reading.problem) == (Readability.DAMAGED, "unreadable")


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_pdf_page_turned_for_display_is_read_and_its_boxes_placed_as_shown(rotation: int) -> None:
    from pypdf import PdfReader, PdfWriter

    data, mime, truth = make_document(Kind.MEDICAL_INVOICE, seed=1)
    upright = read(data, mime).fields["total"].where
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.pages[0].rotate(rotation)
    out = io.BytesIO()
    writer.write(out)
    reading = read(out.getvalue(), mime)
    assert (reading.value("total"), reading.value("patient")) == (truth["total"], truth["patient"])
    where = reading.fields["total"].where
    assert where is not None and upright is not None
    centre = ((where.left + where.right) / 2, (where.top + where.bottom) / 2)
    x, y = (upright.left + upright.right) / 2, (upright.top + upright.bottom) / 2
    expected = {90: (1 - y, x), 180: (1 - x, 1 - y), 270: (y, 1 - x)}[rotation]
    assert centre == pytest.approx(expected, abs=0.01)
