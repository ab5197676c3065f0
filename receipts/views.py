"""Receipt pages: upload to a claim, all receipts on file, streamed downloads."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from claims.services import member_claim_after_upload, member_claims, member_claims_invalidate
from claims.views import claim_page
from portal.access import gateway, member_required, user_id
from portal.gateway import ApiError, NotFoundError, gather
from portal.gateway.models import ReceiptStatus
from portal.ratelimit import rate_limited
from receipts.filetypes import kind_of_mime_type, safe_file_name
from receipts.forms import ReceiptUploadForm
from receipts.services import UploadInProgress, UploadOutcome, receipt_upload

# Claims whose receipt status says nothing was ever filed: no need to ask for their receipts.
_NO_RECEIPT_YET = frozenset({ReceiptStatus.REQUIRED, ReceiptStatus.NOT_NEEDED, ReceiptStatus.UNSPECIFIED})


def _summary(outcome: UploadOutcome) -> str:
    names = outcome.uploaded + outcome.already
    return f"Uploaded {len(names)} receipt{'s' if len(names) != 1 else ''}: {', '.join(names)}."


@require_POST
@member_required
@rate_limited("upload")
def upload(request: HttpRequest, claim_number: str) -> HttpResponse:
    profile = request.profile  # type: ignore[attr-defined]
    htmx = bool(request.htmx)  # type: ignore[attr-defined]
    form = ReceiptUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        if htmx:
            return TemplateResponse(request, "receipts/_upload_result.html", {"form": form})
        return claim_page(request, claim_number, upload_form=form)
    client = gateway(request)
    try:
        outcome = receipt_upload(
            client=client,
            user_id=user_id(request),
            person_id=str(profile.person_id),
            claim_number=claim_number,
            files=form.cleaned_data["receipt_files"],
            upload_token=str(form.cleaned_data["upload_token"]),
        )
    except UploadInProgress:
        message = "These files are already being uploaded. Wait a moment, then reload the page."
        if htmx:
            return TemplateResponse(request, "receipts/_upload_result.html", {"in_progress": message})
        messages.info(request, message)
        return redirect(reverse("claims:claim_detail", args=[claim_number]))
    error = outcome.failed[0][1] if outcome.failed else None
    if not htmx:
        if outcome.any_success:
            member_claims_invalidate(user_id=user_id(request), claim_number=claim_number)
        if error is not None:
            if outcome.any_success:
                messages.success(request, _summary(outcome))
            return claim_page(request, claim_number, upload_form=form, error=error)
        messages.success(request, _summary(outcome))
        return redirect(reverse("claims:claim_detail", args=[claim_number]) + "#receipts")
    context: dict[str, object] = {"outcome": outcome, "summary": _summary(outcome), "error": error}
    if outcome.any_success:
        claim, receipts = member_claim_after_upload(
            client=client, user_id=user_id(request), person_id=str(profile.person_id), claim_number=claim_number
        )
        context["claim"] = claim
        context["receipts"] = None if receipts is None else receipts.items
        if error is None:
            context["fresh_form"] = ReceiptUploadForm()
    return TemplateResponse(request, "receipts/_upload_result.html", context)


@require_GET
@member_required
def receipt_list(request: HttpRequest) -> HttpResponse:
    profile = request.profile  # type: ignore[attr-defined]
    client = gateway(request)
    person_id = str(profile.person_id)
    claims = member_claims(client=client, user_id=user_id(request), person_id=person_id)
    candidates = [c for c in claims if c.receipt_status not in _NO_RECEIPT_YET]
    pages = gather(
        *[
            (lambda c=c: client.list_claim_receipts(c.claim_number, person_id=person_id, page_size=100))
            for c in candidates
        ],
        return_exceptions=True,
    )
    groups, failures = [], 0
    for claim, page in zip(candidates, pages, strict=True):
        if isinstance(page, NotFoundError):
            continue
        if isinstance(page, ApiError):
            failures += 1
            continue
        if isinstance(page, Exception):
            raise page
        if page.items:
            groups.append((claim, page.items))
    return TemplateResponse(
        request,
        "receipts/receipt_list.html",
        {"groups": groups, "failures": failures, "receipt_count": sum(len(items) for _, items in groups)},
    )


@require_GET
@member_required
def download(request: HttpRequest, external_id: str) -> HttpResponseBase:
    """Stream the file through the portal: the browser never sees the API's URL or a token."""
    profile = request.profile  # type: ignore[attr-defined]
    file = gateway(request).download_receipt(external_id, person_id=str(profile.person_id))
    kind = kind_of_mime_type(file.content_type)  # only the receipt types pass as they are
    response = StreamingHttpResponse(file.chunks(), content_type=kind.mime_type if kind else "application/octet-stream")
    if file.size is not None:
        response["Content-Length"] = str(file.size)
    # Whatever name the API holds, the browser saves a name that ends in the type it is served as.
    disposition = content_disposition_header(True, safe_file_name(file.filename, kind))
    response.headers["Content-Disposition"] = disposition or "attachment"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were talked into rendering it, the file runs nothing and reaches nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
