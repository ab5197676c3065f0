"""Money and dates as printed on receipts from anywhere, parsed into ``Decimal`` and ``date``.

Hand-written because no well-kept library reads "RM 9.00", "1.234,56 €" and "15-MAR-25" alike
without guessing a locale per process: a receipt's locale is per document, so the day/month order
is settled from the document's own dates (``settle_day_month``) and left marked when it cannot be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

# Currency signs and codes, each with the ISO code it means. "$" alone is taken as USD (the plan
# is American); a printed code ("CAD", "AUD") wins over the sign.
_SIGNS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₱": "PHP", "₩": "KRW"}
_CODES = {
    "USD": "USD",
    "EUR": "EUR",
    "GBP": "GBP",
    "CAD": "CAD",
    "AUD": "AUD",
    "MXN": "MXN",
    "MYR": "MYR",
    "RM": "MYR",
    "SGD": "SGD",
    "S$": "SGD",
    "INR": "INR",
    "RS": "INR",
    "PHP": "PHP",
    "JPY": "JPY",
    "CHF": "CHF",
    "NZD": "NZD",
    "HKD": "HKD",
    "THB": "THB",
    "IDR": "IDR",
    "RP": "IDR",
    "EGP": "EGP",
    "BRL": "BRL",
    "R$": "BRL",
}
_CUR = (
    r"(?:US\$|S\$|R\$|[$€£¥₹₱₩]"
    r"|\b(?:USD|EUR|GBP|CAD|AUD|MXN|MYR|RM|SGD|INR|Rs|PHP|JPY|CHF|NZD|HKD|THB|IDR|Rp|EGP|BRL)\.?)"
)
# A number with two decimals, thousands grouped by "," "." " " or "'" (US and European styles), or
# a whole number when a currency is printed next to it.
_NUM_DEC = r"\d{1,3}(?:[,.' ]\d{3})+[.,]\d{2}|\d+[.,]\d{2}"
_NUM_INT = r"\d{1,3}(?:[,.' ]\d{3})+|\d+"
MONEY_RE = re.compile(
    rf"(?P<neg>-|\()?\s*(?:(?P<pre>{_CUR})[\s:]?(?P<neg2>-)?\s?(?P<n1>{_NUM_DEC}|{_NUM_INT})(?![\d/]|[.,]\d)"
    rf"|(?<![\d/.,:])(?P<n2>{_NUM_DEC})(?![\d/%]|[.,]\d)\s?(?P<post>{_CUR})?)(?P<neg3>-|\)|\s?CR\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Money:
    value: Decimal
    currency: str  # ISO code when printed, else ""
    start: int
    end: int
    text: str


def _number(raw: str) -> Decimal | None:
    raw = raw.replace(" ", "").replace("'", "")
    last_dot, last_comma = raw.rfind("."), raw.rfind(",")
    decimal_at = max(last_dot, last_comma)
    if decimal_at >= 0 and len(raw) - decimal_at - 1 == 2:
        whole, cents = raw[:decimal_at], raw[decimal_at + 1 :]
    else:  # no decimals: every separator groups thousands
        whole, cents = raw, "00"
    whole = whole.replace(",", "").replace(".", "")
    try:
        return Decimal(f"{whole or '0'}.{cents}")
    except InvalidOperation:
        return None


def _currency(sign: str | None) -> str:
    if not sign:
        return ""
    sign = sign.rstrip(".").upper()
    return _SIGNS.get(sign, "") or _CODES.get(sign, "")


def find_money(text: str) -> list[Money]:
    """Every amount in a line of text, in order (negative when printed with "-", "( )" or "CR")."""
    found = []
    for m in MONEY_RE.finditer(text):
        raw = m.group("n1") or m.group("n2")
        sign = m.group("pre") or m.group("post")
        if m.group("n1") and not re.search(r"[.,]\d{2}$", raw) and not sign:
            continue
        value = _number(raw)
        if value is None:
            continue
        if m.group("neg") == "-" or m.group("neg2") or (m.group("neg3") or "").strip() in {"-", "CR", "cr"}:
            value = -value
        elif m.group("neg") == "(" and m.group("neg3") == ")":
            value = -value
        start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
        found.append(Money(value, _currency(sign), start, m.end(), m.group(0).strip()))
    return found


_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            "jan january enero janvier januar gen",
            "feb february febrero fevrier février februar febr",
            "mar march marzo mars märz maerz",
            "apr april abril avril",
            "may mayo mai maggio mei",
            "jun june junio juin juni",
            "jul july julio juillet juli",
            "aug august agosto aout août ago",
            "sep sept september septiembre septembre set",
            "oct october octubre octobre oktober okt",
            "nov november noviembre novembre",
            "dec december diciembre decembre décembre dezember dez dic",
        ]
    )
    for m in names.split()
}
_MON = r"(?P<mon>[A-Za-zéäû]{3,9})\.?"
DATE_RES = [
    ("ymd", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d(?!\d?:\d\d))")),
    (
        "num",
        re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4}|\d{2})(?!/|\.\d|\d(?!\d?:\d\d))"),
    ),
    ("mdy_t", re.compile(rf"\b{_MON}\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*|\s+)(?P<y>(?:19|20)\d{{2}})\b")),
    (
        "dmy_t",
        re.compile(
            rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+de\s+|[-\s.]\s?){_MON}(?:\s+de\s+|[-\s.,]+)"
            rf"(?P<y>(?:19|20)?\d{{2}})(?!\d(?!\d?:\d\d))"
        ),
    ),
]


@dataclass(frozen=True, slots=True)
class FoundDate:
    value: date
    start: int
    end: int
    text: str
    # For numeric dates whose first two parts could be either day or month: the other reading.
    other: date | None = None
    order: str = ""  # "mdy" or "dmy" when the printed form told or assumed it, "" when written out


def _year(raw: str) -> int:
    y = int(raw)
    return y + 2000 if y < 100 and len(raw) == 2 else y


def _make(y: int, m: int, d: int) -> date | None:
    try:
        found = date(y, m, d)
    except ValueError:
        return None
    return found if 1900 <= found.year <= 2100 else None


def find_dates(text: str) -> list[FoundDate]:
    """Every date in a line of text; numeric ``a/b/y`` dates are read month-first and carry ``other``."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for style, pattern in DATE_RES:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            g = m.groupdict()
            value: date | None
            other: date | None = None
            order = ""
            if style == "ymd":
                value = _make(int(g["y"]), int(g["m"]), int(g["d"]))
            elif style == "num":
                a, b, y = int(g["a"]), int(g["b"]), _year(g["y"])
                mdy, dmy = _make(y, a, b), _make(y, b, a)
                value, other, order = (mdy, dmy, "mdy") if mdy else (dmy, None, "dmy")
                if mdy and not dmy:
                    other = None
                if value == other:
                    other = None
            else:
                month = _MONTHS.get(g["mon"].lower().rstrip("."))
                value = _make(_year(g["y"]), month, int(g["d"])) if month else None
            if value is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(FoundDate(value, m.start(), m.end(), m.group(0), other, order))
    return sorted(found, key=lambda f: f.start)


def settle_day_month(dates: list[FoundDate], currency: str = "") -> tuple[str, bool]:
    """The document's day/month order ("mdy" or "dmy") and whether its own dates proved it.

    A numeric date whose first part is over 12 proves day-first, one whose second part is over 12
    proves month-first. Unproved, a document priced in dollars (or unpriced) is taken month-first.
    """
    proved_mdy = any(d.order == "mdy" and d.other is None and d.value.day > 12 for d in dates)
    proved_dmy = any(d.order == "dmy" for d in dates)
    if proved_dmy and not proved_mdy:
        return "dmy", True
    if proved_mdy and not proved_dmy:
        return "mdy", True
    return ("mdy" if currency in {"", "USD"} else "dmy"), False


def in_order(found: FoundDate, order: str) -> date:
    if found.other is not None and order == "dmy":
        return found.other
    return found.value


def normal(text: str) -> str:
    """Lower case, one space between words, for label matching."""
    return " ".join(text.lower().replace("\u2019", "'").split())
