#!/usr/bin/env python
"""Member page latency over the sandbox with 50 ms injected latency (prints figures; not a test).

- claims list with filters, cold (no per-user cache), over 200+ claims: p50 latency, upstream
  round trips (from the server's own gateway log lines), portal overhead above those round trips;
- claim detail (claim + denial history + receipts fetched at once): p50, overhead above one trip.
Targets: overhead under 20 ms at p50 with one user; the list in under 3 upstream round trips.

Run: .venv/bin/python bench/member_pages.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import requests
from _server import portal_session, sandbox_server, token

LATENCY_MS = 50


def waves(calls: list[tuple[float, float]]) -> int:
    """Sequential round trips: calls that overlap in time count as one."""
    count, wave_end = 0, float("-inf")
    for start, end in sorted(calls):
        if start >= wave_end:
            count += 1
            wave_end = end
        else:
            wave_end = min(wave_end, end) if count else end
    return count


def union_ms(calls: list[tuple[float, float]]) -> float:
    """Wall time during which at least one upstream call of the page was in flight."""
    total, current_start, current_end = 0.0, None, None
    for start, end in sorted(calls):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += current_end - current_start
    return total * 1000


def upstream_calls(log_file: Path) -> dict[str, list[tuple[float, float]]]:
    by_request: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for line in log_file.read_text().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("msg") != "claims_api_call":
            continue
        end = datetime.fromisoformat(record["ts"]).timestamp()
        by_request[record["upstream_request_id"]].append((end - record["duration_ms"] / 1000, end))
    return by_request


def measure(session: requests.Session, url: str, rounds: int) -> tuple[list[float], list[str]]:
    session.get(url, timeout=30)  # warm
    times, ids = [], []
    for _ in range(rounds):
        request_id = f"bench-{uuid.uuid4().hex}"
        started = time.perf_counter()
        response = session.get(url, headers={"X-Request-Id": request_id}, timeout=30)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        ids.append(request_id)
    return times, ids


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    log_path = Path(tempfile.mkdtemp()) / "server.log"
    with sandbox_server(
        seed_args=("--bulk-claims", "1000"), log_path=str(log_path),
        SANDBOX_LATENCY_MS=str(LATENCY_MS), CLAIMS_CACHE_SECONDS="0", LOG_LEVEL="INFO",
    ) as env:  # fmt: skip
        base = env["SITE_URL"]
        alice_token = token(env, "alice")
        bare = requests.Session()
        claims = bare.get(
            f"{base}/sandbox/api/v1/claims", params={"person_id": _alice_id(), "page_size": 100},
            headers={"Authorization": f"Bearer {alice_token}"}, timeout=30,
        ).json()["items"]  # fmt: skip
        number = next(c["claim_number"] for c in claims if c["denial_reasons"])
        single, _ = measure_bare(bare, f"{base}/sandbox/api/v1/claims/{number}", alice_token, args.rounds)
        member = portal_session(base, "alice")
        total = sum(1 for _ in _all_claims(bare, base, alice_token))
        list_times, list_ids = measure(member, f"{base}/claims/?status=denied&q=Bright", args.rounds)
        detail_times, detail_ids = measure(member, f"{base}/claims/{number}/", args.rounds)
    calls = upstream_calls(log_path)
    trip = statistics.median(single)
    list_trips = statistics.median(waves(calls[i]) for i in list_ids)
    detail_trips = statistics.median(waves(calls[i]) for i in detail_ids)
    list_calls = statistics.median(len(calls[i]) for i in list_ids)
    # The portal's own time: the page's latency minus the time its upstream calls were in flight.
    list_overhead = statistics.median(t - union_ms(calls[i]) for t, i in zip(list_times, list_ids, strict=True))
    detail_overhead = statistics.median(t - union_ms(calls[i]) for t, i in zip(detail_times, detail_ids, strict=True))
    print(f"Member pages ({args.rounds} rounds, one user, sandbox latency {LATENCY_MS} ms, per-user cache off)")
    print(f"  one upstream round trip (bare GET)       p50 {trip:7.2f} ms")
    print(
        f"  claims list, filters, {total} claims      p50 {statistics.median(list_times):7.2f} ms  "
        f"{list_calls:.0f} calls in {list_trips:.0f} round trips  overhead {list_overhead:6.2f} ms"
    )
    print(
        f"  claim detail (3 calls at once)           p50 {statistics.median(detail_times):7.2f} ms  "
        f"{detail_trips:.0f} round trip(s)  overhead {detail_overhead:6.2f} ms"
    )
    ok_trips = list_trips < 3
    ok_overhead = max(list_overhead, detail_overhead) < 20
    print(f"  list under 3 round trips: {'PASS' if ok_trips else 'FAIL'}")
    print(f"  portal overhead under 20 ms: {'PASS' if ok_overhead else 'FAIL'}")
    return 0


def _alice_id() -> str:
    import uuid as _uuid

    return str(_uuid.uuid5(_uuid.UUID("6f1c2a8e-3b7d-4c55-9e0a-2d4b8f6a1c90"), "person:Alice Nguyen"))


def _all_claims(session: requests.Session, base: str, bearer: str):  # type: ignore[no-untyped-def]
    index = 0
    while True:
        page = session.get(
            f"{base}/sandbox/api/v1/claims", params={"person_id": _alice_id(), "page_size": 100, "index": index},
            headers={"Authorization": f"Bearer {bearer}"}, timeout=30,
        ).json()  # fmt: skip
        yield from page["items"]
        if not page["has_next"]:
            return
        index += 1


def measure_bare(session: requests.Session, url: str, bearer: str, rounds: int) -> tuple[list[float], None]:
    headers = {"Authorization": f"Bearer {bearer}"}
    session.get(url, headers=headers, timeout=30)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        session.get(url, headers=headers, timeout=30).json()
        times.append((time.perf_counter() - started) * 1000)
    return times, None


if __name__ == "__main__":
    raise SystemExit(main())
