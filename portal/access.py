"""Who may see which page: every view starts from the signed-in user's own profile."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django_htmx.middleware import HtmxDetails

from portal.gateway.client import ClaimsApiClient
from portal.models import Profile, Role
from portal.tokens import gateway_for_user

View = Callable[..., HttpResponseBase]


class PortalRequest(HttpRequest):
    """A request behind ``member_required``/``hr_admin_required``: the signed-in user's profile,
    django-htmx's details and the request id are set on it."""

    profile: Profile
    htmx: HtmxDetails
    request_id: str


def current_profile(request: HttpRequest) -> Profile | None:
    """The signed-in user's Profile, read once per request (middleware, decorators and templates share it)."""
    if not request.user.is_authenticated:
        return None
    if not hasattr(request, "_portal_profile"):
        try:
            # Read with the user by the sign-in backend (select_related); otherwise one query here.
            profile: Profile | None = request.user.profile  # type: ignore[union-attr]
        except Profile.DoesNotExist:
            profile = None
        request._portal_profile = profile  # type: ignore[attr-defined]
    return request._portal_profile  # type: ignore[attr-defined, no-any-return]


def profile_of(request: HttpRequest) -> Profile:
    profile = current_profile(request)
    if profile is None:
        raise PermissionDenied("no portal profile")
    return profile


def _role_required(role: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            profile = profile_of(request)
            if profile.role != role:
                raise PermissionDenied(f"this page is for the {role} role")
            request.profile = profile  # type: ignore[attr-defined]  # what makes it a PortalRequest
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


member_required = _role_required(Role.MEMBER)
hr_admin_required = _role_required(Role.HR_ADMIN)


def user_id(request: HttpRequest) -> int:
    """The signed-in user's id (views behind member_required/hr_admin_required only)."""
    return int(request.user.pk or 0)


def gateway(request: HttpRequest) -> ClaimsApiClient:
    """The Claims API client bound to the signed-in user's own token."""
    return gateway_for_user(int(request.user.pk or 0))
