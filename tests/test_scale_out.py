"""Two app processes behind one URL are one portal (PostgreSQL + Redis profile only).

A round-robin TCP balancer in front of two `manage.py serve` processes, production settings
(DJANGO_DEBUG=0, the same secrets), sharing only PostgreSQL, Redis and the receipt store. Each
browser request opens a new connection, so consecutive requests land on alternate processes: the
whole sign-in dance, then a form fetched from one process and posted to the other, then sign-out.
"""

from __future__ import annotations

import itertools
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection

from sandbox.demo_files import receipt_pdf
from sandbox.models import Claim, Receipt, ReceiptStatus
from tests.helpers import csrf as _csrf
from tests.helpers import portal_sign_in
from tests.site_env import _free_port

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    not (settings.DATABASES["default"]["ENGINE"].endswith("postgresql") and settings.REDIS_URL),
    reason="needs the production data stores (DATABASE_URL=postgres://..., REDIS_URL)",
)


class Balancer:
    """Hands each new connection to the next backend in turn (or to ``pin`` when set)."""

    def __init__(self, backends: list[int]) -> None:
        self.backends = backends
        self.served: list[int] = []  # backend index per accepted connection
        self.pin: int | None = None
        self._turn = itertools.cycle(range(len(backends)))
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            index = self.pin if self.pin is not None else next(self._turn)
            self.served.append(index)
            upstream = socket.create_connection(("127.0.0.1", self.backends[index]))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (sink, source):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self._listener.close()


def _wait(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app process exited: {log.read_text()[-2000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"app process did not start: {log.read_text()[-2000:]}")


@pytest.fixture
def two_processes(demo, tmp_path) -> Iterator[tuple[str, Balancer]]:
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    backends = [_free_port(), _free_port()]
    balancer = Balancer(backends)
    site = f"http://127.0.0.1:{balancer.port}"
    keep = {"PATH", "HOME", "LANG", "REDIS_URL", "CACHE_KEY_PREFIX", "VIRTUAL_ENV"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings", DJANGO_DEBUG="0", SECURE_SSL_REDIRECT="0",
        DJANGO_SECRET_KEY="scale-out-" + "s" * 50, TOKEN_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        SITE_URL=site, DATABASE_URL=database_url,
        SANDBOX_ENABLED="1", OIDC_CLIENT_SECRET=settings.OIDC_CLIENT_SECRET,
        PORTAL_VAR_DIR=str(tmp_path), SANDBOX_KEY_FILE=str(settings.SANDBOX_KEY_FILE),
        SANDBOX_MEDIA_ROOT=str(settings.SANDBOX_MEDIA_ROOT), SERVE_THREADS="8", DATABASE_POOL_SIZE="8",
        LOG_LEVEL="WARNING",
    )  # fmt: skip
    # The provider must know the balancer's address as the portal's callback.
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from oauth2_provider.models import get_application_model

    def pbkdf2(secret: str) -> str:  # the suite hashes with MD5 for speed; production knows only PBKDF2
        return PBKDF2PasswordHasher().encode(secret, PBKDF2PasswordHasher().salt())

    get_application_model().objects.filter(client_id=settings.OIDC_CLIENT_ID).update(
        redirect_uris=f"{site}/accounts/oidc/{settings.OIDC_PROVIDER_ID}/login/callback/",
        post_logout_redirect_uris=f"{site}/ {site}/signin/",
        client_secret=pbkdf2(settings.OIDC_CLIENT_SECRET),
    )
    get_user_model().objects.filter(username="alice").update(password=pbkdf2("sandbox-demo"))
    manage = [sys.executable, str(ROOT / "manage.py")]
    collected = subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=False)
    assert collected.returncode == 0
    processes = []
    try:
        for port in backends:
            log = tmp_path / f"app-{port}.log"
            process = subprocess.Popen(
                [*manage, "serve", "--port", str(port)], env=env, cwd=ROOT,
                stdout=log.open("wb"), stderr=subprocess.STDOUT,
            )  # fmt: skip
            processes.append(process)
            _wait(port, process, log)
        yield site, balancer
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(10)
        balancer.close()


def _browser() -> requests.Session:
    browser = requests.Session()
    browser.headers["Connection"] = "close"  # a new connection (so the next process) per request
    return browser


def test_sign_in_on_one_process_and_continue_on_the_other(two_processes, demo):
    site, balancer = two_processes
    browser = _browser()

    # The whole sign-in, alternating: state, PKCE verifier and session all live in Redis.
    browser, home = portal_sign_in(site, "alice", browser)
    assert "Your claims" in home.text
    assert set(balancer.served) == {0, 1}, balancer.served

    # Ten pages in a row, alternating processes: every one sees the same signed-in member.
    for _ in range(10):
        listing = browser.get(f"{site}/claims/", timeout=20)
        assert listing.status_code == 200 and "/signin/" not in listing.url
        assert "Sign out" in listing.text

    # A form from process 0, posted twice to process 1 and once to process 0: one receipt.
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    balancer.pin = 0
    detail = browser.get(f"{site}/claims/{claim.claim_number}/", timeout=20).text
    form = {
        "csrfmiddlewaretoken": _csrf(detail),
        "upload_token": re.search(r'name="upload_token" value="([^"]+)"', detail).group(1),
    }
    pdf = receipt_pdf(["Scale-out test", "$10.00"])
    for target in (1, 1, 0):
        balancer.pin = target
        answer = browser.post(
            f"{site}/claims/{claim.claim_number}/receipts/", data=form,
            files={"receipt_files": ("scaled.pdf", pdf, "application/pdf")}, timeout=30,
        )  # fmt: skip
        assert answer.status_code == 200 and "Uploaded 1 document" in answer.text
    assert Receipt.objects.filter(claims=claim).count() == 1

    # Signed out on process 1 means signed out on process 0.
    balancer.pin = 1
    signed_out = browser.post(f"{site}/signout/", data={"csrfmiddlewaretoken": _csrf(detail)}, timeout=20)
    assert signed_out.status_code == 200
    balancer.pin = 0
    after = browser.get(f"{site}/claims/", timeout=20)
    assert "/signin/" in after.url
