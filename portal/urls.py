"""Top-level URLs. The sandbox is mounted only when SANDBOX_ENABLED (by string, never imported)."""

from allauth.socialaccount.providers.openid_connect import views as oidc_views
from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView

from portal import views
from portal.ratelimit import rate_limited

urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", views.signin, name="signin"),
    path("signout/", views.signout, name="signout"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("", include("claims.urls")),
    path("", include("receipts.urls")),
    # Sign-in starts are rate limited (per address): allauth's view, wrapped.
    path(
        "accounts/oidc/<str:provider_id>/login/",
        rate_limited("signin")(oidc_views.login),
        name="portal_oidc_login",
    ),
    # allauth's own sign-in page would offer nothing more than ours does.
    path("accounts/login/", RedirectView.as_view(pattern_name="signin", query_string=True)),
    path("accounts/", include("allauth.urls")),
]

if settings.SANDBOX_ENABLED:
    urlpatterns += [path("sandbox/", include("sandbox.urls"))]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
