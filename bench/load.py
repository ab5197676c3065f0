#!/usr/bin/env python
"""Load and fault runs against the production-like setup (prints figures; not a test).

The setup, built from scratch on every run:
- PostgreSQL: one database for the portal, one for the sandbox (dropped and created here);
- Redis: one database index, flushed here (the portal's cache, sessions, rate-limit counters, its
  task queue), and another for the sandbox's task queue (--sandbox-redis, 13; flushed too);
- the sandbox (identity provider + Claims API v1 + Silver) as its own gunicorn server on localhost,
  with 50 ms injected latency on every Claims API call, as a stand-in for the real remote APIs, and
  its own Celery worker for Silver's adjudications;
- the portal under gunicorn (gthread, WEB_WORKERS x WEB_THREADS), DJANGO_DEBUG=0, the sandbox off.

64 simulated members (seed_sandbox --load-members) sign in through the real OIDC flow, then visit
a mix of pages for the run's duration. They arrive one after another over the first two thirds
of the warm-up (people do not all click in the same second; a start in lockstep makes every cached
copy expire in lockstep too), and only pages after the warm-up are measured. The mix:
  45% claims list, 35% claim detail, 17% receipt download, 3% receipt upload (htmx, as the page's
  script sends it; a failed request is sent again with the same form, as a member would).
An upload goes through the receipt check, as on the claim page (issue 16): the file is posted to
the check ("check"), the panel asks again with its backoff until the task worker has read it
("check poll"), then the member sends ("upload"); "findings shown" is the time from choosing the
file to seeing what was read. A Celery worker (2 processes, Redis as broker) reads the files; its
CPU is reported as "worker". --direct-uploads posts straight to the upload, as before the check.
Automated reviews (issue 17): the portal is configured with the sandbox's Silver (SILVER_BASE_URL,
an API key and webhook secret the sandbox accepts, its webhook pointed at the portal's
/webhooks/silver/), and uploads go to claims waiting for evidence (a receipt asked for, or a denial
documents can fix; a claim that waited only for a receipt is left out once one is sent), so every
send starts a review: the portal's worker (with its scheduler, for the
review poll) submits it, and the sandbox's own Celery worker (2 processes, on a Redis database of
its own) adjudicates it after the sandbox's 2 s delay, reading the evidence with the `evidence`
reader, then delivers the webhook. That worker stands in for Silver's side: its CPU is printed apart
("sandbox Silver worker CPU", not in the figures per page). After the members stop, the run waits
for open reviews (--review-wait) and prints how many were started, submitted, completed (by webhook
or the poll) and failed, p50/p95 from Send to completion, and checks that each evidence set made
exactly one Silver claim. In the faults run Silver's API fails at --fault-rate too.
--no-reviews: the setup before (no Silver configured, no Silver worker, no scheduler; uploads to
any claim whose receipt status is not RECEIPT_NOT_NEEDED).
The issue's mix is the first three; uploads are there for the write checks. --upload-share sets
their share (0: the issue's mix alone, the reads in the same proportions). At 3% every member
uploads every few seconds, far more often than people do, and each upload costs several reads.
Runs (--runs, default all three, each on a fresh setup):
  capacity  closed loop, no think time: every member asks for the next page as soon as the last one
            arrived. The machine is saturated by design, so this finds the most pages per second it
            serves; its latency is mostly waiting for a core (64 / throughput on average).
  steady    the members' visits arrive at random at --rate pages/s in all (exponential gaps, as
            independent people), latency counted from when each page was due: the latency members
            see at that load.
  faults    as steady, with 10% of API calls failing with 503 or a dropped connection.
Printed per run: pages/s, p50/p95/p99 latency, error pages (5xx and pages that show a section
could not be loaded), 500s, the write check (every confirmed upload made exactly one receipt), and
where the CPU went (seconds, and milliseconds per page served). The portal logs at INFO (one
JSON line per request and per API call, as in production); the sandbox, a stand-in for a remote
API, logs warnings only.

Run: make bench-load    or    .venv/bin/python bench/load.py [--duration 120] [--members 64]
Targets (issue 6): >= 250 pages/s (capacity), p95 < 300 ms at 250 pages/s (steady), zero 5xx; with
faults < 0.5% error pages, no 500, nothing written lost or doubled. Every page counts, the check's
and its polls too. Issue 17: the same targets with a review submitted for every upload.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import aiohttp
import psycopg
import redis
from _server import PYTHON, ROOT, free_port, portal_session
from cryptography.fernet import Fernet

MANAGE = [PYTHON, str(ROOT / "manage.py")]
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
ERROR_MARKER = "could not be loaded just now"
# The mix of pages (list, detail, download) and a share of receipt uploads (--upload-share).
READS = [("list", 45), ("detail", 35), ("download", 17)]
KINDS = [kind for kind, _ in READS] + ["upload", "check", "check poll"]


def mix(upload_share: float) -> list[tuple[str, float]]:
    """(kind, weight) with uploads at ``upload_share`` percent and the reads in their proportions."""
    reads = sum(weight for _, weight in READS)
    return [(kind, weight * (100 - upload_share) / reads) for kind, weight in READS] + [("upload", upload_share)]


# What the check panel says while a file is still being read (it asks again after a delay).
PENDING_MARKER = 'hx-trigger="load delay:'
CHECK_WORKER_PROCESSES = 2
# The sandbox's Silver adjudicates on a worker of its own (the stand-in's work, not the portal's).
SILVER_WORKER_PROCESSES = 2
SILVER_WORKER = "silver-worker"  # its key among the processes (and its log's name)
# The bench's review poll: results not in by webhook after 30 s are asked for (every 10 s), so the
# wait after the members stop stays short when a webhook is lost.
REVIEW_POLL_AFTER_SECONDS, REVIEW_POLL_SECONDS = 30, 10


# run -> (paced at --rate?, with --fault-rate upstream faults?)
RUNS = {"capacity": (False, False), "steady": (True, False), "faults": (True, True)}


# --- The production-like setup ---------------------------------------------------------------


def _database(admin_url: str, name: str) -> str:
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{admin_url}/{name}"


def _wait_for(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited while starting (see its log)")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"{what} did not start")


@dataclass
class Setup:
    portal_url: str
    sandbox_env: dict[str, str]
    sandbox_db: str
    portal_db: str = ""
    reviews: bool = False  # the portal submits reviews to the sandbox's Silver
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)


def start(args: argparse.Namespace, fault_rate: float, var: Path, stack: ExitStack) -> Setup:
    sandbox_port, portal_port = free_port(), free_port()
    portal_url, sandbox_url = f"http://127.0.0.1:{portal_port}", f"http://localhost:{sandbox_port}"
    redis.Redis.from_url(args.redis).flushdb()
    reviews = not args.no_reviews and not args.direct_uploads  # a review follows a send after the check
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}}
    base.update(DJANGO_SETTINGS_MODULE="portal.settings", DJANGO_DEBUG="0", SECURE_SSL_REDIRECT="0",
                LOG_LEVEL="WARNING", DATABASE_CONN_MAX_AGE="60")  # fmt: skip
    sandbox_db = _database(args.pg, "portal_bench_sandbox")
    sandbox_env = {
        **base, "PORT": str(sandbox_port), "SITE_URL": sandbox_url, "PORTAL_VAR_DIR": str(var / "sandbox"),
        "DJANGO_SECRET_KEY": "bench-sandbox-" + "x" * 50, "TOKEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DJANGO_ALLOWED_HOSTS": "localhost", "DATABASE_URL": sandbox_db, "SANDBOX_ENABLED": "1",
        "OIDC_CLIENT_SECRET": "bench-portal-client-secret",  # what seed_sandbox registers
        "SANDBOX_PORTAL_URL": portal_url, "SANDBOX_LATENCY_MS": str(args.latency_ms),
        "SANDBOX_FAULT_RATE": str(fault_rate), "SANDBOX_FAULT_STATUS": "503,drop",
        # A stand-in for a big remote API: its own limits must not be what the run measures.
        "WEB_WORKERS": str(args.sandbox_workers), "WEB_THREADS": str(args.sandbox_threads), "DATABASE_POOL_SIZE": "20",
    }  # fmt: skip
    portal_db = _database(args.pg, "portal_bench")
    portal_env = {
        **base, "PORT": str(portal_port), "SITE_URL": portal_url, "PORTAL_VAR_DIR": str(var / "portal"),
        "DJANGO_SECRET_KEY": "bench-portal-" + "y" * 50, "TOKEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": portal_db, "REDIS_URL": args.redis, "SANDBOX_ENABLED": "0",
        "CLAIMS_API_BASE_URL": f"{sandbox_url}/sandbox/api", "OIDC_ISSUER_URL": f"{sandbox_url}/sandbox/o",
        "OIDC_CLIENT_ID": "benefits-portal", "OIDC_CLIENT_SECRET": "bench-portal-client-secret",
        "OIDC_END_SESSION_URL": f"{sandbox_url}/sandbox/o/logout/",
        "OIDC_REVOCATION_URL": f"{sandbox_url}/sandbox/o/revoke_token/",
        "WEB_WORKERS": str(args.workers), "WEB_THREADS": str(args.threads), "LOG_LEVEL": "INFO",
        "DATABASE_POOL_SIZE": str(args.threads),  # a request holds its connection until it ends
        # 64 members signing in from one address within a minute: not an attack.
        "RATE_LIMIT_SIGNIN_PER_IP": "1000", "RATE_LIMIT_UPLOAD_PER_IP": "100000",
        "RATE_LIMIT_NEW_BROWSERS_PER_IP": "100000",
        # A simulated member uploads a receipt every few seconds, far beyond a person's limit.
        "RATE_LIMIT_UPLOAD_PER_USER": "100000",
        "RATE_LIMIT_RECEIPT_CHECK_PER_USER": "100000", "RATE_LIMIT_RECEIPT_CHECK_PER_IP": "100000",
    }  # fmt: skip
    if reviews:
        if args.sandbox_redis == args.redis:
            raise SystemExit("--sandbox-redis must be a Redis database other than --redis")
        redis.Redis.from_url(args.sandbox_redis).flushdb()
        api_key, webhook_secret = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        sandbox_env.update({
            # The sandbox's Silver accepts exactly the portal's key and sends it the portal's secret.
            "SILVER_API_KEY": api_key, "SILVER_WEBHOOK_SECRET": webhook_secret,
            "SANDBOX_SILVER_WEBHOOK_URL": f"{portal_url}/webhooks/silver/",
            "SANDBOX_SILVER_FAULT_RATE": str(fault_rate), "SANDBOX_SILVER_FAULT_STATUS": "503,drop",
            "SANDBOX_SILVER_WEBHOOK": args.silver_webhook,
            # Its adjudication tasks go to its own worker, on a Redis database of its own.
            "CELERY_BROKER_URL": args.sandbox_redis,
        })  # fmt: skip
        portal_env.update({
            "SILVER_BASE_URL": f"{sandbox_url}/sandbox/silver", "SILVER_API_KEY": api_key,
            "SILVER_WEBHOOK_SECRET": webhook_secret,
            "REVIEW_POLL_AFTER_SECONDS": str(REVIEW_POLL_AFTER_SECONDS),
            "REVIEW_POLL_SECONDS": str(REVIEW_POLL_SECONDS),
        })  # fmt: skip
    for _name, env, extra in (
        ("sandbox", sandbox_env, ["seed_sandbox", "--load-members", str(args.members)]),
        ("portal", portal_env, None),
    ):
        Path(env["PORTAL_VAR_DIR"]).mkdir(parents=True)
        for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"], extra):
            if command:
                subprocess.run([*MANAGE, *command], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    setup = Setup(
        portal_url=portal_url, sandbox_env=sandbox_env, sandbox_db=sandbox_db, portal_db=portal_db, reviews=reviews
    )
    for name, env, port in (("sandbox", sandbox_env, sandbox_port), ("portal", portal_env, portal_port)):
        log = stack.enter_context(open(var / f"{name}.log", "wb"))
        process = subprocess.Popen(
            [GUNICORN, "-c", str(ROOT / "gunicorn.conf.py"), "portal.wsgi"], env=env, cwd=ROOT, stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        stack.callback(_stop, process)
        _wait_for(port, process, name)
        setup.processes[name] = process
    if not args.direct_uploads:  # the task worker that reads the files the check is given
        log = stack.enter_context(open(var / "worker.log", "wb"))
        worker = subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "portal", "worker", "--pool", "prefork",
             "--concurrency", str(CHECK_WORKER_PROCESSES), "--loglevel", "WARNING",
             # With reviews, the scheduler too (in the worker): the review poll, the checks' watchdog.
             *(["--beat"] if reviews else [])],
            env=portal_env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        stack.callback(_stop, worker)
        setup.processes["worker"] = worker
    if reviews:  # the sandbox's Silver: adjudication and webhook delivery, in the sandbox's processes
        log = stack.enter_context(open(var / f"{SILVER_WORKER}.log", "wb"))
        silver = subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "portal", "worker", "--pool", "prefork", "-n", "silver@%h",
             "--concurrency", str(SILVER_WORKER_PROCESSES), "--loglevel", "WARNING"],
            env=sandbox_env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        stack.callback(_stop, silver)
        setup.processes[SILVER_WORKER] = silver
    for name in ("worker", SILVER_WORKER):  # up before anyone signs in: starting costs seconds of CPU
        if name in setup.processes:
            processes = SILVER_WORKER_PROCESSES if name == SILVER_WORKER else CHECK_WORKER_PROCESSES
            _wait_for_children(setup.processes[name], processes, name)
    return setup


def _wait_for_children(process: subprocess.Popen[bytes], count: int, what: str) -> None:
    """Wait until a Celery worker has forked its pool (its processes fork once the app is loaded)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited while starting (see its log)")
        if sum(ppid == process.pid for ppid, _, _ in _proc_table().values()) >= count:
            return
        time.sleep(0.2)
    raise SystemExit(f"{what} did not start")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


