"""Integrex RCM's claim-info API v2 (INTEGREX_BASE_URL = SITE_URL + /sandbox/integrex)."""

from django.urls import path

from sandbox.integrex import views

urlpatterns = [
    path("api/v2/auth", views.auth, name="integrex-auth"),
    path("api/v2/claim-info", views.claim_info, name="integrex-claim-info"),
]
