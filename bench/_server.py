"""Start a throwaway portal + sandbox server for a benchmark (own port, own var dir)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def sandbox_server(
    *, seed_args: tuple[str, ...] = (), log_path: str | None = None, **extra_env: str
) -> Iterator[dict[str, str]]:
    port = free_port()
    var = tempfile.mkdtemp(prefix="portal-bench-")
    env = {k: v for k, v in os.environ.items() if k not in {"CLAIMS_API_BASE_URL", "OIDC_ISSUER_URL"}}
    env.update(
        {"PORT": str(port), "SITE_URL": f"http://127.0.0.1:{port}", "PORTAL_VAR_DIR": var, "LOG_LEVEL": "WARNING",
         "DJANGO_SETTINGS_MODULE": "portal.settings", **extra_env}
    )  # fmt: skip
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "seed_sandbox", *seed_args], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    log = open(log_path, "w") if log_path else subprocess.DEVNULL
    server = subprocess.Popen([*manage, "serve"], env=env, cwd=ROOT, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield env
    finally:
        server.terminate()
        server.wait(10)
        if log_path:
            log.close()  # type: ignore[union-attr]
        shutil.rmtree(var, ignore_errors=True)


def token(env: dict[str, str], username: str) -> str:
    out = subprocess.check_output([PYTHON, str(ROOT / "manage.py"), "sandbox_token", username], env=env, cwd=ROOT)
    return out.decode().strip()


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def portal_session(base_url: str, username: str):  # type: ignore[no-untyped-def]
    """A requests.Session signed in to the portal through the sandbox provider."""
    import re

    import requests

    def csrf(html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]

    browser = requests.Session()
    page = browser.get(f"{base_url}/signin/", timeout=10)
    at_provider = browser.post(
        f"{base_url}/accounts/oidc/benefits/login/", data={"csrfmiddlewaretoken": csrf(page.text)}
    )
    next_url = re.search(r'name="next" value="([^"]+)"', at_provider.text).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    browser.post(
        at_provider.url,
        data={
            "csrfmiddlewaretoken": csrf(at_provider.text),
            "username": username,
            "password": "sandbox-demo",
            "next": next_url,
        },
    )
    return browser