# --- CPU accounting (where the two cores went) ------------------------------------------------


def _proc_table() -> dict[int, tuple[int, str, float]]:
    table = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        table[int(entry)] = (int(fields[1]), comm, (int(fields[11]) + int(fields[12])) / tick)
    return table


def cpu_seconds(setup: Setup) -> dict[str, float]:
    table = _proc_table()
    totals: Counter[str] = Counter()
    roots = {proc.pid: name for name, proc in setup.processes.items()}
    for pid, (ppid, comm, seconds) in table.items():
        if pid in roots or ppid in roots:
            totals[roots.get(pid) or roots[ppid]] += seconds
        elif comm.startswith("postgres"):
            totals["postgresql"] += seconds
        elif comm.startswith("redis-server"):
            totals["redis"] += seconds
    times = os.times()
    totals["load client"] = times.user + times.system
    return dict(totals)


# --- Simulated members ------------------------------------------------------------------------


@dataclass
class Member:
    username: str
    cookie: str
    csrf: str
    claims: list[str]
    receipts: list[str]
    upload_claims: list[str]
    # Of upload_claims, those that wait for evidence whatever is sent (a denial documents can fix, an
    # open request); the others wait for a receipt and no longer need one once it is sent.
    lasting: set[str] = field(default_factory=set)


