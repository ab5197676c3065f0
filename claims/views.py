"""Member and employer claim lists (the signed-in user's home pages)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from portal.access import gateway, hr_admin_required, member_required

PAGE_SIZE = 20


def _page_number(request: HttpRequest) -> int:
    try:
        return max(0, int(request.GET.get("page", "1")) - 1)
    except ValueError:
        return 0


@require_GET
@member_required
def claim_list(request: HttpRequest) -> HttpResponse:
    profile = request.profile  # type: ignore[attr-defined]
    index = _page_number(request)
    page = gateway(request).list_claims(person_id=profile.person_id, index=index, page_size=PAGE_SIZE)
    return TemplateResponse(request, "claims/claim_list.html", {"page": page, "page_number": index + 1})


@require_GET
@hr_admin_required
def employer_claims(request: HttpRequest) -> HttpResponse:
    profile = request.profile  # type: ignore[attr-defined]
    index = _page_number(request)
    page = gateway(request).list_claims(business_entity_id=profile.business_entity_id, index=index, page_size=PAGE_SIZE)
    return TemplateResponse(request, "claims/employer_claims.html", {"page": page, "page_number": index + 1})
