"""`manage.py serve` (what `make run` starts) runs a task worker with its scheduler beside the web
server, and they stop together: on SIGTERM both go; when the worker dies the server says so and
stops too."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.receipts.workers import worker_database_url
from tests.site_env import _free_port
from tests.test_production import _embedded_env

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text()


def _serve(tmp_path: Path) -> tuple[subprocess.Popen[bytes], int, Path]:
    port = _free_port()
    env = _embedded_env(tmp_path / "var")
    env.update(DATABASE_URL=worker_database_url(), WORKER_CONCURRENCY="1", PORT=str(port))
    log = tmp_path / "serve.log"
    serve = subprocess.Popen(
        ["nice", "-n", "19", sys.executable, str(ROOT / "manage.py"), "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert serve.poll() is None, log.read_text()[-3000:]
        with socket.socket() as sock:
            listening = sock.connect_ex(("127.0.0.1", port)) == 0
        if listening and " ready." in log.read_text(errors="replace"):
            (worker,) = _children(serve.pid)
            return serve, worker, log
        time.sleep(0.2)
    raise AssertionError(log.read_text()[-3000:])


@pytest.fixture
def served(transactional_db, tmp_path):
    serve, worker, log = _serve(tmp_path)
    yield serve, worker, log
    for pid in (serve.pid, worker):
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    serve.wait(10)


def test_sigterm_stops_the_server_the_worker_and_its_scheduler(served):
    serve, worker, log = served
    group = _children(worker)  # the pool's process and the scheduler
    assert len(group) >= 2
    serve.send_signal(signal.SIGTERM)
    assert serve.wait(40) == 0, log.read_text()[-3000:]
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in [worker, *group]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in [worker, *group])
    assert "with a task worker" in log.read_text() and "Stopped." in log.read_text()


def test_a_worker_that_dies_stops_the_server_which_says_so(served):
    serve, worker, log = served
    os.killpg(worker, signal.SIGKILL)
    assert serve.wait(40) == 1
    assert "The task worker stopped by itself" in log.read_text()


def test_sigterm_stops_a_busy_server(served):
    """A SIGTERM that lands while waitress's loop is inside a channel's handler still stops it
    (waitress swallows ordinary exceptions raised there)."""
    serve, _worker, log = served
    port = int(serve.args[serve.args.index("--port") + 1])
    stop = time.monotonic() + 60

    def hammer() -> None:
        while time.monotonic() < stop:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
                    for _ in range(200):
                        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + b"x" * 2000 + b"\r\n")
            except OSError:
                if serve.poll() is not None:
                    return

    threads = [threading.Thread(target=hammer, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    assert serve.poll() is None, log.read_text()[-3000:]
    serve.send_signal(signal.SIGTERM)  # while the loop is busy reading the requests
    assert serve.wait(40) == 0, log.read_text()[-3000:]
