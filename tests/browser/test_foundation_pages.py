"""The pages the foundation ships, in a real browser: accessible, phone-sized, working."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, has_horizontal_scroll, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/no-such-page", "/sandbox/o/login/"])
def test_pages_pass_axe_on_desktop_and_phone(page, phone, path):
    for viewer in (page, phone):
        viewer.goto(path)
        assert_accessible(viewer)
        assert not has_horizontal_scroll(viewer)


def test_sandbox_sign_in_lists_demo_accounts_and_signs_in(page):
    page.goto("/sandbox/o/login/")
    table = page.get_by_role("table")
    for username in ("alice", "bob", "dave", "hana"):
        assert table.get_by_text(username, exact=True).is_visible()
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("sandbox-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/sandbox/o/signed-in/")
    assert "signed in at the sandbox identity provider as alice" in page.inner_text("main")
    screenshot(page, "sandbox-signed-in")


def test_sandbox_sign_in_error_is_announced_and_accessible(phone):
    phone.goto("/sandbox/o/login/")
    phone.get_by_label("Username").fill("alice")
    phone.get_by_label("Password").fill("wrong")
    phone.get_by_role("button", name="Sign in").click()
    alert = phone.get_by_role("alert")
    assert "do not match" in alert.inner_text()
    assert_accessible(phone)
    screenshot(phone, "sandbox-sign-in-error-phone")
