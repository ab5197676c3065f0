"""From a file's bytes to rows of positioned text: PDF text layers, OCR of images and scanned pages,
and the text of Word, Excel and CSV files. Heavy libraries (pypdfium2, Pillow, OCR) are imported here,
inside the functions, never when ``evidence`` is imported.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from evidence.layout import Row, Segment, group_rows
from evidence.model import Box, Readability

MAX_PAGES = 20  # a claim's evidence is a few pages; past this the reader stops (and says so)
RENDER_SCALE = 200 / 72  # scanned PDF pages are rendered at 200 dpi for OCR


@dataclass
class Source:
    rows: list[Row] = field(default_factory=list)
    pages: int = 0
    readability: Readability = Readability.READ
    problem: str = ""
    ocr: bool = False
    rotations: dict[int, int] = field(default_factory=dict)  # page -> /Rotate of a PDF page read from its text


class Unreadable(Exception):
    def __init__(self, readability: Readability, problem: str) -> None:
        super().__init__(problem)
        self.readability = readability
        self.problem = problem


def sniff(data: bytes, mime_type: str) -> str:
    """What the bytes are (by their magic numbers first, the declared type second)."""
    head = data[:16]
    if data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"BM"):
        return "bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif"}:
        return "heic"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"  # old .doc/.xls
    mime = mime_type.lower().split(";")[0].strip()
    if mime in {"text/csv", "application/csv"}:
        return "csv"
    if mime.startswith("text/"):
        return "text"
    if mime == "application/pdf":
        return "not_pdf"
    return "unknown"


def _zip_kind(data: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def load(data: bytes, kind: str) -> Source:
    if kind == "pdf":
        return _pdf(data)
    if kind in {"jpeg", "png", "gif", "tiff", "bmp", "webp", "heic"}:
        return _image(data, kind)
    if kind == "docx":
        return _table_rows(_docx_lines(data))
    if kind == "xlsx":
        return _table_rows(_xlsx_lines(data))
    if kind == "csv":
        return _table_rows(_csv_lines(data))
    if kind == "text":
        return _table_rows([[line] for line in _decode(data).splitlines()])
    if kind == "not_pdf":
        raise Unreadable(Readability.DAMAGED, "not_a_pdf")
    problems = {"zip": "archive_file", "ole": "old_office_file", "unknown": "unknown_file_type"}
    raise Unreadable(Readability.UNSUPPORTED, problems.get(kind, "unknown_file_type"))


# --- PDF -----------------------------------------------------------------------------------------
def _pdf(data: bytes) -> Source:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        raise Unreadable(Readability.DAMAGED, "encrypted_pdf" if "password" in text else "damaged_pdf") from exc
    source = Source()
    try:
        count = len(doc)
        if count == 0:
            raise Unreadable(Readability.DAMAGED, "damaged_pdf")
        source.pages = min(count, MAX_PAGES)
        if count > MAX_PAGES:
            source.problem = "too_many_pages"
        for index in range(source.pages):
            page = doc[index]
            try:
                segments = _pdf_text(page, index + 1)
                source.rotations[index + 1] = page.get_rotation() % 360
                if sum(ch.isalnum() for s in segments for ch in s.text) < 20:
                    from evidence import ocr

                    image = page.render(scale=RENDER_SCALE).to_pil()
                    segments = ocr.read_image(image, index + 1)  # rendered as shown: already turned
                    source.rotations[index + 1] = 0
                    source.ocr = True
                source.rows.extend(group_rows(segments, index + 1))
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise Unreadable(Readability.DAMAGED, "damaged_pdf") from exc
    finally:
        doc.close()
    return source


def _pdf_text(page: Any, number: int) -> list[Segment]:
    """The page's text pieces, placed on the page as drawn (before /Rotate turns it for display)."""
    # get_size() is the page as shown (turned by /Rotate); text boxes are in the unturned page's space
    width, height = page.get_size()
    if page.get_rotation() % 180 == 90:
        width, height = height, width
    textpage = page.get_textpage()
    try:
        segments = []
        for i in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(i)
            text = textpage.get_text_bounded(left, bottom, right, top).replace("\r", " ").replace("\n", " ").strip()
            if not text:
                continue
            # Read where the text was drawn (upright in the unturned page); boxes are turned afterwards.
            box = turned(Box(number, left / width, 1 - top / height, right / width, 1 - bottom / height), 0)
            segments.append(Segment(text=text, box=box, confidence=1.0))
        return segments
    finally:
        textpage.close()


