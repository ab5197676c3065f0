"""Template helpers: money as currency, statuses in words."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import quote

from django import template
from django.forms import BoundField
from django.urls import reverse
from django.utils.safestring import SafeString

from claims import services
from claims.presentation import claim_status_label, receipt_status_label
from portal.gateway.models import Claim, ClaimStatus, ReceiptStatus

register = template.Library()


def _e(value: object) -> str:
    """`conditional_escape` without its lazy-string machinery (the same output: Django's `escape`
    is `html.escape`); used by the tags below that build many small pieces of HTML."""
    if hasattr(value, "__html__"):
        return value.__html__()  # type: ignore[no-any-return]
    return html.escape(str(value))


def _badge(tone: str, text: str) -> SafeString:
    return SafeString(f'<span class="badge tone-{_e(tone)}">{_e(text)}</span>')


@register.filter
def money(value: Decimal | None) -> str:
    if value is None:
        return "—"
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


@register.simple_tag
def claim_status_badge(status: ClaimStatus) -> SafeString:
    label = claim_status_label(status)
    return _badge(label.tone, label.text)


@register.simple_tag
def receipt_status_badge(status: ReceiptStatus) -> SafeString:
    label = receipt_status_label(status)
    return _badge(label.tone, label.text)


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
_LONG_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@register.filter(expects_localtime=True)
def short_date(value: date | None) -> str:
    """`|date:"M j, Y"` ("Mar 10, 2026", in the member's time zone like `date`), without Django's
    general-purpose formatter: a claim page shows a dozen dates."""
    if not isinstance(value, date):
        return ""
    return f"{_MONTHS[value.month - 1]} {value.day}, {value.year}"


@register.filter(expects_localtime=True)
def long_date(value: date | None) -> str:
    """`|date:"F j, Y"` ("March 10, 2026"), as `short_date`."""
    if not isinstance(value, date):
        return ""
    return f"{_LONG_MONTHS[value.month - 1]} {value.day}, {value.year}"


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
        return SafeString(f'<tr><td colspan="6">{_e(empty_text or "No claims yet.")}</td></tr>')
    detail = reverse("claims:claim_detail", args=["CLAIM"]).replace("CLAIM", "{}")
    action = ' <span class="badge tone-action">Action needed</span>'

    def row(claim: Claim) -> str:
        kind = claim.category or ""
        if claim.expense_type:
            kind = f"{kind} · {claim.expense_type}"
        return (
            f'<tr>\n      <td data-label="Date of service">{_e(service_date(claim.start_date_of_service))}</td>\n'
            f'      <td data-label="Provider"><a href="{_e(detail.format(quote(claim.claim_number, safe="")))}">'
            f"{_e(claim.provider_name or 'Claim')}"
            f'<span class="visually-hidden">, claim {_e(claim.claim_number)}</span></a></td>\n'
            f'      <td data-label="Type">{_e(kind)}</td>\n'
            f'      <td data-label="Amount" class="num">{_e(money(claim.claim_amount))}</td>\n'
            f'      <td data-label="Paid" class="num">{_e(money(claim.paid_amount))}</td>\n'
            f'      <td data-label="Status">{claim_status_badge(claim.claim_status)}'
            f"{action if services.needs_action(claim) else ''}</td>\n    </tr>"
        )

    return SafeString("\n".join(row(claim) for claim in claims))


@register.simple_tag
def choice_select(field: BoundField) -> SafeString:
    """A ChoiceField's <select>, as Django's widget draws it, without a template per option."""
    value = "" if field.value() is None else str(field.value())
    choices = field.field.choices  # type: ignore[attr-defined]
    options = "".join(
        f'<option value="{_e(key)}"{" selected" if str(key) == value else ""}>{_e(label)}</option>'
        for key, label in choices
    )
    invalid = ' aria-invalid="true"' if field.errors else ""
    return SafeString(f'<select name="{_e(field.html_name)}" id="{_e(field.auto_id)}"{invalid}>{options}</select>')
