"""The member's receipt check before sending: each chosen file is read on a task worker and the page
says, per file, what was read against the five things a valid receipt shows and against the claim.

Nothing reaches the Claims API until the member sends. Sending goes through the same exactly-once
upload as a direct upload (``receipts.services.receipt_upload``, keyed by the form's upload token),
then the checks' rows (the only place the files and what was read are kept) are deleted.

With htmx the panel polls with backoff while files are being read; without JavaScript the check
runs on submit, waits a few seconds for the worker, and a confirmation page shows the same
findings (refreshing itself while a file is still being read) before anything is sent.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from claims.filters import service_day
from claims.forms import ReceiptUploadForm
from claims.selectors import ClaimPage, member_claim_page, member_claims_forget
from claims.views import claim_page_with_form, upload_answer, upload_in_progress
from portal.access import PortalRequest, gateway, member_required, user_id
from portal.gateway import ApiError
from portal.gateway.models import Claim
from portal.gateway.silver import Evidence
from portal.ratelimit import rate_limited
from receipts.checks import checks_for, discard, files_for_sending, forget, start_checks
from receipts.findings import ClaimFacts, FileFindings, findings, kind_label
from receipts.services import UploadInProgress, UploadOutcome, receipt_upload, sent_names
from reviews.services import review_sent_evidence

# How long the page without JavaScript waits for the worker before showing what it has.
NO_JS_WAIT_SECONDS = 4.0
# The in-page panel asks again after these many seconds (then keeps to the last).
POLL_DELAYS = (0.5, 1, 1, 2, 2, 3, 5)


@dataclass(frozen=True)
class CheckedDocument:
    """One chosen file as the panel shows it."""

    check_id: str
    file_name: str
    state: str  # queued / reading / read / failed
    findings: FileFindings | None
    kind: str
    error: str

    @property
    def pending(self) -> bool:
        return self.state in ("queued", "reading")


def _facts(claim: Claim, request: PortalRequest) -> ClaimFacts:
    still = claim.denied_amount + claim.pending_amount
    name = (request.profile.display_name or "").strip()
    return ClaimFacts(
        amount=claim.claim_amount,
        still_owed=still if 0 < still < claim.claim_amount else None,
        service_start=service_day(claim.start_date_of_service),
        service_end=service_day(claim.end_date_of_service),
        plan_year_start=service_day(claim.plan_year_start_date),
        provider=claim.provider_name or "",
        patients=(name,) if name else (),
    )


def _documents(request: PortalRequest, claim: Claim, token: str) -> list[CheckedDocument]:
    facts = _facts(claim, request)
    documents = []
    for check in checks_for(user_id=user_id(request), upload_token=token):
        if check.claim_number != claim.claim_number:
            continue
        reading = check.reading if check.state == "read" else None
        found = findings(reading, facts) if reading is not None else None
        documents.append(
            CheckedDocument(
                check_id=str(check.id),
                file_name=check.file_name,
                state=check.state,
                findings=found,
                kind=kind_label(reading.kind) if reading is not None else "",
                error=str(check.error_words) if check.state == "failed" else "",
            )
        )
    return documents


def _page(request: PortalRequest, claim_number: str) -> ClaimPage:
    return member_claim_page(
        client=gateway(request),
        user_id=user_id(request),
        person_id=str(request.profile.person_id),
        claim_number=claim_number,
    )


def _claim(request: PortalRequest, claim_number: str) -> Claim:
    return _page(request, claim_number).claim


def _claim_if_readable(request: PortalRequest, claim_number: str) -> Claim | None:
    """The claim from the kept page or the API; None when it cannot be read just now (sending does
    not depend on it: only the automated review that follows does)."""
    try:
        return _claim(request, claim_number)
    except ApiError:
        return None


def _claim_after_send(request: PortalRequest, claim_number: str) -> tuple[Claim, tuple[str, ...] | None] | None:
    """The claim read from the API after a send (the kept copy is let go first: it is older), with
    the names of its receipts on file (None: they could not be listed); None when it cannot be read."""
    member_claims_forget(user_id=user_id(request), claim_number=claim_number)
    try:
        page = _page(request, claim_number)
    except ApiError:
        return None
    receipts = page.receipt_items
    return page.claim, None if receipts is None else tuple(r.file_name for r in receipts)


def _token(raw: str) -> str:
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise Http404 from None


def _panel(request: PortalRequest, claim: Claim, token: str, *, poll: int = 0, status: int = 200) -> HttpResponse:
    documents = _documents(request, claim, token)
    pending = any(d.pending for d in documents)
    context = {
        "claim": claim,
        "token": token,
        "documents": documents,
        "pending": pending,
        "all_complete": bool(documents) and all(d.findings is not None and d.findings.complete for d in documents),
        "poll": poll + 1,
        "delay": POLL_DELAYS[min(poll, len(POLL_DELAYS) - 1)],
        "form": ReceiptUploadForm(initial={"upload_token": token}),
    }
    template = "claims/receipt_check.html#check-panel" if request.htmx else "claims/receipt_check.html"
    return TemplateResponse(request, template, context, status=status)


@require_POST
@member_required
@rate_limited("receipt_check")  # its own count: a checked file's send counts as its upload
def check_start(request: PortalRequest, claim_number: str) -> HttpResponse:
    """Store the chosen files for reading (nothing is sent yet) and show what is known so far."""
    claim = _claim(request, claim_number)
    form = ReceiptUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        if request.htmx:
            # The errors go where the form shows its messages, not in place of the check panel.
            response = TemplateResponse(request, "receipts/_upload_result.html", {"form": form})
            return reswap(retarget(response, "#upload-result"), "innerHTML")
        return claim_page_with_form(request, claim_number, form)
    token = str(form.cleaned_data["upload_token"])
    files = form.cleaned_data["receipt_files"]
    start_checks(user_id=user_id(request), claim_number=claim_number, upload_token=token, files=files)
    if request.htmx:
        return _panel(request, claim, token)
    # Without JavaScript: give the worker a few seconds, then show the confirmation step.
    deadline = time.monotonic() + NO_JS_WAIT_SECONDS
    while time.monotonic() < deadline:
        if not any(c.state in ("queued", "reading") for c in checks_for(user_id=user_id(request), upload_token=token)):
            break
        time.sleep(0.25)
    return redirect(reverse("claims:check_review", args=[claim_number, token]))


@require_GET
@member_required
def check_review(request: PortalRequest, claim_number: str, token: str) -> HttpResponse:
    token = _token(token)
    claim = _claim(request, claim_number)
    try:
        poll = max(0, min(int(request.GET.get("poll", "0")), 100))
    except ValueError:
        poll = 0
    return _panel(request, claim, token, poll=poll)


@require_POST
@member_required
def check_remove(request: PortalRequest, claim_number: str, token: str) -> HttpResponse:
    """Take one file out before sending (the member replaces it or sends the others)."""
    token = _token(token)
    claim = _claim(request, claim_number)
    discard(user_id=user_id(request), upload_token=token, check_id=request.POST.get("check_id", ""))
    if request.htmx:
        return _panel(request, claim, token)
    return redirect(reverse("claims:check_review", args=[claim_number, token]))


@require_POST
@member_required
@rate_limited("upload")
def check_send(request: PortalRequest, claim_number: str, token: str) -> HttpResponse:
    """Send the checked files, each at most once, then forget what was read."""
    token = _token(token)
    # No claim read first: sending must work whenever the upload itself can (the API checks the
    # claim is the member's); the checks are the member's own, under this form and this claim.
    ids = [c.id for c in checks_for(user_id=user_id(request), upload_token=token) if c.claim_number == claim_number]
    files = files_for_sending(user_id=user_id(request), upload_token=token, check_ids=ids)
    if not files and ids == [] and (sent := sent_names(user_id=user_id(request), upload_token=token)):
        # Sent already: the answer was lost (a dropped connection, a second press). Same answer.
        return upload_answer(request, claim_number, UploadOutcome(already=sent), form=None)
    if not files:
        _claim(request, claim_number)  # another member's claim is not found, as everywhere
        message = _("There is nothing to send: choose your files again.")
        if request.htmx:
            return TemplateResponse(request, "receipts/_upload_result.html", {"in_progress": message})
        messages.info(request, message)
        return redirect(reverse("claims:claim_detail", args=[claim_number]) + "#upload")
    before = _claim_if_readable(request, claim_number)  # as it was: did it wait for evidence?
    try:
        outcome = receipt_upload(
            client=gateway(request),
            user_id=user_id(request),
            person_id=str(request.profile.person_id),
            claim_number=claim_number,
            files=files,
            upload_token=token,
        )
    except UploadInProgress:
        return upload_in_progress(request, claim_number)
    if outcome.any_success:
        stored = {*outcome.uploaded, *outcome.already}
        review_sent_evidence(
            before=before,
            person_id=str(request.profile.person_id),
            files=[Evidence(item.kind.mime_type, item.data) for item in files if item.name in stored],
            after=lambda: _claim_after_send(request, claim_number),
            sent=stored,
        )
    if not outcome.failed:
        forget(user_id=user_id(request), upload_token=token)
    elif not request.htmx:
        # Without JavaScript, back to the confirmation step: the files are still there to send again.
        if outcome.any_success:
            member_claims_forget(user_id=user_id(request), claim_number=claim_number)
        error = outcome.failed[0][1]
        messages.error(
            request,
            _(
                "The claims service did not accept the upload just now. Nothing was lost: "
                "press Send again. Reference: %(ref)s"
            )
            % {"ref": error.request_id or getattr(request, "request_id", "")},
        )
        return redirect(reverse("claims:check_review", args=[claim_number, token]))
    return upload_answer(request, claim_number, outcome, form=None)
