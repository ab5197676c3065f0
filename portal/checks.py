"""System checks that `manage.py check --deploy` shows for production settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def sandbox_is_off(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.SANDBOX_ENABLED:
        return []
    return [
        Warning(
            "SANDBOX_ENABLED is on: the sandbox identity provider and Claims API are served under "
            "/sandbox/, with demo accounts whose password is published and service clients whose "
            "secrets are in the source.",
            hint="Set SANDBOX_ENABLED=0 in production (the default when DJANGO_DEBUG=0) and point "
            "OIDC_ISSUER_URL and CLAIMS_API_BASE_URL at the real services.",
            id="portal.W001",
        )
    ]


@register(deploy=True)
def plan_contact_in_every_language(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A contact set in English only is shown, in English, on Spanish pages."""
    if not settings.PLAN_CONTACT or settings.PLAN_CONTACT_ES:
        return []
    return [
        Warning(
            "PLAN_CONTACT is set but PLAN_CONTACT_ES is not: Spanish pages tell members to contact "
            "the plan in the English words of PLAN_CONTACT.",
            hint="Set PLAN_CONTACT_ES to the same contact written in Spanish (or leave both unset "
            "for the translated default).",
            id="portal.W002",
        )
    ]
