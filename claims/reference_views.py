"""Reference pages for members: payees they can pay directly, and eligible expenses."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from portal.access import PortalRequest, gateway, member_required
from portal.gateway import ApiError, gather
from portal.gateway.models import AccountType

ACCOUNT_NAMES = {
    "FSA": _("Health Care FSA"),
    "HSA": _("Health Savings Account (HSA)"),
    "HRA": _("Health Reimbursement Arrangement (HRA)"),
    "DCFSA": _("Dependent Care FSA"),
    "LPFSA": _("Limited Purpose FSA"),
}


@require_GET
@member_required
def payees(request: PortalRequest) -> HttpResponse:
    profile = request.profile
    items = list(gateway(request).iter_payees(person_id=str(profile.person_id)))
    return TemplateResponse(request, "claims/payees.html", {"payees": items})


@require_GET
@member_required
def eligible_expenses(request: PortalRequest) -> HttpResponse:
    profile = request.profile
    client = gateway(request)
    query = request.GET.get("q", "").strip()[:100]
    account_types = [t for t in profile.account_types if t in AccountType.__members__]
    results = gather(
        *[
            (
                lambda t=t: client.expense_categories(
                    person_id=str(profile.person_id), account_type=t, employer_id=str(profile.employer_id)
                )
            )
            for t in account_types
        ],
        return_exceptions=True,
    )
    accounts, failed = [], []
    needle = query.casefold()
    for account_type, categories in zip(account_types, results, strict=True):
        if isinstance(categories, ApiError):
            failed.append(ACCOUNT_NAMES.get(account_type, account_type))
            continue
        if isinstance(categories, Exception):
            raise categories
        shown = []
        for category in categories:
            if not needle or needle in category.category_name.casefold():
                shown.append((category.category_name, category.category_types))
                continue
            types = [t for t in category.category_types if needle in t.casefold()]
            if types:
                shown.append((category.category_name, types))
        accounts.append(
            {"code": account_type, "name": ACCOUNT_NAMES.get(account_type, account_type), "categories": shown}
        )
    template = "claims/eligible_expenses.html#expense-results" if request.htmx else "claims/eligible_expenses.html"
    return TemplateResponse(request, template, {"accounts": accounts, "failed": failed, "query": query})
