"""Real task workers for tests: ``celery -A portal worker`` subprocesses on the test database and
the test run's broker (the SQLite file in var/test, or Redis with REDIS_URL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
# Short enough for a test to watch a lease pass; the reader's time limits sit inside it.
LEASE_SECONDS = 4.0


def worker_database_url() -> str:
    """The test database (pytest-django's, not the one the settings name) as DATABASE_URL."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL to the worker, its pool and its scheduler at once (a machine that died)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(10)

    def text(self) -> str:
        return self.log.read_text(errors="replace")


def worker_env(tmp_path: Path, reader: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=worker_database_url(),
        EVIDENCE_READER=reader,
        FAKE_READER_DIR=str(tmp_path),
        RECEIPT_CHECK_LEASE_SECONDS=str(LEASE_SECONDS),
        RECEIPT_CHECK_RETRY_SECONDS="0.3",
        RECEIPT_CHECK_WATCHDOG_SECONDS="1",
        LOG_LEVEL="INFO",
        **extra,
    )
    return env


def _wait_ready(worker: Worker, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            raise RuntimeError(f"worker exited: {worker.text()[-3000:]}")
        if " ready." in worker.text():
            return
        time.sleep(0.1)
    raise RuntimeError(f"worker did not start: {worker.text()[-3000:]}")


@pytest.fixture
def start_worker(transactional_db: None, tmp_path: Path, settings) -> Iterator[Callable[..., Worker]]:
    """Starts real workers (``beat=True``: with the scheduler, its watchdog every second); each
    is killed at the end, before the test database is flushed."""
    from portal.celery import app

    settings.RECEIPT_CHECK_LEASE_SECONDS = LEASE_SECONDS
    app.control.purge()  # messages a run before left behind (it also creates the embedded broker's tables)
    started: list[Worker] = []

    def start(reader: str, *, beat: bool = False, **extra: str) -> Worker:
        log = tmp_path / f"worker-{len(started)}.log"
        command = ["nice", "-n", "19", sys.executable, "-m", "celery", "-A", "portal", "worker",
                   "--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO"]  # fmt: skip
        if beat:
            command += ["--beat", "--schedule", str(tmp_path / f"schedule-{len(started)}")]
        process = subprocess.Popen(
            command, cwd=ROOT, env=worker_env(tmp_path, reader, **extra),
            stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        worker = Worker(process, log)
        started.append(worker)
        _wait_ready(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()
    app.control.purge()


def wait_for(predicate: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
