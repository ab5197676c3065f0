"""Receipt pages: all receipts on file, and streamed downloads. (Uploading to a claim is part of
the claim page: ``claims.views.claim_upload``.)"""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from claims.selectors import member_claims
from portal.access import PortalRequest, gateway, member_required, user_id
from portal.gateway import ApiError, NotFoundError, gather
from portal.gateway.models import ReceiptStatus
from receipts.filetypes import kind_of_mime_type, safe_file_name

# Claims whose receipt status says nothing was ever filed: no need to ask for their receipts.
_NO_RECEIPT_YET = frozenset({ReceiptStatus.REQUIRED, ReceiptStatus.NOT_NEEDED, ReceiptStatus.UNSPECIFIED})


@require_GET
@member_required
def receipt_list(request: PortalRequest) -> HttpResponse:
    client = gateway(request)
    person_id = str(request.profile.person_id)
    claims = member_claims(client=client, user_id=user_id(request), person_id=person_id).claims
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
def download(request: PortalRequest, external_id: str) -> HttpResponseBase:
    """Stream the file through the portal: the browser never sees the API's URL or a token."""
    file = gateway(request).download_receipt(external_id, person_id=str(request.profile.person_id))
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
