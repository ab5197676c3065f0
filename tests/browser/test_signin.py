"""Sign-in through the sandbox provider, in a real browser."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.models import OidcTokens, Profile, Role
from tests.browser.conftest import assert_accessible, screenshot

pytestmark = pytest.mark.browser


def _forget_claims_list() -> None:
    """Drop the cached claim lists only (with Redis, the cache also holds the sessions)."""
    from claims.selectors import member_claims_forget

    for tokens in OidcTokens.objects.all():
        member_claims_forget(user_id=tokens.user_id)


def _expire_access_tokens() -> None:
    """As if the access tokens had expired: saved through the model, which also clears the cached
    copy (a copy is never kept past a token's refresh point, so time passing does the same)."""
    for tokens in OidcTokens.objects.all():
        tokens.expires_at = timezone.now() - timedelta(minutes=5)
        tokens.save(update_fields=["expires_at"])


def sign_in(page, username: str, *, start: str = "/") -> None:
    page.goto(start)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/sandbox/o/login/**")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("sandbox-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def test_member_signs_in_and_sees_her_name_and_claims(page, demo):
    sign_in(page, "alice")
    page.wait_for_url("**/claims/")
    assert page.get_by_role("heading", name="Your claims").is_visible()
    assert "Alice Nguyen" in page.inner_text("header")
    rows = page.locator("table.claims-table tbody tr")
    assert rows.count() == 20
    assert "Send a receipt" in page.inner_text("table")
    assert_accessible(page)
    screenshot(page, "member-claims")
    profile = Profile.objects.get(person_id=demo.alice)
    assert profile.role == Role.MEMBER and profile.display_name == "Alice Nguyen"
    # The provider's claims are kept once, in the Profile: allauth's copy is cut to the subject.
    from allauth.socialaccount.models import SocialAccount

    account = SocialAccount.objects.get(user=profile.user)
    assert account.extra_data == {"sub": account.uid}
    assert "Alice" not in str(account.extra_data) and demo.alice not in str(account.extra_data)


def test_hr_admin_lands_on_the_employer_view(page, demo):
    sign_in(page, "hana")
    page.wait_for_url("**/employer/claims/")
    assert page.get_by_role("heading", name="Your employer's claims").is_visible()
    assert "HR administrator" in page.inner_text("header")
    assert_accessible(page)
    screenshot(page, "employer-claims")


def test_sign_out_ends_the_session(page, demo):
    sign_in(page, "alice")
    page.wait_for_url("**/claims/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/signin/")
    assert "You have signed out." in page.inner_text("main")
    assert not OidcTokens.objects.exists()
    page.goto("/claims/")
    page.wait_for_url("**/signin/?next=/claims/")


def test_expired_access_token_is_refreshed_without_the_user_noticing(page, demo):
    sign_in(page, "alice")
    page.wait_for_url("**/claims/")
    before = OidcTokens.objects.get()
    _expire_access_tokens()
    _forget_claims_list()  # the claims list is cached briefly: make the page call the API again
    page.reload()
    assert page.get_by_role("heading", name="Your claims").is_visible()
    after = OidcTokens.objects.get()
    assert after.access_token != before.access_token and after.expires_at > timezone.now()


def test_revoked_refresh_token_leads_back_to_sign_in_with_a_message(page, demo):
    from oauth2_provider.models import RefreshToken

    sign_in(page, "alice")
    page.wait_for_url("**/claims/")
    RefreshToken.objects.all().delete()  # the provider no longer knows it
    _expire_access_tokens()
    _forget_claims_list()
    page.reload()
    page.wait_for_url("**/signin/**")
    assert "Your sign-in has expired" in page.inner_text("main")
    assert_accessible(page)
    assert not OidcTokens.objects.exists()