@dataclass
class Send:
    """A send to a claim waiting for evidence: the review it should start (its Silver number)."""

    silver_number: str
    sent_at: float  # time.time() when Send was first pressed
    confirmed: bool


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    statuses: Counter[int] = field(default_factory=Counter)
    error_pages: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    uploads: list[tuple[str, str, bool]] = field(default_factory=list)  # (member, file name, confirmed)
    upload_attempts: int = 0
    findings_shown: list[float] = field(default_factory=list)  # seconds from choosing a file to its findings
    timeline: list[tuple[float, float]] = field(default_factory=list)  # (due, latency) of every page
    sends: list[Send] = field(default_factory=list)  # with reviews: every send, warm-up included
    served: int = 0  # pages served, warm-up included (for CPU per page)


# Each load member's claims, and what reviews.services.needs_substantiation asks of each in the
# sandbox's tables: whether it waits for a receipt, and whether it waits for evidence whatever is
# sent (a denial documents can fix, or an open request for information).
MEMBER_CLAIMS_SQL = """
SELECT u.username, c.claim_number, c.receipt_status,
       c.receipt_status IN ('RECEIPT_REQUIRED', 'RECEIPT_NEW_NEEDED', 'RECEIPT_OVERDUE'),
       (c.denied_amount > 0 AND EXISTS (SELECT 1 FROM sandbox_denialreason d
                                        WHERE d.claim_id = c.id AND d.is_upload_receipt_allowed))
       OR EXISTS (SELECT 1 FROM sandbox_rmi r WHERE r.claim_id = c.id AND upper(r.status) = 'OPEN')
FROM sandbox_claim c JOIN sandbox_person p ON p.id = c.person_id JOIN auth_user u ON u.id = p.user_id
WHERE u.username LIKE 'load%%'
"""


