"""From rows of text to a document's kind and fields: general reading rules, not templates.

Hand-written rules because receipts come from anywhere and no layout is known in advance: a value
is found beside or below its label; amounts are told apart by their labels (the patient's share, the
insurer's payment, the total; subtotal, tax, change, tendered and previous balance are never the
total); among labelled totals the largest wins; dates of birth, due dates and printed-on dates give
way to service dates. The label words here are this module's own (the sample generator has others).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from evidence.layout import Row, Segment
from evidence.model import Box, Field, Kind, LineItem
from evidence.text import FoundDate, Money, find_dates, find_money, in_order, normal, settle_day_month

# --- amounts -------------------------------------------------------------------------------------
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
    r"|eftpos|contactless|tender|mpesa|gcash)\b"
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

# --- dates ---------------------------------------------------------------------------------------
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

# --- names and ids -------------------------------------------------------------------------------
_PATIENT_LABELS = [
    re.compile(
        r"(?:^|\b)(patient(?:'s)? name|name of patient|patient|pt\.? name|pt|child(?:'s)? name|child|children"
        r"|dependent(?:'s)? name|dependent|student(?: name)?|nombre del paciente|paciente)\s*[:#.\-]?\s*"
    ),
    re.compile(
        r"(?:^|\b)(member name|member|insured|subscriber|for|enrollee|client|customer name|customer)\s*[:#.\-]?\s*"
    ),
]
_PROVIDER_LABEL = re.compile(
    r"(?:^|\b)(provider of services?|rendering provider|treating provider|billing provider|servicing provider"
    r"|provider name|provider|doctor|physician|dentist|practitioner|clinic|practice|facility|pharmacy|merchant"
    r"|store|vendor|payee|pay to|remit to|make checks payable to|checks payable to|seen by|care provider"
    r"|center|school|daycare|caregiver|proveedor|hospital)\s*[:#.\-]?\s*",
)
_LABEL_STOP = re.compile(
    r"^(responsibility|resp|balance|portion|share|pays|paid|owes|account|acct|id|no|number|#|dob|date|signature"
    r"|copay|info|information|name\b:?$|address|phone|services?|statement|portal|care|ledger|npi|tax|of|invoice"
    r"|bill|receipt|copy|eob|summary|details?|history|visit|instructions?|signature)\b"
)
_NAME_CUT = re.compile(
    r"\s+(dob|d\.o\.b|date of birth|acct|account|id|member id|mrn|age|sex|gender|phone|tel|date|dos|npi|tax|ins"
    r"|insurance|policy|group|claim|rx|#)\b.*$",
    re.IGNORECASE,
)
_NPI = re.compile(r"\bnpi\b\D{0,14}(\d{10})\b", re.IGNORECASE)
_TAX_ID = re.compile(
    r"\b(?:federal tax id|tax id|tax identification|tin|ein|fein|tax no|taxpayer id)\b(?:\s*(?:no|number|#))?"
    r"\D{0,6}(\d{2}-?\d{7})\b",
    re.IGNORECASE,
)
_CODES = re.compile(r"\b(D\d{4}|\d{4}[FTU]|\d{5}|[A-CEGHJ-MP-V]\d{4}|\d{4,5}-\d{3,4}-\d{1,2})\b")
# Words of a document's title ("PATIENT INVOICE", "Explanation of Benefits"), never a business name.
_TITLE_WORDS = frozenset(
    "receipt receipts sales invoice tax statement of account explanation benefits this is not a bill eob customer"
    " copy original itemized superbill patient page duplicate care tuition medical dental summary your official"
    " cash credit note notice remittance advice billing details description date amount service services code"
    " qty item items price total fee fees charges thank you for welcome".split()
)


@dataclass(frozen=True, slots=True)
class _Amount:
    value: Decimal
    category: str  # "patient", "insurer", "total", "excluded", "" (unlabelled)
    strength: int
    row: int
    box: Box
    text: str
    confidence: float


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


def _money_label(row: Row, money: Money, rows: list[Row], index: int) -> str:
    text = row.text
    label = (text[: money.start] + " " + text[money.end :]).strip()
    if not re.search(r"[A-Za-z]{2,}", label) and index > 0:
        above = rows[index - 1]
        if above.page == row.page and not find_money(above.text):
            label = above.text  # label on the line above its value
    return label


def _segment_of(row: Row, pos: int) -> Segment:
    offset = 0
    for seg in row.segments:
        if offset <= pos < offset + len(seg.text) + 2:
            return seg
        offset += len(seg.text) + 2
    return row.segments[-1]


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
        row_label = normal(_money_label(row, money[-1], rows, i))
        for k, m in enumerate(money):
            seg = _segment_of(row, m.start)
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
            found.append(_Amount(m.value, category, strength, i, seg.box, m.text, seg.confidence))
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


# --- dates ---------------------------------------------------------------------------------------
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
        seg = _segment_of(row, found.start)
        centre = (seg.box.left + seg.box.right) / 2
        near = [s for s in above.segments if s.box.left - 0.05 <= centre <= s.box.right + 0.05]
        label = near[0].text if near else (above.text if len(above.segments) == 1 else "")
    return normal(label)


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
            seg = _segment_of(row, fd.start)
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


# --- names ---------------------------------------------------------------------------------------
def _clean_name(raw: str, *, person: bool = True) -> str:
    raw = raw.strip(" :#-.,|")
    if person:
        raw = _NAME_CUT.sub("", raw).strip(" :#-.,|")
    return raw


def _looks_like_name(text: str, *, person: bool) -> bool:
    if not text or find_money(text) or find_dates(text):
        return False
    letters = sum(ch.isalpha() for ch in text)
    if letters < 3 or letters < len(text.replace(" ", "")) * 0.6:
        return False
    if _LABEL_STOP.match(normal(text)):
        return False
    if person:
        words = text.replace(",", " ").split()
        return 1 <= len(words) <= 5 and not re.search(r"\d", text)
    return True


def _labelled(rows: list[Row], label: re.Pattern[str], *, person: bool) -> tuple[str, Segment, float] | None:
    for i, row in enumerate(rows):
        for k, seg in enumerate(row.segments):
            text = normal(seg.text)
            m = label.match(text)
            if not m:
                continue
            rest_raw = seg.text[len(seg.text) - len(seg.text.lstrip()) :]
            rest = _after_label(rest_raw, m.end(), text)
            if rest and _LABEL_STOP.match(normal(rest)):
                continue
            if rest and m.group(0).rstrip() == m.group(1) and person and len(m.group(1)) <= 3:
                continue  # "for the week of", "pt" mid-sentence: not a label without a colon
            candidates: list[tuple[str, Segment]] = []
            if rest:
                candidates.append((rest, seg))
            else:
                if k + 1 < len(row.segments):
                    candidates.append((row.segments[k + 1].text, row.segments[k + 1]))
                if i + 1 < len(rows) and rows[i + 1].page == row.page:
                    below = [s for s in rows[i + 1].segments if s.box.left < seg.box.right + 0.02]
                    if below:
                        candidates.append((below[-1].text if len(below) == 1 else below[0].text, below[0]))
            for value, where in candidates:
                value = _clean_name(value, person=person)
                if _looks_like_name(value, person=person):
                    return value, where, 0.95 if rest or where is not seg else 0.85
    return None


def _after_label(original: str, end: int, normalised: str) -> str:
    """The original text after a label matched on its normalised form (same words, maybe other spacing)."""
    words_in_label = len(normalised[:end].split())
    parts = original.split()
    return " ".join(parts[words_in_label:]) if normalised[:end].strip() else original


def patient_field(rows: list[Row]) -> Field | None:
    found = None
    for label in _PATIENT_LABELS:
        found = found or _labelled(rows, label, person=True)
    if not found:
        return None
    value, seg, confidence = found
    return Field(value=value, confidence=round(confidence * seg.confidence, 3), where=seg.box, text=seg.text)


def provider_field(rows: list[Row], kind: Kind) -> Field | None:
    found = _labelled(rows, _PROVIDER_LABEL, person=False)
    if found:
        value, seg, confidence = found
        return Field(value=value, confidence=round(confidence * seg.confidence, 3), where=seg.box, text=seg.text)
    return _header_name(rows, kind)


def _is_title(text: str) -> bool:
    words = re.findall(r"[a-z]+", normal(text))
    return not words or all(w in _TITLE_WORDS for w in words) or bool(re.match(r"^page \d", normal(text)))


def _header_name(rows: list[Row], kind: Kind) -> Field | None:
    """No label: the business name is the largest print at the top of the first page, above any
    amount or table, and not a title, an address, a phone number or a "label: value" line."""
    top: list[Segment] = []
    for r in rows:
        if r.page != 1 or r.top >= 0.3 or find_money(r.text) or len(r.segments) >= 3:
            break
        if r.segments[0].text.rstrip().endswith(":") or any(p.match(normal(r.text)) for p in _PATIENT_LABELS[:1]):
            continue  # a "label:  value" row (the value is someone's name, not the business's)
        top.extend(s for s in r.segments if ":" not in s.text)
    names = [
        s
        for s in top
        if _looks_like_name(_clean_name(s.text, person=False), person=False) and _is_business_line(s.text)
    ]
    if not names:
        return None
    tallest = max(s.height for s in names)
    best = min((s for s in names if s.height >= tallest * 0.85), key=lambda s: s.box.top)
    confidence = 0.6 if kind is Kind.EXPLANATION_OF_BENEFITS else 0.75
    return Field(
        value=_clean_name(best.text, person=False),
        confidence=round(confidence * best.confidence, 3),
        where=best.box,
        text=best.text,
    )


def _is_business_line(text: str) -> bool:
    t = normal(text)
    if _is_title(t) or re.match(r"^\d", t) or re.search(r"\b(tel|phone|fax|www|http|@|\.com)\b", t):
        return False
    if re.search(r"\b\d{5}(-\d{4})?$|,\s*[a-z]{2}\s+\d{5}\b|\b[a-z]\d[a-z] ?\d[a-z]\d\b", t):
        return False  # "Springfield, IL 62704": a city line
    return not (
        re.search(r"\d", t)
        and re.search(
            r"\b(street|st|ave|avenue|road|rd|blvd|suite|ste|floor|jalan|dr|drive|lane|ln|way|hwy|highway|str|strasse|straße)\b",
            t,
        )
    )


def id_fields(rows: list[Row]) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    for row in rows:
        text = row.text
        for name, pattern in (("npi", _NPI), ("tax_id", _TAX_ID)):
            m = pattern.search(text)
            if m and name not in fields:
                seg = _segment_of(row, m.start(1))
                value = m.group(1)
                if name == "tax_id" and "-" not in value:
                    value = f"{value[:2]}-{value[2:]}"
                fields[name] = Field(
                    value=value, confidence=round(0.95 * seg.confidence, 3), where=seg.box, text=m.group(0)
                )
    return fields


# --- line items ----------------------------------------------------------------------------------
def line_items(rows: list[Row], order: str) -> tuple[LineItem, ...]:
    items = []
    for i, row in enumerate(rows):
        money = find_money(row.text)
        if not money:
            continue
        label = _money_label(row, money[-1], rows, i) if len(money) == 1 else row.text
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
        # empty brackets left by a code, or a code that OCR misread (so not taken as one)
        description = re.sub(r"\(\s*[A-Z]?\d{0,5}[A-Z]?\s*\)|\[\s*\]", " ", description)
        description = " ".join(description.replace("|", " ").split()).strip(" -:#*,")
        if len(re.findall(r"[A-Za-z]", description)) < 3 or classify_date(description) == "never":
            continue
        if _is_title(description):
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


# --- kind ----------------------------------------------------------------------------------------
_KIND_WORDS: dict[Kind, list[tuple[str, float]]] = {
    Kind.EXPLANATION_OF_BENEFITS: [
        (r"explanation of (your )?benefits", 10),
        (r"this is not a bill", 6),
        (r"\beob\b", 5),
        (r"\b(plan|insurance) paid\b", 2),
        (r"\ballowed\b", 1.5),
        (r"\bclaim (number|no|#|id)\b", 1.5),
        (r"\bmember id\b", 1),
        (r"\bnetwork (discount|savings)\b", 2),
        (r"\byou (may )?owe\b", 1),
    ],
    Kind.STATEMENT_OF_ACCOUNT: [
        (r"statement of account", 10),
        (r"account statement", 8),
        (r"\bstatement\b", 3),
        (r"\b(previous|prior) balance\b", 3),
        (r"balance forward", 3),
        (r"statement (date|period)", 3),
        (r"\bnew balance\b", 2),
        (r"\b(over )?(30|60|90) days\b", 1.5),
        (r"\bpayments? received\b", 1.5),
    ],
    Kind.DEPENDENT_CARE_INVOICE: [
        (r"\bchild ?care\b", 4),
        (r"\bday ?care\b", 4),
        (r"\bpreschool\b", 4),
        (r"\bpre-k\b", 3),
        (r"\bafter[- ]school\b", 4),
        (r"\bdependent care\b", 5),
        (r"\btuition\b", 3),
        (r"\bnanny\b", 4),
        (r"\bday camp\b", 4),
        (r"\bsummer camp\b", 4),
        (r"\bnursery\b", 3),
        (r"\bchild\b", 1.5),
        (r"\bweek of\b", 1.5),
        (r"\benrollment\b", 1.5),
        (r"\bearly learning\b", 4),
        (r"\bkids?\b", 1),
        (r"\belder care\b", 4),
        (r"\badult day\b", 4),
    ],
    Kind.DENTAL_INVOICE: [
        (r"\bdental\b", 4),
        (r"\bdentistry\b", 4),
        (r"\bd\.?d\.?s\b", 3),
        (r"\bd\.?m\.?d\b", 3),
        (r"\bcdt\b", 3),
        (r"\bd\d{4}\b", 2),
        (r"\bprophylaxis\b", 3),
        (r"\btooth\b", 2),
        (r"\borthodont", 3),
        (r"\bperiodontal\b", 3),
        (r"\bbitewings?\b", 3),
        (r"\bfluoride\b", 2),
        (r"\bcrown\b", 1),
        (r"\bendodont", 3),
        (r"\bmolar\b", 2),
        (r"\bfilling\b", 1.5),
    ],
    Kind.MEDICAL_INVOICE: [
        (r"\binvoice\b", 2),
        (r"\bcpt\b", 3),
        (r"\bphysician\b", 2),
        (r"\bclinic\b", 1.5),
        (r"\bm\.?d\.?\b", 1),
        (r"\bdiagnosis\b", 2),
        (r"\bicd", 2),
        (r"\bsuperbill\b", 4),
        (r"\bhospital\b", 2),
        (r"\boffice visit\b", 2),
        (r"\bmedical\b", 2),
        (r"\bpatient\b", 1),
        (r"\b\d{5}\b", 0.3),
        (r"\b(pediatric|pediatrics|orthopedic|dermatology|cardiology|radiology|physical therapy|urgent care)\b", 2),
        (r"\bdate of service\b|\bdos\b", 1),
        (r"\bnpi\b", 1),
        (r"\bvision\b|\boptometr|\bchiropract", 2),
    ],
    Kind.PHARMACY_RECEIPT: [
        (r"\bpharmacy\b", 4),
        (r"\bpharmacie\b|\bfarmacia\b|\bapotheke\b", 4),
        (r"\brx\b", 2),
        (r"\bprescription\b", 3),
        (r"\brph\b", 3),
        (r"\bpharmacist\b", 3),
        (r"\brefills?\b", 2),
        (r"\bndc\b", 2),
        (r"\bdrug\b", 2),
        (r"\bchemist\b", 3),
        (r"\bapothe[ck]", 4),
        (r"\bdrug ?store\b", 4),
        (r"\bfarmasi\b", 4),
        (r"\b(walgreens|cvs|rite aid|duane reade|boots|shoppers drug mart|lloyds pharmacy)\b", 4),
        (r"\bmg\b", 1),
        (r"\btablets?\b|\bcapsules?\b", 1.5),
    ],
    Kind.SHOP_RECEIPT: [
        (r"\breceipt\b", 2),
        (r"\bcashier\b", 2),
        (r"\bchange\b", 1.5),
        (r"\btendered\b", 2),
        (r"\bthank you\b", 1),
        (r"\bstore\b", 1),
        (r"\bvisa\b|\bmastercard\b|\bdebit\b|\bamex\b", 1),
        (r"\bsubtotal\b", 1),
        (r"\bregister\b|\breg\b|\btrans(action)?\b", 1),
        (r"\bitems?\b", 0.5),
    ],
}
_KIND_PATTERNS = {k: [(re.compile(p), w) for p, w in words] for k, words in _KIND_WORDS.items()}


def classify_kind(text: str) -> tuple[Kind, float]:
    """The document's kind from the words it prints, and how clearly (0..1)."""
    t = normal(text)
    scores: dict[Kind, float] = {}
    for kind, patterns in _KIND_PATTERNS.items():
        for pattern, weight in patterns:
            hits = len(pattern.findall(t))
            if hits:
                scores[kind] = scores.get(kind, 0.0) + weight * min(hits, 3)
    if not scores:
        return Kind.UNKNOWN, 0.0
    # A medical word on a pharmacy, dental or care document is expected; an EOB or statement title wins.
    best, top = max(scores.items(), key=lambda kv: kv[1])
    if best is Kind.MEDICAL_INVOICE and scores.get(Kind.DENTAL_INVOICE, 0.0) >= 4:
        best, top = Kind.DENTAL_INVOICE, scores[Kind.DENTAL_INVOICE]
    if best is Kind.SHOP_RECEIPT:
        # A pharmacy or care receipt is still a receipt: shop words do not argue against its trade.
        trade = max((k for k in scores if k is not Kind.SHOP_RECEIPT), key=lambda k: scores[k], default=None)
        if trade is not None and scores[trade] >= 4:
            best, top = trade, scores[trade]
    runner = max((v for k, v in scores.items() if k is not best), default=0.0)
    return best, round(min(1.0, 0.5 + (top - runner) / 10), 3)


def currency_of(rows: list[Row]) -> str:
    seen = Counter(m.currency for r in rows for m in find_money(r.text) if m.currency)
    text = normal(" ".join(r.text for r in rows))
    for code in ("usd", "eur", "gbp", "myr", "cad", "aud", "sgd", "inr", "mxn", "php"):
        if re.search(rf"\b{code}\b", text):
            seen[code.upper()] += 1
    return seen.most_common(1)[0][0] if seen else ""
