from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {
        "request_id": getattr(request, "request_id", ""),
        "sandbox_enabled": settings.SANDBOX_ENABLED,
        "session_idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "session_warning_lead": settings.SESSION_WARNING_LEAD,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from portal.models import Profile

        context["portal_profile"] = getattr(request, "profile", None) or Profile.objects.filter(user_id=user.pk).first()
    return context