def sign_in_members(setup: Setup, count: int) -> list[Member]:
    with psycopg.connect(setup.sandbox_db) as conn:
        rows = conn.execute(MEMBER_CLAIMS_SQL).fetchall()
        receipts = conn.execute(
            "SELECT u.username, r.external_id FROM sandbox_receipt r "
            "JOIN sandbox_person p ON p.id = r.person_id JOIN auth_user u ON u.id = p.user_id "
            "WHERE u.username LIKE 'load%%'"
        ).fetchall()
    members = []
    for n in range(1, count + 1):
        username = f"load{n:03d}"
        browser = portal_session(setup.portal_url, username)
        jar = {c.name: c.value for c in browser.cookies if c.domain.startswith("127.0.0.1")}
        page = browser.get(f"{setup.portal_url}/claims/", timeout=30)
        if "sessionid" not in jar or page.status_code != 200 or "Sign out" not in page.text:
            raise SystemExit(f"{username} could not sign in ({page.status_code} {page.url})")
        mine = [row[1:] for row in rows if row[0] == username]
        if setup.reviews:  # uploads go to claims waiting for evidence: each send starts a review
            upload_claims = [number for number, _, receipt, lasting in mine if receipt or lasting]
            if not upload_claims:
                raise SystemExit(f"{username} has no claim waiting for evidence (seed_sandbox --load-members)")
        else:
            upload_claims = [number for number, status, _, _ in mine if status != "RECEIPT_NOT_NEEDED"]
        members.append(
            Member(
                username=username,
                cookie="; ".join(f"{k}={v}" for k, v in jar.items()),
                csrf=jar["csrftoken"],
                claims=[number for number, *_ in mine],
                receipts=[external for user, external in receipts if user == username],
                upload_claims=upload_claims,
                lasting={number for number, _, _, lasting in mine if lasting},
            )
        )
    return members


UPLOAD_PDF_LINES = ["Load test pharmacy", "Amount paid: $12.00"]


Pages = list[tuple[str, float, int, str]]  # (kind, seconds, status, text) of each request


async def _post(
    http: aiohttp.ClientSession, url: str, member: Member, form: aiohttp.FormData | None
) -> tuple[int, str]:
    headers = {"HX-Request": "true", "X-CSRFToken": member.csrf}
    async with http.post(url, data=form or {"csrfmiddlewaretoken": member.csrf}, headers=headers) as response:
        return response.status, await response.text()


