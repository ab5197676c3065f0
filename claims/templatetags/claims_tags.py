"""Template helpers: money as currency, statuses in words."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from claims import services
from claims.presentation import claim_status_label, receipt_status_label
from portal.gateway.models import ClaimStatus, ReceiptStatus

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    if value is None:
        return "—"
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


@register.simple_tag
def claim_status_badge(status: ClaimStatus) -> SafeString:
    label = claim_status_label(status)
    return format_html('<span class="badge tone-{}">{}</span>', label.tone, label.text)


@register.simple_tag
def receipt_status_badge(status: ReceiptStatus) -> SafeString:
    label = receipt_status_label(status)
    return format_html('<span class="badge tone-{}">{}</span>', label.tone, label.text)


@register.filter
def needs_action(claim: object) -> bool:
    return services.needs_action(claim)  # type: ignore[arg-type]


@register.filter
def filesize(size: int | None) -> str:
    if size is None:
        return "—"
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


@register.filter
def status_help(status: ClaimStatus) -> str:
    from claims.presentation import claim_status_help

    return claim_status_help(status)


@register.filter
def days_until(value: object) -> int | None:
    from datetime import datetime

    from django.utils import timezone

    if not isinstance(value, datetime):
        return None
    return max(0, (value - timezone.now()).days)
