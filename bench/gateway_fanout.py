#!/usr/bin/env python
"""Claim-detail fan-out and the gateway's own overhead per call (prints figures; not a test).

Against the sandbox with 50 ms injected latency:
- a single upstream call (get_claim) vs the claim-detail page's three independent calls (claim,
  denial history, receipts) run through gateway.gather: target, fan-out within 1.3x of one call;
- the gateway's overhead per call (pooled session, retries machinery, JSON -> typed models) against
  a bare pooled requests.Session doing the same GET: target, under 2 ms.

Run: .venv/bin/python bench/gateway_fanout.py [--rounds 60]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from _server import sandbox_server, setup_django, token

LATENCY_MS = 50


def timed(fn: Callable[[], object], rounds: int) -> list[float]:
    fn()  # warm the pool and caches
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def describe(samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=20)
    return f"p50 {statistics.median(samples):7.2f} ms   p95 {q[18]:7.2f} ms   mean {statistics.fmean(samples):7.2f} ms"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    with sandbox_server(SANDBOX_LATENCY_MS=str(LATENCY_MS)) as env:
        setup_django(env)
        import requests

        from portal.gateway import ClaimsApiClient, StaticToken, gather

        alice = token(env, "alice")
        client = ClaimsApiClient(tokens=StaticToken(alice))
        from sandbox.seed import stable_id

        person_id = str(stable_id("person", "Alice Nguyen"))
        page = client.list_claims(person_id=person_id, page_size=50)
        claim = next(c for c in page.items if c.receipt_status.value == "RECEIPT_AVAILABLE")
        number = claim.claim_number

        single = timed(lambda: client.get_claim(number), args.rounds)
        fanout = timed(
            lambda: gather(
                lambda: client.get_claim(number),
                lambda: client.get_denials(number),
                lambda: client.list_claim_receipts(number, person_id=person_id),
            ),
            args.rounds,
        )
        raw_session = requests.Session()
        url = f"{env['SITE_URL']}/sandbox/api/v1/claims/{number}"
        headers = {"Authorization": f"Bearer {alice}", "Accept": "application/json"}
        bare = timed(lambda: raw_session.get(url, headers=headers, timeout=10).json(), args.rounds)

    ratio = statistics.median(fanout) / statistics.median(single)
    overhead = statistics.median(single) - statistics.median(bare)
    print(f"Gateway fan-out benchmark ({args.rounds} rounds, sandbox latency {LATENCY_MS} ms per call)")
    print(f"  bare pooled GET     {describe(bare)}")
    print(f"  gateway get_claim   {describe(single)}")
    print(f"  claim-detail fan-out (3 calls via gather) {describe(fanout)}")
    print(f"  fan-out / single call: {ratio:.2f}x   (target <= 1.30x: {'PASS' if ratio <= 1.3 else 'FAIL'})")
    print(f"  gateway overhead per call: {overhead:.2f} ms   (target < 2 ms: {'PASS' if overhead < 2 else 'FAIL'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
