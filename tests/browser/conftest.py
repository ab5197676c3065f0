"""Playwright driving Debian's Chromium (never a downloaded browser), with axe-core checks."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# SCREENSHOT_DIR: somewhere else to look at them (a review of the pages), var/test/screenshots by default.
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR") or Path(__file__).resolve().parents[2] / "var" / "test" / "screenshots"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs it")
        pytest.skip(f"Chromium not found at {CHROMIUM} (run `make test` to install it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open(browser: Any, base_url: str, **options: Any) -> Iterator[Any]:
    """A fresh browser context; fails the test if any sub-resource (CSS, JS, image) failed to load."""
    context = browser.new_context(base_url=base_url, **options)
    # axe-core as an init script: injected by the browser itself, so the page's strict CSP (which
    # refuses inline scripts, as it should) stays on and is checked below.
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.set_default_timeout(15_000)
    broken: list[str] = []
    page.on(
        "response",
        lambda r: (
            broken.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type not in ("document", "fetch", "xhr")
            else None
        ),
    )
    page.on(
        "console",
        lambda m: broken.append(f"CSP: {m.text}") if "Content Security Policy" in m.text else None,
    )
    # ERR_ABORTED is a navigation or a download cutting a load short, not a broken resource.
    page.on(
        "requestfailed", lambda r: broken.append(f"failed {r.url}") if "ERR_ABORTED" not in (r.failure or "") else None
    )
    yield page
    context.close()
    assert broken == [], f"resources failed to load or broke the CSP: {broken}"


@pytest.fixture
def page(browser, demo) -> Iterator[Any]:
    yield from _open(browser, demo.base_url, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone(browser, demo) -> Iterator[Any]:
    yield from _open(browser, demo.base_url, viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """Run axe-core on the page; return violations of the given impacts (with where they are)."""
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], violations


def has_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth"))


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def nojs(browser, demo) -> Iterator[Any]:
    """A desktop page with JavaScript off: every page must work without it."""
    yield from _open(browser, demo.base_url, viewport={"width": 1280, "height": 900}, java_script_enabled=False)


@pytest.fixture
def phone390(browser, demo) -> Iterator[Any]:
    yield from _open(browser, demo.base_url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)


def check_and_send(page: Any, *, double: bool = False) -> None:
    """Upload what is chosen through the receipt check: check the documents, then send them
    (without waiting for the reading when no worker runs)."""
    check = page.get_by_role("button", name="Check documents", exact=True)
    check.dblclick() if double else check.click()
    send = page.locator("#receipt-check form.check-send button")
    send.wait_for()
    send.dblclick() if double else send.click()
