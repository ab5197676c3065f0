"""Production static files: hashed (long-cache) names, pre-compressed, and no insecure start."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # The test run's own settings (its port, its async shortcut for Playwright) are not production's.
    skip = ("SITE_URL", "PORT", "DJANGO_ALLOW_ASYNC_UNSAFE", "SANDBOX_ENABLED")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="test-" + "k" * 60,
        TOKEN_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        PORTAL_VAR_DIR=str(tmp_path),
        **extra,
    )
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=True, text=True,
        check=False,
    )  # fmt: skip


def test_css_and_js_get_hashed_compressed_names(tmp_path):
    env = _production_env(tmp_path)
    collected = _manage(env, "collectstatic", "--noinput")
    assert collected.returncode == 0, collected.stderr
    names = _manage(
        env, "shell", "-c",
        "from django.templatetags.static import static as s; "
        "print(s('portal/portal.css'), s('portal/session.js'), s('portal/upload.js'), s('django_htmx/htmx-2.min.js'))",
    )  # fmt: skip
    assert names.returncode == 0, names.stderr
    urls = names.stdout.strip().splitlines()[-1].split()
    assert len(urls) == 4 and all(re.search(r"\.[0-9a-f]{12}\.(css|js)$", url) for url in urls), urls
    for url in urls:
        assert (tmp_path / "staticfiles" / (url.removeprefix("/static/") + ".gz")).exists()


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "TOKEN_ENCRYPTION_KEYS"])
def test_production_refuses_to_start_without_its_secrets(tmp_path, missing):
    env = _production_env(tmp_path)
    env.pop(missing)
    result = _manage(env, "check")
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_check_deploy_is_clean_in_production(tmp_path):
    env = _production_env(
        tmp_path,
        SANDBOX_ENABLED="0",
        SITE_URL="https://portal.example.com",
        CLAIMS_API_BASE_URL="https://claims.example.com",
        OIDC_ISSUER_URL="https://id.example.com",
        OIDC_CLIENT_ID="portal",
        OIDC_CLIENT_SECRET="a-real-secret",
    )
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_needs_its_services_named(tmp_path):
    env = _production_env(tmp_path, SANDBOX_ENABLED="0", SITE_URL="https://portal.example.com")
    result = _manage(env, "check")
    assert result.returncode != 0 and "CLAIMS_API_BASE_URL must be set" in result.stderr
