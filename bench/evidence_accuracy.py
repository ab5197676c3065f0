#!/usr/bin/env python
"""How well and how fast the evidence reader reads generated documents (prints figures).

Generates documents of every kind with ``evidence.samples`` (text PDFs, phone-photo-like JPEGs and
faint scans as PNGs), reads each with ``evidence.read`` in this process, and prints per-field exact
match accuracy by variant (case and spacing aside; over the documents that print the field), values read where none is
printed, seconds per page (p50, p95), documents per minute per core (CPU time, not wall time) and
the process's peak memory.

Run: .venv/bin/python bench/evidence_accuracy.py [--count 70] [--variants pdf,photo,scan] [--misses]
For the speed figure run it without nice and without OMP_NUM_THREADS; for accuracy alone use
``nice -n 19 env OMP_NUM_THREADS=1``.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evidence import read
from evidence.samples import KINDS, make_document
from evidence.text import normal

FIELDS = (
    "kind",
    "date_of_service",
    "provider",
    "patient",
    "amount",
    "total",
    "insurer_paid",
    "description",
    "npi",
    "tax_id",
)


def same(field: str, expected: Any, got: Any) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    if field in {"provider", "patient", "description"}:
        # exact but for case and spacing ("Prophylaxis- adult" is the same text as "Prophylaxis - adult")
        return "".join(normal(str(expected)).split()).strip(".,:") == "".join(normal(str(got)).split()).strip(".,:")
    return bool(expected == got)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(variant: str, count: int, misses: bool) -> dict[str, Any]:
    right = dict.fromkeys(FIELDS, 0)
    printed = dict.fromkeys(FIELDS, 0)
    spurious = dict.fromkeys(FIELDS, 0)
    seconds: list[float] = []
    cpu = 0.0
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        data, mime, truth = make_document(kind, variant=variant, seed=1000 + i)
        before_cpu, before = _cpu(), time.perf_counter()
        reading = read(data, mime)
        seconds.append((time.perf_counter() - before) / max(1, reading.pages))
        cpu += _cpu() - before_cpu
        for field in FIELDS:
            got = reading.kind.value if field == "kind" else reading.value(field)
            expected = truth.get(field)
            if expected is None:
                spurious[field] += got is not None
                continue
            printed[field] += 1
            ok = same(field, expected, got)
            right[field] += ok
            if misses and not ok:
                print(
                    f"  miss {variant} seed={1000 + i} {kind.value} turned={truth['turned']} {field}: "
                    f"expected {expected!r}, read {got!r}"
                )
    return {"right": right, "printed": printed, "spurious": spurious, "seconds": seconds, "cpu": cpu, "count": count}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=70, help="documents per variant (default 70)")
    parser.add_argument("--variants", default="pdf,photo,scan")
    parser.add_argument("--misses", action="store_true", help="print every field read wrong")
    args = parser.parse_args()
    results = {v: run(v, args.count, args.misses) for v in args.variants.split(",")}
    print(f"\n{'field':<16}" + "".join(f"{v:>22}" for v in results))
    for field in FIELDS:
        cells = []
        for r in results.values():
            n = r["printed"][field]
            cells.append(f"{100 * r['right'][field] / n:6.1f}% of {n:3d} (+{r['spurious'][field]})" if n else "-")
        print(f"{field:<16}" + "".join(f"{c:>22}" for c in cells))
    print("\n(+N: documents where the field is not printed but a value was read)\n")
    for variant, r in results.items():
        s = r["seconds"]
        per_min = 60 * r["count"] / r["cpu"] if r["cpu"] else float("inf")
        print(
            f"{variant:<6} seconds per page p50 {statistics.median(s):.3f}  p95 {_pct(s, 0.95):.3f}  "
            f"documents per minute per core {per_min:.0f}"
        )
    print(f"peak memory (ru_maxrss) {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
