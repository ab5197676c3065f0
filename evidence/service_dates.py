"""Which printed date is the date of service: labelled service dates first, then dated service
lines, then an unlabelled date; dates of birth, due dates and printed-on, statement or invoice dates
never. Hand-written, like the amount rules, from general label words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from evidence.amounts import classify_amount
from evidence.layout import Row, segment_at
from evidence.model import Box, Field
from evidence.text import FoundDate, find_dates, find_money, in_order, normal, settle_day_month

_NEVER_SERVICE = re.compile(
    r"\b(dob|d\.o\.b|date of birth|birth ?date|birthday|born|due|pay by|payment due|expires?|exp|valid|until"
    r"|returns?|exchange|best before|use by|next (visit|appointment|refill)|refill by|recall)\b"
)
_SERVICE = re.compile(
    r"\b(date\(?s?\)? of service|service dates?|svc\.? dates?|serv\.? dates?|dos|visit( date)?|date of visit"
    r"|treatment|appointment|appt|date seen|seen on|care (date|period)|service period|period of service|week of"
    r"|for the week|service from|from|attendance|procedure|fill(ed)? date|filled|dispensed|rx date"
    r"|date of (care|treatment|purchase)|purchase date|transaction date|sale date|services? provided)\b"
)
_OTHER_DATE = re.compile(
    r"\b(print(ed)?|statement( date)?|invoice date|issued?|billing date|bill date|processed|received|check date"
    r"|payment date|posted|closing|generated|run date|report date|as of|mailed|sent)\b"
)


@dataclass(frozen=True, slots=True)
class _Date:
    found: FoundDate
    category: str  # "service", "never", "other", "neutral", "line"
    row: int
    box: Box
    confidence: float


def _date_label(row: Row, found: FoundDate, rows: list[Row], index: int) -> str:
    before = row.text[: found.start]
    # The label is the nearest words before the date; a date alone takes the row above's words.
    words = re.split(r"\s{2,}", before.strip())
    label = words[-1] if words and words[-1] else ""
    if not re.search(r"[A-Za-z]{2,}", label):
        label = before
    if not re.search(r"[A-Za-z]{2,}", label) and index > 0 and rows[index - 1].page == row.page:
        above = rows[index - 1]
        if not _is_label_row(above):
            return ""  # "CHANGE DUE 0.00", "Returns accepted within 30 days": not this date's label
        seg = segment_at(row, found.start)
        centre = (seg.box.left + seg.box.right) / 2
        near = [s for s in above.segments if s.box.left - 0.05 <= centre <= s.box.right + 0.05]
        label = near[0].text if near else (above.text if len(above.segments) == 1 else "")
    return normal(label)


def _is_label_row(row: Row) -> bool:
    """A row that can be the label of a date printed alone below it: no amount or date of its own,
    and a label's shape (ends with a colon, or a few words)."""
    text = row.text.strip()
    if not text or find_money(text) or find_dates(text):
        return False
    return text.endswith(":") or len(text.split()) <= 4


def classify_date(label: str) -> str:
    label = normal(label)
    if _NEVER_SERVICE.search(label):
        return "never"
    if _SERVICE.search(label):
        return "service"
    if _OTHER_DATE.search(label):
        return "other"
    return "neutral"


def dates(rows: list[Row]) -> list[_Date]:
    found = []
    for i, row in enumerate(rows):
        money = find_money(row.text)
        for fd in find_dates(row.text):
            label = _date_label(row, fd, rows, i)
            category = classify_date(label)
            if category == "neutral" and money and classify_amount(row.text)[0] == "":
                category = "line"  # a dated line with an amount: a service line
            seg = segment_at(row, fd.start)
            found.append(_Date(fd, category, i, seg.box, seg.confidence))
    return found


def date_fields(rows: list[Row], currency: str) -> tuple[dict[str, Field], tuple[date, ...], str]:
    found = dates(rows)
    order, proved = settle_day_month([d.found for d in found], currency)
    service = [d for d in found if d.category in {"service", "line"}]
    fields: dict[str, Field] = {}
    # Printed-on, statement and invoice dates are never taken for the date of service: without a
    # service date the document does not show one (and a claim reviewer should ask).
    for category, confidence in (("service", 0.95), ("line", 0.85), ("neutral", 0.7)):
        pool = [d for d in found if d.category == category]
        if not pool:
            continue
        best = (
            min(pool, key=lambda d: (in_order(d.found, order), d.row)) if category in {"service", "line"} else pool[0]
        )
        uncertain = "day_month_ambiguous" if best.found.other is not None and not proved else ""
        fields["date_of_service"] = Field(
            value=in_order(best.found, order),
            confidence=round(confidence * best.confidence * (0.7 if uncertain else 1.0), 3),
            where=best.box,
            text=best.found.text,
            uncertain=uncertain,
        )
        break
    all_service = tuple(sorted({in_order(d.found, order) for d in service}))
    if not all_service and "date_of_service" in fields:
        all_service = (fields["date_of_service"].value,)  # type: ignore[assignment]
    return fields, all_service, order
