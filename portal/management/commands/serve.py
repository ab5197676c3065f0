"""Serve the portal (and the sandbox, when enabled) with waitress, a multi-threaded WSGI server."""

from __future__ import annotations

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
