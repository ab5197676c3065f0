"""Who is on the document: the patient and the provider or merchant (by label, value beside or
below it; else the business name at the top of the first page), and the provider's NPI and tax id.
"""

from __future__ import annotations

import re

from evidence.layout import Row, Segment, segment_at
from evidence.model import Field, Kind
from evidence.text import find_dates, find_money, normal
from x12.values import npi_is_valid

_PATIENT_LABELS = [
    re.compile(
        r"(?:^|\b)(patient(?:'s)? name|name of patient|patient|pt\.? name|pt|child(?:'s)? name|child|children"
        r"|dependent(?:'s)? name|dependent|student(?: name)?|nombre del paciente|paciente|nama pesakit|pesakit)"
        r"\s*[:#.\-]*\s*",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?:^|\b)(member name|member|insured|subscriber|for|enrollee|client|customer name|customer)\s*[:#.\-]*\s*",
        re.IGNORECASE,
    ),
]
_PROVIDER_LABEL = re.compile(
    r"(?:^|\b)(provider of services?|rendering provider|treating provider|billing provider|servicing provider"
    r"|provider name|provider|doctor|physician|dentist|practitioner|clinic|practice|facility|pharmacy|merchant"
    r"|store|vendor|payee|pay to|remit to|make checks payable to|checks payable to|seen by|care provider"
    r"|center|school|daycare|caregiver|proveedor|hospital)\s*[:#.\-]*\s*",
    re.IGNORECASE,
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
_AFTER_CREDENTIAL = re.compile(
    r"(?i)^(.*?,\s*(?:md|do|dds|dmd|phd|psyd|lcsw|lmft|lpc|np|pa-c|rn|od|dc|dpm|dpt|msw|ms|ma|aud|ccc-slp)\.?)"
    r"\s+[-\u2013\u2014|]\s+.*$"
)
_NPI = re.compile(r"\bnpi\b\D{0,14}(\d{10})\b", re.IGNORECASE)
_TAX_ID = re.compile(
    r"\b(?:federal tax id|tax id|tax identification|tin|ein|fein|tax no|taxpayer id)\b(?:\s*(?:no|number|#))?"
    r"\D{0,6}(\d{2}-?\d{7})\b",
    re.IGNORECASE,
)
_TITLE_WORDS = frozenset(
    "receipt receipts sales invoice tax statement of account explanation benefits this is not a bill eob customer"
    " copy original itemized superbill patient page duplicate care tuition medical dental summary your official"
    " cash credit note notice remittance advice billing details description date amount service services code"
    " qty item items price total fee fees charges thank you for welcome".split()
)


def _clean_name(raw: str, *, person: bool = True) -> str:
    raw = raw.strip(" :#-.,|")
    # "Ethan Brown (Toddler Room)", "Lily Smith (daughter)": a note after the name is not the name.
    raw = re.sub(r"\s*\([^()]*\)\s*$", "", raw).strip(" :#-.,|") or raw
    if not person:
        # "Hannah Lee, PsyD - Licensed Psychologist": after a credential, a title is not the name.
        return _AFTER_CREDENTIAL.sub(r"\1", raw)
    raw = re.sub(r"(?i)^(name|nombre)\s*[:.]\s*", "", raw)  # "Patient | Name: Ana Ruiz" split by OCR
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
            text = " ".join(seg.text.replace("\u2019", "'").split())
            m = label.match(text)
            if not m and "/" in text[:40]:
                # a bilingual label ("Nama Pesakit / Patient: ..."): the label after the slash
                text = text.split("/", 1)[1].strip()
                m = label.match(text)
            if not m:
                # mid-line, a label only with its colon ("RX 7781203  PT: NGUYEN, HANA")
                m = next((f for f in label.finditer(text) if f.start() > 0 and ":" in f.group(0)), None)
                if m is not None:
                    text = text[m.start() :]
                    m = label.match(text)
            if not m:
                continue
            rest = text[m.end() :].strip()
            rest = re.sub(r"^/\s*[^:/]{1,30}:\s*", "", rest)  # "Nama Pesakit / Patient: ..." (the label again)
            rest = rest if re.search(r"[^\W_]", rest) else ""  # "Patient name::" has its value beside or below
            if rest and _LABEL_STOP.match(normal(rest)):
                continue
            if rest and m.group(0).rstrip().lower() == m.group(1).lower() and person and len(m.group(1)) <= 3:
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
                        candidates.append((below[0].text, below[0]))
            for value, where in candidates:
                value = _clean_name(value, person=person)
                if _looks_like_name(value, person=person):
                    return value, where, 0.95 if rest or where is not seg else 0.85
    return None


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


def is_title(text: str) -> bool:
    words = re.findall(r"[a-z]+", normal(text))
    return not words or all(w in _TITLE_WORDS for w in words) or bool(re.match(r"^page \d", normal(text)))


def _header_name(rows: list[Row], kind: Kind) -> Field | None:
    """No label: the business name is the largest print at the top of the first page, above any
    amount or table, and not a title, an address, a phone number or a "label: value" line."""
    top: list[Segment] = []
    # The top of the document, not of the image: a photo may show the table around the receipt.
    start = next((r.top for r in rows if r.page == 1), 0.0)
    for r in rows:
        if r.page != 1 or r.top - start >= 0.3 or find_money(r.text) or len(r.segments) >= 3:
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
    if tallest <= 0:
        return None
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
    # A name may start with a number ("1-800 Contacts", "7-Eleven", "99 Ranch Market"); an address
    # line ("1200 Harbor Blvd") is told by its street word below.
    if is_title(t) or re.fullmatch(r"[\d\s#.,/-]+", t) or re.search(r"\b(tel|phone|fax|www|http|@|\.com)\b", t):
        return False
    if re.search(r"\b\d{5}(-\d{4})?$|,\s*[a-z]{2}\s+\d{5}\b|\b[a-z]\d[a-z] ?\d[a-z]\d\b", t):
        return False  # "Springfield, IL 62704": a city line
    return not (
        re.search(r"\d", t)
        and re.search(
            r"\b(street|st|ave|av|avenue|road|rd|blvd|boulevard|suite|ste|floor|fl|unit|jalan|jln|dr|drive|lane|ln"
            r"|way|hwy|highway|pkwy|parkway|place|pl|court|ct|circle|cir|loop|plaza|square|sq|terrace|route|rte"
            r"|str|strasse|straße|calle|avenida|rue|via|po box)\b",
            t,
        )
    )


def id_fields(rows: list[Row]) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    for row in rows:
        text = row.text
        for name, pattern in (("npi", _NPI), ("tax_id", _TAX_ID)):
            # Ten digits whose check digit fails are no NPI (misread, or another number after "NPI").
            m = next((m for m in pattern.finditer(text) if name != "npi" or npi_is_valid(m.group(1))), None)
            if m and name not in fields:
                seg = segment_at(row, m.start(1))
                value = m.group(1)
                if name == "tax_id" and "-" not in value:
                    value = f"{value[:2]}-{value[2:]}"
                fields[name] = Field(
                    value=value, confidence=round(0.95 * seg.confidence, 3), where=seg.box, text=m.group(0)
                )
    return fields
