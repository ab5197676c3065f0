"""Receipt file checks: accepted types, and whether the bytes really are what the MIME type says."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

MAX_FILE_BYTES = 10 * 1024 * 1024


def _starts(*magics: bytes) -> Callable[[bytes], bool]:
    return lambda data: any(data.startswith(m) for m in magics)


def _ole2(data: bytes) -> bool:
    return data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _zip_with(prefix: str) -> Callable[[bytes], bool]:
    def check(data: bytes) -> bool:
        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return any(name.startswith(prefix) for name in archive.namelist())
        except zipfile.BadZipFile:
            return False

    return check


def _heic(data: bytes) -> bool:
    return data[4:8] == b"ftyp" and data[8:12] in {
        b"heic",
        b"heix",
        b"hevc",
        b"heim",
        b"heis",
        b"mif1",
        b"msf1",
    }


def _webp(data: bytes) -> bool:
    return data.startswith(b"RIFF") and data[8:12] == b"WEBP"


def _text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# MIME type -> (the API's content_type label, check of the bytes)
ACCEPTED: dict[str, tuple[str, Callable[[bytes], bool]]] = {
    "application/pdf": ("PDF", _starts(b"%PDF-")),
    "image/jpeg": ("JPEG", _starts(b"\xff\xd8\xff")),
    "image/jpg": ("JPEG", _starts(b"\xff\xd8\xff")),
    "image/png": ("PNG", _starts(b"\x89PNG\r\n\x1a\n")),
    "image/gif": ("GIF", _starts(b"GIF87a", b"GIF89a")),
    "image/tiff": ("TIFF", _starts(b"II*\x00", b"MM\x00*")),
    "image/bmp": ("BMP", _starts(b"BM")),
    "image/heic": ("HEIC", _heic),
    "image/heif": ("HEIC", _heic),
    "image/webp": ("WEBP", _webp),
    "application/msword": ("DOC", _ole2),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "DOCX",
        _zip_with("word/"),
    ),
    "application/vnd.ms-excel": ("XLS", _ole2),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("XLSX", _zip_with("xl/")),
    "text/csv": ("CSV", _text),
    "text/plain": ("TXT", _text),
}


def normalise_mime(mime_type: str) -> str:
    return mime_type.split(";", 1)[0].strip().lower()


def bad_file_name(name: str) -> str | None:
    """Why a file name is refused, or None when it is fine."""
    if not name.strip():
        return "file_name must not be empty."
    if len(name) > 255:
        return "file_name must be at most 255 characters."
    if any(ch in name for ch in "/\\") or name in {".", ".."} or name.startswith(".."):
        return "file_name must be a plain file name, without folders."
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        return "file_name must not contain control characters."
    return None
