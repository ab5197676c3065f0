from django.urls import path

from claims import check_views, reference_views, views
from claims.employer import views as employer

app_name = "claims"

urlpatterns = [
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/<str:claim_number>/", views.claim_detail, name="claim_detail"),
    path("claims/<str:claim_number>/receipts/", views.claim_upload, name="upload"),
    path("claims/<str:claim_number>/receipts/check/", check_views.check_start, name="check_start"),
    path("claims/<str:claim_number>/receipts/check/<str:token>/", check_views.check_review, name="check_review"),
    path("claims/<str:claim_number>/receipts/check/<str:token>/remove/", check_views.check_remove, name="check_remove"),
    path("claims/<str:claim_number>/receipts/check/<str:token>/send/", check_views.check_send, name="check_send"),
    path("payees/", reference_views.payees, name="payees"),
    path("eligible-expenses/", reference_views.eligible_expenses, name="eligible_expenses"),
    path("employer/claims/", employer.employer_claims_list, name="employer_claims"),
    path("employer/claims/export.csv", employer.employer_claims_export, name="employer_claims_export"),
    path("employer/claims/<str:claim_number>/", employer.employer_claim_review, name="employer_claim_review"),
    path(
        "employer/claims/<str:claim_number>/denials/<uuid:denial_id>/resolve/",
        employer.denial_update_new,
        name="denial_update_new",
    ),
    path(
        "employer/claims/<str:claim_number>/denials/<uuid:denial_id>/use-recommendation/",
        employer.denial_update_from_review,
        name="denial_update_from_review",
    ),
    path("employer/denial-updates/<uuid:op_id>/", employer.denial_update_form, name="denial_update_form"),
    path("employer/denial-updates/<uuid:op_id>/confirm/", employer.denial_update_confirm, name="denial_update_confirm"),
    path("employer/denial-updates/<uuid:op_id>/result/", employer.denial_update_result, name="denial_update_result"),
    path("employer/denial-updates/<uuid:op_id>/retry/", employer.denial_update_retry, name="denial_update_retry"),
    path("employer/audit/", employer.audit_trail, name="audit_trail"),
]
