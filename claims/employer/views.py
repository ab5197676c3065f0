"""HR administrator pages: employer claims (filter, totals, export), claim review, denial updates,
and the audit trail. Every page starts from the signed-in admin's own business."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims.employer.export import csv_lines
from claims.employer.forms import DenialUpdateForm
from claims.employer.services import (
    Actor,
    UpdateInProgress,
    UpdateNotReady,
    audit_record,
    denial_update_set_amounts,
    denial_update_start,
    denial_update_submit,
    predicted_claim,
)
from claims.filters import filter_situations, totals
from claims.forms import EmployerFilterForm
from claims.models import AuditEvent, PendingDenialUpdate
from claims.selectors import ClaimList, employer_claims
from claims.services import claim_rows, claim_situation, list_facts
from claims.situation import Audience, Situation
from insurance.services import attached_checks
from portal.access import PortalRequest, gateway, hr_admin_required, user_id
from portal.gateway import ApiError, ClaimsApiClient, NotFoundError, gather
from portal.gateway.models import Denial
from portal.ratelimit import rate_limited
from reviews.services import claims_with_review, page_review, recommended_move, review_for_page, review_labels

PAGE_SIZE = 25


def _business(request: PortalRequest) -> str:
    return str(request.profile.business_entity_id)


def _actor(request: PortalRequest) -> Actor:
    return Actor(
        user_id=user_id(request),
        name=request.profile.display_name,
        business_entity_id=_business(request),
        request_id=getattr(request, "request_id", ""),
        correlation_id=getattr(request, "correlation_id", None) or "",
    )


def _filtered(request: PortalRequest) -> tuple[EmployerFilterForm, list[Situation], ClaimList]:
    """The filter form, the claims it shows (none while it has errors: never unfiltered totals) and
    the kept list they come from."""
    kept = employer_claims(client=gateway(request), user_id=user_id(request), business_entity_id=_business(request))
    facts = list_facts(kept, audience=Audience.ADMIN)
    situations = facts.situations
    form = EmployerFilterForm(request.GET or None, plan_years=facts.plan_years)
    if form.is_bound and not form.is_valid():
        return form, [], kept
    shown = filter_situations(situations, form.to_filter())
    wanted = form.cleaned_data.get("review") if form.is_bound else ""
    if wanted:
        numbers = claims_with_review(wanted, [s.claim.claim_number for s in shown])
        shown = [s for s in shown if s.claim.claim_number in numbers]
    return form, shown, kept


@require_GET
@hr_admin_required
def employer_claims_list(request: PortalRequest) -> HttpResponse:
    form, shown, kept = _filtered(request)
    page = Paginator(shown, PAGE_SIZE).get_page(form.page_number())
    context = {
        "form": form,
        "filter": form.to_filter(),
        "page": page,
        "rows": (rows := claim_rows(list(page.object_list), employer=True, kept=kept)),
        "review_labels": review_labels([row.situation.claim.claim_number for row in rows]),
        "review_active": bool(form.is_bound and form.is_valid() and form.cleaned_data.get("review")),
        "totals": totals(shown),
        "export_query": request.GET.urlencode(),
    }
    template = "claims/employer_claims.html#employer-results" if request.htmx else "claims/employer_claims.html"
    return TemplateResponse(request, template, context)


@require_GET
@hr_admin_required
def employer_claims_export(request: PortalRequest) -> HttpResponseBase:
    form, shown, _kept = _filtered(request)
    if form.errors:
        # Never an export of everything when the filters could not be read: the page says why.
        page = Paginator(shown, PAGE_SIZE).get_page(1)
        context = {"form": form, "filter": form.to_filter(), "page": page, "totals": totals(shown)}
        return TemplateResponse(request, "claims/employer_claims.html", context, status=400)
    audit_record(
        actor=_actor(request), action=AuditEvent.Action.EXPORT, result="ok", target="claims.csv",
        detail={"filter": request.GET.urlencode()[:500], "rows": len(shown)},
    )  # fmt: skip
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(shown)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="employer-claims-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@hr_admin_required
def employer_claim_review(request: PortalRequest, claim_number: str) -> HttpResponse:
    client = gateway(request)
    claim, history = gather(
        lambda: client.get_claim(claim_number), lambda: client.get_denials(claim_number), return_exceptions=True
    )
    if isinstance(claim, Exception):
        audit_record(  # no target: only a claim number the API confirmed is written as one
            actor=_actor(request), action=AuditEvent.Action.VIEW_CLAIM,
            result="not_found" if isinstance(claim, NotFoundError) else "failed",
        )  # fmt: skip
        raise claim  # another employer's claim is the same 404 as a missing one
    audit_record(actor=_actor(request), action=AuditEvent.Action.VIEW_CLAIM, target=claim_number, result="ok")
    history_failed = isinstance(history, ApiError) and not isinstance(history, NotFoundError)
    if isinstance(history, Exception) and not isinstance(history, ApiError):
        raise history
    known = None if isinstance(history, Exception) else history
    review = page_review(claim, admin=True)  # read once: its panel and the situation
    return TemplateResponse(
        request,
        "claims/employer_claim_review.html",
        {
            "claim": claim,
            "situation": claim_situation(claim, audience=Audience.ADMIN, history=known, review_asks=review.asks_member),
            "denials": known.denials if known else (),
            "history_failed": history_failed,
            "review": review.words,
            "use_recommendation": recommended_move(review.words, known.denials if known else ()),
            "insurer_answers": attached_checks(claim_number),
        },
    )


@require_GET
@hr_admin_required
def denial_update_new(request: PortalRequest, claim_number: str, denial_id: uuid.UUID) -> HttpResponse:
    """Start one logical update: its id, the Idempotency-Key, is minted now, once."""
    history = gateway(request).get_denials(claim_number)
    denial = next((d for d in history.denials if d.denial_id == denial_id), None)
    if denial is None:
        raise Http404("no such denial on this claim")
    if denial.denied_amount <= 0:
        messages.info(request, _("Nothing is left denied on this denial."))
        return redirect("claims:employer_claim_review", claim_number=claim_number)
    op = denial_update_start(
        actor_id=user_id(request), business_entity_id=_business(request), claim_number=claim_number,
        denial_id=denial_id, remaining=denial.denied_amount,
    )  # fmt: skip
    return redirect("claims:denial_update_form", op_id=op.id)


@require_POST
@hr_admin_required
def denial_update_from_review(request: PortalRequest, claim_number: str, denial_id: uuid.UUID) -> HttpResponse:
    """ "Use this recommendation": an update pre-filled from the claim's automated review (what it
    found out of pocket, never more than is denied), then the usual confirmation step."""
    client = gateway(request)
    claim, history = gather(lambda: client.get_claim(claim_number), lambda: client.get_denials(claim_number))
    move = recommended_move(review_for_page(claim, admin=True), history.denials)
    if move is None or move.denial.denial_id != denial_id:
        messages.info(request, _("The automated review no longer recommends moving an amount on this denial."))
        return redirect("claims:employer_claim_review", claim_number=claim_number)
    op = denial_update_start(
        actor_id=user_id(request), business_entity_id=_business(request), claim_number=claim_number,
        denial_id=denial_id, remaining=move.denial.denied_amount, review_recommendation=move.recommendation,
    )  # fmt: skip
    denial_update_set_amounts(op=op, amounts={"reallocate_to_pending_amount": move.amount})
    return redirect("claims:denial_update_confirm", op_id=op.id)


def _moves(op: PendingDenialUpdate) -> list[tuple[str, Decimal]]:
    """(label, amount) of each reallocation field the update uses, in the API's order."""
    fields = DenialUpdateForm.base_fields
    return [(str(fields[name].label), getattr(op, name)) for name in op.FIELDS if getattr(op, name) > 0]


