"""The sandbox's Optum Claim Status v2, mounted at /sandbox/optum/ (see sandbox.optum.views)."""

from django.urls import path

from sandbox.optum import views

urlpatterns = [
    path("apip/auth/v2/token", views.token, name="optum-token"),
    path("medicalnetwork/claimstatus/v2/", views.claim_status, name="optum-claim-status"),
    path("medicalnetwork/claimstatus/v2/raw-x12", views.raw_x12, name="optum-raw-x12"),
    path("medicalnetwork/claimstatus/v2/healthcheck", views.healthcheck, name="optum-healthcheck"),
]
