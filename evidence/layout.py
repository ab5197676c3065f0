"""Text as it sits on the page: pieces of text with their boxes, grouped into rows read left to right.

Both sources (a PDF's text layer and OCR) give pieces of text with boxes; labels and their values are
then found by place (value right of its label, or just below it), the way a person reads a form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evidence.model import Box


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    box: Box
    confidence: float = 1.0

    @property
    def height(self) -> float:
        return self.box.bottom - self.box.top

    @property
    def middle(self) -> float:
        return (self.box.top + self.box.bottom) / 2


@dataclass(slots=True)
class Row:
    page: int
    segments: list[Segment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "  ".join(s.text for s in self.segments)

    @property
    def top(self) -> float:
        return min(s.box.top for s in self.segments)

    @property
    def bottom(self) -> float:
        return max(s.box.bottom for s in self.segments)

    @property
    def confidence(self) -> float:
        return min(s.confidence for s in self.segments)

    def box(self) -> Box:
        return union([s.box for s in self.segments])


def union(boxes: list[Box]) -> Box:
    return Box(
        page=boxes[0].page,
        left=min(b.left for b in boxes),
        top=min(b.top for b in boxes),
        right=max(b.right for b in boxes),
        bottom=max(b.bottom for b in boxes),
    )


def group_rows(segments: list[Segment], page: int) -> list[Row]:
    """Segments whose vertical middles fall inside each other's height are one row."""
    rows: list[Row] = []
    for seg in sorted(segments, key=lambda s: (s.middle, s.box.left)):
        if not seg.text.strip():
            continue
        if rows:
            last = rows[-1]
            ref = last.segments[-1] if last.segments else seg
            tolerance = min(ref.height, seg.height) * 0.5
            if abs(seg.middle - sum(s.middle for s in last.segments) / len(last.segments)) <= tolerance:
                last.segments.append(seg)
                continue
        rows.append(Row(page=page, segments=[seg]))
    for row in rows:
        row.segments.sort(key=lambda s: s.box.left)
        row.segments[:] = _merge_touching(row.segments)
    return rows


def _merge_touching(segments: list[Segment]) -> list[Segment]:
    """Pieces closer than about one character apart are one phrase (PDF runs split mid-word, OCR
    splits a faint name in two); table columns stand much further apart."""
    merged: list[Segment] = []
    for seg in segments:
        if merged:
            prev = merged[-1]
            gap = seg.box.left - prev.box.right
            if gap < min(prev.height, seg.height) * 0.6:
                joiner = "" if gap < min(prev.height, seg.height) * 0.08 else " "
                merged[-1] = Segment(
                    prev.text + joiner + seg.text, union([prev.box, seg.box]), min(prev.confidence, seg.confidence)
                )
                continue
        merged.append(seg)
    return merged


def segment_at(row: Row, pos: int) -> Segment:
    """The segment of a row that holds position ``pos`` of ``row.text``."""
    offset = 0
    for seg in row.segments:
        if offset <= pos < offset + len(seg.text) + 2:
            return seg
        offset += len(seg.text) + 2
    return row.segments[-1]
