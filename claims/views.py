"""Member claim pages: the list, a claim's page, and uploading documents to a claim."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from claims.filters import AttentionItem, filter_situations
from claims.forms import ClaimFilterForm, ReceiptUploadForm
from claims.selectors import member_claim_after_upload, member_claim_page, member_claims, member_claims_forget
from claims.services import claim_rows, claim_situation, list_facts, page_situation
from claims.situation import Audience
from insurance.services import member_panel
from portal.access import PortalRequest, gateway, member_required, user_id
from portal.gateway import ApiError, NotFoundError
from portal.gateway.models import Claim
from portal.ratelimit import rate_limited
from receipts.services import UploadInProgress, UploadOutcome, receipt_upload
from reviews.services import PageReview, page_review
from reviews.words import ReviewWords

PAGE_SIZE = 20


@require_GET
@member_required
def claim_list(request: PortalRequest) -> HttpResponse:
    kept = member_claims(client=gateway(request), user_id=user_id(request), person_id=str(request.profile.person_id))
    facts = list_facts(kept, audience=Audience.MEMBER, person_id=str(request.profile.person_id))
    situations = facts.situations
    form = ClaimFilterForm(request.GET or None, plan_years=facts.plan_years)
    claim_filter = form.to_filter()  # a bad value in the query string falls back to no filter
    shown = filter_situations(situations, claim_filter)
    page = Paginator(shown, PAGE_SIZE).get_page(form.page_number())
    context = {
        "form": form,
        "filter": claim_filter,
        "page": page,
        "rows": claim_rows(list(page.object_list), employer=False, kept=kept),
        "shown_count": len(shown),
        "total_count": len(situations),
        # Followed from "Needs your attention": the list says which claims it shows, in those words.
        "need_text": AttentionItem(claim_filter.need, len(shown)).text if claim_filter.need else "",
        "attention": facts.attention,
    }
    template = "claims/claim_list.html#claims-results" if request.htmx else "claims/claim_list.html"
    return TemplateResponse(request, template, context)


# While a review is open the status region asks again, each time a little later, for about five
# minutes in all (REVIEW_POLLS asks); the answer usually comes within a minute.
REVIEW_POLLS = 16


def review_poll_delay(asked: int) -> float:
    """Seconds before the status region's next ask, after ``asked`` asks: 3 s, growing to 30 s."""
    return round(min(3 * 1.25**asked, 30.0), 1)


@require_GET
@member_required
def claim_detail(request: PortalRequest, claim_number: str) -> HttpResponse:
    asked = request.GET.get("review_poll", "")
    if request.htmx and asked.isdigit():  # the status region asking again: only it is drawn
        return _claim_page(request, claim_number, region=min(int(asked), REVIEW_POLLS))
    return _claim_page(request, claim_number)


def _claim_page(
    request: PortalRequest,
    claim_number: str,
    *,
    upload_form: ReceiptUploadForm | None = None,
    error: ApiError | None = None,
    region: int | None = None,
) -> HttpResponse:
    """The claim page; the upload renders it again with its form's errors. ``region``: only the
    status region, for its ``region``-th ask while a review is open."""
    page = member_claim_page(
        client=gateway(request),
        user_id=user_id(request),
        person_id=str(request.profile.person_id),
        claim_number=claim_number,
    )
    for part in (page.history, page.receipts):
        if isinstance(part, Exception) and not isinstance(part, ApiError):
            raise part
    review = page_review(page.claim, admin=False)  # read once: its panel and the situation
    situation = page_situation(page, review_asks=review.asks_member)
    history, receipts = page.denial_history, page.receipt_items
    context = {
        "claim": page.claim,
        "situation": situation,
        "denials": history.denials if history else (),
        "receipts": receipts or (),
        "history_failed": _failed(page.history),
        "receipts_failed": _failed(page.receipts),
        "upload_form": upload_form or (ReceiptUploadForm() if situation.offers_upload else None),
        "upload_error": error,
        **_status_region(request, page.claim, review, asked=region or 0),
    }
    if region is not None:
        # The region asked while the review was open; now answered, it is said once to screen
        # readers too (the page's live region), not only redrawn.
        context["review_news"] = review.words is not None and not review.words.open
        return TemplateResponse(request, "claims/claim_detail.html#claim-status", context)
    return TemplateResponse(request, "claims/claim_detail.html", context)


