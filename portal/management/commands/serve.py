"""Serve the portal (and the sandbox, when enabled) with waitress, a multi-threaded WSGI server."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


def make_server(host: str, port: int, threads: int):  # type: ignore[no-untyped-def]
    from waitress.server import create_server

    from portal.wsgi import application

    return create_server(
        application,
        host=host,
        port=port,
        threads=threads,
        # Keep-alive connections from the gateway's pooled sessions count against this limit.
        connection_limit=max(1000, threads * 8),
        channel_timeout=120,
        asyncore_use_poll=True,
        ident="portal",
    )


class Command(BaseCommand):
    help = "Serve the portal with waitress (threads from SERVE_THREADS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=None, help="Interface to bind (default: HOST or 127.0.0.1)")
        parser.add_argument("--port", type=int, default=None, help="Port (default: PORT or 8000)")

    def handle(self, *args: Any, **options: Any) -> None:
        import os

        host = options["host"] or os.environ.get("HOST", "127.0.0.1")
        port = options["port"] or settings.PORT
        server = make_server(host, port, settings.SERVE_THREADS)
        self.stdout.write(
            f"Serving the portal on {settings.SITE_URL} (bound to {host}:{port}, "
            f"{settings.SERVE_THREADS} threads). Press Ctrl+C to stop."
        )
        try:
            server.run()
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
