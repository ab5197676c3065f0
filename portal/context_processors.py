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
    if getattr(request, "user", None) is not None:
        from portal.access import current_profile

        context["portal_profile"] = current_profile(request)
    return context
