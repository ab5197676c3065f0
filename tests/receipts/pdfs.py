"""Real PDF files for the receipt checks, built byte by byte (the probe's files).

``build_pdf`` writes a one-page PDF whose catalog carries ``catalog_extra`` and, optionally, more
objects packed into an object stream, with a cross-reference stream that points into it: the way
modern PDF writers store small objects, and the way the probe hid its actions.
"""

from __future__ import annotations

import binascii
import struct
import zlib


def _objstm(objects: list[bytes], first_number: int) -> tuple[bytes, bytes]:
    """(header + bodies, the /N and /First entries) of an object stream holding ``objects``."""
    offsets, bodies = [], b""
    for index, body in enumerate(objects):
        offsets.append(b"%d %d" % (first_number + index, len(bodies)))
        bodies += body + b"\n"
    header = b" ".join(offsets) + b"\n"
    return header + bodies, b"/Type /ObjStm /N %d /First %d" % (len(objects), len(header))


def encode(data: bytes, filters: list[str]) -> bytes:
    """``data`` encoded with ``filters`` (listed in decoding order, as in a /Filter array)."""
    for name in reversed(filters):
        if name == "FlateDecode":
            data = zlib.compress(data)
        elif name == "ASCIIHexDecode":
            data = binascii.hexlify(data) + b">"
        else:  # pragma: no cover - tests use only these two
            raise ValueError(name)
    return data


def build_pdf(
    *,
    catalog_extra: bytes = b"",
    packed: list[bytes] | None = None,
    filters: list[str] | None = None,
    padding: int = 0,
    content: bytes = b"BT /F1 12 Tf 72 720 Td (Pharmacy $12.00) Tj ET",
    content_filters: list[str] | None = None,
    tail_comment: bytes = b"",
    packed_tail: bytes = b"",
) -> bytes:
    """Objects 1-5 are the page; ``packed`` objects are numbered from 6 and live in object stream
    ``6 + len(packed)`` (followed by ``packed_tail``); the cross-reference stream comes last."""
    packed = packed or []
    encoded_content = encode(content, content_filters or [])
    content_filter = (
        b"/Filter [%s] " % b" ".join(b"/" + f.encode() for f in content_filters) if content_filters else b""
    )
    plain = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< " + content_filter + b"/Length %d >>\nstream\n" % len(encoded_content) + encoded_content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    entries: dict[int, tuple[int, int, int]] = {0: (0, 0, 65535)}
    for number, body in enumerate(plain, start=1):
        entries[number] = (1, len(out), 0)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    number = len(plain) + 1
    if packed:
        stream_number = number + len(packed)
        raw, head = _objstm(packed, number)
        data = encode(raw + packed_tail, filters or [])
        filter_entry = b"/Filter [%s]" % b" ".join(b"/" + f.encode() for f in filters) if filters else b""
        pad = b" /Producer (" + b"x" * padding + b")" if padding else b""
        for index in range(len(packed)):
            entries[number + index] = (2, stream_number, index)
        entries[stream_number] = (1, len(out), 0)
        out += b"%d 0 obj\n<< %s %s%s /Length %d >>\nstream\n" % (stream_number, head, filter_entry, pad, len(data))
        out += data + b"\nendstream\nendobj\n"
        number = stream_number + 1
    xref_number = number
    entries[xref_number] = (1, len(out), 0)
    rows = b"".join(struct.pack(">BIH", *entries[n]) for n in range(xref_number + 1))
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (
        xref_number, xref_number + 1, len(rows),
    )  # fmt: skip
    xref_at = entries[xref_number][1]
    out += rows + b"\nendstream\nendobj\n" + tail_comment + b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


JS_ACTION = b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>"
OPEN_PACKED_ACTION = b"/OpenAction 6 0 R"
