"""What an amount on a document is (the patient's share, the insurer's payment, the total), from
the words printed with it or its table's column heading.

Hand-written rules, because receipts come from anywhere: subtotal, tax, change, tendered, rounding
and previous balance are never the total; among labelled totals the largest wins; a table's total
row is read column by column. The label words are this module's own (the sample generator has others).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal

from evidence.layout import Row, Segment, segment_at
from evidence.model import Box, Field
from evidence.text import Money, find_dates, find_money, normal

_INSURER = re.compile(
    r"\b(plan|insurance|insurer|ins|carrier|health plan|benefits?|we)\b.{0,12}\b(paid|pays|payment|pmt|pd)\b"
    r"|\bpaid by (the )?(plan|insurance|insurer|carrier)\b|\bplan'?s? (share|portion)\b|\binsurance (share|portion)\b"
)
_PATIENT = [
    (
        3,
        re.compile(
            r"\b(you owe|amount you owe|what you owe|you may owe|patient responsibility|your responsibility"
            r"|patient('s)? (balance|portion|share|pays|owes|amount|resp)|your (share|portion|cost)"
            r"|member responsibility|member (owes|pays)|due from patient|total you owe)\b"
        ),
    ),
    (
        2,
        re.compile(
            r"\b(balance due|amount due|total due|due now|please pay|pay this amount|amount payable|payable"
            r"|net payable|new balance|current balance|balance owing|outstanding balance|balance|amount owed"
            r"|you paid|amount paid|patient paid|paid by patient|total paid|paid)\b"
        ),
    ),
    (1, re.compile(r"\b(your copay|copay|co-pay|copayment)\b")),
]
_EXCLUDED = re.compile(
    r"\b(sub ?-?total|tax|taxes|vat|gst|hst|pst|sst|iva|mwst|change|cambio|tendered|cash|rounding|rounded|round"
    r"|previous|prior|balance forward|last statement|brought forward|carried forward|discount|savings|saved|coupon"
    r"|tip|gratuity|deductible|coinsurance|allowed|not covered|non-covered|adjustments?|write ?-?off|contractual"
    r"|payments?|received|credit|qty|quantity|unit|rate|points|refund|deposit|plan discount|network discount"
    r"|ins(urance)? saved|you saved|retail price|list price|regular price|late fee|overdue|past due"
    r"|30 days|60 days|90 days|over 90|current|visa|mastercard|master card|amex|american express|debit|card"
    r"|eftpos|contactless|tender|mpesa|gcash|gegeben|rückgeld|wechselgeld|tunai|baki|efectivo|entregado"
    r"|espèces|rendu|monnaie|kembalian|steuer|netto|ust|tva|ppn"
    # balances that are not this visit's: what is left on a card or benefit account, an account's
    # running balance, loyalty figures ("FSA REMAINING BALANCE", "TOTAL REWARDS EARNED")
    r"|remaining|available|avail|account balance|acct balance|card balance|gift ?card|benefit balance"
    r"|rewards?|loyalty|earned|retail value|lifetime)\b"
)
_TOTAL = [
    (
        3,
        re.compile(
            r"\b(grand total|total amount|total charges?|total billed|total fees?|invoice total|total cost"
            r"|visit total|total|totals|gesamt|gesamtbetrag|summe|jumlah|totaal|totale|importe total|montant)\b"
        ),
    ),
    (2, re.compile(r"\b(amount billed|billed|charges?|fees?|amount charged|provider charges?)\b")),
    (1, re.compile(r"\b(amount|amt|sum|net|to pay|a pagar|zu zahlen|à payer|bayar)\b")),
]
_DUE_WORDS = re.compile(r"\b(due|owe|payable|pay this|responsibility)\b")
_TOTAL_WORD = re.compile(r"\btotals?\b")
_CHANGE = re.compile(r"\b(change|change due|cambio|kembalian|baki|rendu|monnaie|rückgeld|wechselgeld)\b")


@dataclass(frozen=True, slots=True)
class _Amount:
    value: Decimal
    category: str  # "patient", "insurer", "total", "excluded", "" (unlabelled)
    strength: int
    row: int
    box: Box
    text: str
    confidence: float
    label: str = ""  # the words printed with it, normalized


# Words that decide what an amount is, for words that OCR misspelt ("T0TAL", "SUBT0TAL", "Balanc3").
_KEYWORDS = (
    "total",
    "subtotal",
    "balance",
    "amount",
    "change",
    "cash",
    "tendered",
    "paid",
    "payable",
    "previous",
    "discount",
    "savings",
    "rounding",
    "responsibility",
    "charges",
    "billed",
    "allowed",
    "insurance",
)
_DIGIT_LOOKALIKES = str.maketrans("01345$", "oiaess")


def _spelt(label: str) -> str:
    words = []
    for word in label.split():
        if len(word) >= 4 and word not in _KEYWORDS and re.search(r"[a-z]", word):
            close = difflib.get_close_matches(word.translate(_DIGIT_LOOKALIKES), _KEYWORDS, n=1, cutoff=0.8)
            word = close[0] if close else word
        words.append(word)
    return " ".join(words)


def classify_amount(label: str) -> tuple[str, int]:
    """What an amount is, from the words printed with it: ("patient"|"insurer"|"total"|"excluded"|"", strength)."""
    label = _spelt(normal(label))
    if _INSURER.search(label):
        return "insurer", 3
    for strength, pattern in _PATIENT:
        if pattern.search(label) and not (strength < 3 and _EXCLUDED.search(label) and not _DUE_WORDS.search(label)):
            if strength == 2 and _TOTAL[0][1].search(label) and not _DUE_WORDS.search(label):
                break  # "total paid" on a receipt is its total
            return "patient", strength
    if _EXCLUDED.search(label):
        return "excluded", 0
    for strength, pattern in _TOTAL:
        if pattern.search(label):
            return "total", strength
    return "", 0


def money_label(row: Row, money: Money, rows: list[Row], index: int) -> str:
    text = row.text
    label = (text[: money.start] + " " + text[money.end :]).strip()
    if not re.search(r"[A-Za-z]{2,}", label) and index > 0:
        above = rows[index - 1]
        if above.page == row.page and not find_money(above.text):
            label = above.text  # label on the line above its value
    return label


def _header_for(rows: list[Row], index: int) -> Row | None:
    """The column headings above a row of several amounts (a table's header), if any."""
    row = rows[index]
    for j in range(index - 1, max(-1, index - 25), -1):
        above = rows[j]
        if above.page != row.page:
            return None
        if len(above.segments) >= 3 and not find_money(above.text) and not find_dates(above.text):
            words = [classify_amount(_heading(s.text))[0] for s in above.segments]
            if sum(1 for w in words if w) >= 2:
                return above
    return None


# Column headings as tables print them, for headings that OCR misspelt ("BIilled", "Alowed").
_HEADINGS = (
    "billed",
    "amount billed",
    "charges",
    "charge",
    "fee",
    "allowed",
    "allowed amount",
    "plan paid",
    "plan pays",
    "insurance paid",
    "paid by plan",
    "you owe",
    "you may owe",
    "patient responsibility",
    "your share",
    "deductible",
    "copay",
    "coinsurance",
    "not covered",
    "discount",
    "adjustment",
    "amount",
    "balance",
)


def _heading(text: str) -> str:
    """A column heading as written, or the known heading it is closest to when it is unreadable as is."""
    if classify_amount(text)[0]:
        return text
    close = difflib.get_close_matches(normal(text), _HEADINGS, n=1, cutoff=0.72)
    return close[0] if close else text


def _column_label(header: Row, seg: Segment) -> str:
    centre = (seg.box.left + seg.box.right) / 2
    best = min(header.segments, key=lambda h: abs((h.box.left + h.box.right) / 2 - centre))
    if best.box.left - 0.08 <= centre <= best.box.right + 0.08:
        return _heading(best.text)
    return ""


def amounts(rows: list[Row]) -> list[_Amount]:
    found = []
    for i, row in enumerate(rows):
        money = find_money(row.text)
        if not money:
            continue
        header = _header_for(rows, i) if len(money) >= 2 else None
        row_label = normal(money_label(row, money[-1], rows, i))
        for k, m in enumerate(money):
            seg = segment_at(row, m.start)
            if header is not None:
                column = _column_label(header, seg)
                row_category, _ = classify_amount(row_label)
                if row_category != "total" or not column:
                    continue  # a table's line: read as a line item, not a field
                category, strength = classify_amount(column)
                if category == "total" or category == "":
                    category, strength = (
                        ("total", 3) if re.search(r"\b(billed|charges?|fees?)\b", _spelt(normal(column))) else ("", 0)
                    )
            else:
                category, strength = classify_amount(row_label)
                if k != len(money) - 1 and category != "total":
                    continue  # several amounts on a line without headings: the rightmost is the line's
                # (on a total line without headings every amount is a candidate: the largest wins)
            found.append(_Amount(m.value, category, strength, i, seg.box, m.text, seg.confidence, row_label))
    return found


def _pick(cands: list[_Amount], *, largest: bool) -> _Amount | None:
    if not cands:
        return None
    top = max(c.strength for c in cands)
    best = [c for c in cands if c.strength == top]
    if largest:
        return max(best, key=lambda c: (abs(c.value), c.row))
    return max(best, key=lambda c: c.row)  # the lowest on the page: totals come last


def _money_field(found: _Amount, strength_bonus: float = 0.0) -> Field:
    confidence = min(1.0, (0.55 + 0.12 * found.strength + strength_bonus) * found.confidence)
    return Field(value=abs(found.value), confidence=round(confidence, 3), where=found.box, text=found.text)


def money_fields(rows: list[Row]) -> dict[str, Field]:
    found = amounts(rows)
    fields: dict[str, Field] = {}
    insurer = _pick([a for a in found if a.category == "insurer"], largest=True)
    # "Balance 0.00" after a receipt's payment is not what was paid; "You owe 0.00" on an EOB is.
    patient = _pick([a for a in found if a.category == "patient" and (a.value or a.strength >= 3)], largest=False)
    total = _pick([a for a in found if a.category == "total" and a.value > 0], largest=True)
    if patient is not None and total is not None and patient.strength < 3 and patient.value > total.value:
        if total.strength < 3 or _TOTAL_WORD.search(patient.label):
            # "Late pickup fee 15.00 ... Total due 1,155.00": a fee or charge line is an item, and
            # what is due is the total (a total is never less than what is due of it).
            total = patient
        elif any(a.value > 0 and _CHANGE.search(a.label) for a in found if a.row > patient.row):
            # "Total 25.00 / Paid 40.00 / Change 15.00": what was handed over, not what was paid.
            patient = None
    if insurer:
        fields["insurer_paid"] = _money_field(insurer)
    if total is None and patient is None:
        loose = [a for a in found if a.category == "" and a.value > 0]
        if loose:
            guess = max(loose, key=lambda a: (a.value, a.row))
            fields["total"] = fields["amount"] = Field(abs(guess.value), 0.3, guess.box, guess.text)
        return fields
    if total:
        fields["total"] = _money_field(total)
    if patient:
        fields["amount"] = _money_field(patient)
    fields.setdefault("amount", fields.get("total"))  # type: ignore[arg-type]
    fields.setdefault("total", fields["amount"])
    return fields
