"""The demo insurers' own records of alice's claims: what the sandbox's Optum answers for the demo
payers (issue 18). Built from alice's Medical, Dental and Vision claims in ``sandbox.seed``
(provider, date of service, amount, patient), so a member checking a seeded claim finds it.
The Integrex sandbox keeps its own store; this one is Optum's.

Her cards (the contract's demo table): Summit Health Plan ``SUMMT`` (medical, SHP448812301,
group ACME-4410), Evergreen Dental Benefits ``EVGDN`` (dental, EDB20931877, ACME-D22), Lakeside
Vision Plan ``LKVSN`` (vision, LVP7730192, ACME-V1). alice is the subscriber; her son Minh is the
patient (the dependent) on the pediatrician's claim.

A question matches a claim by payer id + member id + patient name + date of service within ±7
days (+ the billed amount when given). What each claim's insurer says (``OUTCOMES``):

Evergreen Dental (Bright Smiles Dental):
- Fillings $210.00: finalized, paid in part (F1:65): $138.00 paid, alice's share $72.00; lines
  D0220 ($40.00, paid $32.00) and D2391 ($170.00, paid $106.00).
- Routine Cleaning $95.00: pending, in process (P1:20).
- Coinsurance $260.00: denied (F2:84, care not approved ahead of time); line D2740 denied the same.
- Orthodontics $1,500.00 (last year): finalized as an adjustment (F3:101), $1,000.00 paid; line
  D8080 paid (F1:65), line D8670 denied as a duplicate (F2:54).
Summit Health (medical):
- Riverside Pediatrics $150.00 (Minh): paid $120.00 (F1:65), line 99213.
- Quest Diagnostics $87.40 and OHSU Hospital $420.00: finalized, no payment, all went to the
  deductible (F4:98).
- Providence Urgent Care $75.00: received, accepted into adjudication (A2:20).
- Cascade Physical Therapy $180.00: pending, under the insurer's review (P2:46).
- Align Chiropractic $135.00: pending, in process (P1:20).
- Pearl District Med Spa $500.00: denied by the plan's terms (F2:8), line 15780.
- OHSU Hospital $1,840.00 paid $1,472.00; Providence $150.00 paid $100.00 (line 99214);
  ZoomCare $115.00 paid in full; Legacy Good Samaritan $750.00 paid $500.00; last year's OHSU
  $960.00 paid $768.00 and Cascade $360.00 paid in full (all F1:65).
- Lakeshore Family Medicine $240.00 and Fit Portland $420.00: **not on file** (the insurer
  answers A4:35, claim not found).
Lakeside Vision: ClearView Glasses $289.00 received (A1:19); 1-800 Contacts $320.00 denied
(F2:8); last year's ClearView Eye Exam $180.00 paid $150.00.

A demo payer's question with a member id that is not alice's card for that payer is rejected for
invalid information (A7:33, entity IL: no member with this name and id), as a payer's 277 says it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from x12 import ClaimStatus, ServiceLineStatus, Stc


@dataclass(frozen=True)
class Card:
    payer_id: str
    payer_name: str
    member_id: str
    group_number: str
    phone: str
    coverage: str  # the seed's claim category it pays


CARDS: dict[str, Card] = {
    "SUMMT": Card("SUMMT", "Summit Health Plan", "SHP448812301", "ACME-4410", "8005550141", "Medical"),
    "EVGDN": Card("EVGDN", "Evergreen Dental Benefits", "EDB20931877", "ACME-D22", "8005550177", "Dental"),
    "LKVSN": Card("LKVSN", "Lakeside Vision Plan", "LVP7730192", "ACME-V1", "8005550190", "Vision"),
}

SUBSCRIBER = ("Alice", "Nguyen", date(1988, 4, 12), "F")
CHILD = ("Minh", "Nguyen", date(2019, 6, 3), "M")


@dataclass(frozen=True)
class LineOutcome:
    qualifier: str  # AD (dental CDT), HC (CPT/HCPCS)
    code: str
    charged: Decimal
    paid: Decimal
    category: str
    status: str


@dataclass(frozen=True)
class Outcome:
    category: str  # X12 claim status category (507)
    code: str  # claim status code (508)
    entity: str = ""
    paid: Decimal | None = None  # None: not adjudicated yet
    lines: tuple[LineOutcome, ...] = ()

    @property
    def finalized(self) -> bool:
        return self.category.startswith("F")


def _line(qualifier: str, code: str, charged: str, paid: str, category: str, status: str) -> LineOutcome:
    return LineOutcome(qualifier, code, Decimal(charged), Decimal(paid), category, status)


def _paid(amount: str, *lines: LineOutcome) -> Outcome:
    return Outcome("F1", "65", paid=Decimal(amount), lines=lines)


OUTCOMES: dict[tuple[str, str], Outcome] = {
    # dental
    ("Bright Smiles Dental", "210.00"): _paid(
        "138.00",
        _line("AD", "D0220", "40.00", "32.00", "F1", "65"),
        _line("AD", "D2391", "170.00", "106.00", "F1", "65"),
    ),
    ("Bright Smiles Dental", "95.00"): Outcome("P1", "20"),
    ("Bright Smiles Dental", "260.00"): Outcome(
        "F2", "84", paid=Decimal("0.00"), lines=(_line("AD", "D2740", "260.00", "0.00", "F2", "84"),)
    ),
    ("Bright Smiles Dental", "1500.00"): Outcome(
        "F3",
        "101",
        paid=Decimal("1000.00"),
        lines=(
            _line("AD", "D8080", "1000.00", "1000.00", "F1", "65"),
            _line("AD", "D8670", "500.00", "0.00", "F2", "54"),
        ),
    ),
    # medical
    ("Riverside Pediatrics", "150.00"): _paid("120.00", _line("HC", "99213", "150.00", "120.00", "F1", "65")),
    ("Quest Diagnostics", "87.40"): Outcome("F4", "98", paid=Decimal("0.00")),
    ("OHSU Hospital", "420.00"): Outcome("F4", "98", paid=Decimal("0.00")),
    ("Providence Urgent Care", "75.00"): Outcome("A2", "20"),
    ("Cascade Physical Therapy", "180.00"): Outcome("P2", "46"),
    ("Align Chiropractic", "135.00"): Outcome("P1", "20"),
    ("Pearl District Med Spa", "500.00"): Outcome(
        "F2", "8", paid=Decimal("0.00"), lines=(_line("HC", "15780", "500.00", "0.00", "F2", "8"),)
    ),
    ("OHSU Hospital", "1840.00"): _paid("1472.00"),
    ("Providence Urgent Care", "150.00"): _paid("100.00", _line("HC", "99214", "150.00", "100.00", "F1", "65")),
    ("ZoomCare", "115.00"): _paid("115.00"),
    ("Legacy Good Samaritan", "750.00"): _paid("500.00"),
    ("OHSU Hospital", "960.00"): _paid("768.00"),
    ("Cascade Physical Therapy", "360.00"): _paid("360.00"),
    # vision
    ("ClearView Eye Care", "289.00"): Outcome("A1", "19", entity="PR"),
    ("1-800 Contacts", "320.00"): Outcome("F2", "8", paid=Decimal("0.00")),
    ("ClearView Eye Care", "180.00"): _paid("150.00"),
}


@dataclass(frozen=True)
class InsurerClaim:
    payer_id: str
    member_id: str
    patient: tuple[str, str, date, str]  # first, last, date of birth, gender
    dependent: bool  # the patient is not the subscriber
    provider: str
    service_day: date
    billed: Decimal
    outcome: Outcome
    payer_claim_number: str

    @property
    def decided_on(self) -> date:
        return self.service_day + timedelta(days=9)

    @property
    def received_on(self) -> date:
        return self.service_day + timedelta(days=2)


def service_day(today: date, days_ago: int, last_year: bool) -> date:
    """The seed's date of service for a claim spec (as ``sandbox.seed.Seeder._claims``)."""
    if last_year:
        return date(today.year - 1, 12, 28) - timedelta(days=days_ago)
    return today - timedelta(days=days_ago)


