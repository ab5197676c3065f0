"""Loaded with ``-p tests.site_env`` before Django starts: the test run gets its own free port.

SITE_URL (and so the sandbox issuer and Claims API URLs derived from it) must be known when the
settings load, because the tests talk to a real server on that port.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_root = Path(__file__).resolve().parent.parent
_port = int(os.environ.get("TEST_PORT") or _free_port())
os.environ["PORT"] = str(_port)
os.environ["SITE_URL"] = f"http://127.0.0.1:{_port}"
# Derive every service URL from SITE_URL, whatever the developer's shell has set.
for _name in (
    "CLAIMS_API_BASE_URL",
    "OIDC_ISSUER_URL",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "SANDBOX_LATENCY_MS",
    "SANDBOX_FAULT_RATE",
    "SANDBOX_FAULT_STATUS",
):
    os.environ.pop(_name, None)
# Nor may a developer's own upstream settings (Silver, Optum, Integrex) reach the tests.
for _name in [
    n
    for n in os.environ
    if n.startswith(("SILVER_", "OPTUM_", "INTEGREX_", "SANDBOX_SILVER_", "SANDBOX_OPTUM_", "SANDBOX_INTEGREX_"))
]:
    os.environ.pop(_name, None)
os.environ["SANDBOX_ENABLED"] = "1"
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ["PORTAL_VAR_DIR"] = str(_root / "var" / "test")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Server threads must not keep connections open past a request: the test database is dropped at the end.
os.environ["DATABASE_CONN_MAX_AGE"] = "0"
# Playwright's sync API runs an event loop in the test thread; Django's ORM guard would refuse the
# test's own (synchronous) database calls made beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
