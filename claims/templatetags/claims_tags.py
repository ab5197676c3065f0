"""Template helpers: money as currency, statuses in words."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

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
