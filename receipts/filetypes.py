"""What a receipt file really is, from its bytes (never from the browser's say-so).

The Claims API checks too; checking here gives the member an immediate, specific message.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10


@dataclass(frozen=True)
class FileType:
    label: str
    mime_type: str
    extensions: tuple[str, ...]


PDF = FileType("PDF", "application/pdf", (".pdf",))
JPEG = FileType("JPEG", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("PNG", "image/png", (".png",))
GIF = FileType("GIF", "image/gif", (".gif",))
TIFF = FileType("TIFF", "image/tiff", (".tif", ".tiff"))
BMP = FileType("BMP", "image/bmp", (".bmp",))
HEIC = FileType("HEIC", "image/heic", (".heic", ".heif"))
WEBP = FileType("WEBP", "image/webp", (".webp",))
DOC = FileType("DOC", "application/msword", (".doc",))
XLS = FileType("XLS", "application/vnd.ms-excel", (".xls",))
DOCX = FileType("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = FileType("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
CSV = FileType("CSV", "text/csv", (".csv",))
TXT = FileType("TXT", "text/plain", (".txt",))

ACCEPTED = (PDF, JPEG, PNG, GIF, TIFF, BMP, HEIC, WEBP, DOC, XLS, DOCX, XLSX, CSV, TXT)
ACCEPT_ATTRIBUTE = ",".join(sorted({ext for t in ACCEPTED for ext in t.extensions} | {t.mime_type for t in ACCEPTED}))
ACCEPTED_WORDS = "PDF, JPEG, PNG, HEIC, GIF, TIFF, BMP, WEBP, Word, Excel, CSV or text"


def _zip_has(data: bytes, prefix: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(name.startswith(prefix) for name in archive.namelist())
    except zipfile.BadZipFile:
        return False


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def sniff(data: bytes, file_name: str) -> FileType | None:
    """The file's type by its content (text types also need a matching extension)."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head.startswith(b"BM"):
        return BMP
    if head[4:8] == b"ftyp" and head[8:12] in {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}:
        return HEIC
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return XLS if file_name.lower().endswith(".xls") else DOC
    if head.startswith(b"PK\x03\x04"):
        if _zip_has(data, "word/"):
            return DOCX
        if _zip_has(data, "xl/"):
            return XLSX
        return None
    lowered = file_name.lower()
    if _is_text(data):
        if lowered.endswith(".csv"):
            return CSV
        if lowered.endswith(".txt"):
            return TXT
    return None


def clean_file_name(name: str) -> str:
    """The last path segment, without control characters, at most 255 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ord(ch) >= 32 and ord(ch) != 127).strip().lstrip(".")
    if len(base) > 255:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 250 - len(ext)] + dot + ext) if dot else base[:255]
    return base or "receipt"


def problem_with(data: bytes, file_name: str) -> tuple[FileType | None, str | None]:
    """(type, None) for an acceptable file, or (None, what is wrong in words)."""
    if not data:
        return None, f"“{file_name}” is empty."
    if len(data) > MAX_BYTES:
        size_mb = len(data) / (1024 * 1024)
        return None, f"“{file_name}” is {size_mb:.1f} MB; the limit is 10 MB per file."
    kind = sniff(data, file_name)
    if kind is None:
        return None, f"“{file_name}” is not a file type we accept. Use {ACCEPTED_WORDS}."
    extension = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension and extension not in kind.extensions:
        return None, f"“{file_name}” is named like a {extension[1:].upper()} file but is really a {kind.label} file."
    return kind, None
