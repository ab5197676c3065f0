"""The sandbox Silver's adjudication: the documented rules (README, "Sandbox Silver"), applied to
what the evidence reader finds in the real evidence bytes. Pure: a claim's fields and readings in,
the four parsed-evidence categories and ``adjudication_results`` out (money in integer cents).

In order, the first that applies:
1. ``not_needed``: nothing to adjudicate (a claim of $0.00).
2. ``deny``: service dates outside the plan year (``SERVICE_DATE_OUTSIDE_PLAN_YEAR``), service after
   the final service date (``SERVICE_AFTER_FINAL_SERVICE_DATE``), or submitted after the final
   submission date (``SUBMITTED_AFTER_DEADLINE``).
3. ``request_more_information``: no evidence document shows one of the five things a receipt must
   show: the date of service (``MISSING_DATE_OF_SERVICE``), the provider (``MISSING_PROVIDER``), the
   patient (``MISSING_PATIENT``, but a shop's receipt names nobody), what was bought or done
   (``MISSING_DESCRIPTION``), the amount (``MISSING_AMOUNT``); or a file could not be read at all
   (``UNREADABLE_EVIDENCE``). The code and a sentence go in ``deny_code``/``deny_text``.
4. ``needs_review``: the amounts found disagree with the claimed amount, or the reader was unsure
   of a field it relied on (confidence under 0.6).
5. ``approve``: every check passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from evidence.model import Kind, Readability, Reading

SURE = 0.6
CATEGORY = {
    Kind.PHARMACY_RECEIPT: "receipts",
    Kind.SHOP_RECEIPT: "receipts",
    Kind.MEDICAL_INVOICE: "medical_invoices",
    Kind.DENTAL_INVOICE: "medical_invoices",
    Kind.EXPLANATION_OF_BENEFITS: "medical_invoices",
    Kind.DEPENDENT_CARE_INVOICE: "dependent_care_invoices",
    Kind.STATEMENT_OF_ACCOUNT: "statement_of_accounts",
    Kind.UNKNOWN: "receipts",
}
MISSING_TEXT = {
    "date_of_service": ("MISSING_DATE_OF_SERVICE", "The evidence does not show the date of service."),
    "provider": ("MISSING_PROVIDER", "The evidence does not show who provided the service."),
    "patient": ("MISSING_PATIENT", "The evidence does not show the patient's name."),
    "description": ("MISSING_DESCRIPTION", "The evidence does not show what was bought or done."),
    "amount": ("MISSING_AMOUNT", "The evidence does not show the amount paid or owed."),
}


@dataclass(frozen=True)
class ClaimFacts:
    claim_amount: int  # cents
    service_start_date: date
    service_end_date: date
    submission_date: date
    plan_year_start: date
    plan_year_end: date
    final_submission_date: date
    final_service_date: date


def cents(value: object) -> int | None:
    return int((value * 100).to_integral_value()) if isinstance(value, Decimal) else None


def _day(reading: Reading) -> date | None:
    value = reading.value("date_of_service")
    return value if isinstance(value, date) else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _days(reading: Reading) -> list[date]:
    day = _day(reading)
    return list(reading.dates_of_service) or ([day] if day else [])


def parsed_evidence(readings: list[Reading]) -> dict[str, list[dict[str, Any]]]:
    """The four categories, each document with its line items (amounts in cents)."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in dict.fromkeys(CATEGORY.values())}
    for reading in readings:
        if reading.readability is not Readability.READ:
            continue
        day = _day(reading)
        items = []
        for line in reading.line_items:
            code = line.codes[0] if line.codes else None
            items.append(
                {
                    "title": line.description,
                    "sku": code,
                    "sku_type": _code_system(code),
                    "line_item_price": cents(line.amount),
                    "claimable_amount": cents(line.amount),
                    "eligible": True,
                    "service_date": _iso(line.service_date or day),
                }
            )
        document: dict[str, Any] = {
            "kind": reading.kind.value,
            "provider": reading.value("provider"),
            "patient": reading.value("patient"),
            "total": cents(reading.value("total")),
            "patient_amount": cents(reading.value("amount")),
            "insurer_paid": cents(reading.value("insurer_paid")),
            "items": items,
        }
        if CATEGORY[reading.kind] == "receipts":
            document |= {
                "merchant": reading.value("provider"),
                "purchased_at": _iso(day),
                "total_eligible_amount": cents(reading.value("amount")),
            }
        else:
            document["service_date"] = _iso(day)
        out[CATEGORY[reading.kind]].append(document)
    return out


def _code_system(code: str | None) -> str | None:
    if not code:
        return None
    if code[0] == "D" and code[1:].isdigit():
        return "CDT"
    if code.isdigit():
        return "CPT"
    return "HCPCS"


def adjudicate(facts: ClaimFacts, readings: list[Reading]) -> dict[str, Any]:
    """``adjudication_results`` for the claim and what was read from its evidence."""
    read = [r for r in readings if r.readability is Readability.READ]
    amounts = [r.fields["amount"] for r in read if "amount" in r.fields]
    out_of_pocket = sum((cents(f.value) or 0 for f in amounts), 0)
    valid_dates = facts.plan_year_start <= facts.service_start_date <= facts.service_end_date <= facts.plan_year_end
    valid_total = bool(amounts) and out_of_pocket == facts.claim_amount
    results: dict[str, Any] = {
        "silver_recommendation": "approve",
        "valid_service_date": valid_dates,
        "valid_total_amount": valid_total,
        "out_of_pocket_total": out_of_pocket,
        "deny_code": None,
        "deny_text": None,
        "suggested_service_date_start": None,
        "suggested_service_date_end": None,
        "suggested_provider_name": next((r.value("provider") for r in read if r.value("provider")), None),
    }
    days = sorted(d for r in read for d in _days(r))
    if days and (days[0] != facts.service_start_date or days[-1] != facts.service_end_date):
        results["suggested_service_date_start"] = days[0].isoformat()
        results["suggested_service_date_end"] = days[-1].isoformat()

    def decide(recommendation: str, code: str | None = None, text: str | None = None) -> dict[str, Any]:
        return results | {"silver_recommendation": recommendation, "deny_code": code, "deny_text": text}

    if facts.claim_amount == 0:
        return decide("not_needed")
    if not valid_dates:
        return decide("deny", "SERVICE_DATE_OUTSIDE_PLAN_YEAR", "The service dates are outside the plan year.")
    if facts.service_end_date > facts.final_service_date:
        return decide(
            "deny", "SERVICE_AFTER_FINAL_SERVICE_DATE", "The service took place after the last eligible service date."
        )
    if facts.submission_date > facts.final_submission_date:
        return decide("deny", "SUBMITTED_AFTER_DEADLINE", "The claim was submitted after the final submission date.")
    if len(read) < len(readings):
        return decide("request_more_information", "UNREADABLE_EVIDENCE", "A document could not be read.")
    for name in ("date_of_service", "provider", "patient", "description", "amount"):
        wanted = [r for r in read if not (name == "patient" and r.kind is Kind.SHOP_RECEIPT)]
        if wanted and not any(r.value(name) is not None for r in wanted):
            return decide("request_more_information", *MISSING_TEXT[name])
        if not read:
            return decide("request_more_information", *MISSING_TEXT[name])
    if not valid_total:
        return decide("needs_review")
    relied = [r.fields[name] for r in read for name in ("amount", "date_of_service") if name in r.fields]
    if any(field.confidence < SURE or field.uncertain for field in relied):
        return decide("needs_review")
    return results