async def _upload(
    http: aiohttp.ClientSession, base: str, member: Member, results: Results, *, checked: bool, reviews: bool = False
) -> Pages:
    """One receipt: checked (posted to the check, polled until read) and sent, each request sent
    again on failure (at most 6 times) with the same form, like a member would."""
    from sandbox.demo_files import receipt_pdf

    claim = random.choice(member.upload_claims)
    name = f"load-{uuid.uuid4().hex[:12]}.pdf"
    token = str(uuid.uuid4())
    body = receipt_pdf([*UPLOAD_PDF_LINES, name])
    pages: Pages = []

    def form() -> aiohttp.FormData:
        data = aiohttp.FormData()
        data.add_field("csrfmiddlewaretoken", member.csrf)
        data.add_field("upload_token", token)
        data.add_field("receipt_files", body, filename=name, content_type="application/pdf")
        return data

    async def until(kind: str, url: str, make: Callable[[], aiohttp.FormData | None], ok: Callable[[str], bool]) -> str:
        for attempt in range(6):
            started = time.monotonic()
            if kind == "check poll":
                async with http.get(url, headers={"HX-Request": "true"}) as response:
                    status, text = response.status, await response.text()
            else:
                status, text = await _post(http, url, member, make())
            pages.append((kind, time.monotonic() - started, status, text))
            if kind == "upload" or not checked:
                results.upload_attempts += 1
            if status == 200 and ok(text):
                return text
            results.failures[f"{kind} attempt not answered"] += 1
            await asyncio.sleep(0.5 * (attempt + 1))
        return ""

    sent = "Uploaded 1 document"
    if not checked:
        confirmed = bool(await until("upload", f"{base}/claims/{claim}/receipts/", form, lambda t: sent in t))
        results.uploads.append((member.username, name, confirmed))
        return pages
    chosen = time.monotonic()
    check = f"{base}/claims/{claim}/receipts/check/{token}/"
    panel = await until("check", f"{base}/claims/{claim}/receipts/check/", form, lambda t: 'id="receipt-check"' in t)
    for poll in range(1, 40):
        if not panel or PENDING_MARKER not in panel:
            break
        delay = float(panel.split(PENDING_MARKER, 1)[1].split("s", 1)[0])
        await asyncio.sleep(delay)
        panel = await until("check poll", f"{check}?poll={poll}", lambda: None, lambda t: 'id="receipt-check"' in t)
    if panel and PENDING_MARKER not in panel:
        results.findings_shown.append(time.monotonic() - chosen)
    else:
        results.failures["check: findings never shown"] += 1
    if reviews:  # the review this send should start: Silver's number for the claim and this file
        from portal.gateway.silver import Evidence
        from reviews.submission import silver_claim_number

        send = Send(silver_claim_number(claim, [Evidence("application/pdf", body)]), time.time(), confirmed=False)
        results.sends.append(send)
        if claim not in member.lasting and len(member.upload_claims) > 1:
            member.upload_claims.remove(claim)  # its receipt is in now: it waits for nothing more
    confirmed = bool(await until("upload", f"{check}send/", lambda: None, lambda t: sent in t))
    results.uploads.append((member.username, name, confirmed))
    if reviews:
        send.confirmed = confirmed
    return pages


async def member_loop(
    base: str,
    member: Member,
    results: Results,
    stop_at: float,
    record_from: float,
    rng: random.Random,
    interval: float | None = None,
    start_at: float = 0.0,
    page_mix: list[tuple[str, float]] | None = None,
    checked: bool = True,
    reviews: bool = False,
) -> None:
    """One member's visits until stop_at.

    interval None: a closed loop, each page asked for as soon as the last one arrived (the run
    finds the setup's capacity; latency is then mostly waiting for a core). interval set: the
    member's visits arrive at random (exponential gaps with that mean, so arrivals are as bursty as
    independent people), and a page's latency counts from when it was due, so a member who fell
    behind a slow portal records the wait too (no coordinated omission).
    """
    kinds, weights = zip(*(page_mix or mix(3.0)), strict=True)
    if start_at > time.monotonic():
        await asyncio.sleep(start_at - time.monotonic())  # members arrive over the ramp, not at once
    due = time.monotonic() + (rng.expovariate(1 / interval) if interval else 0.0)
    connector = aiohttp.TCPConnector(limit=2)
    timeout = aiohttp.ClientTimeout(total=60)
    headers = {"Cookie": member.cookie}
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, headers=headers, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:
        while (now := time.monotonic()) < stop_at:
            if interval:
                if due > now:
                    await asyncio.sleep(due - now)
                    now = time.monotonic()
                    if now >= stop_at:
                        break
                scheduled, due = due, due + rng.expovariate(1 / interval)
            else:
                scheduled = now
            kind = rng.choices(kinds, weights)[0]
            if kind == "list":
                url = f"{base}/claims/" + rng.choice(["", "", "?status=attention", "?status=denied", "?q=Dental"])
            elif kind == "detail":
                url = f"{base}/claims/{rng.choice(member.claims)}/"
            elif kind == "download":
                url = f"{base}/receipts/{rng.choice(member.receipts)}/download/"
            try:
                if kind == "upload":
                    began = time.monotonic()
                    pages = await _upload(http, base, member, results, checked=checked, reviews=reviews)
                    if pages:  # the first request waited for its turn like any page
                        first_kind, seconds, status, text = pages[0]
                        pages[0] = (first_kind, seconds + began - scheduled, status, text)
                else:
                    async with http.get(url, allow_redirects=False) as response:
                        body = await response.read()
                        status = response.status
                    text = body.decode("utf-8", "replace") if kind != "download" else ""
                    pages = [(kind, time.monotonic() - scheduled, status, text)]
            except (TimeoutError, aiohttp.ClientError) as exc:
                results.failures[f"{kind}: {type(exc).__name__}"] += 1
                continue
            for page_kind, elapsed, status, text in pages:
                results.served += 1
                if scheduled < record_from:
                    continue  # warm-up: caches and connection pools fill
                results.statuses[status] += 1
                results.latencies[page_kind].append(elapsed)
                results.timeline.append((scheduled - record_from, elapsed))
                if status != 200:
                    results.error_pages[f"{page_kind} {status}"] += 1
                elif ERROR_MARKER in text:
                    results.error_pages[f"{page_kind} 200 with a section that could not load"] += 1


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else float("nan")


