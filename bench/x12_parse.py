#!/usr/bin/env python
"""How fast ``x12`` reads 277s compared with pyx12 (prints figures).

One run, the same documents for both: the four public 277 samples (tests/x12/data) repeated
``--repeat`` times plus ``--generated`` generated 277s of ``--claims`` claims each, all held in
memory as text. This library parses each into typed results (``x12.parse_277``); pyx12 4.0.0
only iterates the segments (``pyx12.x12file.X12Reader`` over the text; it has no 005010X212 map,
so it cannot do more). Prints documents per second for each and the ratio (target: at least 3x),
then the time to parse one generated 277 of 1,000, 10,000 and 20,000 claims (target: under 1 s
for 10,000, growing linearly), wall and CPU, best of ``--rounds`` (interleaved for the ratio, so
a round that lost the processor on a shared machine is discarded for both).

Run: .venv/bin/python bench/x12_parse.py [--repeat 250] [--generated 40] [--claims 25] [--rounds 3]
Needs pyx12 (bench/requirements.txt).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import x12

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "x12" / "data"
PROVIDERS = [
    x12.ProviderId("ServiceProvider", organization_name="BRIGHT SMILES DENTAL", npi="1234567893"),
    x12.ProviderId("ServiceProvider", organization_name="LAKESIDE EYE CARE", npi="1987654320"),
]
STATUSES = [("F1", "65", ""), ("F2", "88", "QC"), ("P3", "317", ""), ("A1", "20", ""), ("F3", "101", "PR")]


def generated_277(claims: int, seed: int = 0) -> str:
    """A 277 shaped like the samples: per claim an HL 22 (every 5th with a dependent), NM1, TRN,
    a claim STC with amounts, REF*1K, REF*EJ, DTP*472; every other claim a service line (SVC, STC, DTP)."""
    start = date(2024, 1, 1)
    items = []
    for i in range(claims):
        n = seed * claims + i
        category, code, entity = STATUSES[n % len(STATUSES)]
        billed = Decimal(100 + n % 900) + Decimal(n % 100) / 100
        paid = (billed * Decimal("0.8")).quantize(Decimal("0.01")) if category == "F1" else Decimal(0)
        day = start + timedelta(days=n % 300)
        lines = []
        if n % 2 == 0:
            lines.append(
                x12.ServiceLineStatus(
                    qualifier="AD",
                    procedure_code="D1110",
                    submitted_amount=billed,
                    amount_paid=paid,
                    units=Decimal(1),
                    statuses=[x12.Stc(category, code, entity, effective_date=day + timedelta(days=9))],
                    service_date_from=day,
                )
            )
        items.append(
            x12.ClaimStatus(
                tracking_number=f"TRACE{n:08d}",
                statuses=[
                    x12.Stc(
                        category,
                        code,
                        entity,
                        effective_date=day + timedelta(days=9),
                        submitted_amount=billed,
                        amount_paid=paid,
                    )
                ],
                payer_claim_number=f"PCN{n:010d}",
                patient_account_number=f"PA{n:06d}",
                service_date_from=day,
                service_date_to=day + timedelta(days=n % 3),
                service_lines=lines,
                subscriber=x12.Party(member_id=f"M{n:09d}", first_name="MEMBER", last_name=f"NUMBER{n % 97}"),
                dependent=x12.Party(first_name="CHILD", last_name=f"NUMBER{n % 97}") if n % 5 == 0 else None,
                provider=PROVIDERS[2 * i // claims],  # claims sorted by provider, as payers send them
            )
        )
    report = x12.StatusReport(
        payer=x12.PayerInfo(name="EVERGREEN DENTAL BENEFITS", id="EVGDN"),
        receiver=x12.ProviderId("BillingProvider", organization_name="PORTAL", etin="PORTAL01"),
        providers=list(PROVIDERS),
        claims=items,
    )
    return x12.build_277(report, control_number=str(seed + 1))


def ours(text: str) -> int:
    return sum(len(r.claims) for r in x12.parse_277(text).reports)


def pyx12_segments(text: str) -> int:
    from pyx12.x12file import X12Reader

    return sum(1 for _segment in X12Reader(io.StringIO(text)))


def timed(run: Callable[[], object], rounds: int) -> tuple[float, float]:
    """(best wall seconds, best CPU seconds) over ``rounds`` runs."""
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=250, help="passes over the four samples")
    parser.add_argument("--generated", type=int, default=40, help="generated 277s in the corpus")
    parser.add_argument("--claims", type=int, default=25, help="claims per generated 277 in the corpus")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    samples = [p.read_text() for p in sorted(SAMPLES.glob("*.277"))]
    corpus = samples * args.repeat + [generated_277(args.claims, seed) for seed in range(args.generated)]
    size = sum(len(t) for t in corpus)
    print(f"corpus: {len(corpus)} documents ({len(samples)} samples x {args.repeat}, "
          f"{args.generated} generated of {args.claims} claims), {size / 1e6:.2f} MB")  # fmt: skip

    def run_ours() -> None:
        for text in corpus:
            ours(text)

    def run_pyx12() -> None:
        for text in corpus:
            pyx12_segments(text)

    # Interleaved rounds, best of each: on shared CPUs a run that lost the processor is discarded.
    ours_wall = ours_cpu = theirs_wall = theirs_cpu = float("inf")
    for _ in range(args.rounds):
        wall, cpu = timed(run_ours, 1)
        ours_wall, ours_cpu = min(ours_wall, wall), min(ours_cpu, cpu)
        wall, cpu = timed(run_pyx12, 1)
        theirs_wall, theirs_cpu = min(theirs_wall, wall), min(theirs_cpu, cpu)
    print(f"x12.parse_277 (typed results):      {len(corpus) / ours_wall:10.0f} documents/s wall, "
          f"{len(corpus) / ours_cpu:10.0f} per CPU second")  # fmt: skip
    print(f"pyx12 X12Reader (segments only):    {len(corpus) / theirs_wall:10.0f} documents/s wall, "
          f"{len(corpus) / theirs_cpu:10.0f} per CPU second")  # fmt: skip
    print(f"ratio: {theirs_wall / ours_wall:.1f}x wall, {theirs_cpu / ours_cpu:.1f}x CPU   (target >= 3x)")

    print("one generated 277, x12.parse_277 (best of rounds):")
    per_claim = []
    for claims in (1000, 10000, 20000):
        text = generated_277(claims)
        segments = text.count("~")
        wall, cpu = timed(partial(ours, text), args.rounds)
        per_claim.append(cpu / claims * 1e6)
        pyx_wall, _cpu = timed(partial(pyx12_segments, text), 1)
        print(f"  {claims:6d} claims ({segments:6d} segments, {len(text) / 1e6:5.2f} MB): wall {wall:.3f} s, "
              f"CPU {cpu:.3f} s, {cpu / claims * 1e6:.1f} CPU us/claim   "
              f"(pyx12 segments only: {pyx_wall:.3f} s)")  # fmt: skip
    print(f"growth: CPU us/claim at 20k / at 10k = {per_claim[2] / per_claim[1]:.2f}, at 20k / at 1k = "
          f"{per_claim[2] / per_claim[0]:.2f} (1.0 = linear; a 1k file still fits the CPU caches)")  # fmt: skip


if __name__ == "__main__":
    main()
