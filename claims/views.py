"""Member claim pages (list, detail) and the employer's claim list."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from claims.forms import ClaimFilterForm
from claims.services import (
    attention_summary,
    filing_deadline_near,
    filter_claims,
    member_claim_key,
    member_claim_view,
    member_claims_kept,
    plan_years,
    rendered_once,
    upload_allowed_by_denial,
    wants_receipt,
)
from portal.access import gateway, member_required, user_id
from portal.gateway import ApiError, NotFoundError
from receipts.forms import ReceiptUploadForm

PAGE_SIZE = 20


@require_GET
@member_required
def claim_list(request: HttpRequest) -> HttpResponse:
    profile = request.profile  # type: ignore[attr-defined]
    key, kept = member_claims_kept(client=gateway(request), user_id=user_id(request), person_id=str(profile.person_id))
    claims = list(kept.claims)
    form = ClaimFilterForm(request.GET or None, plan_years=plan_years(claims))
    claim_filter = form.to_filter()
    shown = filter_claims(claims, claim_filter)
    page = Paginator(shown, PAGE_SIZE).get_page(form.page_number())
    context = {
        "form": form,
        "filter": claim_filter,
        "page": page,
        "shown_count": len(shown),
        "total_count": len(claims),
        "attention": attention_summary(claims),
    }
    # The results region depends only on the kept list and the query.
    results = _rendered_once(
        request, key, kept, "claims/claim_list.html#claims-results", context, request.GET.urlencode()
    )
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse(results)
    return TemplateResponse(request, "claims/claim_list.html", {**context, "results_html": results})


@require_GET
@member_required
def claim_detail(request: HttpRequest, claim_number: str) -> HttpResponse:
    return claim_page(request, claim_number)


def claim_page(
    request: HttpRequest,
    claim_number: str,
    *,
    upload_form: ReceiptUploadForm | None = None,
    error: ApiError | None = None,
) -> HttpResponse:
    """The claim page; the upload view renders it again with its form's errors."""
    profile = request.profile  # type: ignore[attr-defined]
    view = member_claim_view(
        client=gateway(request), user_id=user_id(request), person_id=str(profile.person_id), claim_number=claim_number
    )
    claim, history, receipts = view.claim, view.history, view.receipts
    for value in (history, receipts):
        if isinstance(value, Exception) and not isinstance(value, ApiError):
            raise value

    def failed(value: object) -> bool:
        return isinstance(value, ApiError) and not isinstance(value, NotFoundError)

    context = {
        "claim": claim,
        "denials": [] if isinstance(history, Exception) else history.denials,
        "receipts": [] if isinstance(receipts, Exception) else receipts.items,
        "history_failed": failed(history),
        "receipts_failed": failed(receipts),
        "deadline_near": filing_deadline_near(claim),
        "wants_receipt": wants_receipt(claim),
        "upload_allowed_by_denial": upload_allowed_by_denial(claim),
        "upload_form": upload_form or (ReceiptUploadForm() if wants_receipt(claim) else None),
        "upload_error": error,
    }
    # All but the upload form (its token and errors are this request's) depends only on the kept
    # claim page.
    key = member_claim_key(user_id(request), claim_number)
    for part in ("summary", "record"):
        context[f"{part}_html"] = _rendered_once(request, key, view, f"claims/claim_detail.html#claim-{part}", context)
    return TemplateResponse(request, "claims/claim_detail.html", context)


def _rendered_once(
    request: HttpRequest, key: str, kept: object, partial: str, context: dict[str, object], varies: str = ""
) -> str:
    """``partial`` rendered from a kept copy once per process and version (``rendered_once``), in
    the time zone its dates are shown in; ``varies``: anything else it depends on."""
    zone = timezone.get_current_timezone_name()
    return rendered_once(key, kept, f"{partial}|{zone}|{varies}", lambda: render_to_string(partial, context, request))
