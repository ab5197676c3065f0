"""Shared fixtures: a real waitress server on SITE_URL, seeded sandbox data, tokens, HTTP."""

from __future__ import annotations

import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from django.conf import settings

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config: pytest.Config) -> None:
    """The Spanish pages need the compiled catalog: `make test` builds it (compilemessages); a
    pytest run on its own builds a missing or stale one the same way, with polib (no msgfmt)."""
    from pathlib import Path

    import polib

    for po_path in Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


def _wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"test server did not start on port {port}")


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """The portal + sandbox served by waitress, exactly as `make run` serves them."""
    from portal.management.commands.serve import make_server

    shutil.rmtree(settings.SANDBOX_MEDIA_ROOT, ignore_errors=True)
    server = make_server("127.0.0.1", settings.PORT, settings.SERVE_THREADS)
    thread = threading.Thread(target=server.run, name="test-waitress", daemon=True)
    thread.start()
    _wait_for_port(settings.PORT)
    yield settings.SITE_URL
    server.close()
    # The server's threads borrowed PostgreSQL connections from the process's pool: close it, or
    # the test database cannot be dropped at the end of the session ("being accessed by other users").
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if hasattr(connection, "close_pool"):
            connection.close_pool()


@dataclass
class Demo:
    """The seeded sandbox, with helpers to call its API as a given user."""

    base_url: str
    api_url: str
    session: requests.Session = field(default_factory=requests.Session)

    @staticmethod
    def person_id(name: str) -> str:
        from sandbox.seed import stable_id

        return str(stable_id("person", name))

    @staticmethod
    def employer_id(key: str) -> str:
        from sandbox.seed import stable_id

        return str(stable_id("employer", key))

    @property
    def alice(self) -> str:
        return self.person_id("Alice Nguyen")

    @property
    def bob(self) -> str:
        return self.person_id("Bob Martinez")

    @property
    def dave(self) -> str:
        return self.person_id("Dave Okafor")

    @property
    def acme(self) -> str:
        return self.employer_id("acme")

    @property
    def northwind(self) -> str:
        return self.employer_id("northwind")

    def token(self, username: str, *, scopes: list[str] | None = None, lifetime: int | None = None) -> str:
        from django.contrib.auth import get_user_model

        from sandbox.identity import allowed_scopes
        from sandbox.idp.tokens import mint_access_token

        user = get_user_model().objects.get(username=username)
        granted = scopes if scopes is not None else sorted(allowed_scopes(user))
        return mint_access_token(user=user, scopes=granted, client_id="tests", lifetime=lifetime)

    def call(
        self,
        method: str,
        path: str,
        *,
        as_user: str | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        send = dict(headers or {})
        if as_user:
            token = self.token(as_user)
        if token:
            send["Authorization"] = f"Bearer {token}"
        kwargs.setdefault("timeout", 20)
        return self.session.request(method, f"{self.api_url}{path}", headers=send, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("GET", path, **kwargs)

    def patch_denial(
        self,
        claim_number: str,
        denial_id: str,
        body: dict[str, Any],
        *,
        key: str | None = None,
        as_user: str = "hana",
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        send = {"Idempotency-Key": key or str(uuid.uuid4()), **(headers or {})}
        return self.call(
            "PATCH",
            f"/v1/claims/{claim_number}/denials/{denial_id}",
            as_user=as_user,
            json=body,
            headers=send,
        )


@pytest.fixture
def demo(transactional_db: None, server_url: str) -> Demo:
    from sandbox.seed import Seeder

    Seeder().run()
    return Demo(base_url=server_url, api_url=settings.CLAIMS_API_BASE_URL)


def claims_where(**lookup: Any) -> Any:
    from sandbox.models import Claim

    return Claim.objects.filter(**lookup)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache (per-user claim lists, fault counters, locks)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
