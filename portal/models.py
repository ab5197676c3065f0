"""The portal's own records: who a signed-in user is to the API, and their tokens (encrypted).

The portal keeps no copy of claims.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    HR_ADMIN = "hr_admin", _("HR administrator")


class Profile(models.Model):
    """Recorded at each sign-in from the identity provider's claims."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=20, choices=Role.choices)
    person_id = models.UUIDField(null=True, blank=True)
    business_entity_id = models.UUIDField(null=True, blank=True)
    employer_id = models.UUIDField(null=True, blank=True)
    account_types = models.JSONField(default=list, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, blank=True, help_text="IANA zone from the zoneinfo claim")
    # The portal's language for this person: their own choice (the switch on every page) wins
    # over the provider's locale claim, which is refreshed at each sign-in (portal.languages).
    language = models.CharField(max_length=8, blank=True, help_text="chosen with the language switch")
    provider_language = models.CharField(max_length=8, blank=True, help_text="from the locale claim")

    def __str__(self) -> str:
        return f"{self.display_name or self.user_id} ({self.get_role_display()})"

    @property
    def is_hr_admin(self) -> bool:
        return self.role == Role.HR_ADMIN


class OidcTokens(models.Model):
    """The user's access and refresh tokens, Fernet-encrypted (see portal.crypto)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_tokens")
    access_token = models.TextField()
    refresh_token = models.TextField(blank=True)
    expires_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"tokens of user {self.user_id}"  # never the tokens themselves
