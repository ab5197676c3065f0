"""Every image format a phone or scanner gives, and PDFs without a text layer, read by OCR."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from evidence import Readability, read
from evidence.model import Kind
from evidence.samples import make_document


def _little_receipt():  # type: ignore[no-untyped-def]
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (700, 300), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(30)
    draw.text((40, 40), "Corner Pharmacy", font=font, fill="black")
    draw.text((40, 110), "03/14/2025", font=font, fill="black")
    draw.text((40, 180), "TOTAL", font=font, fill="black")
    draw.text((480, 180), "$42.50", font=font, fill="black")
    return image


@pytest.mark.parametrize(
    ("fmt", "mime"),
    [
        ("PNG", "image/png"),
        ("GIF", "image/gif"),
        ("TIFF", "image/tiff"),
        ("BMP", "image/bmp"),
        ("HEIF", "image/heic"),
        ("WEBP", "image/webp"),
    ],
)
def test_image_formats(fmt: str, mime: str) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    _little_receipt().save(out, fmt)
    reading = read(out.getvalue(), mime)
    assert reading.readability is Readability.READ, reading.problem
    assert (str(reading.value("total")), str(reading.value("date_of_service"))) == ("42.50", "2025-03-14")


def test_a_scanned_pdf_without_a_text_layer_is_read_by_ocr() -> None:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    data, _, truth = make_document(Kind.MEDICAL_INVOICE, variant="scan", seed=2, turn=0)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(612, 792))
    pdf.drawImage(ImageReader(io.BytesIO(data)), 0, 0, width=612, height=792)
    pdf.showPage()
    pdf.save()
    reading = read(out.getvalue(), "application/pdf")
    assert reading.readability is Readability.READ
    assert (reading.value("total"), reading.value("date_of_service")) == (truth["total"], truth["date_of_service"])
    assert reading.pages == 1


def test_a_transparent_png_is_read_as_print_on_white_paper() -> None:
    from PIL import Image

    receipt = _little_receipt().convert("L")
    clear = Image.new("RGBA", receipt.size, (0, 0, 0, 0))
    clear.putalpha(receipt.point(lambda v: 255 - v))  # black print, everything else transparent
    out = io.BytesIO()
    clear.save(out, "PNG")
    reading = read(out.getvalue(), "image/png")
    assert str(reading.value("total")) == "42.50"


def test_a_small_tilted_photo_is_read_top_to_bottom_and_turned_only_when_upside_down() -> None:
    """A pharmacy receipt photographed at a tilt and forwarded through a chat app (442 x 674
    pixels, made for a probe of the reader on 2026-12-04): the line classifier's vote called it
    upside down, and the page was read bottom to top (the returns policy as the provider, "PAY" as
    the patient). Turned half a turn, it must be turned back."""
    import io

    from PIL import Image

    from evidence import read

    data = (Path(__file__).parent / "data" / "small-tilted-pharmacy-receipt.jpg").read_bytes()
    buffer = io.BytesIO()
    Image.open(io.BytesIO(data)).rotate(180, expand=True).save(buffer, "JPEG", quality=90)
    for name, image in (("as taken", data), ("upside down", buffer.getvalue())):
        reading = read(image, "image/jpeg")
        assert str(reading.value("provider")).lower() == "cvs pharmacy", name
        assert reading.value("patient") == "LOPEZ, MARIA", name
        assert str(reading.value("total")) == "30.93", name
