"""Sign-in glue for django-allauth's OpenID Connect provider.

At sign-in: record who the person is to the API (Profile), keep their tokens encrypted on the
server (allauth's own token storage is off: it would keep them in plain text), start the session
clocks. The portal needs no email address, so it neither asks for nor keeps one, and it keeps the
provider's claims only in the Profile: allauth's copy of the userinfo and ID token is cut to the
subject (it would hold the person's name and ids a second time, in plain text, for good).
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from allauth.account.signals import user_logged_in
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from portal.models import Profile, Role
from portal.tokens import store_tokens

SESSION_SIGNED_IN_AT = "portal_signed_in_at"
SESSION_LAST_ACTIVITY = "portal_last_activity"


def identity(extra_data: dict[str, Any]) -> dict[str, Any]:
    """The provider's claims about the user (userinfo preferred over the ID token)."""
    return extra_data.get("userinfo") or extra_data.get("id_token") or extra_data


class PortalSocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> Any:
        user = super().populate_user(request, sociallogin, data)
        user.email = ""
        # Namespaced by provider subject: never collides with other accounts on the same database.
        user.username = f"oidc-{sociallogin.account.uid}"[:150]
        return user

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return True


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _zone(value: Any) -> str:
    """A valid IANA time zone name, or "" (then the portal's default zone applies)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not isinstance(value, str) or not value or len(value) > 64:
        return ""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    return value


@receiver(user_logged_in)
def on_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is None:
        return
    claims = identity(sociallogin.account.extra_data or {})
    business_entity_id = _uuid(claims.get("business_entity_id"))
    name = claims.get("name") or " ".join(
        part for part in (claims.get("given_name"), claims.get("family_name")) if part
    )
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "role": Role.HR_ADMIN if business_entity_id else Role.MEMBER,
            "person_id": _uuid(claims.get("person_id")),
            "business_entity_id": business_entity_id,
            "employer_id": _uuid(claims.get("employer_id")),
            "account_types": [t for t in claims.get("account_types") or [] if isinstance(t, str)],
            "display_name": (name or "")[:200],
            "time_zone": _zone(claims.get("zoneinfo")),
        },
    )
    _keep_only_the_subject(sociallogin.account)
    token = sociallogin.token
    store_tokens(
        user_id=user.pk,
        access_token=token.token,
        refresh_token=token.token_secret or "",
        expires_at=token.expires_at or timezone.now(),
    )
    now = time.time()
    request.session[SESSION_SIGNED_IN_AT] = now
    request.session[SESSION_LAST_ACTIVITY] = now


def _keep_only_the_subject(account: Any) -> None:
    """Data minimisation: what the portal needs of the claims is in the Profile now."""
    from allauth.socialaccount.models import SocialAccount

    account.extra_data = {"sub": account.uid}
    if account.pk is not None:
        SocialAccount.objects.filter(pk=account.pk).update(extra_data=account.extra_data)


def sign_out(request: HttpRequest, *, revoke: bool = True) -> None:
    """End the portal session and forget (and revoke) the user's tokens."""
    from django.contrib.auth import logout

    from portal.tokens import forget_tokens

    if request.user.is_authenticated:
        forget_tokens(user_id=request.user.pk, revoke=revoke)
    logout(request)
