"""Serve the portal (and the sandbox, when enabled) with waitress, a multi-threaded WSGI server,
and (SERVE_WITH_WORKER, the embedded default) a task worker with its scheduler beside it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


def _too_large_task_class():  # type: ignore[no-untyped-def]
    """waitress's error task, answering a declared body over its limit with the portal's page."""
    from waitress.task import ErrorTask
    from waitress.utilities import RequestEntityTooLarge

    class PortalErrorTask(ErrorTask):
        def execute(self) -> None:
            if not isinstance(self.request.error, RequestEntityTooLarge):
                super().execute()
                return
            from django.template.loader import render_to_string

            from portal.request_context import new_request_id

            request_id = new_request_id()
            body = render_to_string(
                "413.html", {"limit": settings.REQUEST_MAX_BYTES, "request_id": request_id}
            ).encode()
            self.status = "413 Request Entity Too Large"
            self.response_headers.extend(
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Cache-Control", "no-store"),
                    ("X-Request-Id", request_id),
                ]
            )
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    return PortalErrorTask


def make_server(host: str, port: int, threads: int):  # type: ignore[no-untyped-def]
    from waitress.channel import HTTPChannel
    from waitress.server import create_server

    from portal.wsgi import application

    server = create_server(
        application,
        host=host,
        port=port,
        threads=threads,
        # Keep-alive connections from the gateway's pooled sessions count against this limit.
        connection_limit=max(1000, threads * 8),
        channel_timeout=120,
        asyncore_use_poll=True,
        ident="portal",
        # A declared body over the limit is refused as soon as its headers arrive (waitress
        # would otherwise read all of it, to disk, before the portal could say no).
        max_request_body_size=settings.REQUEST_MAX_BYTES + 1,
    )

    class PortalChannel(HTTPChannel):
        error_task_class = _too_large_task_class()

    server.channel_class = PortalChannel
    return server


def _own_session_dying_with_parent() -> None:  # pragma: no cover - runs in the child
    """The worker's own session (Ctrl-C reaches the server, which stops the worker once), and a
    SIGTERM when the server's process goes, however it goes (Linux)."""
    os.setsid()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_worker(concurrency: int) -> subprocess.Popen[bytes]:
    """``celery -A portal worker --beat`` as a child process (the same Python, settings, env)."""
    command = [
        sys.executable, "-m", "celery", "-A", "portal", "worker", "--beat",
        "--pool", "prefork", "--concurrency", str(concurrency), "--loglevel", "INFO",
        "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME,
    ]  # fmt: skip
    return subprocess.Popen(command, preexec_fn=_own_session_dying_with_parent)  # noqa: S603


def stop_worker(worker: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    """A warm shutdown (running tasks finish), then the whole group killed if it hangs on."""
    if worker.poll() is None:
        try:
            worker.terminate()  # to the worker itself, which stops its pool and scheduler
            worker.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(5)
        except ProcessLookupError:
            pass
    # The pool's children and the scheduler leave with their parent; none may outlive it.
    try:
        os.killpg(worker.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


class _Stop(SystemExit):
    """Raised by the SIGTERM handler. A SystemExit, because waitress's loop swallows any other
    exception raised while it is inside a channel's handler (its bare ``except:`` logs and goes
    on), which would leave the server running after a SIGTERM; ``server.run()`` ends on it."""


class Command(BaseCommand):
    help = "Serve the portal with waitress (threads from SERVE_THREADS), with a task worker (SERVE_WITH_WORKER)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=None, help="Interface to bind (default: HOST or 127.0.0.1)")
        parser.add_argument("--port", type=int, default=None, help="Port (default: PORT or 8000)")
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start a task worker (default: SERVE_WITH_WORKER)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host = options["host"] or os.environ.get("HOST", "127.0.0.1")
        port = options["port"] or settings.PORT
        server = make_server(host, port, settings.SERVE_THREADS)
        worker = None
        worker_died, stopping = threading.Event(), threading.Event()
        if settings.SERVE_WITH_WORKER and not options["no_worker"]:
            worker = start_worker(settings.WORKER_CONCURRENCY)
            threading.Thread(target=self._watch, args=(worker, worker_died, stopping), daemon=True).start()

        def stop(signum: int, frame: object) -> None:
            raise _Stop

        try:
            signal.signal(signal.SIGTERM, stop)  # inside the try: a SIGTERM from here on stops cleanly
            self.stdout.write(
                f"Serving the portal on {settings.SITE_URL} (bound to {host}:{port}, "
                f"{settings.SERVE_THREADS} threads)"
                + (f", with a task worker ({settings.WORKER_CONCURRENCY} processes) and its scheduler" * bool(worker))
                + ". Press Ctrl+C to stop."
            )
            server.run()
        except (KeyboardInterrupt, _Stop):
            pass
        finally:
            stopping.set()
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one must not cut the shutdown short
            if worker is not None:
                stop_worker(worker)
            server.close()
        if worker_died.is_set():
            self.stderr.write(
                f"The task worker stopped by itself (exit code {worker.returncode if worker else '?'}), "
                "so the portal stopped too: receipts chosen in upload forms could not be read. See the lines above."
            )
            sys.exit(1)
        self.stdout.write("Stopped.")

    @staticmethod
    def _watch(worker: subprocess.Popen[bytes], died: threading.Event, stopping: threading.Event) -> None:
        """Stop the server when the worker ends by itself (the server stopping it sets no flag)."""
        worker.wait()
        if not stopping.is_set():
            died.set()
            os.kill(os.getpid(), signal.SIGTERM)
