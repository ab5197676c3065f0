from django.urls import path

from claims import reference_views, views

app_name = "claims"

urlpatterns = [
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/<str:claim_number>/", views.claim_detail, name="claim_detail"),
    path("payees/", reference_views.payees, name="payees"),
    path("eligible-expenses/", reference_views.eligible_expenses, name="eligible_expenses"),
    path("employer/claims/", views.employer_claims, name="employer_claims"),
]
