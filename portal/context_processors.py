from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "request_id": getattr(request, "request_id", ""),
        "sandbox_enabled": settings.SANDBOX_ENABLED,
    }
