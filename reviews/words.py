"""What a review means, in words, for the member and for HR (pure: a review's state and Silver's
results in, sentences out; never a raw code alone). Codes Silver may send that are not known here
fall back to Silver's own ``deny_text``, then to a general sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from portal.gateway.errors import MalformedResponseError
from portal.gateway.silver import AdjudicationResults, SilverClaim

# The sandbox Silver's codes (sandbox/silver/rules.py, README); real Silver's are not published.
MISSING = {
    "MISSING_PATIENT": lambda: _("The receipt does not show the patient's name; upload one that does."),
    "MISSING_DATE_OF_SERVICE": lambda: _("The receipt does not show the date of service; upload one that does."),
    "MISSING_PROVIDER": lambda: _("The receipt does not show who provided the care; upload one that does."),
    "MISSING_DESCRIPTION": lambda: _("The receipt does not show what was bought or done; upload an itemized one."),
    "MISSING_AMOUNT": lambda: _("The receipt does not show the amount you paid; upload one that does."),
    "UNREADABLE_EVIDENCE": lambda: _("A document could not be read; upload a clearer copy or a PDF."),
}
DENIED = {
    "SERVICE_DATE_OUTSIDE_PLAN_YEAR": lambda: _("The date of service is outside the plan year."),
    "SERVICE_AFTER_FINAL_SERVICE_DATE": lambda: _("The service took place after the last eligible service date."),
    "SUBMITTED_AFTER_DEADLINE": lambda: _("The claim was sent after the plan's final filing date."),
}


@dataclass(frozen=True)
class Line:
    day: date | None
    description: str
    code: str
    amount: Decimal | None
    eligible: bool | None


@dataclass(frozen=True)
class ReviewWords:
    headline: str
    detail: str
    recommendation: str = ""  # Silver's, for HR ("approve"...), "" while open
    checks: tuple[tuple[str, bool | None], ...] = ()
    out_of_pocket: Decimal | None = None
    lines: tuple[Line, ...] = field(default=())
    needs_member: bool = False  # the member has something to do
    open: bool = False  # sent, no result yet: the member's page asks again (see claims.views)


def _reason(results: AdjudicationResults, table: dict[str, Any]) -> str:
    code = results.deny_code or ""
    if code in table:
        return str(table[code]())
    return results.deny_text or ""


def _parsed(result: dict[str, Any] | None) -> SilverClaim | None:
    if not result:
        return None
    try:
        return SilverClaim.from_json(result)
    except MalformedResponseError:
        return None


def _lines(claim: SilverClaim) -> tuple[Line, ...]:
    out = []
    for _category, document in claim.documents:
        for item in document.lines:
            day = item.service_date or document.purchased_at or _day(document.model_extra or {})
            out.append(Line(day, item.label, item.code, item.line_item_price, item.eligible))
    return tuple(out)


def _day(extra: dict[str, Any]) -> date | None:
    raw = extra.get("service_date")
    try:
        return date.fromisoformat(str(raw)[:10]) if raw else None
    except ValueError:
        return None


def review_words(state: str, result: dict[str, Any] | None, *, admin: bool, claimed: Decimal) -> ReviewWords:
    """The review as the member (admin False) or HR reads it."""
    if state in ("queued", "submitted"):
        return ReviewWords(
            _("Sent for automated review"),
            _("The receipt is being checked against the claim. This usually takes a minute.")
            if not admin
            else _("Silver is reviewing the evidence; its recommendation will show here."),
            open=True,
        )
    claim = _parsed(result)
    if state == "failed" or claim is None or claim.adjudication_results is None:
        return ReviewWords(
            _("Automated review not available"),
            _("The receipt could not be sent for automated review. It will be reviewed by hand.")
            if not admin
            else _("The claim could not be sent to Silver. Review the receipts by hand."),
        )
    results = claim.adjudication_results
    recommendation = results.silver_recommendation.value
    out_of_pocket = results.out_of_pocket_total
    checks = (
        (_("Service dates within the plan year"), results.valid_service_date),
        (_("Claimed amount matches the evidence"), results.valid_total_amount),
    )
    common: dict[str, Any] = {
        "recommendation": recommendation,
        "checks": checks,
        "out_of_pocket": out_of_pocket,
        "lines": _lines(claim),
    }
    if recommendation == "approve":
        if admin:
            return ReviewWords(_("Silver recommends approving"), _("Every check passed."), **common)
        return ReviewWords(
            # No promise of approval: the plan decides (and may have decided already; its decision is
            # the status above, which this panel must never contradict).
            _("Your receipt checks out"),
            _("The automated review found everything a receipt must show. The decision is your plan's."),
            **common,
        )
    if recommendation == "request_more_information":
        reason = _reason(results, MISSING) or _(
            "Upload an itemized receipt that shows the date, the provider, the patient, what was bought and the amount."
        )
        if admin:
            return ReviewWords(_("Silver asks for more information"), reason, **common)
        return ReviewWords(_("Your receipt is missing something"), reason, needs_member=True, **common)
    if recommendation == "deny":
        reason = _reason(results, DENIED) or _("The evidence does not support the claim.")
        if admin:
            return ReviewWords(_("Silver recommends denying"), reason, **common)
        return ReviewWords(
            _("The automated review found a problem"),
            reason + " " + _("Your plan will decide and tell you."),
            **common,
        )
    if recommendation == "not_needed":
        return ReviewWords(_("No review needed"), _("Nothing in this claim needs an automated review."), **common)
    if recommendation == "needs_review":
        if admin:
            found = (
                _("The evidence shows %(found)s; the claim is for %(claimed)s.")
                % {"found": f"${out_of_pocket:,.2f}", "claimed": f"${claimed:,.2f}"}
                if out_of_pocket is not None and out_of_pocket != claimed
                else _("Part of the evidence was hard to read.")
            )
            return ReviewWords(_("Silver asks for a person to review it"), found, **common)
        return ReviewWords(
            _("Your receipt is with your plan for a closer look"),
            _("The amounts differ or part of it was hard to read. There is nothing to do for now."),
            **common,
        )
    return ReviewWords(
        _("Reviewed"),
        _("The automated review answered in a way the portal does not know yet (%(value)s).")
        % {"value": recommendation},
        **common,
    )
