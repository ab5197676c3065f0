"""A claim's situation: whose move it is, what is needed, by when, in plain words.

One pure function (``situation``) reads a claim, and where known its denial history and its
receipts, with today's date, and says what the claim's state means for a person. Every place that
says something about a claim's state (badges, the attention summary and its counts, the filters'
status groups, the status panels, the export's status column) reads it; nothing else derives
status text. No HTTP and no request here: a command, a task or a test can call it.

Two wordings: one for the member whose claim it is, one for the employer's HR administrator.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from portal import formatting
from portal.gateway.models import (
    Claim,
    ClaimStatus,
    Denial,
    DenialHistory,
    DenialReason,
    DenialStatus,
    Receipt,
    ReceiptStatus,
    Rmi,
)

ZERO = Decimal("0.00")
DEADLINE_SOON_DAYS = 30

# Request-for-information statuses that mean the plan no longer waits for an answer.
CLOSED_RMI = frozenset({"CLOSED", "RESOLVED", "ANSWERED", "COMPLETED", "CANCELLED", "CANCELED", "WITHDRAWN"})
# The plan asks for a receipt.
RECEIPT_WANTED = frozenset({ReceiptStatus.REQUIRED, ReceiptStatus.OVERDUE, ReceiptStatus.NEW_NEEDED})
# The receipt status itself says that something was sent at ``receipt_status_dt``.
RECEIPT_SENT = frozenset({ReceiptStatus.RECEIVED, ReceiptStatus.RE_UPLOADED, ReceiptStatus.PENDING})
# The plan has a receipt for the claim (sent and being looked at, or accepted).
RECEIPT_HELD = RECEIPT_SENT | {ReceiptStatus.AVAILABLE}
DENIED_STATUSES = frozenset({ClaimStatus.DENIED, ClaimStatus.DENIED_COLLECTING_REPAYMENT})


class Audience(enum.StrEnum):
    MEMBER = "member"
    ADMIN = "admin"


class Move(enum.StrEnum):
    """Whose move it is."""

    MEMBER = "member"
    PLAN = "plan"  # the plan administrator reviews or decides
    PAYMENT = "payment"  # approved: the payment system pays
    NOBODY = "nobody"  # settled: paid, or denied for good


class Step(enum.StrEnum):
    """What the portal offers the member next."""

    UPLOAD = "upload"
    ADD_DOCUMENT = "add-document"  # optional: under review, another document may still help
    REPAY_OR_SUBSTITUTE = "repay-or-substitute"
    REPAY = "repay"
    CONTACT_PLAN = "contact-plan"
    NONE = "none"


class Need(enum.StrEnum):
    """Why it is the member's move (the attention summary counts claims by it)."""

    RECEIPT = "receipt"
    INFORMATION = "information"
    FIX_DENIAL = "fix-denial"
    REPAYMENT = "repayment"
    PAYMENT_FAILED = "payment-failed"
    ACCOUNT_ON_HOLD = "account-on-hold"
    BETTER_DOCUMENT = "better-document"  # the automated review found what the documents lack


class Tone(enum.StrEnum):
    OK = "ok"
    DANGER = "danger"
    ACTION = "action"
    INFO = "info"
    MUTED = "muted"


class StatusGroup(enum.StrEnum):
    """The filters' status groups. A claim can be in more than one: a claim with money still
    denied is in Denied whatever else it is."""

    NEEDS_ACTION = "needs-action"
    IN_PROGRESS = "in-progress"
    DENIED = "denied"
    PAID = "paid"

    def label(self, audience: Audience) -> str:
        if audience is Audience.ADMIN:
            return {
                StatusGroup.NEEDS_ACTION: _("Waiting for the member"),
                StatusGroup.IN_PROGRESS: _("With the plan or being paid"),
                StatusGroup.DENIED: _("Money still denied"),
                StatusGroup.PAID: _("Paid"),
            }[self]
        return {
            StatusGroup.NEEDS_ACTION: _("Needs your action"),
            StatusGroup.IN_PROGRESS: _("In progress"),
            StatusGroup.DENIED: _("Denied"),
            StatusGroup.PAID: _("Paid"),
        }[self]


class DeadlineState(enum.StrEnum):
    PASSED = "passed"
    SOON = "soon"  # within DEADLINE_SOON_DAYS
    LATER = "later"


@dataclass(frozen=True)
class Deadline:
    day: date
    state: DeadlineState
    days_left: int  # 0 on the day itself, negative once passed


