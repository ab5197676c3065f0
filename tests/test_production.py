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


_SERVICES = {
    "SITE_URL": "https://portal.example.com",
    "CLAIMS_API_BASE_URL": "https://claims.example.com",
    "OIDC_ISSUER_URL": "https://id.example.com",
    "OIDC_CLIENT_ID": "portal",
    "OIDC_CLIENT_SECRET": "a-real-secret",
}


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
    env = _production_env(tmp_path, **_SERVICES)
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


def _setting(env: dict[str, str], expression: str) -> str:
    result = _manage(env, "shell", "-c", f"from django.conf import settings; print({expression})")
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_with_only_the_required_variables_has_no_sandbox_and_a_clean_deploy_check(tmp_path):
    env = _production_env(tmp_path, **_SERVICES)  # SANDBOX_ENABLED not set at all
    assert _setting(env, "settings.SANDBOX_ENABLED, 'sandbox' in settings.INSTALLED_APPS") == "False False"
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_sandbox_forced_on_in_production_is_a_loud_deploy_warning(tmp_path):
    env = _production_env(tmp_path, **{**_SERVICES, "SANDBOX_ENABLED": "1"})
    result = _manage(env, "check", "--deploy")
    assert "portal.W001" in result.stderr and "SANDBOX_ENABLED" in result.stderr, result.stderr
    assert "oauth2_provider." not in result.stderr  # the sandbox provider follows RFC 9700 throughout
    assert _manage(env, "check", "--deploy", "--fail-level", "WARNING").returncode != 0


def test_production_has_no_default_client_secret_even_with_the_sandbox(tmp_path):
    env = _production_env(tmp_path, SANDBOX_ENABLED="1")
    result = _manage(env, "check")
    assert result.returncode != 0 and "OIDC_CLIENT_SECRET must be set" in result.stderr


def _embedded_env(var_dir: Path) -> dict[str, str]:
    """What `make run` starts with: nothing set but where its files go."""
    skip = ("SITE_URL", "PORT", "DJANGO_", "SANDBOX_", "TOKEN_ENCRYPTION_KEYS", "OIDC_", "CLAIMS_API")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env.update(PORTAL_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="portal.settings")
    return env


def test_make_run_makes_its_own_secrets_on_first_run_and_keeps_them(tmp_path):
    first, other = _embedded_env(tmp_path / "a"), _embedded_env(tmp_path / "b")
    expression = (
        "settings.SECRET_KEY, settings.OIDC_CLIENT_SECRET, __import__('portal.crypto').crypto.configured_keys()[0]"
    )
    secret_a = _setting(first, expression)
    assert _setting(first, expression) == secret_a  # kept in var/, the same on the next start
    assert _setting(other, expression) != secret_a  # and not the same on another machine
    assert "insecure-embedded-development-key-change-me" not in secret_a and "sandbox-portal-secret" not in secret_a
    for path in (tmp_path / "a").iterdir():
        if "secret" in path.name or "key" in path.name:
            assert path.stat().st_mode & 0o077 == 0, path  # readable by its owner only


def test_the_token_key_is_never_derived_from_the_secret_key(tmp_path):
    import base64
    import hashlib

    env = _embedded_env(tmp_path)
    secret, key = _setting(env, "settings.SECRET_KEY, __import__('portal.crypto').crypto.configured_keys()[0]").split()
    derived = base64.urlsafe_b64encode(hashlib.sha256(f"tokens:{secret}".encode()).digest()).decode()
    assert key != derived


def test_error_pages_in_the_embedded_profile_list_no_url_patterns(tmp_path):
    env = _embedded_env(tmp_path)
    result = _manage(
        env, "shell", "-c",
        "from django.test import Client; r = Client(HTTP_HOST='127.0.0.1').get('/no-such-page/'); "
        "print(r.status_code, 'URLconf' in r.content.decode() or 'sandbox/' in r.content.decode())",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "404 False"
