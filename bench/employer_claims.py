#!/usr/bin/env python
"""The employer claims list over 5,000 claims (prints figures; not a test).

Cold: the per-user cache is off, so every request walks all pages of the API (8 at a time).
Warm: the cache is on and already filled. Targets: filtered list under 2 s cold, 300 ms warm.

Run: .venv/bin/python bench/employer_claims.py [--rounds 10] [--latency 0]
"""

from __future__ import annotations

import argparse
import statistics
import time

from _server import portal_session, sandbox_server

FILTERED = "/employer/claims/?status=paid&amount_min=100&amount_max=900&q=Clear"


def run(rounds: int, latency: int, cache_seconds: int) -> list[float]:
    with sandbox_server(
        seed_args=("--bulk-claims", "5000"), SANDBOX_LATENCY_MS=str(latency), CLAIMS_CACHE_SECONDS=str(cache_seconds)
    ) as env:
        hana = portal_session(env["SITE_URL"], "hana")
        first = hana.get(env["SITE_URL"] + FILTERED, timeout=60)
        assert first.status_code == 200 and "claims match" in first.text, first.status_code
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            response = hana.get(env["SITE_URL"] + FILTERED, timeout=60)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--latency", type=int, default=0, help="sandbox latency per call, ms")
    args = parser.parse_args()
    cold = run(args.rounds, args.latency, 0)
    warm = run(args.rounds, args.latency, 300)
    cold_p50, warm_p50 = statistics.median(cold), statistics.median(warm)
    print(f"Employer claims, 5,080 claims, filtered ({args.rounds} rounds, sandbox latency {args.latency} ms)")
    print(f"  cold (walks all 51 pages, 8 at a time): p50 {cold_p50:8.1f} ms  max {max(cold):8.1f} ms")
    print(f"  warm (per-user cache):                  p50 {warm_p50:8.1f} ms  max {max(warm):8.1f} ms")
    print(f"  cold under 2 s: {'PASS' if cold_p50 < 2000 else 'FAIL'}")
    print(f"  warm under 300 ms: {'PASS' if warm_p50 < 300 else 'FAIL'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