def write_check(setup: Setup, results: Results) -> dict[str, int]:
    with psycopg.connect(setup.sandbox_db) as conn:
        counts = dict(
            conn.execute(
                "SELECT file_name, count(*) FROM sandbox_receipt WHERE file_name LIKE 'load-%%' GROUP BY file_name"
            ).fetchall()
        )
    check = Counter()
    for _, name, confirmed in results.uploads:
        made = counts.get(name, 0)
        if confirmed:
            check["confirmed"] += 1
            check["lost"] += made == 0
            check["doubled"] += made > 1
        else:
            check["never confirmed"] += 1
            check["never confirmed but stored once"] += made == 1
            check["doubled"] += made > 1
    return dict(check)


def wait_for_reviews(setup: Setup, seconds: float) -> float:
    """Wait (at most ``seconds``) until no review is waiting to be sent or for its result; how long."""
    began = time.monotonic()
    with psycopg.connect(setup.portal_db, autocommit=True) as conn:
        while time.monotonic() - began < seconds:
            (open_reviews,) = conn.execute(
                "SELECT count(*) FROM reviews_review WHERE state IN ('queued', 'submitted')"
            ).fetchone()  # type: ignore[misc]
            if not open_reviews:
                break
            time.sleep(0.5)
    return time.monotonic() - began


def review_check(setup: Setup, results: Results) -> dict[str, object]:
    """The reviews the sends started (the portal's rows), and Silver's claims (the sandbox's): one
    per evidence set, each the portal's, none for a review that failed."""
    with psycopg.connect(setup.portal_db) as conn:
        reviews = {
            number: (state, completed_at, error)
            for number, state, completed_at, error in conn.execute(
                "SELECT silver_claim_number, state, completed_at, error_code FROM reviews_review"
            ).fetchall()
        }
        (webhooks,) = conn.execute("SELECT count(*) FROM reviews_webhookdelivery").fetchone()  # type: ignore[misc]
    with psycopg.connect(setup.sandbox_db) as conn:
        silver = conn.execute(
            "SELECT claim_number, md5(evidence::text), adjudicated_at IS NOT NULL, deliveries FROM sandbox_silverclaim"
        ).fetchall()
    states = Counter(state for state, _, _ in reviews.values())
    sends = {send.silver_number: send for send in results.sends}
    seconds = [
        completed_at.timestamp() - sends[number].sent_at
        for number, (state, completed_at, _) in reviews.items()
        if state == "complete" and number in sends
    ]
    by_evidence = Counter(digest for _, digest, _, _ in silver)
    silver_numbers = {number for number, *_ in silver}
    return {
        "sends": len(results.sends),
        "sends_confirmed": sum(send.confirmed for send in results.sends),
        "confirmed_without_review": sum(s.confirmed and s.silver_number not in reviews for s in results.sends),
        "started": len(reviews),
        "submitted": states["submitted"] + states["complete"],
        "completed": states["complete"],
        "failed": states["failed"],
        "failed_codes": dict(Counter(error for state, _, error in reviews.values() if state == "failed")),
        "still_open": states["queued"] + states["submitted"],
        "webhooks_taken": webhooks,
        "send_to_complete": (len(seconds), percentile(seconds, 0.5), percentile(seconds, 0.95)),
        "silver_claims": len(silver),
        "adjudicated": sum(done for _, _, done, _ in silver),
        "webhooks_sent": sum(deliveries for *_, deliveries in silver),
        "evidence_sets_doubled": sum(count > 1 for count in by_evidence.values()),
        "silver_claims_not_ours": len(silver_numbers - set(reviews)),
        "submitted_but_not_at_silver": sum(
            state in ("submitted", "complete") and number not in silver_numbers
            for number, (state, _, _) in reviews.items()
        ),
        "reviews_not_from_a_send": len(set(reviews) - set(sends)),
    }


