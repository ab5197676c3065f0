"""The member's insurance cards, and checking a claim with the insurer (ask, wait, read, share)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from insurance.forms import CardForm, CheckForm
from insurance.models import Coverage, InsuranceCard, InsurerCheck
from insurance.services import (
    ask,
    attach,
    card_views,
    check_view,
    coverage_for,
    delete_card,
    patient_choice_for,
    patients,
    poll,
    prefill,
    save_card,
    seconds_until_poll,
)
from portal.access import PortalRequest, gateway, member_required, user_id
from portal.ratelimit import rate_limited


@require_http_methods(["GET", "POST"])
@member_required
def cards(request: PortalRequest) -> HttpResponse:
    uid = user_id(request)
    after = _safe_next(request.POST.get("next") or request.GET.get("next") or "")
    if request.method == "POST":
        form = CardForm(request.POST)
        if form.is_valid():
            coverage = form.cleaned_data["coverage"]
            save_card(uid, coverage, form.cleaned_data["payer"], form.details())
            messages.success(request, _("Your %(card)s is saved.") % {"card": Coverage(coverage).card_name})
            return redirect(after or reverse("insurance:cards"))
    else:
        coverage = request.GET.get("coverage", "")
        card = InsuranceCard.objects.filter(user_id=uid, coverage=coverage).select_related("payer").first()
        if card is not None:
            form = CardForm(initial=CardForm.initial_from(card.coverage, card.payer, card.details))
        else:
            form = CardForm(initial={"coverage": coverage} if coverage in Coverage.values else None)
    return TemplateResponse(request, "insurance/cards.html", {"cards": card_views(uid), "form": form, "next": after})


def _safe_next(value: str) -> str:
    """Only a path on this site (the claim the member came from)."""
    return value if value.startswith("/claims/") and "//" not in value else ""


@require_POST
@member_required
def card_delete(request: PortalRequest, coverage: str) -> HttpResponse:
    if delete_card(user_id(request), coverage):
        messages.success(request, _("The card is removed."))
    return redirect("insurance:cards")


@require_http_methods(["GET", "POST"])
@member_required
@rate_limited("insurer_check")
def check_new(request: PortalRequest, claim_number: str) -> HttpResponse:
    uid = user_id(request)
    claim = gateway(request).get_claim(claim_number)  # another member's claim is a 404
    coverage = coverage_for(claim)
    if coverage is None:
        raise Http404("no insurer pays first for this kind of claim")
    card = InsuranceCard.objects.filter(user_id=uid, coverage=coverage).select_related("payer").first()
    if card is None:
        messages.info(
            request,
            _("Add your %(card)s first; then you can check this claim with your insurer.")
            % {"card": Coverage(coverage).card_name},
        )
        back = reverse("claims:claim_detail", args=[claim_number])
        return redirect(f"{reverse('insurance:cards')}?coverage={coverage}&next={back}")
    choices = patients(card)
    if request.method == "POST":
        form = CheckForm(request.POST, patients=choices)
        if form.is_valid():
            check = ask(uid, claim, card, form.cleaned_data)
            return redirect("insurance:check_detail", claim_number=claim_number, check_id=check.id)
    else:
        initial = prefill(claim, uid)
        initial["patient"] = patient_choice_for(card, initial.pop("patient_name", ""))
        form = CheckForm(initial=initial, patients=choices)
    return TemplateResponse(
        request,
        "insurance/check_new.html",
        {"claim": claim, "card": card, "coverage": Coverage(coverage), "form": form},
    )


@require_http_methods(["GET"])
@member_required
def check_detail(request: PortalRequest, claim_number: str, check_id: uuid.UUID) -> HttpResponse:
    check = get_object_or_404(
        InsurerCheck.objects.select_related("payer"), pk=check_id, user_id=user_id(request), claim_number=claim_number
    )
    check = poll(check)
    context = {
        "claim_number": claim_number,
        "view": check_view(check),
        "refresh": seconds_until_poll(check) if check.state == InsurerCheck.State.WORKING else None,
    }
    if request.htmx:
        return TemplateResponse(request, "insurance/_check_answer.html", context)
    return TemplateResponse(request, "insurance/check_detail.html", context)


@require_POST
@member_required
def check_attach(request: PortalRequest, claim_number: str, check_id: uuid.UUID) -> HttpResponse:
    check = get_object_or_404(InsurerCheck, pk=check_id, user_id=user_id(request), claim_number=claim_number)
    if attach(check):
        messages.success(request, _("The insurer's answer is now on your claim for the plan's review."))
    elif check.attached_at:
        messages.info(request, _("This answer was already shared with the plan."))
    else:
        messages.error(request, _("Only an answer from the insurer can be shared."))
    return redirect("claims:claim_detail", claim_number=claim_number)
