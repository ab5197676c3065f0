"""What a PDF can do when opened, judged with a real parser (pypdf), never with byte patterns.

Every object is looked at: those the cross-reference names, those inside object streams (whatever
chain of filters encodes them), and objects a repairing viewer would find without the
cross-reference. Names and strings are read decoded (``/J#61vaScript``, ``<6a617661...>``).
Only object streams are unpacked: page content and images cannot carry actions, so a page of
compressed zeros costs nothing, and what is unpacked counts against the request's ``CheckBudget``.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pypdf
from pypdf.errors import LimitReachedError, PdfReadError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
    TextStringObject,
    read_object,
)

# Names that run code, submit or import data, open other files or carry them; none has a place in
# a receipt. (An /OpenAction that only opens a page, or a plain https link, is fine.)
ACTIVE_NAMES = frozenset(
    {
        "/JavaScript", "/JS", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/GoToR",
        "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA", "/Rendition", "/Movie", "/Sound",
    }
)  # fmt: skip
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
# An object stream larger than this is not a receipt's (real ones hold a few KiB of dictionaries).
STREAM_MAX_BYTES = 8 * 1024 * 1024
_NAME = re.compile(rb"/((?:[A-Za-z0-9]|#[0-9A-Fa-f]{2})+)")
_OBJECT_HEADER = re.compile(rb"(?<![0-9])([0-9]{1,10})\s+([0-9]{1,5})\s+obj\b")
_MAX_OBJECTS = 200_000


def raw_names(data: bytes) -> set[str]:
    """Every name token in ``data``, ``#xx`` escapes decoded (a first look, without parsing)."""
    names = set()
    for match in _NAME.finditer(data):
        raw = match.group(1)
        if b"#" in raw:  # /J#61vaScript is /JavaScript
            raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
        names.add("/" + raw.decode("latin-1"))
    return names


class TooCostly(Exception):
    """Checking needs more unpacking or time than allowed."""

    def __init__(self, *, exhausted_by_others: bool) -> None:
        super().__init__("check budget exceeded")
        self.exhausted_by_others = exhausted_by_others


class Unreadable(Exception):
    """No PDF parser could make sense of the file."""


@dataclass
class CheckBudget:
    """What checking one request's files may cost in all: bytes unpacked and seconds spent."""

    max_bytes: int = 32 * 1024 * 1024
    max_seconds: float = 3.0
    used_bytes: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def exhausted(self) -> bool:
        return self.used_bytes > self.max_bytes or time.monotonic() - self.started > self.max_seconds


def _is_script(value: PdfObject) -> bool:
    """A string that is a script URI (in any encoding the parser reads: literal, hex, UTF-16)."""
    if not isinstance(value, TextStringObject | ByteStringObject):
        return False
    text = value if isinstance(value, str) else bytes(value).decode("latin-1")
    plain = "".join(ch for ch in text if ch > " ").lower()
    return "javascript:" in plain or "vbscript:" in plain


def _is_bad_uri(value: PdfObject) -> bool:
    if not isinstance(value, TextStringObject | ByteStringObject):
        return False
    text = value if isinstance(value, str) else bytes(value).decode("latin-1")
    return "".join(ch for ch in text if ch > " ").lower().startswith(_SCRIPT_SCHEMES)


def _limits(cap: int) -> dict[str, int]:
    """pypdf's own limits (per stream, for this context only) at ``cap`` bytes of output."""
    return {
        "zlib_maximum_output_length": cap,
        "lzw_maximum_output_length": cap,
        "run_length_maximum_output_length": cap,
        "brotli_maximum_output_length": cap,
        "stream_decoding_work_maximum_length": 4 * cap,
    }


def _read_at(data: bytes, position: int, reader: pypdf.PdfReader) -> PdfObject:
    """The object that starts at ``position`` (after any white space)."""
    while position < len(data) and data[position] in b" \t\r\n\f\x00":
        position += 1
    stream = io.BytesIO(data)
    stream.seek(position)
    return read_object(stream, reader)


