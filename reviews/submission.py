"""What the portal sends Silver for a claim (pure: a Claims API claim and its files in, a Silver
``Submission`` out).

The Claims API lacks some of Silver's required fields; they are derived so (and said in the
README): ``plan_year_end`` is the day before the plan year's first anniversary (the API gives only
its start); ``final_submission_date`` is the final filing date; ``final_service_date`` is the plan
year's end (no grace period is published); ``plan_type`` comes from the plan's name (the API has
no account type on a claim): dependent care, limited purpose, HRA, lifestyle, else a health FSA;
an HSA needs no substantiation and is not sent. ``submission_date`` is the claim's submission
date, service dates are its dates of service (the end is the start when it has none).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from portal.gateway.models import Claim
from portal.gateway.silver import Evidence, PlanType, Submission


def plan_type(plan_name: str | None) -> PlanType | None:
    name = (plan_name or "").lower()
    if "hsa" in name or "health savings" in name:
        return None
    if "dependent" in name or "dcfsa" in name or "dcap" in name:
        return PlanType.DCFSA
    if "limited" in name or "lpfsa" in name:
        return PlanType.LPFSA
    if "hra" in name or "reimbursement arrangement" in name:
        return PlanType.HRA
    if "lifestyle" in name or "lsa" in name.split():
        return PlanType.LSA
    return PlanType.MEDICAL_FSA


def silver_claim_number(claim_number: str, files: Sequence[Evidence]) -> str:
    """The claim's number and its evidence set: the same files give the same number (a retried
    submission is Silver's duplicate), new files a new one."""
    digest = hashlib.sha256()
    for content in sorted(hashlib.sha256(item.content).digest() for item in files):
        digest.update(content)
    return f"{claim_number}-{digest.hexdigest()[:16]}"


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def submission_for(claim: Claim, files: Sequence[Evidence], *, employer: str = "") -> Submission | None:
    """Silver's submission for this claim and evidence; None when Silver cannot review it (an HSA,
    or a claim without dates of service or a plan year)."""
    kind = plan_type(claim.plan_name)
    start = _day(claim.start_date_of_service)
    year_start = _day(claim.plan_year_start_date)
    if kind is None or start is None or year_start is None or not files:
        return None
    try:
        year_end = year_start.replace(year=year_start.year + 1) - timedelta(days=1)
    except ValueError:  # a plan year starting on February 29
        year_end = year_start + timedelta(days=364)
    final_filing = _day(claim.final_filing_date) or year_end + timedelta(days=90)
    description = " - ".join(part for part in (claim.category, claim.expense_type) if part) or None
    return Submission(
        claim_number=silver_claim_number(claim.claim_number, files),
        claim_amount=claim.claim_amount,
        service_start_date=start,
        service_end_date=_day(claim.end_date_of_service) or start,
        submission_date=_day(claim.submission_date) or start,
        plan_name=claim.plan_name or claim.plan_year_name or "Benefit plan",
        plan_type=kind,
        plan_year_start=year_start,
        plan_year_end=year_end,
        final_submission_date=final_filing,
        final_service_date=year_end,
        evidence=list(files),
        provider=claim.provider_name,
        employer=employer or None,
        description=description,
        expense_category=claim.category,
        expense_type=claim.expense_type,
        method_filed="online",
    )
