"""The identity provider's own sign-in cookie, kept apart from the portal's session.

In the embedded setup the provider and the portal share one origin and one user table; a separate,
path-scoped signed cookie keeps "signed in at the provider" from meaning "signed in to the portal".
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE = "sandbox_idp"
COOKIE_PATH = "/sandbox/o/"
MAX_AGE = 8 * 3600
_SALT = "sandbox.idp.session"


def idp_user(request: HttpRequest, *, max_age: int | None = None) -> AbstractBaseUser | None:
    """The user signed in at the provider, if they entered their password at most ``max_age``
    seconds ago (OIDC ``max_age``; default: the cookie's own lifetime)."""
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return None
    try:
        user_id = signing.loads(raw, salt=_SALT, max_age=min(MAX_AGE, MAX_AGE if max_age is None else max_age))
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def sign_in(response: HttpResponse, user: AbstractBaseUser, *, secure: bool) -> None:
    response.set_cookie(
        COOKIE,
        signing.dumps(user.pk, salt=_SALT),
        max_age=MAX_AGE,
        path=COOKIE_PATH,
        secure=secure,
        httponly=True,
        samesite="Lax",
    )


def sign_out(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
