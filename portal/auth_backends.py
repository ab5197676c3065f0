"""The sign-in backend: allauth's, with the signed-in user and their profile read cheaply.

Every signed-in request needs the user and their portal profile. They are read in one query
(select_related) and then kept briefly in the cache (Redis in production), so most requests ask
the database nothing. Any save or delete of the user or the profile clears the copy at once (the
signals below); AUTH_USER_CACHE_SECONDS bounds what a bulk update behind the ORM's back can leave.
Only portal users without a usable password (everyone who signs in through the identity provider)
are kept: a password hash never leaves the database.
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal.cache import spread
from portal.models import Profile


def _key(user_id: Any) -> str:
    return f"portal:auth-user:{user_id}"


class PortalAuthenticationBackend(AuthenticationBackend):
    def get_user(self, user_id: Any) -> Any:
        user = cache.get(_key(user_id)) if settings.AUTH_USER_CACHE_SECONDS > 0 else None
        if user is None:
            users = get_user_model()._default_manager.select_related("profile")
            user = next(iter(users.filter(pk=user_id)[:1]), None)  # no ORDER BY: the key is unique
            if user is None:
                return None
            if settings.AUTH_USER_CACHE_SECONDS > 0 and not user.has_usable_password():
                cache.set(_key(user_id), user, spread(settings.AUTH_USER_CACHE_SECONDS))
        return user if self.user_can_authenticate(user) else None


def forget_user(user_id: Any) -> None:
    cache.delete(_key(user_id))


@receiver([post_save, post_delete], sender=settings.AUTH_USER_MODEL, dispatch_uid="portal-auth-user-cache")
def _user_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget_user(instance.pk)


@receiver([post_save, post_delete], sender=Profile, dispatch_uid="portal-auth-profile-cache")
def _profile_changed(sender: Any, instance: Profile, **kwargs: Any) -> None:
    forget_user(instance.user_id)
