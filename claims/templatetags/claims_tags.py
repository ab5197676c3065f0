"""Template helpers: money as currency, dates, and a claim's situation as a badge."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from claims import situation as situations
from portal import formatting
from portal.gateway.models import Denial, ReceiptStatus

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    return situations.money(value)


@register.filter(expects_localtime=True)
def short_date(value: date | None) -> str:
    """ "Mar 10, 2026", "10 mar 2026" (an instant: in the person's time zone, like ``date``)."""
    return formatting.short_date(value) if isinstance(value, date) else ""


@register.filter(expects_localtime=True)
def long_date(value: date | None) -> str:
    """ "March 10, 2026", "10 de marzo de 2026"."""
    return formatting.long_date(value) if isinstance(value, date) else ""


@register.filter(expects_localtime=True)
def date_time(value: datetime | None) -> str:
    """ "Mar 10, 2026, 3:05 PM EDT", "10 mar 2026, 3:05 p.m. EDT" (in the person's time zone)."""
    return formatting.date_time(value) if isinstance(value, datetime) else ""


@register.simple_tag
def situation_badge(s: situations.Situation) -> SafeString:
    return format_html('<span class="badge tone-{}">{}</span>', s.tone, s.headline)


@register.filter
def receipt_status(status: ReceiptStatus) -> str:
    return situations.receipt_status_text(status)


@register.filter
def denial_status(denial: Denial) -> str:
    return situations.denial_status_text(denial)


@register.filter
def lookup(mapping: dict[str, str] | None, key: str) -> str:
    """``mapping[key]``, or "" (the employer list's review label of a row's claim)."""
    return (mapping or {}).get(key, "")
