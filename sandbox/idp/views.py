"""The sandbox identity provider's pages: its sign-in page and the authorize endpoint."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from oauth2_provider.views import AuthorizationView

from sandbox.idp import session
from sandbox.models import AdminAccount, Person

DEMO_PASSWORD = "sandbox-demo"


class SignInForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Username"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label=gettext_lazy("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


def _demo_accounts() -> list[dict[str, str]]:
    accounts = [
        {
            "username": p.user.username if p.user else "",
            "role": _("Member"),
            "employer": p.employer.name,
            "name": str(p),
        }
        for p in Person.objects.select_related("user", "employer").filter(user__isnull=False)
    ]
    accounts += [
        {
            "username": a.user.username,
            "role": _("HR administrator"),
            "employer": a.business_entity.name,
            "name": a.user.get_full_name(),
        }
        for a in AdminAccount.objects.select_related("user", "business_entity").filter(is_service_account=False)
    ]
    return sorted(accounts, key=lambda a: (a["role"], a["username"]))


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith(session.COOKIE_PATH) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(reverse_lazy("sandbox:idp-signed-in"))


# Wrong passwords allowed per account and per address in a window, as a real provider would.
ATTEMPTS_PER_ACCOUNT = 5
ATTEMPTS_PER_ADDRESS = 20
ATTEMPTS_WINDOW = 15 * 60


def _attempt_keys(request: HttpRequest, username: str) -> tuple[str, str]:
    return (
        f"sandbox:idp:wrong-password:account:{username.strip().lower()}",
        f"sandbox:idp:wrong-password:address:{request.META.get('REMOTE_ADDR', '')}",
    )


def _locked_out(request: HttpRequest, username: str) -> str | None:
    """Why no password is checked for this account or address just now, in words, or None."""
    from django.core.cache import cache

    account, address = _attempt_keys(request, username)
    minutes = ATTEMPTS_WINDOW // 60
    if (cache.get(account) or 0) >= ATTEMPTS_PER_ACCOUNT:
        return _("Too many wrong passwords for this account. Wait %(minutes)d minutes, then try again.") % {
            "minutes": minutes
        }
    if (cache.get(address) or 0) >= ATTEMPTS_PER_ADDRESS:
        return _("Too many wrong passwords from this address. Wait %(minutes)d minutes, then try again.") % {
            "minutes": minutes
        }
    return None


def _count_wrong_password(request: HttpRequest, username: str) -> None:
    from django.core.cache import cache

    for key in _attempt_keys(request, username):
        cache.add(key, 0, timeout=ATTEMPTS_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=ATTEMPTS_WINDOW)


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    locked = _locked_out(request, form.data.get("username", "")) if request.method == "POST" else None
    if locked:
        form.is_valid()
        form.add_error(None, locked)
    elif request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is None:
            _count_wrong_password(request, form.cleaned_data["username"])
        if user is not None:
            update_last_login(type(user), user)  # the ID token's auth_time (django-oauth-toolkit reads it)
            response = HttpResponseRedirect(_safe_next(request))
            session.sign_in(response, user, secure=request.is_secure())
            return response
        else:
            form.add_error(None, _("That username and password do not match a sandbox account."))
    context = {
        "form": form,
        "next": _safe_next(request),
        "accounts": _demo_accounts(),
        "demo_password": DEMO_PASSWORD,
    }
    return TemplateResponse(request, "sandbox/sign_in.html", context)


@never_cache
@require_http_methods(["GET"])
def signed_in(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "sandbox/signed_in.html", {"idp_user": session.idp_user(request)})


def _id_token_subject(hint: str) -> tuple[str, str] | None:
    """(subject, client id) of an ID token this provider issued (expired is fine, as OIDC
    RP-initiated logout allows), or None."""
    import jwt
    from oauth2_provider.models import get_application_model

    from sandbox.idp.tokens import signing_private_key

    key = signing_private_key()
    try:
        claims = jwt.decode(
            hint, key.public_key(), algorithms=["RS256"], issuer=settings.OIDC_ISSUER_URL,
            options={"verify_exp": False, "verify_aud": False, "require": ["sub", "aud", "iss"]},
        )  # fmt: skip
    except jwt.PyJWTError:
        return None
    audience = claims["aud"] if isinstance(claims["aud"], str) else next(iter(claims["aud"]), "")
    if not get_application_model().objects.filter(client_id=audience).exists():
        return None
    return str(claims["sub"]), audience


def _registered_logout_target(client_id: str, target: str | None) -> str | None:
    from oauth2_provider.models import get_application_model

    app = get_application_model().objects.filter(client_id=client_id).first()
    return target if app is not None and target in app.post_logout_redirect_uris.split() else None


@never_cache
@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    """Ends the provider session: by POST from its own page (CSRF-protected), or by OIDC
    RP-initiated logout, a GET with the ID token as ``id_token_hint`` (then the client's
    registered ``post_logout_redirect_uri`` is honoured). A plain GET only asks."""
    target = None
    if request.method == "GET":
        hint = _id_token_subject(request.GET.get("id_token_hint", ""))
        current = session.idp_user(request)
        if hint is None or (current is not None and str(current.pk) != hint[0]):
            return TemplateResponse(request, "sandbox/sign_out.html", {"idp_user": current})
        target = _registered_logout_target(hint[1], request.GET.get("post_logout_redirect_uri"))
    response = HttpResponseRedirect(target or str(reverse_lazy("sandbox:idp-login")))
    session.sign_out(response)
    return response


class SandboxAuthorizationView(AuthorizationView):
    """DOT's authorize endpoint, with the user taken from the provider's own cookie."""

    login_url = reverse_lazy("sandbox:idp-login")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from django.contrib.auth.models import AnonymousUser

        # max_age: a sign-in older than that counts as none, so the password is asked again
        # (prompt=login is django-oauth-toolkit's own: it sends the user to the sign-in page).
        raw_max_age = request.GET.get("max_age", "")
        max_age = int(raw_max_age) if raw_max_age.isdigit() else None
        request.user = session.idp_user(request, max_age=max_age) or AnonymousUser()  # type: ignore[assignment]
        return super().dispatch(request, *args, **kwargs)
