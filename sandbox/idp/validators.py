"""The provider's validator: role-based scopes and the identity claims in ID tokens/userinfo."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from sandbox.identity import allowed_scopes, identity_claims


def _narrow(scopes: list[str], user: Any) -> None:
    """Grant only what the user's role allows (in place: oauthlib keeps this list)."""
    allowed = allowed_scopes(user)
    scopes[:] = [scope for scope in scopes if scope in allowed]


class SandboxOAuth2Validator(OAuth2Validator):
    oidc_claim_scope = OAuth2Validator.oidc_claim_scope | {
        "person_id": "openid",
        "employer_id": "openid",
        "account_types": "openid",
        "business_entity_id": "openid",
        "role": "openid",
        "zoneinfo": "profile",
        "locale": "profile",
    }

    def validate_redirect_uri(self, client_id, redirect_uri, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Exactly one of the registered URIs, port included (django-oauth-toolkit, after RFC 8252,
        lets any port through for 127.0.0.1: a web client's callback is not a native app's)."""
        return redirect_uri in request.client.redirect_uris.split()

    def validate_code(self, client_id, code, client, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        valid = super().validate_code(client_id, code, client, request, *args, **kwargs)
        if valid and request.scopes:
            _narrow(request.scopes, request.user)
        return valid

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not super().validate_scopes(client_id, scopes, client, request, *args, **kwargs):
            return False
        if request.grant_type == "client_credentials" and client is not None:
            _narrow(scopes, client.user)
        return True

    def get_additional_claims(self, request):  # type: ignore[no-untyped-def]
        user = request.user
        claims: dict[str, Any] = {
            "preferred_username": user.get_username(),
            "given_name": user.first_name,
            "family_name": user.last_name,
            "name": user.get_full_name() or user.get_username(),
            "email": user.email,
        }
        claims.update(identity_claims(user))
        return claims
