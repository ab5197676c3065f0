"""The employer's claims export: CSV streamed a line at a time, safe against formula injection.

The status column is the administrator's wording of the claim's situation."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils.translation import pgettext, pgettext_lazy

from claims.filters import service_day
from claims.situation import Situation

# --- export --------------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "claim_number", "date_of_service", "submitted", "provider", "paid_to", "paid_to_provider", "category",
    "expense_type", "plan", "plan_year", "status", "waiting_for", "deadline", "status_code", "receipt_status",
    "claim_amount", "paid_amount", "denied_amount", "pending_amount", "copay_applied", "coinsurance_applied",
    "deductible_applied",
]  # fmt: skip
# The header row in the administrator's language (the same names in English); the values stay
# dates, codes and plain numbers a spreadsheet reads in either language.
EXPORT_HEADERS = [
    pgettext_lazy("CSV column", "claim_number"), pgettext_lazy("CSV column", "date_of_service"),
    pgettext_lazy("CSV column", "submitted"), pgettext_lazy("CSV column", "provider"),
    pgettext_lazy("CSV column", "paid_to"), pgettext_lazy("CSV column", "paid_to_provider"),
    pgettext_lazy("CSV column", "category"), pgettext_lazy("CSV column", "expense_type"),
    pgettext_lazy("CSV column", "plan"), pgettext_lazy("CSV column", "plan_year"),
    pgettext_lazy("CSV column", "status"), pgettext_lazy("CSV column", "waiting_for"),
    pgettext_lazy("CSV column", "deadline"), pgettext_lazy("CSV column", "status_code"),
    pgettext_lazy("CSV column", "receipt_status"), pgettext_lazy("CSV column", "claim_amount"),
    pgettext_lazy("CSV column", "paid_amount"), pgettext_lazy("CSV column", "denied_amount"),
    pgettext_lazy("CSV column", "pending_amount"), pgettext_lazy("CSV column", "copay_applied"),
    pgettext_lazy("CSV column", "coinsurance_applied"), pgettext_lazy("CSV column", "deductible_applied"),
]  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A spreadsheet cannot run it: text starting like a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def _yes_no(value: bool) -> str:
    return pgettext("CSV value", "yes") if value else pgettext("CSV value", "no")


def _row(s: Situation) -> list[str]:
    claim = s.claim
    served = service_day(claim.start_date_of_service)
    submitted = claim.submission_date.date().isoformat() if claim.submission_date else ""
    deadline = s.deadline.day.isoformat() if s.deadline else ""
    values: list[object] = [
        claim.claim_number, served.isoformat() if served else "", submitted, claim.provider_name, claim.payee,
        _yes_no(claim.is_ptp), claim.category, claim.expense_type, claim.plan_name, claim.plan_year_name,
        s.headline, s.move.value, deadline, claim.claim_status.value, claim.receipt_status.value,
        f"{claim.claim_amount:.2f}",
        f"{claim.paid_amount:.2f}", f"{claim.denied_amount:.2f}", f"{claim.pending_amount:.2f}",
        f"{claim.applied_copay_amount:.2f}", f"{claim.applied_coinsurance_amount:.2f}",
        f"{claim.applied_deductible_amount:.2f}",
    ]  # fmt: skip
    return [safe_cell(v) for v in values]


def csv_lines(situations: Iterable[Situation]) -> Iterator[str]:
    """The export, one encoded line at a time (streamed: memory stays flat)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(header) for header in EXPORT_HEADERS])
    yield "\ufeff" + buffer.getvalue()  # BOM: spreadsheets then read UTF-8 correctly
    for s in situations:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(_row(s))
        yield buffer.getvalue()