def turned(box: Box, rotation: int) -> Box:
    """A box in fractions of the unturned page, as it sits on the page shown turned clockwise by ``rotation``."""
    corners = [(box.left, box.top), (box.right, box.bottom)]
    if rotation == 90:
        corners = [(1 - y, x) for x, y in corners]
    elif rotation == 180:
        corners = [(1 - x, 1 - y) for x, y in corners]
    elif rotation == 270:
        corners = [(y, 1 - x) for x, y in corners]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return Box(
        page=box.page,
        left=round(max(0.0, min(xs)), 4),
        top=round(max(0.0, min(ys)), 4),
        right=round(min(1.0, max(xs)), 4),
        bottom=round(min(1.0, max(ys)), 4),
    )


# --- images --------------------------------------------------------------------------------------
def _image(data: bytes, kind: str) -> Source:
    from PIL import Image, ImageOps, UnidentifiedImageError

    from evidence import ocr

    if kind == "heic":
        try:
            import pillow_heif

            pillow_heif.register_heif_opener()
        except ImportError as exc:  # pragma: no cover - pinned in requirements
            raise Unreadable(Readability.UNSUPPORTED, "heic_decoder_missing") from exc
    source = Source(ocr=True)
    try:
        image = Image.open(io.BytesIO(data))
        frames = getattr(image, "n_frames", 1)
        source.pages = min(frames, MAX_PAGES)
        for index in range(source.pages):
            image.seek(index)
            if image.format == "JPEG":
                image.draft("RGB", (ocr.MAX_SIDE, ocr.MAX_SIDE))  # decode big photos at a fraction of their size
            frame = ImageOps.exif_transpose(image) if index == 0 else image.copy()
            if frame.width < 16 or frame.height < 16:
                continue
            if max(frame.size) > ocr.MAX_SIDE * 2:
                frame.thumbnail((ocr.MAX_SIDE, ocr.MAX_SIDE))
            source.rows.extend(group_rows(ocr.read_image(frame, index + 1), index + 1))
    except Image.DecompressionBombError as exc:
        raise Unreadable(Readability.UNSUPPORTED, "image_too_large") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise Unreadable(Readability.DAMAGED, "damaged_image") from exc
    return source


# --- office files and CSV (text only; no positions, so rows are laid out as a grid) --------------
def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _docx_lines(data: bytes) -> list[list[str]]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise Unreadable(Readability.DAMAGED, "damaged_office_file") from exc
    lines = [[p.text] for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        for row in table.rows:
            lines.append([cell.text for cell in row.cells])
    return lines


def _xlsx_lines(data: bytes) -> list[list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise Unreadable(Readability.DAMAGED, "damaged_office_file") from exc
    lines = []
    for sheet in book.worksheets[:5]:
        for row in sheet.iter_rows(max_row=500, values_only=True):
            lines.append(["" if v is None else _cell(v) for v in row])
    book.close()
    return lines


def _cell(value: object) -> str:
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _csv_lines(data: bytes) -> list[list[str]]:
    text = _decode(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)][:2000]


def _table_rows(lines: list[list[str]]) -> Source:
    lines = [line for line in lines if any(c.strip() for c in line)]
    source = Source(pages=1 if lines else 0)
    total = max(1, len(lines))
    for y, line in enumerate(lines):
        cells = [c.strip() for c in line]
        width = max(1, len(cells))
        segments = [
            Segment(
                text=" ".join(cell.split()),
                box=Box(page=1, left=x / width, top=y / total, right=(x + 0.9) / width, bottom=(y + 0.8) / total),
            )
            for x, cell in enumerate(cells)
            if cell
        ]
        if segments:
            source.rows.append(Row(page=1, segments=segments))
    return source
