"""Line items: dated, coded, priced lines that are not totals, taxes or payments."""

from __future__ import annotations

import re

from evidence.amounts import classify_amount, money_label
from evidence.layout import Row
from evidence.model import Field, LineItem
from evidence.parties import is_title
from evidence.service_dates import classify_date
from evidence.text import find_dates, find_money, in_order

_CODES = re.compile(r"\b(D\d{4}|\d{4}[FTU]|\d{5}|[A-CEGHJ-MP-V]\d{4}|\d{4,5}-\d{3,4}-\d{1,2})\b")


def line_items(rows: list[Row], order: str) -> tuple[LineItem, ...]:
    items = []
    for i, row in enumerate(rows):
        money = find_money(row.text)
        if not money:
            continue
        label = money_label(row, money[-1], rows, i) if len(money) == 1 else row.text
        category, _ = classify_amount(label[: money[0].start] if len(money) > 1 else label)
        if category:
            continue
        text = row.text
        codes = tuple(_CODES.findall(text[: money[0].start]))
        found_dates = find_dates(text)
        description = text[: money[0].start]
        for d in found_dates:
            description = description.replace(d.text, " ")
        for code in codes:
            description = re.sub(rf"\b{re.escape(code)}\b", " ", description)
        description = re.sub(r"(?i)\b(qty|x)\s*\d+\b|\b\d+\s*(x|@)\b|\s@\s", " ", description)
        # a prescription, SKU or UPC number, and a leading quantity, are not the item's name
        description = re.sub(r"(?i)\b(rx|ndc|sku|upc|item|art|plu)\s*(no\.?|#)?\s*\d[\d-]{3,}\b", " ", description)
        description = re.sub(r"^\s*\d{1,2}\s+(?=[A-Za-z])", "", description)
        # empty brackets left by a code, or a code that OCR misread (so not taken as one)
        description = re.sub(r"\(\s*[A-Z]?\d{0,5}[A-Z]?\s*\)|\[\s*\]", " ", description)
        description = " ".join(description.replace("|", " ").split()).strip(" -:#*,")
        if len(re.findall(r"[A-Za-z]", description)) < 3 or classify_date(description) == "never":
            continue
        if is_title(description):
            continue
        service_date = in_order(found_dates[0], order) if found_dates else None
        items.append(
            LineItem(
                description=description,
                amount=money[-1].value,
                service_date=service_date,
                codes=codes,
                confidence=round(0.8 * row.confidence, 3),
                where=row.box(),
            )
        )
    return tuple(items)


def description_field(items: tuple[LineItem, ...]) -> Field | None:
    if not items:
        return None
    first = items[0]
    return Field(
        value=first.description, confidence=round(first.confidence, 3), where=first.where, text=first.description
    )