def run(args: argparse.Namespace, label: str, fault_rate: float, rate: float | None) -> dict[str, object]:
    var = Path(tempfile.mkdtemp(prefix=f"portal-load-{label}-"))
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, var, True)
        pace = f"members paced to {rate:g} pages/s in all" if rate else "closed loop, no think time"
        print(f"\n== {label}: setting up (fault rate {fault_rate:.0%}; {pace}) ...", flush=True)
        setup = start(args, fault_rate, var, stack)
        members = sign_in_members(setup, args.members)
        print(f"   {len(members)} members signed in; running {args.warmup}s warm-up + {args.duration}s", flush=True)
        results = Results()
        rng = random.Random(7)
        cpu_before = cpu_seconds(setup)

        async def everyone() -> None:
            begin = time.monotonic()
            record_from, stop_at = begin + args.warmup, begin + args.warmup + args.duration
            ramp = args.warmup * 2 / 3  # every member is in before the last third of the warm-up
            await asyncio.gather(
                *(
                    member_loop(
                        setup.portal_url,
                        m,
                        results,
                        stop_at,
                        record_from,
                        random.Random(rng.random()),
                        interval=len(members) / rate if rate else None,
                        start_at=begin + ramp * index / len(members),
                        page_mix=mix(args.upload_share),
                        checked=not args.direct_uploads,
                        reviews=setup.reviews,
                    )
                    for index, m in enumerate(members)
                )
            )

        asyncio.run(everyone())
        cpu_after = cpu_seconds(setup)
        reviews = None
        if setup.reviews:  # the last sends' reviews finish after the members stop
            waited = wait_for_reviews(setup, args.review_wait)
            reviews = review_check(setup, results)
            reviews["waited"] = waited
            reviews["silver_cpu"] = cpu_seconds(setup).get(SILVER_WORKER, 0) - cpu_before.get(SILVER_WORKER, 0)
        if args.keep_logs:
            Path(args.keep_logs).mkdir(parents=True, exist_ok=True)
            for name in setup.processes:
                shutil.copy(var / f"{name}.log", Path(args.keep_logs) / f"{label}-{name}.log")
        pages = sum(len(v) for v in results.latencies.values())
        everything = [x for v in results.latencies.values() for x in v]
        report: dict[str, object] = {
            "pages": pages,
            "pages_per_s": pages / args.duration,
            "p50": percentile(everything, 0.50),
            "p95": percentile(everything, 0.95),
            "p99": percentile(everything, 0.99),
            "by_kind": {
                kind: (len(v), percentile(v, 0.5), percentile(v, 0.95)) for kind, v in results.latencies.items()
            },
            "statuses": dict(results.statuses),
            "error_pages": dict(results.error_pages),
            "errors_total": sum(results.error_pages.values()),
            "five_hundreds": results.statuses.get(500, 0),
            "failures": dict(results.failures),
            "writes": write_check(setup, results),
            "upload_attempts": results.upload_attempts,
            "findings_shown": (
                len(results.findings_shown),
                percentile(results.findings_shown, 0.5),
                percentile(results.findings_shown, 0.95),
            ),
            # The sandbox's Silver worker stands in for Silver's side: reported apart (reviews).
            "cpu": {k: cpu_after.get(k, 0) - cpu_before.get(k, 0) for k in cpu_after if k != SILVER_WORKER},
            "reviews": reviews,
            "served": results.served,
            "timeline": _timeline(results.timeline, args.duration),
        }
    _print(label, report, args)
    return report