def _status_region(request: PortalRequest, claim: Claim, review: PageReview, *, asked: int = 0) -> dict[str, object]:
    """What the status region draws beside the situation: the review, the insurer panel, and its
    asking again while the review is open. The page and the answer to a send both draw the region
    whole, so both take it from here (a panel left out vanished after a send)."""
    return {
        "review": review.words,
        "insurer": member_panel(claim, user_id(request)),
        **review_poll_context(review.words, asked=asked),
    }


def review_poll_context(review: ReviewWords | None, *, asked: int) -> dict[str, object]:
    """What the status region needs to ask again while the review is open (nothing once answered,
    or after REVIEW_POLLS asks: the page then says the same until it is reloaded)."""
    if review is None or not review.open or asked >= REVIEW_POLLS:
        return {}
    return {"review_poll": asked + 1, "review_poll_delay": review_poll_delay(asked)}


def _failed(part: object) -> bool:
    return isinstance(part, ApiError) and not isinstance(part, NotFoundError)


def _summary(outcome: UploadOutcome) -> str:
    names = outcome.uploaded + outcome.already
    return ngettext("Uploaded %(n)d document: %(names)s.", "Uploaded %(n)d documents: %(names)s.", len(names)) % {
        "n": len(names),
        "names": ", ".join(names),
    }


@require_POST
@member_required
@rate_limited("upload")
def claim_upload(request: PortalRequest, claim_number: str) -> HttpResponse:
    """Upload one or more documents to the member's claim, each at most once (see receipt_upload)."""
    form = ReceiptUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        if request.htmx:
            return TemplateResponse(request, "receipts/_upload_result.html", {"form": form})
        return _claim_page(request, claim_number, upload_form=form)
    client = gateway(request)
    person_id = str(request.profile.person_id)
    try:
        outcome = receipt_upload(
            client=client,
            user_id=user_id(request),
            person_id=person_id,
            claim_number=claim_number,
            files=form.cleaned_data["receipt_files"],
            upload_token=str(form.cleaned_data["upload_token"]),
        )
    except UploadInProgress:
        return upload_in_progress(request, claim_number)
    return upload_answer(request, claim_number, outcome, form=form)


def upload_in_progress(request: PortalRequest, claim_number: str) -> HttpResponse:
    """The same form is still being sent (a second click, another tab): say so, send nothing."""
    message = _("These files are already being uploaded. Wait a moment, then reload the page.")
    if request.htmx:
        return TemplateResponse(request, "receipts/_upload_result.html", {"in_progress": message})
    messages.info(request, message)
    return redirect(reverse("claims:claim_detail", args=[claim_number]))


def claim_page_with_form(request: PortalRequest, claim_number: str, form: ReceiptUploadForm) -> HttpResponse:
    """The claim page again, with the upload form's errors (no JavaScript)."""
    return _claim_page(request, claim_number, upload_form=form)


def upload_answer(
    request: PortalRequest, claim_number: str, outcome: UploadOutcome, *, form: ReceiptUploadForm | None
) -> HttpResponse:
    """What the member sees once files were sent: in the page with htmx (the status, request and
    receipt sections brought up to date in place), else the claim page with a message."""
    client = gateway(request)
    person_id = str(request.profile.person_id)
    error = outcome.failed[0][1] if outcome.failed else None
    if not request.htmx:
        if outcome.any_success:
            member_claims_forget(user_id=user_id(request), claim_number=claim_number)
            messages.success(request, _summary(outcome))
        if error is not None:
            return _claim_page(request, claim_number, upload_form=form or ReceiptUploadForm(), error=error)
        return redirect(reverse("claims:claim_detail", args=[claim_number]) + "#receipts")
    context: dict[str, object] = {"outcome": outcome, "summary": _summary(outcome), "error": error}
    if outcome.any_success:
        claim, receipts, history = member_claim_after_upload(
            client=client, user_id=user_id(request), person_id=person_id, claim_number=claim_number
        )
        if claim is not None:
            context["claim"] = claim
            # The status region is swapped whole: without this the review the send just started vanished.
            review = page_review(claim, admin=False)
            context["situation"] = claim_situation(
                claim, audience=Audience.MEMBER, history=history, receipts=receipts, review_asks=review.asks_member
            )
            context.update(_status_region(request, claim, review))
        context["receipts"] = receipts
        if error is None:
            context["fresh_form"] = ReceiptUploadForm()
            context["checks_done"] = True
    return TemplateResponse(request, "receipts/_upload_result.html", context)
