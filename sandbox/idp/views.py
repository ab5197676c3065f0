"""The sandbox identity provider's pages: its sign-in page and the authorize endpoint."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from oauth2_provider.views import AuthorizationView

from sandbox.idp import session
from sandbox.models import AdminAccount, Person

DEMO_PASSWORD = "sandbox-demo"


class SignInForm(forms.Form):
    username = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


def _demo_accounts() -> list[dict[str, str]]:
    accounts = [
        {
            "username": p.user.username if p.user else "",
            "role": "Member",
            "employer": p.employer.name,
            "name": str(p),
        }
        for p in Person.objects.select_related("user", "employer").filter(user__isnull=False)
    ]
    accounts += [
        {
            "username": a.user.username,
            "role": "HR administrator",
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


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is not None:
            update_last_login(type(user), user)  # the ID token's auth_time (django-oauth-toolkit reads it)
            response = HttpResponseRedirect(_safe_next(request))
            session.sign_in(response, user, secure=request.is_secure())
            return response
        form.add_error(None, "That username and password do not match a sandbox account.")
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


@never_cache
@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    """Ends the provider session; a `post_logout_redirect_uri` under SITE_URL is honoured."""
    target = request.GET.get("post_logout_redirect_uri") or request.POST.get("post_logout_redirect_uri")
    if not (target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})):
        target = str(reverse_lazy("sandbox:idp-login"))
    response = HttpResponseRedirect(target)
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
