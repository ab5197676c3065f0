"""Starting a review and taking its result in (from the webhook or the poll), each exactly once."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from portal import crypto, quick_reads
from portal.gateway.models import Claim, Denial, ReceiptStatus
from portal.gateway.silver import Evidence, SilverClaim
from reviews.models import Review
from reviews.submission import submission_for
from reviews.words import ReviewWords, review_words

log = logging.getLogger(__name__)


def start_review(
    *, claim: Claim, person_id: UUID | str, files: Sequence[Evidence], requested_by: str, employer: str = ""
) -> Review | None:
    """Record a review of this claim with these files and queue its submission (after commit).
    The same files again are the same review; None when Silver cannot review the claim."""
    submission = submission_for(claim, files, employer=employer)
    if submission is None:
        return None
    existing = Review.objects.filter(silver_claim_number=submission.claim_number).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            review = Review.objects.create(
                claim_number=claim.claim_number,
                person_id=person_id,
                employer=employer,
                silver_claim_number=submission.claim_number,
                requested_by=requested_by,
                submission_encrypted=crypto.encrypt_bytes(json.dumps(submission.to_json()).encode()),
            )
    except IntegrityError:  # the same review started at once elsewhere
        return Review.objects.get(silver_claim_number=submission.claim_number)

    def queue() -> None:  # named: see receipts.checks._enqueue_after_commit
        _queue(review.pk)

    transaction.on_commit(queue, robust=True)
    return review


def review_sent_evidence(
    *,
    before: Claim | None,
    person_id: UUID | str,
    files: Sequence[Evidence],
    after: Callable[[], tuple[Claim, Collection[str] | None] | None] | None = None,
    sent: Collection[str] = (),
) -> Review | None:
    """After a member's send: review the files the Claims API stored when the claim, as it was
    before the send, waited for evidence.

    When it could not be read before (``before`` None: an upstream fault), the claim as read after
    the send decides (``after`` gives it with the names of the receipts on file, None when they
    could not be listed): it waited if it still does, or if its receipt status says a receipt is
    in and the only receipts on file are the ones just ``sent`` (so the send is what changed it;
    a claim that already had a receipt gets no review, as it would not with ``before``). The Silver
    claim number depends only on the claim number and the files: either way, a send repeated is
    the same review."""
    if not files or not settings.SILVER_BASE_URL:
        return None
    claim, waited = before, before is not None and needs_substantiation(before)
    if before is None and after is not None and (found := after()) is not None:
        claim, on_file = found
        waited = needs_substantiation(claim) or (
            claim.receipt_status in JUST_RECEIVED and on_file is not None and set(on_file) <= set(sent)
        )
    if claim is None or not waited:
        return None
    return start_review(claim=claim, person_id=person_id, files=files, requested_by="member")


# A claim's receipt status right after a receipt was sent for a claim that asked for one.
JUST_RECEIVED = frozenset({ReceiptStatus.RECEIVED, ReceiptStatus.RE_UPLOADED, ReceiptStatus.PENDING})


def _queue(review_id: UUID) -> None:
    from reviews.tasks import submit_review

    submit_review.delay(str(review_id))


def take_result(payload: dict[str, Any]) -> bool:
    """Record Silver's result for its claim (``payload`` as Silver sent it), once: True when this
    call recorded it. A claim not yet adjudicated, or not one of ours, changes nothing."""
    claim = SilverClaim.from_json(payload)
    results = claim.adjudication_results
    if results is None:
        return False
    mine = Review.objects.filter(silver_claim_id=claim.id) | Review.objects.filter(
        silver_claim_number=claim.claim_number
    )
    done = mine.exclude(state=Review.State.COMPLETE).update(
        state=Review.State.COMPLETE,
        silver_claim_id=claim.id,
        recommendation=results.silver_recommendation.value[:64],
        result_encrypted=crypto.encrypt_bytes(json.dumps(payload, default=str).encode()),
        completed_at=timezone.now(),
    )
    return bool(done)


def latest_review(claim_number: str) -> Review | None:
    """The claim's newest review (created last; of two created in the same instant, the greater id).

    Most claims have none: the question is one indexed look-up in SQL (``portal.quick_reads``),
    and only a review found is read through the ORM."""
    row = quick_reads.first_row(_latest_review_sql(), [quick_reads.value(Review, "claim_number", claim_number)])
    return None if row is None else Review.objects.filter(pk=row[0]).first()


@functools.cache
def _latest_review_sql() -> str:
    r = quick_reads.table(Review)
    created, pk, number = (quick_reads.column(Review, name) for name in ("created_at", "id", "claim_number"))
    # names from the model's metadata, quoted; the value is a parameter
    return f"SELECT {pk} FROM {r} WHERE {number} = %s ORDER BY {created} DESC, {pk} DESC LIMIT 1"  # noqa: S608


@dataclass(frozen=True)
class PageReview:
    """A claim page's latest review, read once: in words for its panel, and whether it asks the
    member for more (for the claim's situation)."""

    words: ReviewWords | None
    asks_member: bool


def page_review(claim: Claim, *, admin: bool) -> PageReview:
    review = latest_review(claim.claim_number)
    if review is None:
        return PageReview(None, False)
    words = review_words(review.state, review.result, admin=admin, claimed=claim.claim_amount)
    return PageReview(words, _asks_member(review.state, review.recommendation))


def review_for_page(claim: Claim, *, admin: bool) -> ReviewWords | None:
    """The claim's latest review in words, for its page (None: never reviewed)."""
    return page_review(claim, admin=admin).words


def _asks_member(state: str, recommendation: str) -> bool:
    return state == Review.State.COMPLETE and recommendation in ASKS_MEMBER


def needs_substantiation(claim: Claim) -> bool:
    """Whether documents sent for this claim are evidence to review: it waits for a receipt, has
    an open request for information, or a denial that documents can fix."""
    if claim.receipt_status in (ReceiptStatus.REQUIRED, ReceiptStatus.NEW_NEEDED, ReceiptStatus.OVERDUE):
        return True
    if any(rmi.status.upper() == "OPEN" for rmi in claim.requests_for_more_information):
        return True
    return claim.denied_amount > 0 and any(r.is_upload_receipt_allowed for r in claim.denial_reasons)


@dataclass(frozen=True)
class Move:
    """What "Use this recommendation" pre-fills: this much of this denial moved to pending."""

    denial: Denial
    amount: Decimal
    recommendation: str


def recommended_move(review: ReviewWords | None, denials: Sequence[Denial]) -> Move | None:
    """An approving review moves what it found out of pocket to pending on the first denial still
    open, never more than that denial has left; any other recommendation moves nothing."""
    if review is None or review.recommendation != "approve" or not review.out_of_pocket:
        return None
    for denial in denials:
        if denial.denied_amount > 0:
            return Move(denial, min(review.out_of_pocket, denial.denied_amount), review.recommendation)
    return None


REVIEW_FILTERS = ("waiting", "approve", "deny", "needs_review", "request_more_information", "not_needed")


ASKS_MEMBER = ("request_more_information",)  # the recommendations that give the member a move


def claims_review_asks(claim_numbers: Collection[str], *, person_id: UUID | str | None = None) -> frozenset[str]:
    """Which of these claims' latest review asks the member for more (see ``claims.situation``).

    Asked on every list page: with ``person_id`` (the member whose list it is), one indexed
    statement over that member's reviews; otherwise the reviews that ask among these claims, then
    for those found whether each is its claim's latest."""
    wanted = set(claim_numbers)
    if not wanted:
        return frozenset()
    if person_id is not None:
        return frozenset(_person_review_asks(person_id)) & wanted
    asking = Review.objects.filter(recommendation__in=ASKS_MEMBER, state=Review.State.COMPLETE)
    candidates: set[str] = set()
    for chunk in _chunks(wanted):
        candidates.update(asking.filter(claim_number__in=chunk).values_list("claim_number", flat=True))
    found: set[str] = set()
    for chunk in _chunks(candidates):  # a newer review of the claim may have answered otherwise
        latest = _latest_reviews(chunk).values_list("claim_number", "state", "recommendation")
        found.update(number for number, state, recommendation in latest if _asks_member(state, recommendation))
    return frozenset(found)


def _person_review_asks(person_id: UUID | str) -> list[str]:
    """The member's claims whose latest review asks them for more: their complete reviews that
    ask, with no newer review of the same claim (in SQL: ``portal.quick_reads``)."""
    params = [quick_reads.value(Review, "person_id", person_id), Review.State.COMPLETE.value, *ASKS_MEMBER]
    return quick_reads.first_column(_person_review_asks_sql(), params)


@functools.cache
def _person_review_asks_sql() -> str:
    r = quick_reads.table(Review)
    pk, number, person, state, recommendation, created = (
        quick_reads.column(Review, name)
        for name in ("id", "claim_number", "person_id", "state", "recommendation", "created_at")
    )
    asks = ", ".join(["%s"] * len(ASKS_MEMBER))
    # names from the model's metadata, quoted; the values are parameters
    return (
        f"SELECT a.{number} FROM {r} a WHERE a.{person} = %s AND a.{state} = %s"  # noqa: S608
        f" AND a.{recommendation} IN ({asks}) AND NOT EXISTS (SELECT 1 FROM {r} n"
        f" WHERE n.{number} = a.{number} AND (n.{created} > a.{created}"
        f" OR (n.{created} = a.{created} AND n.{pk} > a.{pk})))"
    )


def review_labels(claim_numbers: Sequence[str]) -> dict[str, str]:
    """claim number -> its latest review in a word or two, for the employer list's rows."""
    labels: dict[str, str] = {}
    for chunk in _chunks(claim_numbers):
        for number, state, recommendation in _latest_reviews(chunk).values_list(
            "claim_number", "state", "recommendation"
        ):
            labels[number] = str(label_for(state, recommendation))
    return labels


def label_for(state: str, recommendation: str) -> str:
    from django.utils.translation import gettext as _

    if state in (Review.State.QUEUED, Review.State.SUBMITTED):
        return _("Waiting for review")
    if state == Review.State.FAILED:
        return _("Review not available")
    return {
        "approve": _("Review: approve"),
        "deny": _("Review: deny"),
        "needs_review": _("Review: needs a person"),
        "request_more_information": _("Review: more information"),
        "not_needed": _("Review: not needed"),
    }.get(recommendation, _("Reviewed"))


def _latest_reviews(claim_numbers: Collection[str]) -> QuerySet[Review]:
    """Each listed claim's latest review, chosen by the database (chunked: an SQL IN list has limits)."""
    newest = (
        Review.objects.filter(claim_number=OuterRef("claim_number")).order_by("-created_at", "-pk").values("pk")[:1]
    )
    return Review.objects.filter(claim_number__in=list(claim_numbers), pk=Subquery(newest))


def _chunks(items: Collection[str], size: int = 500) -> Iterator[list[str]]:
    ordered = list(items)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def claims_with_review(wanted: str, among: Collection[str]) -> set[str]:
    """Which of ``among`` (the claim numbers on the list) have a latest review that is ``wanted``
    (a recommendation, or "waiting")."""
    found: set[str] = set()
    for chunk in _chunks(among):
        latest = _latest_reviews(chunk)
        if wanted == "waiting":
            latest = latest.filter(state__in=(Review.State.QUEUED, Review.State.SUBMITTED))
        else:
            latest = latest.filter(state=Review.State.COMPLETE, recommendation=wanted)
        found.update(latest.values_list("claim_number", flat=True))
    return found
