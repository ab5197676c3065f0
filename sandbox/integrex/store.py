"""The sandbox Integrex's insurer: Lakeside Vision Plan (payer id LKVSN), whose claims are made from
alice's Vision claims in ``sandbox.seed.ALICE`` (same provider, date of service and amount, so a
claim in the portal finds its insurer twin).

Matching (as the Optum sandbox's, see the helpers' contract): payer id, then member id, then the
patient's name and a date of service within ±7 days, and the billed amount when one is sent.

- ClearView Eye Care, Eye Exam, 180.00 (last plan year): F1/65 paid 120.00 in three lines: the
  exam with a 20.00 copay (CARC 3); a refraction the plan does not cover, 35.00 (payer remark
  LV-RFR, RARC N130, CARC 96); photos with 5.00 coinsurance (CARC 2). Check 004417, cashed.
  Her share: 60.00 = billed - paid.
- 1-800 Contacts, Contact Lenses, 320.00: F2/1 denied, both lines not covered (payer remark
  LV-FREQ, RARC N130 or N362, CARC 119: the benefit maximum for the period was reached).
- ClearView Eye Care, Glasses, 289.00 (4 days ago): A4/35 not found (the optician has not billed
  the plan yet); so is anything else asked of LKVSN.
- LKVSN with another member id: A7/29 rejected (the member id and the subscriber do not match).
- Any other payer id: D0/35 (no status found).

The descriptions are the sandbox's own words (the official code texts are X12's copyright).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

PAYER_ID = "LKVSN"
PAYER_NAME = "LAKESIDE VISION PLAN"
PAYER_PHONE = "8005550147"
MEMBER_ID = "LVP7730192"
MATCH_DAYS = 7

CATEGORY_TEXT = {
    "A4": "Acknowledgement/Not found: the claim is not in the payer's system",
    "A7": "Acknowledgement/Rejected for invalid information",
    "D0": "Data search unsuccessful: no status for the requested claim",
    "F1": "Finalized/Payment: the claim or line was paid",
    "F2": "Finalized/Denial: the claim or line was denied",
}
STATUS_TEXT = {
    "1": "See the remittance advice for details",
    "29": "The subscriber and the member id do not match",
    "35": "Claim not found",
    "65": "Claim or line paid",
}


@dataclass(frozen=True)
class LineSpec:
    code: str
    charge: str
    allowed: str | None = None
    copay: str | None = None
    coinsurance: str | None = None
    non_covered: str | None = None
    units: int = 1
    reasons: tuple[tuple[str, str], ...] = ()  # (code, text) for reasonSourceCd1..3: payer, RARC, CARC


@dataclass(frozen=True)
class Outcome:
    category: str
    status: str
    lines: tuple[LineSpec, ...] = ()
    paid: str | None = None
    check_number: str = ""
    claim_number: str = ""
    received_after: int = 3  # days after the date of service
    adjudicated_after: int | None = None
    check_cashed_after: int | None = None
    notes: dict[str, str] = field(default_factory=dict)


_NONE = ("", "")
_COPAY = ("3", "Your copay.")
_COINSURANCE = ("2", "Your coinsurance: 20% of the allowed amount.")
_REFRACTION = (
    ("LV-RFR", "Refraction is not part of this vision plan's exam benefit."),
    ("N130", "The plan's benefit booklet explains what this service covers."),
    ("96", "Not covered by this plan."),
)
_CONTACTS = (
    ("LV-FREQ", "Contact lenses are covered once every 12 months; this benefit was already used."),
    ("N362", "More units than the plan allows for this period."),
    ("119", "The benefit maximum for this period has been reached."),
)
_FITTING = (_CONTACTS[0], _REFRACTION[1], _CONTACTS[2])

OUTCOMES: dict[tuple[str, str], Outcome] = {
    ("ClearView Eye Care", "Eye Exam"): Outcome(
        "F1",
        "65",
        lines=(
            LineSpec("92014", "120.00", allowed="120.00", copay="20.00", reasons=(_NONE, _NONE, _COPAY)),
            LineSpec("92015", "35.00", allowed="0.00", non_covered="35.00", reasons=_REFRACTION),
            LineSpec("92250", "25.00", allowed="25.00", coinsurance="5.00", reasons=(_NONE, _NONE, _COINSURANCE)),
        ),
        paid="120.00",
        check_number="004417",
        claim_number="LV25C0091442",
        adjudicated_after=12,
        check_cashed_after=20,
    ),
    ("1-800 Contacts", "Contact Lenses"): Outcome(
        "F2",
        "1",
        lines=(
            LineSpec("92310", "80.00", allowed="0.00", non_covered="80.00", reasons=_FITTING),
            LineSpec("V2520", "240.00", allowed="0.00", non_covered="240.00", units=2, reasons=_CONTACTS),
        ),
        paid="0.00",
        claim_number="LV26C0104218",
        received_after=4,
        adjudicated_after=15,
    ),
    ("ClearView Eye Care", "Glasses"): Outcome("A4", "35"),
}


@dataclass(frozen=True)
class InsurerClaim:
    provider: str
    patient: str
    service_day: date
    amount: Decimal
    outcome: Outcome


def insurer_claims(today: date) -> list[InsurerClaim]:
    """Lakeside Vision Plan's claims for alice, dated as ``sandbox.seed`` dates her claims."""
    from sandbox.seed import ALICE

    found = []
    for spec in ALICE:
        outcome = OUTCOMES.get((spec.provider, spec.expense_type))
        if spec.category != "Vision" or outcome is None:
            continue
        # sandbox.seed.Seeder._claims's dates, restated: the seeder keeps no function for them.
        day = today - timedelta(days=spec.days_ago)
        if spec.last_year:
            day = date(today.year - 1, 12, 28) - timedelta(days=spec.days_ago)
        found.append(InsurerClaim(spec.provider, spec.patient or "Alice Nguyen", day, Decimal(spec.amount), outcome))
    return found


