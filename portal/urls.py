"""Top-level URLs. The sandbox is mounted only when SANDBOX_ENABLED (by string, never imported)."""

from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView

from portal import signin, views
from portal.ratelimit import rate_limited

urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", views.signin, name="signin"),
    path("signout/", views.signout, name="signout"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
    path("language/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("", include("claims.urls")),
    path("", include("receipts.urls")),
    path("", include("reviews.urls")),
    path("", include("insurance.urls")),
    # allauth's OpenID Connect views, with a nonce and max_age (portal.signin); sign-in starts are
    # rate limited. The callback keeps allauth's URL (and name, reversed by allauth itself).
    path(
        "accounts/oidc/<str:provider_id>/login/",
        rate_limited("signin")(signin.oidc_login),
        name="portal_oidc_login",
    ),
    path("accounts/oidc/<str:provider_id>/login/callback/", signin.oidc_callback, name="portal_oidc_callback"),
    # allauth's own sign-in page would offer nothing more than ours does, and its own sign-out
    # would leave the tokens and the provider's session alive: both are the portal's.
    path("accounts/login/", RedirectView.as_view(pattern_name="signin", query_string=True)),
    path("accounts/logout/", views.signout, name="portal_allauth_logout"),
    path("accounts/", include("allauth.urls")),
]

if settings.SANDBOX_ENABLED:
    urlpatterns += [path("sandbox/", include("sandbox.urls"))]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
