"""The sandbox's URLs, mounted under /sandbox/ when SANDBOX_ENABLED.

/sandbox/o/    identity provider (django-oauth-toolkit, OIDC); issuer = SITE_URL + /sandbox/o
/sandbox/api/  Claims API v1 (CLAIMS_API_BASE_URL = SITE_URL + /sandbox/api)
/sandbox/silver/  Silver's Claims API (SILVER_BASE_URL = SITE_URL + /sandbox/silver)
/sandbox/integrex/  Integrex RCM claim info v2 (INTEGREX_BASE_URL = SITE_URL + /sandbox/integrex)
/sandbox/optum/   Optum Claim Status v2 (OPTUM_BASE_URL = SITE_URL + /sandbox/optum; sandbox.optum.urls)
"""

from django.urls import URLPattern, URLResolver, include, path, re_path
from oauth2_provider import urls as dot_urls

from sandbox.api import views as api
from sandbox.idp import views as idp
from sandbox.silver import views as silver

# The provider's endpoints, minus app management, dynamic registration and DOT's logout (which
# would end the portal's Django session: the sandbox provider keeps its own cookie instead).
_provider: list[URLPattern | URLResolver] = [
    path("authorize/", idp.SandboxAuthorizationView.as_view(), name="authorize"),
    *[p for p in dot_urls.base_urlpatterns if p.name != "authorize"],
    *[p for p in dot_urls.oidc_urlpatterns if p.name != "rp-initiated-logout"],
]

_sandbox: list[URLPattern | URLResolver] = [
    path("o/login/", idp.sign_in, name="idp-login"),
    path("o/signed-in/", idp.signed_in, name="idp-signed-in"),
    path("o/logout/", idp.sign_out, name="idp-logout"),
    path("api/openapi.json", api.openapi, name="api-openapi"),
    path("api/claims/health/liveness", api.liveness, name="api-liveness"),
    path("api/v1/claims", api.claims_list, name="api-claims"),
    path("api/v1/claims/payees", api.payees, name="api-payees"),
    path(
        "api/v1/claims/expense-categories-and-types",
        api.expense_categories,
        name="api-expense-categories",
    ),
    path(
        "api/v1/claims/receipts/upload-file-to-cloud",
        api.receipt_upload,
        name="api-receipt-upload",
    ),
    path(
        "api/v1/claims/receipts/download-file-from-cloud/<str:external_id>",
        api.receipt_download,
        name="api-receipt-download",
    ),
    path("api/v1/claims/receipts/<str:receipt_id>", api.receipt_detail, name="api-receipt"),
    path("api/v1/claims/<str:claim_number>", api.claim_detail, name="api-claim"),
    path("api/v1/claims/<str:claim_number>/denials", api.claim_denials, name="api-denials"),
    path(
        "api/v1/claims/<str:claim_number>/denials/<str:denial_id>",
        api.denial_update,
        name="api-denial-update",
    ),
    path("api/v1/claims/<str:claim_number>/receipts", api.claim_receipts, name="api-claim-receipts"),
    re_path(r"^api/(?P<rest>.*)$", api.not_found),
    path("silver/v1/claims", silver.claims, name="silver-claims"),
    path("integrex/", include("sandbox.integrex.urls")),
]

urlpatterns = [
    path("o/", include((_provider, "oauth2_provider"))),
    path("optum/", include("sandbox.optum.urls")),
    path("", include((_sandbox, "sandbox"))),
]