class Kind(enum.StrEnum):
    """The state the wording is chosen by (finer than whose move)."""

    RECEIPT_NEEDED = "receipt-needed"
    RECEIPT_OVERDUE = "receipt-overdue"
    NEW_RECEIPT_NEEDED = "new-receipt-needed"
    INFORMATION_REQUESTED = "information-requested"
    DENIED_FIXABLE = "denied-fixable"
    REPAYMENT_DUE = "repayment-due"
    REPAYMENT_DUE_NO_SUBSTITUTE = "repayment-due-no-substitute"
    PAYMENT_FAILED = "payment-failed"
    ACCOUNT_FROZEN = "account-frozen"
    DEADLINE_PASSED = "deadline-passed"
    DEADLINE_PASSED_PENDING = "deadline-passed-pending"  # nothing denied yet: the plan decides
    DOCUMENTS_UNDER_REVIEW = "documents-under-review"
    RECEIPT_UNDER_REVIEW = "receipt-under-review"
    REVIEW_ASKS = "review-asks"  # what was sent is under review, and the automated review found a gap
    ON_HOLD = "on-hold"
    APPROVED = "approved"
    PARTLY_APPROVED = "partly-approved"
    SCHEDULED = "scheduled"
    PAID = "paid"
    PARTLY_PAID = "partly-paid"
    DENIED = "denied"
    BEING_SET_UP = "being-set-up"
    PROCESSING = "processing"


