"""The sign-in backend: allauth's, with the user's portal profile read in the same query."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model


class PortalAuthenticationBackend(AuthenticationBackend):
    """Every signed-in request reads the user; the profile comes with it (one query, not two)."""

    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.select_related("profile")
        user = users.filter(pk=user_id).order_by().first()
        return user if user is not None and self.user_can_authenticate(user) else None