def answer(query: dict[str, Any], *, today: date) -> list[dict[str, Any]]:
    """The GET answer's rows (one per service line; the claim's fields repeated on each) for a
    validated query (``ClaimInfoIn.model_dump()``)."""
    base = {
        "internalAccountNumber": query.get("trackingId1") or "",
        "internalAccountNumber2": query.get("trackingId2") or "",
        "patientLastName": query["patientLastName"],
        "patientFirstName": query["patientFirstName"],
        "subID": query["subscriberId"],
        "billingEntityName": query.get("billingProviderName") or "",
        "responseDate": today,
        "payerID": query["payerId"],
        "dateOfService": query["admitDate"],
        "chargeAmt": _money(query.get("totalCharges")),
    }
    if query["payerId"].upper() != PAYER_ID:
        return [_status_only(base, "D0", "35")]
    base["payerContactName"], base["payerContactPhone"] = PAYER_NAME, PAYER_PHONE
    if query["subscriberId"].strip().upper() != MEMBER_ID:
        return [_status_only(base, "A7", "29")]
    claim = _match(query, today)
    if claim is None or claim.outcome.category == "A4":
        return [_status_only(base, "A4", "35")]
    return _rows(base, claim)


def _match(query: dict[str, Any], today: date) -> InsurerClaim | None:
    patient = f"{query['patientFirstName']} {query['patientLastName']}".casefold().split()
    asked: date = query["admitDate"]
    amount: Decimal | None = query.get("totalCharges")
    for claim in insurer_claims(today):
        if claim.patient.casefold().split() != patient or abs((claim.service_day - asked).days) > MATCH_DAYS:
            continue
        if amount is not None and amount != claim.amount:
            continue
        return claim
    return None


def _status_only(base: dict[str, Any], category: str, status: str) -> dict[str, Any]:
    return {
        **base,
        "categoryCode": category,
        "statusCode": status,
        "categoryDescription": CATEGORY_TEXT[category],
        "statusDescription": STATUS_TEXT[status],
        "integrexId": "",
    }


def _rows(base: dict[str, Any], claim: InsurerClaim) -> list[dict[str, Any]]:
    outcome, day = claim.outcome, claim.service_day
    adjudicated = day + timedelta(days=outcome.adjudicated_after) if outcome.adjudicated_after is not None else None
    check_date = adjudicated + timedelta(days=2) if adjudicated and outcome.check_number else None
    cashed = day + timedelta(days=outcome.check_cashed_after) if outcome.check_cashed_after else None
    common = {
        **base,
        "dateOfService": day,
        "payerClmNo": outcome.claim_number,
        "claimReceiptDate": day + timedelta(days=outcome.received_after),
        "chargeAmt": _money(claim.amount),
        "paymentAmt": outcome.paid,
        "adjudicationDate": adjudicated,
        "checkDate": check_date,
        "checkNumber": outcome.check_number,
        "categoryCode": outcome.category,
        "statusCode": outcome.status,
        "categoryDescription": CATEGORY_TEXT[outcome.category],
        "statusDescription": STATUS_TEXT[outcome.status],
        "checkStatus": ("Cashed" if cashed else "Issued") if outcome.check_number else "",
        "dateCheckCashed": cashed,
        "authorizationCaseId": "",
        "authorizationDescription": "",
        "integrexId": f"IGX{outcome.claim_number[-6:]}",
    }
    rows = []
    for number, line in enumerate(outcome.lines, start=1):
        row = {
            **common,
            "svcLine": number,
            "procedureCdQual": "HC",
            "procedureCd": line.code,
            "revenueCd": "",
            "svcLnQty": line.units,
            "allowedAmount": _float(line.allowed),
            "coInsuranceAmount": _float(line.coinsurance),
            "coPaymentAmount": _float(line.copay),
            "nonCoveredAmount": _float(line.non_covered),
        }
        for i, (code, text) in enumerate((*line.reasons, ("", ""), ("", ""), ("", ""))[:3], start=1):
            row[f"reasonSourceCd{i}"], row[f"reasonSourceCdDescTxt{i}"] = code, text
        rows.append(row)
    return rows


def _money(amount: Decimal | str | None) -> str:
    return f"{Decimal(amount):.2f}" if amount is not None else ""


def _float(amount: str | None) -> float | None:
    """The seed types these as Float: sent as JSON numbers (the portal reads them exactly)."""
    return float(amount) if amount is not None else None
