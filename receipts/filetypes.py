"""What a receipt file really is, from its bytes (never from the browser's say-so).

The Claims API checks too; checking here gives the member an immediate, specific message.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from receipts.pdfcheck import ACTIVE_NAMES, CheckBudget, TooCostly, Unreadable, pdf_is_active, raw_names

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10


@dataclass(frozen=True)
class FileType:
    label: str
    mime_type: str
    extensions: tuple[str, ...]


@dataclass(frozen=True)
class CheckedFile:
    """A file whose type was read from its bytes and that passed the checks."""

    name: str
    kind: FileType
    data: bytes


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
ACCEPTED_WORDS = gettext_noop("PDF, JPEG, PNG, HEIC, GIF, TIFF, BMP, WEBP, Word, Excel, CSV or text")


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


_UNSAFE_IN_NAMES = re.compile(r"[^\w .()+,-]")


def safe_file_name(name: str, kind: FileType | None) -> str:
    """A name to store and serve: a clean base name of plain characters whose extension is the
    type found in the bytes (``statement.html;.pdf`` is ``statement.html_.pdf``). An unknown
    type ends in ``.bin``, so that no name makes a browser treat the file as a page."""
    base = _UNSAFE_IN_NAMES.sub("_", clean_file_name(name)).strip(" .") or "receipt"
    extensions = kind.extensions if kind is not None else (".bin",)
    if "." + base.rsplit(".", 1)[-1].lower() not in extensions or "." not in base:
        base = base[: 255 - len(extensions[0])] + extensions[0]
    return base


def kind_of_mime_type(mime_type: str | None) -> FileType | None:
    essence = (mime_type or "").split(";", 1)[0].strip().lower()
    return next((kind for kind in ACCEPTED if kind.mime_type == essence), None)


# --- Polyglots: files that are a receipt to one program and something else to another -----------
# Web page code a browser would run if it ever treated the file as a page. Anywhere in the file:
# long tokens, and any tag with an event handler (too long a pattern for compressed image data to
# match by chance). Short tags alone: at the start of any file, and anywhere in a text file.
_MARKUP_ANYWHERE = re.compile(
    rb"(?i)<(?:script|iframe|\?php|!doctype\s+html|html[\s>])|javascript:"
    rb"|<[a-z][a-z0-9:-]{0,30}[\s/][^<>]{0,500}?\bon[a-z]{3,30}\s*="
)
_MARKUP_TAGS = re.compile(rb"(?i)<(?:svg|body|head|object|embed|meta|form|img|math|style|link|base)[\s>/]")
_ZIP_BUDGET = 200 * 1024 * 1024  # uncompressed bytes inside a Word or Excel file (zip bombs)
_OLE_MACROS = "_VBA_PROJECT".encode("utf-16-le")
_ZIP_TYPES = {"DOCX", "XLSX"}

POLYGLOT_WORDS = gettext_noop("Save or scan the receipt again as a plain PDF or photo and upload that.")


def _png_problem(data: bytes) -> str | None:
    position = 8
    while position + 12 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data) or zlib.crc32(data[position + 4 : end - 4]) != struct.unpack(">I", data[end - 4 : end])[0]:
            return _("is damaged (an image chunk is cut short or corrupted)")
        position = end
        if kind == b"IEND":
            return _("carries extra data after the end of the image") if data[position:].strip(b"\x00") else None
    return _("is damaged (the image never ends)")


class CheckedTogether(Exception):
    """The request's check budget ran out before this file (others used it up)."""


def hidden_content(kind: FileType, data: bytes, budget: CheckBudget | None = None) -> str | None:
    """Why the file is not only the receipt it claims to be, or None.

    ``budget`` is shared by all files of one request (decompression and time); when other files
    used it up, ``CheckedTogether`` is raised.
    """
    head = data[:1024]
    markup_tags_anywhere = kind in (CSV, TXT)
    if _MARKUP_ANYWHERE.search(data) or _MARKUP_TAGS.search(data if markup_tags_anywhere else head):
        return _("contains web page code or script")
    if kind.label not in _ZIP_TYPES and zipfile.is_zipfile(io.BytesIO(data)):
        return _("hides an archive inside it")
    if kind is not PDF and b"%PDF-" in head:
        return _("is also a PDF document")
    if kind is GIF and data[6:8] == b"/*":  # GIF89a/*...*/ doubles as JavaScript
        return _("doubles as script")
    if kind is PNG:
        return _png_problem(data)
    if kind is PDF:
        return _pdf_problem(data, budget or CheckBudget())
    if kind.label in _ZIP_TYPES:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                entries = archive.infolist()
        except zipfile.BadZipFile:
            return _("is damaged")
        if sum(entry.file_size for entry in entries) > _ZIP_BUDGET or len(entries) > 5000:
            return _("unpacks to far more data than a receipt holds")
        if any(entry.filename.lower().endswith("vbaproject.bin") for entry in entries):
            return _("contains macros")
        if any(entry.flag_bits & 0x1 for entry in entries):
            return _("is password-protected")
    if kind in (DOC, XLS) and _OLE_MACROS in data:
        return _("contains macros")
    return None


def _pdf_problem(data: bytes, budget: CheckBudget) -> str | None:
    active = _("contains scripts, attachments or interactive forms")
    if raw_names(data) & ACTIVE_NAMES:  # a first look at the bytes, then every object parsed
        return active
    try:
        return active if pdf_is_active(data, budget) else None
    except Unreadable:
        return _("cannot be read as a PDF (it is damaged or password-protected)")
    except TooCostly as exc:
        if exc.exhausted_by_others:
            raise CheckedTogether from None
        return _("unpacks to far more data than a receipt holds")


def problem_with(data: bytes, file_name: str, budget: CheckBudget | None = None) -> tuple[FileType | None, str | None]:
    """(type, None) for an acceptable file, or (None, what is wrong in words)."""
    if not data:
        return None, _("“%(name)s” is empty.") % {"name": file_name}
    if len(data) > MAX_BYTES:
        size_mb = len(data) / (1024 * 1024)
        return None, _("“%(name)s” is %(size).1f MB; the limit is 10 MB per file.") % {
            "name": file_name,
            "size": size_mb,
        }
    kind = sniff(data, file_name)
    if kind is None:
        return None, _("“%(name)s” is not a file type we accept. Use %(types)s.") % {
            "name": file_name,
            "types": _(ACCEPTED_WORDS),
        }
    extension = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension and extension not in kind.extensions:
        return None, _("“%(name)s” is named like a %(named)s file but is really a %(real)s file.") % {
            "name": file_name,
            "named": extension[1:].upper(),
            "real": kind.label,
        }
    try:
        hidden = hidden_content(kind, data, budget)
    except CheckedTogether:
        return None, _(
            "“%(name)s” could not be checked together with the other files. Upload fewer files at a time."
        ) % {"name": file_name}
    if hidden:
        return None, _("“%(name)s” %(problem)s, so we cannot accept it. %(what_to_do)s") % {
            "name": file_name,
            "problem": hidden,
            "what_to_do": _(POLYGLOT_WORDS),
        }
    return kind, None
