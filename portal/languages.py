"""Which language a page is in: the member's own choice, else their provider's locale, else the browser.

Django's LocaleMiddleware (before CommonMiddleware, as Django asks) picks the language from the
language cookie the switch sets, else Accept-Language; MemberLanguageMiddleware (after the user is
known) then applies what the signed-in person's profile says. Both are dictionary look-ups on
values Django caches per process: a page pays no more than one translation.activate().
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

SUPPORTED = frozenset(code for code, _name in settings.LANGUAGES)


def supported_language(value: object) -> str:
    """The portal's language for a BCP 47 / POSIX locale ("es-US", "es_MX", "en"), or ""."""
    if not isinstance(value, str) or not value or len(value) > 35:
        return ""
    primary = value.replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in SUPPORTED else ""


def profile_language(profile: object) -> str:
    """The language a profile asks for: the person's own choice, else the provider's locale claim."""
    return getattr(profile, "language", "") or getattr(profile, "provider_language", "")


class MemberLanguageMiddleware:
    """A signed-in person's language comes from their profile, wherever they sign in from."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from portal.access import current_profile

        profile = current_profile(request) if getattr(request, "user", None) is not None else None
        language = profile_language(profile) if profile is not None else ""
        if language and language != getattr(request, "LANGUAGE_CODE", None):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
