"""Model -> JSON shapes of claims-api-v1.md ("Shapes")."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from sandbox.api.problems import Money, iso
from sandbox.models import Claim, Denial, Payee, Receipt


def _money(value: Any) -> Money:
    return Money(value)


def claim(c: Claim) -> dict[str, Any]:
    reasons = getattr(c, "reasons_list", None)
    if reasons is None:
        reasons = list(c.denial_reasons.all())
    rmis = getattr(c, "rmis_list", None)
    if rmis is None:
        rmis = list(c.rmis.all())
    return {
        "claim_number": c.claim_number,
        "claim_amount": _money(c.claim_amount),
        "claim_status": c.claim_status,
        "submission_date": iso(c.submission_date),
        "start_date_of_service": iso(c.start_date_of_service),
        "end_date_of_service": iso(c.end_date_of_service),
        "processed_date": iso(c.processed_date),
        "provider_name": c.provider_name,
        "paid_amount": _money(c.paid_amount),
        "submitted_amount": _money(c.submitted_amount),
        "is_ptp": c.is_ptp,
        "denial_reasons": [
            {
                "denial_code": r.denial_code,
                "reason": r.reason,
                "denial_date_time": iso(r.denial_date_time),
                "is_upload_receipt_allowed": r.is_upload_receipt_allowed,
                "explanation": r.explanation,
                "action_required": r.action_required,
            }
            for r in reasons
        ]
        or None,
        "requests_for_more_information": [
            {
                "action_date": iso(m.action_date),
                "reason": m.reason,
                "code": m.code,
                "description": m.description,
                "status": m.status,
                "note": m.note,
            }
            for m in rmis
        ]
        or None,
        "receipt_status": c.receipt_status,
        "denied_amount": _money(c.denied_amount),
        "applied_copay_amount": _money(c.applied_copay_amount),
        "applied_coinsurance_amount": _money(c.applied_coinsurance_amount),
        "applied_deductible_amount": _money(c.applied_deductible_amount),
        "claim_source": c.claim_source,
        "scheduled_for_reimbursement_date": iso(c.scheduled_for_reimbursement_date),
        "plan_year_name": c.plan_year_name,
        "plan_year_start_date": iso(c.plan_year_start_date),
        "plan_name": c.plan_name,
        "final_filing_date": iso(c.final_filing_date),
        "expense_id": str(c.expense_id),
        "receipt_status_dt": iso(c.receipt_status_dt),
        "category": c.category,
        "expense_type": c.expense_type,
        "issue_response": c.issue_response,
        "offering_id": c.offering_id,
        "payee": c.payee,
        "plan_id": str(c.plan_id) if c.plan_id else None,
    }


def denial(d: Denial) -> dict[str, Any]:
    return {
        "denial_id": str(d.denial_id),
        "denial_code": d.denial_code,
        "denial_reason": d.denial_reason,
        "denied_amount": f"{d.denied_amount:.2f}",
        "status": d.status,
        "action_date": iso(d.action_date),
    }


def receipt(
    r: Receipt, *, base_url: str, with_external_id: bool = False, claim_numbers: list[str] | None = None
) -> dict[str, Any]:
    """``claim_numbers``, when the caller knows them, saves reading the receipt's claims."""
    path = reverse("sandbox:api-receipt-download", kwargs={"external_id": r.external_id})
    data: dict[str, Any] = {
        "receipt_id": r.receipt_id,
        "file_name": r.file_name,
        "file_size": r.file_size,
        "content_type": r.content_type,
        "upload_date": iso(r.upload_date),
        "tracked_expense_number": r.tracked_expense_number,
        "claim_numbers": sorted(
            claim_numbers if claim_numbers is not None else (c.claim_number for c in r.claims.all())
        ),
        "download_url": f"{base_url}{path}?person_id={r.person_id}",
    }
    if with_external_id:
        data["external_id"] = r.external_id
    return data


def payee(p: Payee) -> dict[str, Any]:
    return {
        "payee_id": p.payee_id,
        "payee_tin": p.payee_tin,
        "name": p.name,
        "account_number": p.account_number,
        "address_line1": p.address_line1,
        "address_line2": p.address_line2,
        "address_line3": p.address_line3,
        "address_line4": p.address_line4,
        "city": p.city,
        "state": p.state,
        "postal_code": p.postal_code,
        "country": p.country,
    }