class RequestState(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"  # documents were sent after it was asked
    CLOSED = "closed"
    NOT_NEEDED = "not-needed"  # still open upstream, but the claim was decided (approved or paid)


@dataclass(frozen=True)
class RequestView:
    rmi: Rmi
    state: RequestState

    def label(self) -> str:
        return {
            RequestState.OPEN: _("Open"),
            RequestState.ANSWERED: _("Documents sent"),
            RequestState.CLOSED: _("Closed"),
            RequestState.NOT_NEEDED: _("Nothing needed now"),
        }[self.state]

    @property
    def tone(self) -> str:
        return Tone.ACTION if self.state is RequestState.OPEN else Tone.MUTED


@dataclass(frozen=True)
class ReasonView:
    reason: DenialReason
    live: bool  # money is still denied for it
    fixable: bool  # the member can still fix it by sending a document (and has not yet)
    answered: bool  # documents were sent after it


@dataclass(frozen=True)
class Situation:
    claim: Claim
    kind: Kind
    move: Move
    need: Need | None  # set exactly when it is the member's move
    step: Step
    tone: Tone
    deadline: Deadline | None  # the deadline that matters here, if any
    still_denied: Decimal
    approved_unpaid: Decimal
    documents_sent_at: datetime | None  # the latest document known to be sent for the claim
    reasons: tuple[ReasonView, ...]
    requests: tuple[RequestView, ...]
    plan_contact: str
    audience: Audience = Audience.MEMBER

    # --- what the pages ask -----------------------------------------------------------------

    @property
    def offers_upload(self) -> bool:
        """The claim page shows the upload form."""
        return self.step in (Step.UPLOAD, Step.ADD_DOCUMENT, Step.REPAY_OR_SUBSTITUTE)

    @property
    def groups(self) -> frozenset[StatusGroup]:
        groups = set()
        if self.move is Move.MEMBER:
            groups.add(StatusGroup.NEEDS_ACTION)
        if self.move in (Move.PLAN, Move.PAYMENT):
            groups.add(StatusGroup.IN_PROGRESS)
        if self.still_denied > 0 or self.claim.claim_status in DENIED_STATUSES:
            groups.add(StatusGroup.DENIED)
        if self.claim.claim_status == ClaimStatus.PAID:
            groups.add(StatusGroup.PAID)
        return frozenset(groups)

    @property
    def live_reasons(self) -> tuple[ReasonView, ...]:
        return tuple(view for view in self.reasons if view.live)

    @property
    def resolved_reasons(self) -> tuple[ReasonView, ...]:
        return tuple(view for view in self.reasons if not view.live)

    @property
    def deadline_warning(self) -> bool:
        return self.deadline is not None and self.deadline.state is DeadlineState.SOON

    # --- words --------------------------------------------------------------------------------

    @property
    def headline(self) -> str:
        return _headline(self, self.audience)

    @property
    def explanation(self) -> str:
        return _explanation(self, self.audience)

    @property
    def step_label(self) -> str:
        """The member's button or link for the next step ('' when there is none)."""
        return {
            Step.UPLOAD: _("Upload a document"),
            Step.ADD_DOCUMENT: _("Add another document"),
            Step.REPAY_OR_SUBSTITUTE: _("Upload a receipt instead of repaying"),
            Step.REPAY: "",
            Step.CONTACT_PLAN: "",
            Step.NONE: "",
        }[self.step]

    @property
    def contact_hint(self) -> str:
        """Whom to contact, when the next step is to contact the plan and the words do not say it yet."""
        if self.step not in (Step.CONTACT_PLAN, Step.REPAY) or self.audience is Audience.ADMIN:
            return ""
        contact = _contact(self)
        if contact in self.explanation:
            return ""
        return _("Questions? Contact %(contact)s.") % {"contact": contact}

    @property
    def deadline_passed(self) -> bool:
        return self.deadline is not None and self.deadline.state is DeadlineState.PASSED

    @property
    def deadline_text(self) -> str:
        audience = self.audience
        deadline = self.deadline
        if deadline is None:
            return ""
        day = long_date(deadline.day)
        if deadline.state is DeadlineState.PASSED:
            return _("The last day to send documents was %(day)s.") % {"day": day}
        if deadline.days_left == 0:
            left = _("today")
        else:
            left = ngettext("%(n)d day left", "%(n)d days left", deadline.days_left) % {"n": deadline.days_left}
        if audience is Audience.ADMIN:
            return _("The member has until %(day)s (%(left)s).") % {"day": day, "left": left}
        if self.kind is Kind.REPAYMENT_DUE:
            return _("A receipt can be sent until %(day)s (%(left)s).") % {"day": day, "left": left}
        return _("Send it by %(day)s (%(left)s).") % {"day": day, "left": left}


# --- the function ------------------------------------------------------------------------------


def situation(
    claim: Claim,
    *,
    today: date,
    history: DenialHistory | None = None,
    receipts: Sequence[Receipt] | None = None,
    plan_contact: str = "",
    audience: Audience = Audience.MEMBER,
    review_asks: bool = False,
) -> Situation:
    """What ``claim``'s state means on ``today`` (the person's own calendar date).

    ``review_asks``: the claim's latest automated review of what was sent asks for more (its
    panel says what); while the plan has not decided and documents can still be sent, it is the
    member's move again rather than "under review, nothing to send".

    ``history`` tells which denials still hold money; ``receipts`` (the claim's receipts on file)
    tell whether a request was answered by documents sent after it. Without them the claim's own
    fields decide (its denied amount, its receipt status and when that last changed)."""
    sent_at = documents_sent_at(claim, receipts)
    deadline = _deadline(claim, today)
    open_window = deadline is None or deadline.state is not DeadlineState.PASSED
    still_denied = max(claim.denied_amount, ZERO)
    reasons = _reasons(claim, history, sent_at, open_window)
    requests = _requests(claim, sent_at, asking=_requests_ask(claim, still_denied))
    approved_unpaid = max(claim.pending_amount, ZERO) if claim.claim_status in _APPROVED else ZERO
    kind, move, need, step, tone = _decide(claim, reasons, requests, sent_at, open_window, still_denied)
    if review_asks and open_window and kind in (Kind.RECEIPT_UNDER_REVIEW, Kind.DOCUMENTS_UNDER_REVIEW):
        kind, move, need, step, tone = (
            Kind.REVIEW_ASKS,
            Move.MEMBER,
            Need.BETTER_DOCUMENT,
            Step.ADD_DOCUMENT,
            Tone.ACTION,
        )
    if move is not Move.MEMBER or need in (Need.PAYMENT_FAILED, Need.ACCOUNT_ON_HOLD):
        passed = (Kind.DEADLINE_PASSED, Kind.DEADLINE_PASSED_PENDING, Kind.REPAYMENT_DUE_NO_SUBSTITUTE)
        shown_deadline = deadline if kind in passed and open_window is False else None
    else:
        shown_deadline = deadline
    return Situation(
        claim=claim,
        kind=kind,
        move=move,
        need=need,
        step=step,
        tone=tone,
        deadline=shown_deadline,
        still_denied=still_denied,
        approved_unpaid=approved_unpaid,
        documents_sent_at=sent_at,
        reasons=reasons,
        requests=requests,
        plan_contact=plan_contact,
        audience=audience,
    )


_APPROVED = frozenset({ClaimStatus.PENDING_REIMBURSEMENT, ClaimStatus.SCHEDULED_REIMBURSEMENT})


def documents_sent_at(claim: Claim, receipts: Sequence[Receipt] | None) -> datetime | None:
    """When the member last sent a document for the claim, as far as is known: the newest receipt
    on file, and the receipt status's own time when that status says something was sent."""
    times = [r.upload_date for r in receipts or () if r.upload_date is not None]
    if claim.receipt_status in RECEIPT_SENT and claim.receipt_status_dt is not None:
        times.append(claim.receipt_status_dt)
    return max(times) if times else None


def needs_receipts_to_decide(claim: Claim) -> bool:
    """Whether the claim's receipts could change its situation (a receipt asked for, a request or
    a fixable denial that the claim's own fields do not show as answered): the claim list reads
    the receipts of these claims. The same rules as ``situation``'s, with no receipts known."""
    sent_at = documents_sent_at(claim, None)
    if claim.denied_amount > 0 and any(
        r.is_upload_receipt_allowed and not _after(sent_at, _reason_asked(claim, r)) for r in claim.denial_reasons
    ):
        return True
    if claim.claim_status == ClaimStatus.DENIED_COLLECTING_REPAYMENT and not claim.denial_reasons:
        return True
    if _requests_ask(claim, max(claim.denied_amount, ZERO)) and any(
        rmi.status.upper() not in CLOSED_RMI and not _after(sent_at, _rmi_asked(claim, rmi))
        for rmi in claim.requests_for_more_information
    ):
        return True
    return claim.claim_status == ClaimStatus.PENDING_RECEIPT and _receipt_wanted(claim, sent_at)


def _after(sent_at: datetime | None, asked_at: datetime | None) -> bool:
    """Something was sent after the ask. An ask of unknown time is never taken as answered."""
    return sent_at is not None and asked_at is not None and sent_at > asked_at


def _rmi_asked(claim: Claim, rmi: Rmi) -> datetime | None:
    return rmi.action_date or claim.receipt_status_dt or claim.submission_date


def _reason_asked(claim: Claim, reason: DenialReason) -> datetime | None:
    return reason.denial_date_time or claim.processed_date or claim.submission_date


def _requests_ask(claim: Claim, still_denied: Decimal) -> bool:
    """Requests for information still ask for something: the claim is not decided yet."""
    return claim.claim_status in (ClaimStatus.PENDING_RECEIPT, ClaimStatus.HOLD, *DENIED_STATUSES) or still_denied > 0


def _deadline(claim: Claim, today: date) -> Deadline | None:
    if claim.final_filing_date is None:
        return None
    # The last day to file is a calendar date (sent as that day's end in UTC).
    day = claim.final_filing_date.astimezone(UTC).date()
    left = (day - today).days
    if left < 0:
        state = DeadlineState.PASSED
    elif left <= DEADLINE_SOON_DAYS:
        state = DeadlineState.SOON
    else:
        state = DeadlineState.LATER
    return Deadline(day=day, state=state, days_left=left)


def _reasons(
    claim: Claim, history: DenialHistory | None, sent_at: datetime | None, open_window: bool
) -> tuple[ReasonView, ...]:
    remaining = _remaining_by_code(history)
    views = []
    for reason in claim.denial_reasons:
        if claim.denied_amount <= 0:
            live = False
        elif remaining is not None and reason.denial_code in remaining:
            live = remaining[reason.denial_code] > 0
        else:
            live = True
        answered = _after(sent_at, _reason_asked(claim, reason))
        fixable = live and reason.is_upload_receipt_allowed and open_window and not answered
        views.append(ReasonView(reason=reason, live=live, fixable=fixable, answered=answered))
    return tuple(views)


def _remaining_by_code(history: DenialHistory | None) -> dict[str, Decimal] | None:
    if history is None:
        return None
    remaining: dict[str, Decimal] = {}
    for denial in history.denials:
        left = ZERO if denial.status == DenialStatus.RESOLVED else denial.denied_amount
        remaining[denial.denial_code] = remaining.get(denial.denial_code, ZERO) + left
    return remaining


def _requests(claim: Claim, sent_at: datetime | None, *, asking: bool) -> tuple[RequestView, ...]:
    views = []
    for rmi in claim.requests_for_more_information:
        if rmi.status.upper() in CLOSED_RMI:
            state = RequestState.CLOSED
        elif _after(sent_at, _rmi_asked(claim, rmi)):
            state = RequestState.ANSWERED
        elif not asking:
            state = RequestState.NOT_NEEDED
        else:
            state = RequestState.OPEN
        views.append(RequestView(rmi=rmi, state=state))
    return tuple(views)


def _decide(
    claim: Claim,
    reasons: tuple[ReasonView, ...],
    requests: tuple[RequestView, ...],
    sent_at: datetime | None,
    open_window: bool,
    still_denied: Decimal,
) -> tuple[Kind, Move, Need | None, Step, Tone]:
    status = claim.claim_status
    open_requests = any(r.state is RequestState.OPEN for r in requests)
    answered_requests = any(r.state is RequestState.ANSWERED for r in requests)
    live = [r for r in reasons if r.live]
    fixable = any(r.fixable for r in live)  # within the deadline
    answered_denial = any(r.answered and r.reason.is_upload_receipt_allowed for r in live)

    if status == ClaimStatus.DENIED_COLLECTING_REPAYMENT and still_denied > 0:
        # A receipt can cancel the repayment unless every reason given says uploading cannot help.
        substitutable = not reasons or any(r.reason.is_upload_receipt_allowed for r in live)
        asked = max((r.reason.denial_date_time for r in live if r.reason.denial_date_time), default=None)
        sent_since = _after(sent_at, asked or claim.processed_date or claim.submission_date)
        if substitutable and sent_since:
            more = Step.ADD_DOCUMENT if open_window else Step.NONE
            return Kind.DOCUMENTS_UNDER_REVIEW, Move.PLAN, None, more, Tone.INFO
        if substitutable and open_window:
            return Kind.REPAYMENT_DUE, Move.MEMBER, Need.REPAYMENT, Step.REPAY_OR_SUBSTITUTE, Tone.ACTION
        return Kind.REPAYMENT_DUE_NO_SUBSTITUTE, Move.MEMBER, Need.REPAYMENT, Step.REPAY, Tone.ACTION
    if status == ClaimStatus.BANKING_FAILED:
        return Kind.PAYMENT_FAILED, Move.MEMBER, Need.PAYMENT_FAILED, Step.CONTACT_PLAN, Tone.ACTION
    if status == ClaimStatus.FREEZE:
        return Kind.ACCOUNT_FROZEN, Move.MEMBER, Need.ACCOUNT_ON_HOLD, Step.CONTACT_PLAN, Tone.ACTION

    # Something the member can send: a receipt the plan asks for, an answer, a fix to a denial.
    wants_receipt = status == ClaimStatus.PENDING_RECEIPT and _receipt_wanted(claim, sent_at)
    could_fix = any(r.reason.is_upload_receipt_allowed and not r.answered for r in live)
    if wants_receipt or open_requests or could_fix:
        if not open_window:
            # Too late to send anything: settled when money is denied, else the plan decides.
            if still_denied > 0:
                return Kind.DEADLINE_PASSED, Move.NOBODY, None, Step.CONTACT_PLAN, Tone.DANGER
            return Kind.DEADLINE_PASSED_PENDING, Move.PLAN, None, Step.CONTACT_PLAN, Tone.DANGER
        if open_requests:
            return Kind.INFORMATION_REQUESTED, Move.MEMBER, Need.INFORMATION, Step.UPLOAD, Tone.ACTION
        if fixable:
            return Kind.DENIED_FIXABLE, Move.MEMBER, Need.FIX_DENIAL, Step.UPLOAD, Tone.ACTION
        if claim.receipt_status == ReceiptStatus.OVERDUE:
            return Kind.RECEIPT_OVERDUE, Move.MEMBER, Need.RECEIPT, Step.UPLOAD, Tone.ACTION
        if claim.receipt_status == ReceiptStatus.NEW_NEEDED:
            return Kind.NEW_RECEIPT_NEEDED, Move.MEMBER, Need.RECEIPT, Step.UPLOAD, Tone.ACTION
        return Kind.RECEIPT_NEEDED, Move.MEMBER, Need.RECEIPT, Step.UPLOAD, Tone.ACTION

    # Documents the member sent that the plan has not decided on yet.
    more = Step.ADD_DOCUMENT if open_window else Step.NONE
    if answered_denial and still_denied > 0 and status in DENIED_STATUSES:
        return Kind.DOCUMENTS_UNDER_REVIEW, Move.PLAN, None, more, Tone.INFO
    if answered_requests and status in (ClaimStatus.HOLD, ClaimStatus.PENDING_RECEIPT, *DENIED_STATUSES):
        return Kind.DOCUMENTS_UNDER_REVIEW, Move.PLAN, None, more, Tone.INFO
    if status == ClaimStatus.PENDING_RECEIPT:
        # Held by the plan, or sent since it was asked for (the status may not show it yet).
        if claim.receipt_status in RECEIPT_HELD or (
            sent_at is not None and claim.receipt_status != ReceiptStatus.NOT_NEEDED
        ):
            return Kind.RECEIPT_UNDER_REVIEW, Move.PLAN, None, more, Tone.INFO
        return Kind.PROCESSING, Move.PLAN, None, Step.NONE, Tone.MUTED
    if status == ClaimStatus.HOLD:
        return Kind.ON_HOLD, Move.PLAN, None, Step.NONE, Tone.INFO

    if status in _APPROVED:
        if still_denied > 0:
            return Kind.PARTLY_APPROVED, Move.PAYMENT, None, _denied_step(live), Tone.INFO
        kind = Kind.SCHEDULED if status == ClaimStatus.SCHEDULED_REIMBURSEMENT else Kind.APPROVED
        return kind, Move.PAYMENT, None, Step.NONE, Tone.INFO
    if status == ClaimStatus.PAID:
        if still_denied > 0:
            return Kind.PARTLY_PAID, Move.NOBODY, None, _denied_step(live), Tone.OK
        return Kind.PAID, Move.NOBODY, None, Step.NONE, Tone.OK
    if status in DENIED_STATUSES:
        if still_denied <= 0:
            return Kind.PROCESSING, Move.PLAN, None, Step.NONE, Tone.MUTED
        if claim.paid_amount > 0:
            return Kind.PARTLY_PAID, Move.NOBODY, None, _denied_step(live), Tone.DANGER
        return Kind.DENIED, Move.NOBODY, None, _denied_step(live), Tone.DANGER
    if status == ClaimStatus.UNSPECIFIED:
        return Kind.BEING_SET_UP, Move.PLAN, None, Step.NONE, Tone.MUTED
    return Kind.PROCESSING, Move.PLAN, None, Step.NONE, Tone.MUTED


def _receipt_wanted(claim: Claim, sent_at: datetime | None) -> bool:
    """The claim waits for the member's receipt (the plan asks, and nothing was sent since)."""
    if claim.receipt_status in RECEIPT_HELD or claim.receipt_status == ReceiptStatus.NOT_NEEDED:
        return False
    if claim.receipt_status == ReceiptStatus.NEW_NEEDED:
        # The receipt on file was not enough: only what was sent after that counts (when that was
        # is not known, the ask stays open).
        return not _after(sent_at, claim.receipt_status_dt)
    return not _after(sent_at, claim.submission_date or claim.receipt_status_dt)


def _denied_step(live: Sequence[ReasonView]) -> Step:
    return Step.CONTACT_PLAN if live else Step.NONE


# --- words -------------------------------------------------------------------------------------


def money(value: Decimal | None) -> str:
    """US dollars, two decimals, thousands separated: "$1,234.56" (a minus sign before the $)."""
    if value is None:
        return "—"
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


def long_date(day: date) -> str:
    return formatting.long_date(day)


def _contact(s: Situation) -> str:
    return s.plan_contact or _("your plan administrator")


# (member's, administrator's) headline of each kind: marked for translation here, translated when
# shown (one lookup per badge, not the whole table).
_HEADLINES: dict[Kind, tuple[str, str]] = {
    Kind.RECEIPT_NEEDED: (gettext_noop("Send a receipt"), gettext_noop("Waiting for the member's receipt")),
    Kind.RECEIPT_OVERDUE: (gettext_noop("Your receipt is overdue"), gettext_noop("The member's receipt is overdue")),
    Kind.NEW_RECEIPT_NEEDED: (
        gettext_noop("Send a new receipt"),
        gettext_noop("Waiting for a new receipt from the member"),
    ),
    Kind.INFORMATION_REQUESTED: (
        gettext_noop("Answer a request for more information"),
        gettext_noop("Waiting for the member to answer a request for information"),
    ),
    Kind.DENIED_FIXABLE: (
        gettext_noop("Denied: you can fix this"),
        gettext_noop("Denied: the member can fix it by sending a document"),
    ),
    Kind.REPAYMENT_DUE: (
        gettext_noop("Repay %(amount)s or send a receipt"),
        gettext_noop("Repayment of %(amount)s due from the member"),
    ),
    Kind.REPAYMENT_DUE_NO_SUBSTITUTE: (
        gettext_noop("Repay %(amount)s"),
        gettext_noop("Repayment of %(amount)s due from the member"),
    ),
    Kind.PAYMENT_FAILED: (
        gettext_noop("Payment failed: check your bank details"),
        gettext_noop("Payment to the member failed"),
    ),
    Kind.ACCOUNT_FROZEN: (
        gettext_noop("On hold: your account is frozen"),
        gettext_noop("On hold: the member's account is frozen"),
    ),
    Kind.DEADLINE_PASSED: (
        gettext_noop("The deadline to fix this has passed"),
        gettext_noop("Closed: the filing deadline passed"),
    ),
    Kind.DEADLINE_PASSED_PENDING: (
        gettext_noop("The deadline to send documents has passed"),
        gettext_noop("Past the filing deadline: the plan will decide"),
    ),
    Kind.DOCUMENTS_UNDER_REVIEW: (
        gettext_noop("Documents received, under review"),
        gettext_noop("The member sent documents: to review"),
    ),
    Kind.RECEIPT_UNDER_REVIEW: (
        gettext_noop("Receipt received, under review"),
        gettext_noop("Receipt received, under review"),
    ),
    Kind.REVIEW_ASKS: (
        gettext_noop("Your documents are missing something"),
        gettext_noop("The automated review asked the member for more"),
    ),
    Kind.ON_HOLD: (gettext_noop("On hold for review"), gettext_noop("On hold for review")),
    Kind.APPROVED: (gettext_noop("Approved, payment pending"), gettext_noop("Approved, payment pending")),
    Kind.PARTLY_APPROVED: (
        gettext_noop("Partly approved: %(amount)s still denied"),
        gettext_noop("Partly approved: %(amount)s still denied"),
    ),
    Kind.SCHEDULED: (gettext_noop("Payment scheduled"), gettext_noop("Payment scheduled")),
    Kind.PAID: (gettext_noop("Paid"), gettext_noop("Paid")),
    Kind.PARTLY_PAID: (
        gettext_noop("Partly paid: %(amount)s denied"),
        gettext_noop("Partly paid: %(amount)s denied"),
    ),
    Kind.DENIED: (gettext_noop("Denied"), gettext_noop("Denied")),
    Kind.BEING_SET_UP: (gettext_noop("Being set up"), gettext_noop("Being set up")),
    Kind.PROCESSING: (gettext_noop("Being processed"), gettext_noop("Being processed")),
}


def _headline(s: Situation, audience: Audience) -> str:
    member, admin = _HEADLINES[s.kind]
    text = _(member if audience is Audience.MEMBER else admin)
    return text % {"amount": money(s.still_denied)} if "%(" in text else text


# (member's, administrator's) explanation of each kind, before its amounts are put in; translated
# when used (only the one a page shows: translating them all cost a claim page ~0.5 ms).
_EXPLANATIONS: dict[Kind, tuple[str, str]] = {
    Kind.RECEIPT_NEEDED: (
        gettext_noop(
            "The plan needs a receipt before this claim can be paid. Send an itemized receipt that "
            "shows the date, the provider and the amount."
        ),
        # The portal cannot read a member's receipts with an administrator's token: it says what
        # the claim says, not what the member did.
        gettext_noop("The claim's receipt status says a receipt from the member is still needed."),
    ),
    Kind.NEW_RECEIPT_NEEDED: (
        gettext_noop(
            "The receipt on file could not be used. Send one that shows the date of service, the "
            "provider and the amount you paid."
        ),
        gettext_noop("The receipt on file could not be used; the member has been asked for a new one."),
    ),
    Kind.INFORMATION_REQUESTED: (
        gettext_noop("The plan needs more information before it can decide. What is needed is described below."),
        gettext_noop("The plan asked the member for more information (below); the claim shows no answer yet."),
    ),
    Kind.DENIED_FIXABLE: (
        gettext_noop(
            "%(denied)s was not approved. Send the document described below and the claim will be reviewed again."
        ),
        gettext_noop(
            "%(denied)s is denied. The member can send a document to have it reviewed again, or you "
            "can resolve the denial below."
        ),
    ),
    Kind.REPAYMENT_DUE: (
        gettext_noop(
            "This card purchase was not approved, so %(denied)s must be paid back to your account, "
            "unless you send a receipt that shows it was an eligible expense. Repayments cannot be "
            "made in this portal, and it does not show a due date: contact %(contact)s to repay."
        ),
        gettext_noop(
            "The card purchase was not approved; %(denied)s is to be repaid by the member unless a "
            "valid receipt arrives. Resolving the denial below cancels that part of the repayment."
        ),
    ),
    Kind.REPAYMENT_DUE_NO_SUBSTITUTE: (
        gettext_noop(
            "This card purchase was not approved and the last day to send a receipt has passed, so "
            "%(denied)s must be paid back to your account. Repayments cannot be made in this "
            "portal, and it does not show a due date: contact %(contact)s to repay."
        ),
        gettext_noop(
            "The card purchase was not approved and the filing deadline passed; %(denied)s is to be "
            "repaid by the member."
        ),
    ),
    Kind.PAYMENT_FAILED: (
        gettext_noop(
            "The plan tried to pay this claim but the bank transfer failed. Your direct deposit "
            "details cannot be seen or changed in this portal: contact %(contact)s to check them."
        ),
        gettext_noop(
            "The bank transfer to the member failed. The member's direct deposit details are not "
            "visible in this portal."
        ),
    ),
    Kind.ACCOUNT_FROZEN: (
        gettext_noop(
            "This claim is on hold because your account is frozen. Contact %(contact)s to find out why and what to do."
        ),
        gettext_noop("The claim is on hold because the member's account is frozen."),
    ),
    Kind.DEADLINE_PASSED: (
        gettext_noop(
            "The last day to send documents for this plan year has passed, so this claim can no "
            "longer be fixed here. If you think this is wrong, contact %(contact)s."
        ),
        gettext_noop(
            "The filing deadline passed before the member sent what was asked; the member can no longer fix it."
        ),
    ),
    Kind.DEADLINE_PASSED_PENDING: (
        gettext_noop(
            "The last day to send documents for this plan year has passed, so nothing more can be "
            "sent here. The plan will decide on the claim with what it has. If you think this is "
            "wrong, contact %(contact)s."
        ),
        gettext_noop(
            "The filing deadline passed before the member sent what was asked; the plan will decide with what it has."
        ),
    ),
    Kind.DOCUMENTS_UNDER_REVIEW: (
        gettext_noop("You sent documents on %(sent)s. The plan will review them; you don't need to send them again."),
        gettext_noop(
            "The member sent documents on %(sent)s, after the denial or request. Review them and "
            "resolve the denial if they support the claim."
        ),
    ),
    Kind.RECEIPT_UNDER_REVIEW: (
        gettext_noop("The plan has a receipt for this claim and is reviewing it. You don't need to send it again."),
        gettext_noop("A receipt is on file and being reviewed."),
    ),
    Kind.REVIEW_ASKS: (
        gettext_noop(
            "The automated review of what you sent found something missing (see below). Add a document "
            "that shows it, so the plan can approve the claim."
        ),
        gettext_noop(
            "The automated review found something missing in the member's documents; the member is asked for more."
        ),
    ),
    Kind.ON_HOLD: (
        gettext_noop("The plan is reviewing this claim. You don't need to do anything now."),
        gettext_noop("The claim is on hold while the plan reviews it."),
    ),
    Kind.APPROVED: (
        gettext_noop("This claim was approved. The payment will be scheduled soon."),
        gettext_noop("Approved; the payment will be scheduled."),
    ),
    Kind.PARTLY_APPROVED: (
        gettext_noop("%(pending)s was approved and will be paid. %(denied)s is still denied: the reasons are below."),
        gettext_noop("%(pending)s is approved and waiting to be paid; %(denied)s is still denied."),
    ),
    Kind.SCHEDULED: (
        gettext_noop("The payment is scheduled. It usually arrives in 1 to 3 business days."),
        gettext_noop("The payment to the member is scheduled."),
    ),
    Kind.PAID: (gettext_noop("%(paid)s was paid to you."), gettext_noop("%(paid)s was paid to the member.")),
    Kind.PARTLY_PAID: (
        gettext_noop("%(paid)s was paid; %(denied)s was not approved. The reasons are below."),
        gettext_noop("%(paid)s was paid; %(denied)s is denied."),
    ),
    Kind.DENIED: (
        gettext_noop(
            "%(denied)s was not approved. The reasons are below. If you think this is wrong, contact %(contact)s."
        ),
        gettext_noop("%(denied)s is denied. You can resolve the denial below."),
    ),
    Kind.BEING_SET_UP: (
        gettext_noop("This claim was just received and is being set up."),
        gettext_noop("This claim was just received and is being set up."),
    ),
    Kind.PROCESSING: (gettext_noop("This claim is being processed."), gettext_noop("This claim is being processed.")),
}


_POINTS_TO_REASONS = frozenset({Kind.DENIED, Kind.PARTLY_PAID, Kind.PARTLY_APPROVED})


# The words of the kinds that point to the reasons below, for a claim that shows none. Translated when used.
_WITHOUT_REASONS: dict[Kind, tuple[str, str]] = {
    Kind.DENIED: (
        gettext_noop("%(denied)s was not approved. If you think this is wrong, contact %(contact)s."),
        gettext_noop("%(denied)s is denied. You can resolve the denial below."),
    ),
    Kind.PARTLY_PAID: (
        gettext_noop("%(paid)s was paid; %(denied)s was not approved."),
        gettext_noop("%(paid)s was paid; %(denied)s is denied."),
    ),
    Kind.PARTLY_APPROVED: (
        gettext_noop("%(pending)s was approved and will be paid. %(denied)s is still denied."),
        gettext_noop("%(pending)s is approved and waiting to be paid; %(denied)s is still denied."),
    ),
}


def _explanation(s: Situation, audience: Audience) -> str:
    claim = s.claim
    member = audience is Audience.MEMBER
    kind = s.kind
    if kind is Kind.RECEIPT_OVERDUE:
        kind = Kind.RECEIPT_NEEDED
    text = _(_EXPLANATIONS[kind][0 if member else 1])
    if kind is Kind.REPAYMENT_DUE_NO_SUBSTITUTE and not s.deadline_passed:
        text = (
            _(
                "This card purchase was not approved, so %(denied)s must be paid back to your account. "
                "Repayments cannot be made in this portal, and it does not show a due date: contact "
                "%(contact)s to repay."
            )
            if member
            else _("The card purchase was not approved; %(denied)s is to be repaid by the member.")
        )
    elif kind in _POINTS_TO_REASONS and not s.live_reasons:
        text = _(_WITHOUT_REASONS[kind][0 if member else 1])
    if claim.is_ptp and kind is Kind.SCHEDULED:
        text = _("The payment to %(payee)s is scheduled.")
    elif claim.is_ptp and kind is Kind.PAID:
        text = _("%(paid)s was paid to %(payee)s.")
    if kind is Kind.DEADLINE_PASSED and s.still_denied > 0:
        text = (_("%(denied)s was not approved.") if member else _("%(denied)s is denied.")) + " " + text
    elif kind is Kind.DENIED_FIXABLE and s.approved_unpaid > 0:
        text = _("%(pending)s was approved and will be paid.") + " " + text
    elif kind is Kind.DOCUMENTS_UNDER_REVIEW and s.still_denied > 0:
        text += " " + (_("Until then %(denied)s stays denied.") if member else _("%(denied)s is still denied."))
    return text % {
        "denied": money(s.still_denied),
        "pending": money(s.approved_unpaid),
        "paid": money(claim.paid_amount),
        "contact": _contact(s),
        "sent": long_date(timezone.localtime(s.documents_sent_at).date()) if s.documents_sent_at else "",
        "payee": claim.payee or claim.provider_name or _("the provider"),
    }


def receipt_status_text(status: ReceiptStatus) -> str:
    return {
        ReceiptStatus.REQUIRED: _("Receipt needed"),
        ReceiptStatus.RECEIVED: _("Receipt received"),
        ReceiptStatus.OVERDUE: _("Receipt overdue"),
        ReceiptStatus.NOT_NEEDED: _("No receipt needed"),
        ReceiptStatus.AVAILABLE: _("Receipt on file"),
        ReceiptStatus.NEW_NEEDED: _("A new receipt is needed"),
        ReceiptStatus.RE_UPLOADED: _("New receipt received"),
        ReceiptStatus.PENDING: _("Receipt being processed"),
    }.get(status, _("Receipt status not known yet"))


def denial_status_text(denial: Denial) -> str:
    return {
        DenialStatus.DENIED: _("Denied"),
        DenialStatus.PARTIALLY_RESOLVED: _("Partly resolved"),
        DenialStatus.RESOLVED: _("Resolved"),
    }.get(denial.status, _("Status not known"))
