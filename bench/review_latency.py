#!/usr/bin/env python
"""Time from a member's send to the recommendation being visible to the admin (issue 17).

Starts the whole portal as `make run` does (`manage.py serve`: the web server, a task worker with
its scheduler, the sandbox and its Silver with the default SANDBOX_SILVER_DELAY_SECONDS), then
starts --count reviews of alice's claim, one every --gap seconds, each with a new receipt (a
generated text PDF that fits the claim), exactly as the member's send starts them
(`reviews.services.start_review`, queued after commit). A review is visible to the admin when its
row is complete: HR's claim page reads it from there. Prints p50/p95/max of the seconds between.

The embedded default (SQLite, the SQLite broker) unless DATABASE_URL and REDIS_URL are set (the
production profile: PostgreSQL, Redis as cache and broker).

Run: .venv/bin/python bench/review_latency.py [--count 50] [--gap 0.5]
Target (issue 17): p95 under 10 s with the sandbox's default delay.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import timedelta
from decimal import Decimal

from _server import sandbox_server, setup_django, token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between two members' sends")
    parser.add_argument("--log", default=None, help="keep the server's log in this file")
    args = parser.parse_args()
    profile = "production (PostgreSQL + Redis)" if os.environ.get("DATABASE_URL") else "embedded (SQLite)"
    with sandbox_server(log_path=args.log, LOG_LEVEL="INFO" if args.log else "WARNING") as env:
        setup_django(env)
        from evidence.model import Kind
        from evidence.samples import Facts, make_document
        from portal.gateway import ClaimsApiClient, StaticToken
        from portal.gateway.silver import Evidence
        from reviews.models import Review
        from reviews.services import start_review

        client = ClaimsApiClient(tokens=StaticToken(token(env, "alice")))
        import jwt

        person = jwt.decode(client.tokens.get(), options={"verify_signature": False})["person_id"]  # type: ignore[union-attr]
        claim = next(c for c in client.iter_claims(person_id=person) if c.provider_name == "ClearView Eye Care")
        started: dict[str, float] = {}
        for n in range(args.count):
            facts = Facts(provider=claim.provider_name, patient="Alice Nguyen",
                          service_day=claim.start_date_of_service.date(),  # type: ignore[union-attr]
                          amount=claim.claim_amount + Decimal(n) / 100)  # a new document each time  # fmt: skip
            data, mime, _ = make_document(Kind.MEDICAL_INVOICE, seed=n, facts=facts)
            review = start_review(claim=claim, person_id=person, files=[Evidence(mime, data)], requested_by="member")
            assert review is not None
            started[str(review.pk)] = time.monotonic()
            time.sleep(args.gap)
        seconds: dict[str, float] = {}
        deadline = time.monotonic() + 300
        while len(seconds) < len(started) and time.monotonic() < deadline:
            for row in Review.objects.filter(pk__in=list(started), state=Review.State.COMPLETE).values(
                "pk", "created_at", "completed_at"
            ):
                key = str(row["pk"])
                if key not in seconds:
                    seconds[key] = (row["completed_at"] - row["created_at"]) / timedelta(seconds=1)
            time.sleep(0.2)
        values = sorted(seconds.values())
        missing = len(started) - len(values)
        pick = lambda share: values[min(len(values) - 1, int(share * len(values)))] if values else float("nan")  # noqa: E731
        print(json.dumps({
            "profile": profile, "reviews": len(started), "completed": len(values), "never_completed": missing,
            "p50_s": round(pick(0.5), 2), "p95_s": round(pick(0.95), 2),
            "max_s": round(values[-1], 2) if values else None,
        }))  # fmt: skip


if __name__ == "__main__":
    main()