def store(today: date | None = None) -> tuple[InsurerClaim, ...]:
    """Every claim the demo insurers hold, from the seed's specs of alice's claims."""
    from django.utils import timezone

    from sandbox.seed import ALICE
    from sandbox.seed import CHILD as CHILD_NAME

    today = today or timezone.localdate()
    by_coverage = {card.coverage: card for card in CARDS.values()}
    claims = []
    for index, spec in enumerate(ALICE):
        card = by_coverage.get(spec.category)
        outcome = OUTCOMES.get((spec.provider, spec.amount))
        if card is None or outcome is None:
            continue  # not insured care (pharmacy, daycare), or a claim this insurer never got
        day = service_day(today, spec.days_ago, spec.last_year)
        is_child = spec.patient == CHILD_NAME
        claims.append(
            InsurerClaim(
                payer_id=card.payer_id,
                member_id=card.member_id,
                patient=CHILD if is_child else SUBSCRIBER,
                dependent=is_child,
                provider=spec.provider,
                service_day=day,
                billed=Decimal(spec.amount),
                outcome=outcome,
                payer_claim_number=f"{card.payer_id}{day:%y%m%d}{index:04d}",
            )
        )
    return tuple(claims)


def find(
    payer_id: str,
    member_id: str,
    first_name: str,
    last_name: str,
    day: date,
    amount: Decimal | None = None,
    *,
    today: date | None = None,
) -> list[InsurerClaim]:
    """The claims matching a question: payer, member id, patient's name, date of service ±7 days,
    and the amount billed when given."""

    def same(a: str, b: str) -> bool:
        return a.strip().casefold() == b.strip().casefold()

    return [
        claim
        for claim in store(today)
        if claim.payer_id == payer_id
        and claim.member_id == member_id.strip()
        and same(claim.patient[0], first_name)
        and same(claim.patient[1], last_name)
        and abs((claim.service_day - day).days) <= 7
        and (amount is None or claim.billed == amount)
    ]


def claim_status(claim: InsurerClaim, tracking_number: str, today: date | None = None) -> ClaimStatus:
    """The claim as the insurer's 277 states it (loop 2200D/E with its service lines)."""
    outcome = claim.outcome
    decided = outcome.paid is not None
    when = claim.decided_on if decided else claim.received_on
    if today is not None:
        when = min(when, today)
    first = Stc(
        category=outcome.category,
        code=outcome.code,
        entity=outcome.entity,
        effective_date=when,
        submitted_amount=claim.billed,
        amount_paid=outcome.paid if decided else None,
        paid_date=when if decided else None,
    )
    if decided and outcome.paid:
        first.payment_method = "CHK"
        first.check_issue_date = when
        first.check_number = f"CHK{claim.payer_claim_number[-8:]}"
    lines = [
        ServiceLineStatus(
            qualifier=line.qualifier,
            procedure_code=line.code,
            submitted_amount=line.charged,
            amount_paid=line.paid,
            units=Decimal("1"),
            statuses=[Stc(category=line.category, code=line.status, effective_date=when)],
            service_date_from=claim.service_day,
        )
        for line in outcome.lines
    ]
    return ClaimStatus(
        tracking_number=tracking_number,
        statuses=[first],
        payer_claim_number=claim.payer_claim_number,
        service_date_from=claim.service_day,
        service_lines=lines,
    )
