"""Sign-in glue for django-allauth's OpenID Connect provider.

At sign-in: record who the person is to the API (Profile), keep their tokens encrypted on the
server (allauth's own token storage is off: it would keep them in plain text), start the session
clocks. The portal needs no email address, so it neither asks for nor keeps one, and it keeps the
provider's claims only in the Profile: allauth's copy of the userinfo and ID token is cut to the
subject (it would hold the person's name and ids a second time, in plain text, for good).
"""

from __future__ import annotations

import hmac
import secrets
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from allauth.account.signals import user_logged_in
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from portal.languages import supported_language
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
    profile, _created = Profile.objects.update_or_create(
        user=user,
        defaults={
            "role": Role.HR_ADMIN if business_entity_id else Role.MEMBER,
            "person_id": _uuid(claims.get("person_id")),
            "business_entity_id": business_entity_id,
            "employer_id": _uuid(claims.get("employer_id")),
            "account_types": [t for t in claims.get("account_types") or [] if isinstance(t, str)],
            "display_name": (name or "")[:200],
            "time_zone": _zone(claims.get("zoneinfo")),
            # The OIDC `locale` claim (BCP 47): used until the person picks a language themselves.
            "provider_language": supported_language(claims.get("locale")),
        },
    )
    _carry_language_choice(request, profile)
    _keep_only_the_subject(sociallogin.account)
    token = sociallogin.token
    store_tokens(
        user_id=user.pk,
        access_token=token.token,
        refresh_token=token.token_secret or "",
        expires_at=token.expires_at or timezone.now(),
    )
    request.session.pop(SESSION_REAUTHENTICATE, None)
    now = time.time()
    request.session[SESSION_SIGNED_IN_AT] = now
    request.session[SESSION_LAST_ACTIVITY] = now


def _carry_language_choice(request: HttpRequest, profile: Profile) -> None:
    """A language picked with the switch before signing in (its cookie) becomes the person's choice,
    unless they already made one: the page after sign-in stays in the language they were reading."""
    chosen = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen and not profile.language:
        profile.language = chosen
        profile.save(update_fields=["language"])


def _keep_only_the_subject(account: Any) -> None:
    """Data minimisation: what the portal needs of the claims is in the Profile now."""
    from allauth.socialaccount.models import SocialAccount

    account.extra_data = {"sub": account.uid}
    if account.pk is not None:
        SocialAccount.objects.filter(pk=account.pk).update(extra_data=account.extra_data)


def sign_out(request: HttpRequest, *, revoke: bool = True) -> str | None:
    """End the portal session and forget (and revoke) the user's tokens. Returns the ID token
    the session kept (for the provider's logout), if any."""
    from django.contrib.auth import logout

    from portal import crypto
    from portal.tokens import forget_tokens

    kept = request.session.get(SESSION_ID_TOKEN)
    id_token = None
    if isinstance(kept, str):
        try:
            id_token = crypto.decrypt(kept)
        except crypto.TokenDecryptionError:
            id_token = None
    if request.user.is_authenticated:
        forget_tokens(user_id=request.user.pk, revoke=revoke)
    logout(request)
    return id_token


# --- The OpenID Connect round trip: a nonce, a bound on how old the provider's sign-in may be --

SESSION_OIDC_NONCE = "portal_oidc_nonce"
# The raw ID token, encrypted: sent back as id_token_hint when the person signs out, so that the
# provider ends its session (OIDC RP-initiated logout).
SESSION_ID_TOKEN = "portal_id_token"
SESSION_OIDC_STARTED = "portal_oidc_started"
# Set when the portal signed someone out by itself (idle or absolute limit): the next sign-in
# asks the provider for the password again, whatever session it still holds.
SESSION_REAUTHENTICATE = "portal_reauthenticate"
_CLOCK_SKEW = 60  # seconds the provider's clock may differ from ours


def mark_signed_out_automatically(request: HttpRequest) -> None:
    request.session[SESSION_REAUTHENTICATE] = True


def _portal_adapter_class() -> Any:
    from allauth.socialaccount.providers.oauth2.client import OAuth2Error
    from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter

    class PortalOidcAdapter(OpenIDConnectOAuth2Adapter):
        """allauth's adapter, with the ID token's nonce and auth_time checked."""

        def complete_login(self, request: HttpRequest, app: Any, token: Any, **kwargs: Any) -> Any:
            login = super().complete_login(request, app, token, **kwargs)
            id_token = (login.account.extra_data or {}).get("id_token") or {}
            expected = request.session.pop(SESSION_OIDC_NONCE, None)
            started = request.session.pop(SESSION_OIDC_STARTED, None)
            if not expected or not isinstance(id_token.get("nonce"), str):
                raise OAuth2Error("the ID token carries no nonce, or none was sent")
            if not hmac.compare_digest(id_token["nonce"], expected):
                raise OAuth2Error("the ID token's nonce is not the one this sign-in sent")
            auth_time = id_token.get("auth_time")
            if not isinstance(auth_time, int | float):
                raise OAuth2Error("the ID token does not say when the person signed in")
            if time.time() - auth_time > settings.SESSION_IDLE_TIMEOUT + _CLOCK_SKEW:
                raise OAuth2Error("the provider's sign-in is older than the portal accepts (max_age)")
            if started and started.get("reauthenticate") and auth_time < started["at"] - _CLOCK_SKEW:
                raise OAuth2Error("the provider did not ask for the password again (prompt=login)")
            raw = (kwargs.get("response") or {}).get("id_token")
            if isinstance(raw, str):
                from portal import crypto

                request.session[SESSION_ID_TOKEN] = crypto.encrypt(raw)
            return login

    return PortalOidcAdapter


def oidc_login(request: HttpRequest, provider_id: str) -> HttpResponse:
    """Start the sign-in at the provider (allauth's view) with a fresh nonce, ``max_age`` (the
    idle limit: a provider session older than that asks for the password again) and, after an
    automatic sign-out, ``prompt=login``. The caller's own ``auth_params`` are not passed on."""
    from allauth.socialaccount.models import SocialApp
    from allauth.socialaccount.providers.oauth2.views import OAuth2LoginView
    from django.http import Http404

    nonce = secrets.token_urlsafe(32)
    reauthenticate = bool(request.session.get(SESSION_REAUTHENTICATE))
    params = {"nonce": nonce, "max_age": str(settings.SESSION_IDLE_TIMEOUT)}
    if reauthenticate:
        params["prompt"] = "login"
    if request.method == "POST":
        request.session[SESSION_OIDC_NONCE] = nonce
        request.session[SESSION_OIDC_STARTED] = {"at": time.time(), "reauthenticate": reauthenticate}
    query = request.GET.copy()
    query["auth_params"] = urlencode(params)
    request.GET = query  # type: ignore[assignment,misc]
    try:
        return OAuth2LoginView.adapter_view(_portal_adapter_class()(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


def oidc_callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    from allauth.socialaccount.models import SocialApp
    from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
    from django.http import Http404

    try:
        return OAuth2CallbackView.adapter_view(_portal_adapter_class()(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
