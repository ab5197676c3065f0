"""Rows of text as a page would give them, for testing the reading rules without OCR or PDFs."""

from __future__ import annotations

import re

from evidence.layout import Row, Segment
from evidence.model import Box


def rows(text: str) -> list[Row]:
    """One row per line; pieces two or more spaces apart are separate segments, placed by column."""
    lines = [line for line in text.strip("\n").splitlines() if line.strip()]
    made = []
    for y, line in enumerate(lines):
        segments = []
        for m in re.finditer(r"\S+(?: \S+)*", line):
            left, right = m.start() / 100, m.end() / 100
            top = y / max(1, len(lines))
            segments.append(Segment(m.group(0), Box(1, left, top, right, top + 0.5 / max(1, len(lines)))))
        made.append(Row(page=1, segments=segments))
    return made