def _op(request: PortalRequest, op_id: uuid.UUID) -> PendingDenialUpdate:
    return get_object_or_404(PendingDenialUpdate, pk=op_id, actor_id=user_id(request))


@require_http_methods(["GET", "POST"])
@hr_admin_required
def denial_update_form(request: PortalRequest, op_id: uuid.UUID) -> HttpResponse:
    op = _op(request, op_id)
    if op.state in (PendingDenialUpdate.State.APPLIED, PendingDenialUpdate.State.SUBMITTING):
        return redirect("claims:denial_update_result", op_id=op.id)  # back button after sending
    initial = {name: getattr(op, name) or None for name in op.FIELDS}
    form = DenialUpdateForm(request.POST or None, initial=initial, remaining=op.remaining_at_start)
    if request.method == "POST" and form.is_valid():
        denial_update_set_amounts(op=op, amounts=form.cleaned_data["amounts"])
        return redirect("claims:denial_update_confirm", op_id=op.id)
    context = {"op": op, "form": form, "denial": _denial_of(request, op)}
    return TemplateResponse(request, "claims/denial_update_form.html", context)


def _denial_of(request: PortalRequest, op: PendingDenialUpdate) -> Denial | None:
    """The denial the update resolves, to name it on the form (None if it cannot be read now:
    the form works without it, and the amounts are checked against the API when sent)."""
    try:
        history = gateway(request).get_denials(op.claim_number)
    except ApiError:
        return None
    return next((d for d in history.denials if d.denial_id == op.denial_id), None)


