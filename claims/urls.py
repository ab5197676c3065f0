from django.urls import path

from claims import views

app_name = "claims"

urlpatterns = [
    path("claims/", views.claim_list, name="claim_list"),
    path("employer/claims/", views.employer_claims, name="employer_claims"),
]
