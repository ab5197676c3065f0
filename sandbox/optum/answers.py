"""What the sandbox's Optum answers, as one ``x12.StatusReport`` per question: served as Optum's
JSON (``x12.report_to_optum``) on the JSON endpoint and as a real 277 (``x12.build_277``) on
``raw-x12``, so the two endpoints say the same. Pure: no Django, no HTTP, no database.

Optum's own canned answers, chosen by ``tradingPartnerServiceId`` (research §1.6):

- ``00001``: response not possible, error on the submitted request data (E0:21).
- ``000002``: a dependent's claim, denied (F2:88, entity QC: the patient was not covered then).
- ``00003``: accepted and paid (F1:65): the submitted amount (100.00 when none) paid at 80%.
- ``00004``: rejected for invalid information (A7:21).

Each echoes the question's providers, subscriber, dependent, trace number and dates. The demo
payers' answers come from ``sandbox.insurers`` (the view picks the claims and passes them here).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from x12 import ClaimStatus, PayerInfo, ProviderId, StatusReport, StatusRequest, Stc

CANNED_PAYERS: dict[str, str] = {
    "00001": "Optum Sandbox Payer One",
    "000002": "Optum Sandbox Payer Two",
    "00003": "Optum Sandbox Payer Three",
    "00004": "Optum Sandbox Payer Four",
}


def _period(request: StatusRequest) -> tuple[date | None, date | None]:
    start = request.encounter.beginning_date_of_service
    end = request.encounter.end_date_of_service
    return start, (end if end and end != start else None)


def _claim(request: StatusRequest, stc: Stc) -> ClaimStatus:
    start, end = _period(request)
    return ClaimStatus(
        tracking_number=request.encounter.tracking_number or "",
        statuses=[stc],
        patient_account_number=request.encounter.patient_account_number or "",
        service_date_from=start,
        service_date_to=end,
    )


def canned(request: StatusRequest, today: date) -> ClaimStatus | None:
    """Optum's canned answer for a canned payer id, else None."""
    amount = request.encounter.submitted_amount
    match request.payer_id:
        case "00001":
            return _claim(request, Stc(category="E0", code="21", effective_date=today))
        case "000002":
            return _claim(
                request,
                Stc(
                    category="F2",
                    code="88",
                    entity="QC",
                    effective_date=today,
                    submitted_amount=amount,
                    amount_paid=Decimal("0.00"),
                    paid_date=today,
                ),
            )
        case "00003":
            billed = amount if amount is not None else Decimal("100.00")
            paid = (billed * Decimal("0.8")).quantize(Decimal("0.01"))
            claim = _claim(
                request,
                Stc(
                    category="F1",
                    code="65",
                    effective_date=today,
                    submitted_amount=billed,
                    amount_paid=paid,
                    paid_date=today - timedelta(days=2),
                    payment_method="CHK",
                    check_issue_date=today,
                    check_number="000000003",
                ),
            )
            claim.payer_claim_number = "SANDBOX00003"
            return claim
        case "00004":
            return _claim(request, Stc(category="A7", code="21", effective_date=today))
    return None


def not_found(request: StatusRequest, today: date) -> ClaimStatus:
    """The insurer has no such claim (A4:35)."""
    return _claim(request, Stc(category="A4", code="35", effective_date=today))


def wrong_member(request: StatusRequest, today: date) -> ClaimStatus:
    """No member with this name and member id (A7:33, entity IL: rejected for invalid information)."""
    return _claim(request, Stc(category="A7", code="33", entity="IL", effective_date=today))


def report(request: StatusRequest, claims: list[ClaimStatus], *, payer_name: str, phone: str = "") -> StatusReport:
    """The 277's content: the payer, the question's providers and people, and the claims."""
    billing = [p for p in request.providers if p.provider_type == "BillingProvider"]
    services = [p for p in request.providers if p.provider_type == "ServiceProvider"]
    receiver = billing[0] if billing else None
    if not services and receiver is not None:
        # A 277 puts every claim under a provider of service (HL 19): the billing one when only it
        # was named.
        services = [ProviderId(provider_type="ServiceProvider", **_names(receiver))]
    subscriber = request.subscriber
    dependent = request.dependent
    for claim in claims:
        claim.subscriber, claim.dependent = subscriber, dependent
        if claim.provider is None and services:
            claim.provider = services[0]  # where the 277 places it, so the JSON says the same
    return StatusReport(
        payer=PayerInfo(name=payer_name, id=request.payer_id or "", phone=phone),
        receiver=receiver,
        providers=services,
        subscriber=subscriber,
        dependent=dependent,
        claims=claims,
    )


def _names(provider: ProviderId) -> dict[str, str | None]:
    return {
        "organization_name": provider.organization_name,
        "last_name": provider.last_name,
        "first_name": provider.first_name,
        "npi": provider.npi,
        "tin": provider.tax_id or provider.tin,
    }