@require_http_methods(["GET", "POST"])
@hr_admin_required
@rate_limited("denial_update")
def denial_update_confirm(request: PortalRequest, op_id: uuid.UUID) -> HttpResponse:
    op = _op(request, op_id)
    if op.state in (PendingDenialUpdate.State.APPLIED, PendingDenialUpdate.State.REJECTED):
        return redirect("claims:denial_update_result", op_id=op.id)
    if op.state == PendingDenialUpdate.State.DRAFT:
        return redirect("claims:denial_update_form", op_id=op.id)
    client = gateway(request)
    if request.method == "POST":
        try:
            op = denial_update_submit(op_id=op.id, actor=_actor(request), client=client)
        except UpdateInProgress:
            messages.info(request, _("This update is being applied. The result is below."))
        except UpdateNotReady:
            return redirect("claims:denial_update_form", op_id=op.id)
        except ApiError as exc:
            return TemplateResponse(
                request, "claims/denial_update_confirm.html", _confirm_context(client, op, error=exc), status=200
            )
        return redirect("claims:denial_update_result", op_id=op.id)
    return TemplateResponse(request, "claims/denial_update_confirm.html", _confirm_context(client, op))


def _confirm_context(
    client: ClaimsApiClient, op: PendingDenialUpdate, error: ApiError | None = None
) -> dict[str, object]:
    try:
        claim = client.get_claim(op.claim_number)
    except ApiError:
        if error is None:
            raise
        claim = None  # already showing a failure: the page works without the claim's details
    remaining_after = max(Decimal("0.00"), op.remaining_at_start - op.total)
    moves = _moves(op)
    return {
        "op": op,
        "claim": claim,
        "moves": moves,
        "remaining_after": remaining_after,
        "predicted": claim_situation(predicted_claim(claim, op), audience=Audience.ADMIN) if claim else None,
        "error": error,
    }


@require_GET
@hr_admin_required
def denial_update_result(request: PortalRequest, op_id: uuid.UUID) -> HttpResponse:
    op = _op(request, op_id)
    claim = None
    if op.state == PendingDenialUpdate.State.APPLIED:
        try:
            claim = gateway(request).get_claim(op.claim_number)
        except ApiError:
            claim = None  # the result itself is recorded; the fresh claim is a nicety
    context = {
        "op": op,
        "claim": claim,
        "situation": claim_situation(claim, audience=Audience.ADMIN) if claim else None,
        "moves": _moves(op),
    }
    return TemplateResponse(request, "claims/denial_update_result.html", context)


@require_POST
@hr_admin_required
def denial_update_retry(request: PortalRequest, op_id: uuid.UUID) -> HttpResponse:
    """After a refusal: a new operation (a new key) with the same amounts, to correct them."""
    old = _op(request, op_id)
    history = gateway(request).get_denials(old.claim_number)
    denial = next((d for d in history.denials if d.denial_id == old.denial_id), None)
    if denial is None:
        raise Http404("no such denial on this claim")
    op = denial_update_start(
        actor_id=user_id(request), business_entity_id=str(old.business_entity_id), claim_number=old.claim_number,
        denial_id=old.denial_id, remaining=denial.denied_amount,
    )  # fmt: skip
    for name in old.FIELDS:
        setattr(op, name, getattr(old, name))
    op.save()
    return redirect("claims:denial_update_form", op_id=op.id)


@require_GET
@hr_admin_required
def audit_trail(request: PortalRequest) -> HttpResponse:
    events = AuditEvent.objects.filter(business_entity_id=_business(request))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return TemplateResponse(request, "claims/audit_trail.html", {"page": page})
