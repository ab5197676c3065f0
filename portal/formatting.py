"""Dates as each language writes them for readers in the US: "Mar 15, 2026" / "15 mar 2026",
"March 15, 2026" / "15 de marzo de 2026". Money is the same in both ("$1,234.56": claims.situation).

One small table instead of Django's named formats: the portal's short date is not Django's
SHORT_DATE_FORMAT in English ("03/15/2026"), and a look-up by language costs nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.dateformat import format as date_format
from django.utils.translation import get_language

_SHORT = {"es": "j b Y"}
_LONG = {"es": r"j \d\e F \d\e Y"}
_DATE_TIME = {"es": r"j b Y, g:i a T"}


def _language() -> str:
    return (get_language() or "en").split("-", 1)[0]


def short_date(day: date) -> str:
    return date_format(day, _SHORT.get(_language(), "M j, Y"))


def long_date(day: date) -> str:
    return date_format(day, _LONG.get(_language(), "F j, Y"))


def date_time(moment: datetime) -> str:
    """An instant as the audit trail shows it, already in the reader's zone."""
    return date_format(moment, _DATE_TIME.get(_language(), "M j, Y, g:i A T"))
