"""Seeded random reports and requests (deterministic): every one survives build -> parse and the
Optum JSON round trip unchanged. Catches the combinations no hand-written case thinks of."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

import x12

WORDS = ["SUMMIT", "EVERGREEN", "LAKESIDE", "BRIGHT SMILES", "NGUYEN", "LEE", "O'NEIL", "SMITH-JONES", "ÅSA"]
CATEGORIES = ["A1", "A2", "A4", "A7", "P1", "P3", "F0", "F1", "F2", "F3", "F3F", "E0", "R4", "D0"]


def _text(rng: random.Random, empty: str | None = "") -> str | None:
    return rng.choice([empty, rng.choice(WORDS), f"{rng.choice(WORDS)} {rng.randint(1, 99)}"])


def _day(rng: random.Random) -> date | None:
    return rng.choice([None, date(2023, 1, 1) + timedelta(days=rng.randint(0, 700))])


def _money(rng: random.Random) -> Decimal | None:
    return rng.choice([None, Decimal(rng.randint(0, 99999)) / 100, Decimal(rng.randint(0, 500))])


def _stc(rng: random.Random, amounts: bool) -> x12.Stc:
    triples = [
        x12.StatusTriple(rng.choice(CATEGORIES), str(rng.randint(0, 800)), rng.choice(["", "QC", "PR", "85"]))
        for _ in range(rng.randint(0, 2))
    ]
    return x12.Stc(
        rng.choice(CATEGORIES),
        rng.choice(["", str(rng.randint(0, 800))]),
        rng.choice(["", "QC", "1P", "PR"]),
        rng.choice(["", "", "RX"]),
        effective_date=_day(rng),
        action_code=rng.choice(["", "WQ", "U"]),
        submitted_amount=_money(rng) if amounts else None,
        amount_paid=_money(rng) if amounts else None,
        paid_date=_day(rng) if amounts else None,
        payment_method=rng.choice(["", "CHK", "ACH"]) if amounts else "",
        check_issue_date=_day(rng) if amounts else None,
        check_number=rng.choice(["", "EFT0001"]) if amounts else "",
        message=rng.choice(["", "CLAIM RECEIVED", "SEE REMITTANCE ADVICE"]),
        secondary=triples,
    )


def _party(rng: random.Random, member: bool) -> x12.Party:
    return x12.Party(
        member_id=f"M{rng.randint(1, 10**9)}" if member else None,
        first_name=_text(rng, None),
        last_name=rng.choice(WORDS),
    )


def _provider(rng: random.Random, kind: str) -> x12.ProviderId:
    if rng.random() < 0.5:
        return x12.ProviderId(kind, organization_name=rng.choice(WORDS), npi=str(rng.randint(10**9, 2 * 10**9)))  # type: ignore[arg-type]
    # An NM1 holds one id; FI reads back as tax_id for the billing provider, tin for a service provider.
    ids = {"tax_id": "123456789"} if kind == "BillingProvider" else {"tin": "123456789"}
    return x12.ProviderId(kind, last_name=rng.choice(WORDS), first_name=rng.choice(WORDS), **ids)  # type: ignore[arg-type]


def _report(seed: int) -> x12.StatusReport:
    rng = random.Random(seed)
    providers = [_provider(rng, "ServiceProvider") for _ in range(rng.randint(0, 3))]
    subscribers = [_party(rng, True) for _ in range(rng.randint(1, 3))]
    claims = []
    for _ in range(rng.randint(0, 6)):
        start = _day(rng)
        line_count = rng.randint(0, 3)
        claims.append(
            x12.ClaimStatus(
                tracking_number=f"T{rng.randint(1, 10**6)}",
                statuses=[_stc(rng, True)] + [_stc(rng, False) for _ in range(rng.randint(0, 2))],
                payer_claim_number=_text(rng) or "",
                patient_account_number=rng.choice(["", "PA1"]),
                clearinghouse_claim_number=rng.choice(["", "CH9"]),
                service_date_from=start,
                service_date_to=(start + timedelta(days=rng.randint(0, 3))) if start and rng.random() < 0.5 else None,
                service_lines=[
                    x12.ServiceLineStatus(
                        qualifier=rng.choice(["HC", "AD", "NU"]),
                        procedure_code=rng.choice(["99213", "D1110", "0450"]),
                        modifiers=tuple(rng.sample(["25", "59", "GT", "TC"], rng.randint(0, 3))),
                        submitted_amount=_money(rng),
                        amount_paid=_money(rng),
                        revenue_code=rng.choice(["", "0450"]),
                        units=rng.choice([None, Decimal(1), Decimal("2.5")]),
                        statuses=[_stc(rng, False) for _ in range(rng.randint(0, 2))],
                        line_item_control_number=rng.choice(["", "L1"]),
                        service_date_from=_day(rng),
                    )
                    for _ in range(line_count)
                ],
                subscriber=rng.choice(subscribers),
                dependent=rng.choice([None, None, _party(rng, False)]),
                billing_type=rng.choice(["", "111"]),
                pharmacy_prescription_number=rng.choice(["", "RX1"]),
                provider=rng.choice(providers) if providers else None,
            )
        )
    return x12.StatusReport(
        payer=x12.PayerInfo(
            name=rng.choice(WORDS), id=f"P{rng.randint(1, 99999)}", contact_name=_text(rng) or "", phone="8005550100"
        ),
        receiver=rng.choice([None, _provider(rng, "BillingProvider")]),
        providers=providers,
        subscriber=claims[0].subscriber if claims else None,
        dependent=claims[0].dependent if claims else None,
        claims=claims,
        receiver_statuses=[_stc(rng, False) for _ in range(rng.randint(0, 1))],
        provider_statuses=[_stc(rng, False) for _ in range(rng.randint(0, 1))] if providers else [],
        receiver_tracking_number=rng.choice(["", "R1"]),
        provider_tracking_number=rng.choice(["", "P1"]) if providers else "",
    )


def _differences(left: object, right: object, path: str = "") -> list[str]:
    """Where two reports differ, field by field (a readable failure instead of two long reprs)."""
    if hasattr(left, "__slots__") and type(left) is type(right):
        found = []
        for name in left.__slots__:
            found += _differences(getattr(left, name), getattr(right, name), f"{path}.{name}")
        return found
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        found = []
        for i, (a, b) in enumerate(zip(left, right, strict=True)):
            found += _differences(a, b, f"{path}[{i}]")
        return found
    return [] if left == right else [f"{path}: {left!r} != {right!r}"]


@pytest.mark.parametrize("seed", range(150))
def test_random_reports_round_trip(seed: int) -> None:
    report = _report(seed)
    parsed = x12.parse_277(x12.build_277(report, control_number=str(seed + 1)))
    assert parsed.warnings == []
    assert _differences(parsed.reports[0], report) == []
    assert parsed.reports == [report]
    assert x12.report_from_optum(x12.report_to_optum(report)) == report


@pytest.mark.parametrize("seed", range(60))
def test_random_requests_round_trip(seed: int) -> None:
    rng = random.Random(seed)
    start = _day(rng) or date(2024, 5, 1)
    dependent = rng.choice([None, x12.Party(None, rng.choice(WORDS), rng.choice(WORDS), "F", _day(rng))])
    request = x12.StatusRequest(
        control_number=f"{rng.randint(1, 999999999):09d}",
        payer_id=rng.choice(["SUMMT", "EVGDN", "00003"]),
        payer_name=_text(rng, None),
        providers=(
            _provider(rng, "BillingProvider"),
            x12.ProviderId("ServiceProvider", organization_name=rng.choice(WORDS), npi="1760854442"),
        ),
        subscriber=x12.Party(
            f"M{rng.randint(1, 10**9)}", rng.choice(WORDS), rng.choice(WORDS), rng.choice([None, "M"]), _day(rng)
        ),
        dependent=dependent,
        encounter=x12.Encounter(
            beginning_date_of_service=start,
            end_date_of_service=rng.choice([None, start + timedelta(days=2)]),
            tracking_number=f"TRK{seed}",
            trading_partner_claim_number=rng.choice([None, "PCN1"]),
            patient_account_number=rng.choice([None, "PA1"]),
            submitted_amount=_money(rng),
            service_line=rng.choice(
                [None, x12.ServiceLine("AD", "D1110", ("TC",), Decimal("95.5"), None, Decimal(1), "L9", start)]
            ),
        ),
    )
    (again,) = x12.parse_276(x12.build_276(request)).requests
    assert again == request
    assert x12.StatusRequest.from_optum(request.to_optum()) == request