class _Walker:
    def __init__(self, data: bytes, budget: CheckBudget) -> None:
        self.data = data
        self.budget = budget
        self.spent_here = 0  # bytes this file made us unpack
        if budget.exhausted:
            raise TooCostly(exhausted_by_others=True)
        self.reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if self.reader.is_encrypted and not self.reader.decrypt(""):
            raise Unreadable("password-protected")

    def active(self) -> bool:
        count = 0
        for obj in self._objects():
            count += 1
            if count > _MAX_OBJECTS:
                raise TooCostly(exhausted_by_others=False)
            if count % 256 == 0:
                self._check_budget()
            if self._contains_active(obj):
                return True
        return False

    def _objects(self) -> Iterator[PdfObject]:
        reader = self.reader
        listed = [(num, gen) for gen, numbers in reader.xref.items() for num in numbers]
        listed += [(num, 0) for num in reader.xref_objStm]
        for num, gen in listed:
            obj = reader.get_object(IndirectObject(num, gen, reader))
            if obj is not None:
                yield obj
                yield from self._packed(obj)
        # Objects the cross-reference leaves out (or shadows with a later version) still count:
        # a viewer that repairs the file finds them by their headers.
        for match in _OBJECT_HEADER.finditer(self.data):
            try:
                obj = _read_at(self.data, match.end(), reader)
            except LimitReachedError:
                raise
            except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError):
                continue  # not an object after all (the header's text was inside other data)
            yield obj
            yield from self._packed(obj)

    def _packed(self, obj: PdfObject) -> Iterator[PdfObject]:
        """The objects inside an object stream, read from its decoded bytes."""
        if not isinstance(obj, StreamObject) or obj.get("/Type") != "/ObjStm":
            return
        data = self._decoded(obj)
        if raw_names(data) & ACTIVE_NAMES:
            yield NameObject("/JavaScript")  # stands for whatever active name the bytes hold
            return
        try:
            count, first = int(obj["/N"]), int(obj["/First"])  # type: ignore[call-overload]
        except (KeyError, TypeError, ValueError):
            return  # no index to read entries by: the look at its names above is what there is
        header = data[:first].split()
        offsets = [int(header[i + 1]) for i in range(0, min(len(header) - 1, 2 * count), 2)]
        for offset in offsets:
            try:
                yield _read_at(data, first + offset, self.reader)
            except LimitReachedError:
                raise
            except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError):
                raise Unreadable("object stream entry") from None

    def _check_budget(self) -> None:
        if self.budget.exhausted:
            # Whose fault: this file's, if it alone unpacked more than a receipt's object streams hold.
            raise TooCostly(exhausted_by_others=self.spent_here <= STREAM_MAX_BYTES)

    def _spend(self, size: int) -> None:
        self.spent_here += size
        self.budget.used_bytes += size
        self._check_budget()

    def _decoded(self, stream: StreamObject) -> bytes:
        self._check_budget()
        cap = min(STREAM_MAX_BYTES, self.budget.max_bytes - self.budget.used_bytes) + 1
        try:
            with pypdf.apply_configuration(None, **_limits(cap)):
                data = stream.get_data()
        except LimitReachedError:
            self.budget.used_bytes += cap  # the work was done up to the limit
            raise TooCostly(exhausted_by_others=cap <= STREAM_MAX_BYTES and self.spent_here == 0) from None
        if len(data) > STREAM_MAX_BYTES:
            raise TooCostly(exhausted_by_others=False)
        self._spend(len(data))
        return data

    def _contains_active(self, root: PdfObject) -> bool:
        pending: list[PdfObject] = [root]
        while pending:
            value = pending.pop()
            if isinstance(value, DictionaryObject):  # streams too: their dictionary
                for key, item in value.items():
                    if str(key) in ACTIVE_NAMES or (key == "/URI" and _is_bad_uri(item)):
                        return True
                    if not isinstance(item, IndirectObject):  # indirect ones are walked on their own
                        pending.append(item)
            elif isinstance(value, ArrayObject):
                pending.extend(item for item in value if not isinstance(item, IndirectObject))
            elif (isinstance(value, NameObject) and str(value) in ACTIVE_NAMES) or _is_script(value):
                return True
        return False


def pdf_is_active(data: bytes, budget: CheckBudget) -> bool:
    """Whether the PDF holds anything that runs, submits, imports, launches or carries files.

    Raises ``Unreadable`` when the file cannot be parsed (or is password-protected) and
    ``TooCostly`` when checking it would cost more than ``budget`` has left.
    """
    try:
        with pypdf.apply_configuration(None, **_limits(STREAM_MAX_BYTES)):
            return _Walker(data, budget).active()
    except (TooCostly, Unreadable):
        raise
    except LimitReachedError:
        raise TooCostly(exhausted_by_others=False) from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise Unreadable(type(exc).__name__) from None