def _timeline(points: list[tuple[float, float]], duration: int, step: int = 10) -> list[tuple[int, int, float]]:
    """(second, pages, p95 ms) per step of the run: shows whether slow pages come in bursts."""
    buckets: dict[int, list[float]] = {}
    for due, latency in points:
        buckets.setdefault(int(due // step) * step, []).append(latency)
    return [(start, len(buckets.get(start, [])), percentile(buckets.get(start, []), 0.95))
            for start in range(0, duration, step)]  # fmt: skip


def machine_speed_ms() -> float:
    """Best of 5 of a fixed single-threaded Python workload (dicts, strings, JSON), in ms; lower is
    faster. The shared host's speed varies from day to day (the same code has needed 6.5 to 10.5 ms
    of CPU per page), so every run prints it next to its figures to make runs comparable."""

    def work() -> int:
        rows = [{"n": i, "name": f"claim-{i:06d}", "amount": i * 1.25, "tag": str(i % 7)} for i in range(20_000)]
        back = json.loads(json.dumps(rows))
        return sum(len(row["name"]) for row in back if row["n"] % 3)

    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def _print(label: str, r: dict[str, object], args: argparse.Namespace) -> None:
    pages = r["pages"] or 1
    print(f"-- {label}: {r['pages']} pages in {args.duration}s with {args.members} members")
    print(f"   throughput {r['pages_per_s']:.1f} pages/s;  p50 {r['p50']:.1f} ms  p95 {r['p95']:.1f} ms  "
          f"p99 {r['p99']:.1f} ms")  # fmt: skip
    for kind, (count, p50, p95) in r["by_kind"].items():  # type: ignore[attr-defined]
        print(f"   {kind:10s} {count:7d} pages   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    print(f"   statuses {r['statuses']}")
    print(f"   error pages {r['errors_total']} ({100 * r['errors_total'] / pages:.3f}%): {r['error_pages']}")  # type: ignore[operator]
    print(f"   500s {r['five_hundreds']};  client-side failures {r['failures']}")
    print(f"   writes {r['writes']} ({r['upload_attempts']} upload posts)")
    shown, shown_p50, shown_p95 = r["findings_shown"]  # type: ignore[misc]
    if shown:
        print(f"   receipt check: findings shown {shown} times, p50 {shown_p50:.0f} ms  p95 {shown_p95:.0f} ms "
              "after choosing the file (the panel's polling included)")  # fmt: skip
    reviews = r["reviews"]
    if reviews is not None:
        _print_reviews(reviews, args)  # type: ignore[arg-type]
    timeline = r["timeline"]
    print("   p95 by 10 s: " + "  ".join(f"{p95:.0f}" for _, _, p95 in timeline))  # type: ignore[attr-defined]
    cpu = r["cpu"]
    print("   CPU seconds: " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(cpu.items())))  # type: ignore[attr-defined]
    served = r["served"] or 1
    print(
        "   CPU ms per page (warm-up included): "
        + ", ".join(
            f"{k} {1000 * v / served:.2f}"
            for k, v in sorted(cpu.items())  # type: ignore[attr-defined,operator]
        )
        + f";  all {1000 * sum(cpu.values()) / served:.2f}"
    )  # type: ignore[attr-defined,operator]


def _print_reviews(v: dict[str, object], args: argparse.Namespace) -> None:
    done, p50, p95 = v["send_to_complete"]  # type: ignore[misc]
    failed_codes = f" {v['failed_codes']}" if v["failed_codes"] else ""
    print(f"   reviews: {v['sends']} sends to claims waiting for evidence ({v['sends_confirmed']} confirmed, "
          f"{v['confirmed_without_review']} confirmed without a review); {v['started']} reviews started, "
          f"{v['submitted']} submitted to Silver, {v['completed']} completed (webhook events taken "
          f"{v['webhooks_taken']}, the poll the rest), {v['failed']} failed{failed_codes}, "
          f"{v['still_open']} still open after waiting {v['waited']:.0f} s")  # fmt: skip
    print(f"   reviews: send to completion p50 {p50:.0f} ms  p95 {p95:.0f} ms ({done} timed, warm-up "
          "included; Silver's delay is 2 s)")  # fmt: skip
    print(f"   Silver: {v['silver_claims']} claims, {v['adjudicated']} adjudicated, {v['webhooks_sent']} webhooks "
          f"sent; evidence sets with more than one claim {v['evidence_sets_doubled']}, claims not the portal's "
          f"{v['silver_claims_not_ours']}, reviews submitted but not at Silver {v['submitted_but_not_at_silver']}, "
          f"reviews from no send {v['reviews_not_from_a_send']}")  # fmt: skip
    adjudicated = v["adjudicated"] or 1
    print(f"   sandbox Silver worker CPU {v['silver_cpu']:.1f} s ({SILVER_WORKER_PROCESSES} processes; "
          f"{1000 * v['silver_cpu'] / adjudicated:.0f} ms per claim adjudicated, the wait after the run included; "  # type: ignore[operator]
          "not in the CPU figures below)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=120)
    parser.add_argument("--warmup", type=int, default=30, help="seconds before measuring (caches fill)")
    parser.add_argument("--members", type=int, default=64)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--fault-rate", type=float, default=0.10)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", 3 * (os.cpu_count() or 1))))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", 8)))
    parser.add_argument("--sandbox-workers", type=int, default=2)
    parser.add_argument("--sandbox-threads", type=int, default=64)
    parser.add_argument("--runs", default="capacity,steady,faults", help="any of: " + ", ".join(RUNS))
    parser.add_argument("--upload-share", type=float, default=3.0, help="percent of pages that are receipt uploads")
    parser.add_argument("--rate", type=float, default=250.0, help="pages/s offered in the paced runs")
    parser.add_argument(
        "--direct-uploads", action="store_true", help="post uploads straight to the upload, without the receipt check"
    )
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14"))
    parser.add_argument(
        "--no-reviews", action="store_true", help="no Silver: the setup before issue 17 (no reviews, no Silver worker)"
    )
    parser.add_argument(
        "--sandbox-redis",
        default=os.environ.get("BENCH_SANDBOX_REDIS", "redis://127.0.0.1:6379/13"),
        help="the sandbox Silver worker's broker (flushed; not --redis)",
    )
    parser.add_argument(
        "--silver-webhook", default="deliver", help="the sandbox Silver's webhook: deliver, drop, duplicate, late=S"
    )
    parser.add_argument("--review-wait", type=float, default=60.0, help="seconds to wait for open reviews at the end")
    parser.add_argument("--keep-logs", default=None, help="copy the servers' logs into this folder")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    print(f"load run {datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores; uploads {args.upload_share:g}% of "
          f"pages; portal gunicorn "
          f"{args.workers} workers x {args.threads} threads; sandbox {args.sandbox_workers} workers, "
          f"{args.latency_ms} ms latency; reviews {'off' if args.no_reviews or args.direct_uploads else 'on'}; "
          f"machine speed {machine_speed_ms():.0f} ms (lower is faster)")  # fmt: skip
    for label in args.runs.split(","):
        if label not in RUNS:
            raise SystemExit(f"unknown run {label!r}: choose from {', '.join(RUNS)}")
        paced, faulty = RUNS[label]
        run(args, label, args.fault_rate if faulty else 0.0, args.rate if paced else None)
        print(f"   machine speed after the run {machine_speed_ms():.0f} ms (lower is faster)")


if __name__ == "__main__":
    main()
