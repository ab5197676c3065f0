"""The idle-logoff warning in a real browser, and session id rotation at sign-in."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.test_signin import sign_in

pytestmark = pytest.mark.browser


def test_session_id_rotates_at_sign_in(page, demo):
    page.goto("/")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/sandbox/o/login/**")
    before = {c["name"]: c["value"] for c in page.context.cookies()}.get("sessionid")
    assert before, "allauth keeps the login state in a session before the provider round trip"
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("sandbox-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/claims/")
    after = {c["name"]: c["value"] for c in page.context.cookies()}["sessionid"]
    assert after != before


def test_idle_warning_can_be_answered_and_then_signs_out(page, demo, settings):
    settings.SESSION_IDLE_TIMEOUT = 8
    settings.SESSION_WARNING_LEAD = 6
    sign_in(page, "alice")
    page.wait_for_url("**/claims/")
    dialog = page.get_by_role("dialog", name="Are you still there?")
    dialog.wait_for(state="visible", timeout=6000)
    assert_accessible(page)
    screenshot(page, "idle-warning")
    dialog.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden")
    # Still signed in: the server counted the answer as activity.
    page.wait_for_timeout(3000)
    page.reload()
    assert page.get_by_role("heading", name="Your claims").is_visible()
    # Now ignore the warning: the page signs itself out when the time is up.
    page.wait_for_url("**/signin/**", timeout=15000)
    assert "signed out after 8 seconds without activity" in page.inner_text("main")


def test_after_the_idle_sign_out_the_next_sign_in_asks_for_the_password(page, demo, settings):
    """The next person at the same browser is not signed straight back in as dave."""
    settings.SESSION_IDLE_TIMEOUT = 4
    settings.SESSION_WARNING_LEAD = 2
    sign_in(page, "dave")
    page.wait_for_url("**/claims/")
    assert "Dave" in page.inner_text("header")
    page.wait_for_url("**/signin/**", timeout=15000)  # the page signs itself out when the time is up
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/sandbox/o/login/**")
    assert page.get_by_label("Password").is_visible()
    assert "/claims/" not in page.url
