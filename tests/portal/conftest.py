from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from portal.models import Profile, Role
from portal.tokens import store_tokens
from tests.sandbox.test_idp import _exchange, sign_in_and_get_code


def real_tokens(username: str) -> dict:
    """Tokens from the sandbox provider's real authorization code flow (with PKCE)."""
    code, verifier, _ = sign_in_and_get_code(username)
    response = _exchange(code, verifier)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def portal_member(demo):
    """A portal user for alice, signed in at the provider, with her tokens stored encrypted."""
    from datetime import timedelta

    from django.utils import timezone

    user = get_user_model().objects.create(username="oidc-test-alice")
    Profile.objects.create(
        user=user, role=Role.MEMBER, person_id=demo.alice, employer_id=demo.acme,
        account_types=["FSA", "HRA", "DCFSA"], display_name="Alice Nguyen",
    )  # fmt: skip
    tokens = real_tokens("alice")
    store_tokens(
        user_id=user.pk, access_token=tokens["access_token"], refresh_token=tokens["refresh_token"],
        expires_at=timezone.now() + timedelta(seconds=tokens["expires_in"]),
    )  # fmt: skip
    user.raw_tokens = tokens
    return user
