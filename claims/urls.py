from django.urls import path

from claims import admin_views, reference_views, views

app_name = "claims"

urlpatterns = [
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/<str:claim_number>/", views.claim_detail, name="claim_detail"),
    path("payees/", reference_views.payees, name="payees"),
    path("eligible-expenses/", reference_views.eligible_expenses, name="eligible_expenses"),
    path("employer/claims/", admin_views.employer_claims_list, name="employer_claims"),
    path("employer/claims/export.csv", admin_views.employer_claims_export, name="employer_claims_export"),
    path("employer/claims/<str:claim_number>/", admin_views.employer_claim_review, name="employer_claim_review"),
    path(
        "employer/claims/<str:claim_number>/denials/<uuid:denial_id>/resolve/",
        admin_views.denial_update_new,
        name="denial_update_new",
    ),
    path("employer/denial-updates/<uuid:op_id>/", admin_views.denial_update_form, name="denial_update_form"),
    path(
        "employer/denial-updates/<uuid:op_id>/confirm/", admin_views.denial_update_confirm, name="denial_update_confirm"
    ),
    path("employer/denial-updates/<uuid:op_id>/result/", admin_views.denial_update_result, name="denial_update_result"),
    path("employer/denial-updates/<uuid:op_id>/retry/", admin_views.denial_update_retry, name="denial_update_retry"),
    path("employer/audit/", admin_views.audit_trail, name="audit_trail"),
]
