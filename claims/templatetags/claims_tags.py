"""Template helpers: money as currency, statuses in words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import quote

from django import template
from django.forms import BoundField
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from claims import services
from claims.presentation import claim_status_label, receipt_status_label
from portal.gateway.models import Claim, ClaimStatus, ReceiptStatus

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


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def service_date(value: datetime | None) -> str:
    """A date of service as the calendar date it names ("Mar 10, 2026"); it arrives as midnight UTC."""
    if value is None:
        return "—"
    day = value.astimezone(UTC)
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


@register.simple_tag
def claim_rows(claims: Sequence[Claim], empty_text: str) -> SafeString:
    """The member's claims table body: one row per claim, linked to the claim's page.

    Written in Python rather than as a template loop: this is the portal's busiest fragment, and a
    Django template loop over twenty rows costs more than the rest of the page together."""
    if not claims:
        return format_html('<tr><td colspan="6">{}</td></tr>', empty_text or "No claims yet.")
    detail = reverse("claims:claim_detail", args=["CLAIM"]).replace("CLAIM", "{}")

    def row(claim: Claim) -> tuple[object, ...]:
        kind = claim.category or ""
        if claim.expense_type:
            kind = f"{kind} · {claim.expense_type}"
        action = (
            mark_safe(' <span class="badge tone-action">Action needed</span>') if services.needs_action(claim) else ""
        )
        return (
            service_date(claim.start_date_of_service),
            detail.format(quote(claim.claim_number, safe="")),
            claim.provider_name or "Claim",
            claim.claim_number,
            kind,
            money(claim.claim_amount),
            money(claim.paid_amount),
            claim_status_badge(claim.claim_status),
            action,
        )

    return format_html_join(
        "\n",
        '<tr>\n      <td data-label="Date of service">{}</td>\n'
        '      <td data-label="Provider"><a href="{}">{}<span class="visually-hidden">, claim {}</span></a></td>\n'
        '      <td data-label="Type">{}</td>\n'
        '      <td data-label="Amount" class="num">{}</td>\n'
        '      <td data-label="Paid" class="num">{}</td>\n'
        '      <td data-label="Status">{}{}</td>\n    </tr>',
        (row(claim) for claim in claims),
    )


@register.simple_tag
def choice_select(field: BoundField) -> SafeString:
    """A ChoiceField's <select>, as Django's widget draws it, without a template per option."""
    value = "" if field.value() is None else str(field.value())
    choices = field.field.choices  # type: ignore[attr-defined]
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((key, mark_safe(" selected") if str(key) == value else "", label) for key, label in choices),
    )
    invalid = mark_safe(' aria-invalid="true"') if field.errors else ""
    return format_html('<select name="{}" id="{}"{}>{}</select>', field.html_name, field.auto_id, invalid, options)
