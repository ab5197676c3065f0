"""Reading and writing X12 values: dates (CCYYMMDD, ranges), amounts (Decimal) and the checks a
builder makes on data before it is written between delimiters."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from x12.errors import X12Error

# X12's delimiters as our builders write them (element *, component :, repetition ^, segment ~)
# and the | some senders use for elements: data holding one would change a file's meaning, and
# insurers (Optum among them) refuse requests whose text contains one. One list for the 276
# builder, the insurance forms and the Optum client.
DELIMITERS = "~*:^|"
RESERVED = frozenset(DELIMITERS + "\r\n")


def npi_check_digit(first_nine: str) -> int:
    """The tenth digit of an NPI whose first nine are ``first_nine``: Luhn over "80840" and them
    (the card-issuer prefix the NPI standard puts in front)."""
    total = 0
    for i, char in enumerate(reversed("80840" + first_nine)):
        digit = int(char)
        if i % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def npi_is_valid(npi: str) -> bool:
    """Ten digits whose last is the check digit: every NPI issued is, a misread one seldom."""
    return len(npi) == 10 and npi.isascii() and npi.isdigit() and npi_check_digit(npi[:9]) == int(npi[9])


@lru_cache(maxsize=4096)  # a file repeats few dates many times; dates are immutable
def parse_date(text: str) -> date | None:
    """``CCYYMMDD`` (or the six-digit ``YYMMDD`` some ISA-era fields use) -> date; None when empty or not a date."""
    if len(text) == 8 and text.isdigit():
        try:
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            return None
    if len(text) == 10 and text[4] == "-" and text[7] == "-":  # 2024-01-31, seen in JSON from the wild
        return parse_date(text[:4] + text[5:7] + text[8:])
    return None


@lru_cache(maxsize=4096)
def parse_period(qualifier: str, text: str) -> tuple[date | None, date | None]:
    """DTP02/DTP03 -> (from, to): ``D8`` is one day (to = None), ``RD8`` ``CCYYMMDD-CCYYMMDD`` a
    period; the text decides when the qualifier is wrong (a range under D8 is still a range)."""
    if len(text) == 17 and text[8] == "-":
        return parse_date(text[:8]), parse_date(text[9:])
    return parse_date(text), None


# An X12 ``R`` value: an optional minus, digits with at most one decimal point, at most 18 digits;
# no exponent, no thousands separators, no currency sign.
_AMOUNT = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")


def parse_amount(text: str) -> Decimal | None:
    """An X12 amount -> Decimal; None when empty or not an X12 amount ("1,250.00", "1E5000")."""
    text = text.strip() if text else ""
    if not text or len(text) > 20 or not _AMOUNT.fullmatch(text) or sum(c.isdigit() for c in text) > 18:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None


def format_date(value: date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def format_period(start: date, end: date | None) -> tuple[str, str]:
    """(DTP02, DTP03): one day (no end) as ``D8``, a period as ``RD8`` (even a one-day period, so
    that what is read back is what was given)."""
    if end is None:
        return "D8", format_date(start)
    return "RD8", f"{format_date(start)}-{format_date(end)}"


def format_amount(value: Decimal, field: str) -> str:
    """An X12 ``R`` value: ``150``, ``8513.88``, ``-5.5``: no exponent, no trailing zeros."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise X12Error(f"{field}: an amount must be a finite decimal number.", field=field)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def clean(value: str | None, field: str) -> str:
    """A data value for a builder: stripped, and refused when it holds a delimiter."""
    if value is None:
        return ""
    text = str(value).strip()
    for char in text:
        if char in RESERVED:
            shown = {"\r": "a carriage return", "\n": "a line break"}.get(char, f"'{char}'")
            raise X12Error(
                f"{field} contains {shown}, which X12 reserves as a delimiter (~ * : ^ |); "
                "remove it or replace it with a space.",
                field=field,
            )
    return text
