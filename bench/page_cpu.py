#!/usr/bin/env python
"""CPU per page, by kind of page, in the production-like setup of load.py (prints figures).

One member asks for one kind of page at a time, one page after another, and the CPU time of each
process (from /proc) is divided by the pages asked for: what a page of each kind costs the
portal, the sandbox, PostgreSQL and Redis, without the noise of 64 members queueing for two cores.
The caches are warm (every claim page visited once before measuring), as in most of a load run.
Use it to compare two versions of the code on the same machine within minutes; the machine's
speed is printed too (see load.py).

Run: .venv/bin/python bench/page_cpu.py [--pages 300] [--kinds list,detail,download,upload] [--accept-language es]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import uuid
from contextlib import ExitStack
from pathlib import Path

import requests
from load import ROOT, cpu_seconds, machine_speed_ms, sign_in_members, start

KINDS = ("list", "detail", "download", "upload")


def _page(http: requests.Session, base: str, kind: str, member, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    if kind == "upload":
        from sandbox.demo_files import receipt_pdf

        name = f"cpu-{uuid.uuid4().hex[:12]}.pdf"
        response = http.post(
            f"{base}/claims/{rng.choice(member.upload_claims)}/receipts/",
            data={"csrfmiddlewaretoken": member.csrf, "upload_token": str(uuid.uuid4())},
            files={"receipt_files": (name, receipt_pdf(["CPU probe", name]), "application/pdf")},
            headers={"HX-Request": "true", "X-CSRFToken": member.csrf},
            timeout=30,
        )
        ok = response.status_code == 200 and any(
            said in response.text
            for said in ("Uploaded 1 document", "Se subió 1 documento")  # en, es
        )
    else:
        url = {
            "list": f"{base}/claims/" + rng.choice(["", "", "?status=attention", "?status=denied", "?q=Dental"]),
            "detail": f"{base}/claims/{rng.choice(member.claims)}/",
            "download": f"{base}/receipts/{rng.choice(member.receipts)}/download/",
        }[kind]
        response = http.get(url, allow_redirects=False, timeout=30)
        ok = response.status_code == 200
    if not ok:
        raise SystemExit(f"{kind}: {response.status_code} {response.text[:300]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=300, help="pages of each kind measured")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--accept-language", default="", help='e.g. "es": the pages in Spanish')
    args = parser.parse_args()
    # load.py's setup with one portal and one sandbox process (every page meets the same warm
    # per-process copies) and no injected latency (only CPU is measured here).
    setup_args = argparse.Namespace(
        pg=args.pg, redis=args.redis, members=1, latency_ms=0, workers=1, threads=8, sandbox_workers=1,
        sandbox_threads=8, direct_uploads=True,  # its uploads post straight to the upload: no worker
        no_reviews=True, sandbox_redis="", silver_webhook="",
    )  # fmt: skip
    rng = random.Random(7)
    print(f"machine speed {machine_speed_ms():.0f} ms (lower is faster)")
    with ExitStack() as stack:
        var = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="page-cpu-")))
        setup = start(setup_args, 0.0, var, stack)
        sys.path.insert(0, str(ROOT))  # sandbox.demo_files, for the uploads
        member = sign_in_members(setup, 1)[0]
        http = requests.Session()
        http.headers["Cookie"] = member.cookie
        if args.accept_language:
            http.headers["Accept-Language"] = args.accept_language
        for number in member.claims:  # warm: every claim page read from the API once
            http.get(f"{setup.portal_url}/claims/{number}/", timeout=30)
        print(f"{'kind':9s} {'portal':>7s} {'sandbox':>8s} {'postgres':>9s} {'redis':>6s}  (ms of CPU per page)")
        for kind in args.kinds.split(","):
            for _ in range(20):
                _page(http, setup.portal_url, kind, member, rng)
            before = cpu_seconds(setup)
            for _ in range(args.pages):
                _page(http, setup.portal_url, kind, member, rng)
            after = cpu_seconds(setup)
            cost = {name: 1000 * (after.get(name, 0) - before.get(name, 0)) / args.pages for name in after}
            print(
                f"{kind:9s} {cost.get('portal', 0):7.2f} {cost.get('sandbox', 0):8.2f} "
                f"{cost.get('postgresql', 0):9.2f} {cost.get('redis', 0):6.2f}"
            )
    print(f"machine speed {machine_speed_ms():.0f} ms (lower is faster)")


if __name__ == "__main__":
    main()
