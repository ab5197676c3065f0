"""The claim's situation, table-driven over every state the API can put a claim in.

Each combination of claim status x receipt status x denial state x request for information x
deadline is read as a member and as an administrator, and what the page would say is checked for
contradictions, for asking again for what was received, and for denied money dropping out."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from claims.filters import ClaimFilter, attention_summary, filter_situations, totals
from claims.situation import (
    RECEIPT_HELD,
    Audience,
    DeadlineState,
    Kind,
    Move,
    Need,
    RequestState,
    Situation,
    StatusGroup,
    Step,
    receipt_status_text,
    situation,
)
from portal.gateway.models import (
    Claim,
    ClaimSource,
    ClaimStatus,
    Denial,
    DenialHistory,
    DenialReason,
    DenialStatus,
    Receipt,
    ReceiptStatus,
    Rmi,
)

TODAY = date(2026, 12, 1)
SUBMITTED = datetime(2026, 10, 1, 12, tzinfo=UTC)
ASKED = SUBMITTED + timedelta(days=1)  # denials and requests come the day after
D = Decimal

DENIAL_STATES = ("none", "open-upload", "open-no-upload", "partly-reallocated", "fully-reallocated")
# "sent": no request, but a document was sent after the denial or the ask for a receipt.
RMI_STATES = ("none", "open", "answered", "sent")
DEADLINES = ("none", "passed", "soon", "later")
ASKING = {
    Kind.RECEIPT_NEEDED,
    Kind.RECEIPT_OVERDUE,
    Kind.NEW_RECEIPT_NEEDED,
    Kind.INFORMATION_REQUESTED,
    Kind.DENIED_FIXABLE,
    Kind.REVIEW_ASKS,
}


@dataclass(frozen=True)
class Case:
    status: ClaimStatus
    receipt: ReceiptStatus
    denial: str
    rmi: str
    deadline: str

    def __str__(self) -> str:
        return f"{self.status.value}/{self.receipt.value}/{self.denial}/rmi-{self.rmi}/deadline-{self.deadline}"


def build(case: Case) -> tuple[Claim, DenialHistory, tuple[Receipt, ...]]:
    amount = D("100.00")
    denied, pending, paid = D("0.00"), D("0.00"), D("0.00")
    reasons: tuple[DenialReason, ...] = ()
    denials: tuple[Denial, ...] = ()
    code, upload_ok = "DEN-001", True
    if case.denial == "open-no-upload":
        code, upload_ok = "DEN-002", False
    if case.denial != "none":
        reasons = (
            DenialReason(
                denial_code=code, reason="Receipt did not show required details", denial_date_time=ASKED,
                is_upload_receipt_allowed=upload_ok, explanation="It did not.", action_required="Send one.",
            ),
        )  # fmt: skip
        remaining, status = {
            "open-upload": (D("100.00"), DenialStatus.DENIED),
            "open-no-upload": (D("100.00"), DenialStatus.DENIED),
            "partly-reallocated": (D("60.00"), DenialStatus.PARTIALLY_RESOLVED),
            "fully-reallocated": (D("0.00"), DenialStatus.RESOLVED),
        }[case.denial]
        denied = remaining
        if case.denial == "partly-reallocated":
            pending = D("40.00")
        if case.denial == "fully-reallocated":
            paid = D("100.00")
        denials = (
            Denial(
                denial_id=uuid.uuid4(), denial_code=code, denial_reason="Receipt did not show required details",
                denied_amount=remaining, status=status, action_date=ASKED,
            ),
        )  # fmt: skip
    if case.status == ClaimStatus.PAID and case.denial in ("none",):
        paid = amount
    rmis: tuple[Rmi, ...] = ()
    if case.rmi in ("open", "answered"):
        rmis = (
            Rmi(
                action_date=ASKED, reason="Itemized receipt needed", code="RMI-01",
                description="We need an itemized receipt.", status="OPEN", note="",
            ),
        )  # fmt: skip
    receipts: tuple[Receipt, ...] = ()
    if case.rmi in ("answered", "sent"):
        receipts = (
            Receipt(
                receipt_id="r1", file_name="receipt.pdf", file_size=1000, content_type="PDF",
                upload_date=ASKED + timedelta(days=2), claim_numbers=("C1",), download_url=None,
            ),
        )  # fmt: skip
    final = {
        "none": None,
        "passed": datetime.combine(TODAY - timedelta(days=10), datetime.max.time(), UTC),
        "soon": datetime.combine(TODAY + timedelta(days=10), datetime.max.time(), UTC),
        "later": datetime.combine(TODAY + timedelta(days=100), datetime.max.time(), UTC),
    }[case.deadline]
    claim = Claim(
        claim_number="C1", claim_amount=amount, paid_amount=paid, submitted_amount=amount, denied_amount=denied,
        applied_copay_amount=D("0.00"), applied_coinsurance_amount=D("0.00"), applied_deductible_amount=D("0.00"),
        claim_status=case.status, is_ptp=False, receipt_status=case.receipt, claim_source=ClaimSource.CONSUMER,
        expense_id=uuid.uuid4(), submission_date=SUBMITTED, start_date_of_service=SUBMITTED,
        final_filing_date=final, receipt_status_dt=SUBMITTED + timedelta(hours=3), provider_name="Clinic",
        plan_year_name="2026 Plan Year", denial_reasons=reasons, requests_for_more_information=rmis,
    )  # fmt: skip
    assert claim.pending_amount >= pending
    return claim, DenialHistory(claim_number="C1", denials=denials), receipts


CASES = [
    Case(*values)
    for values in itertools.product(
        [*ClaimStatus, ClaimStatus("SOMETHING_NEW_STATUS")], list(ReceiptStatus), DENIAL_STATES, RMI_STATES, DEADLINES
    )
]


def read(
    case: Case, audience: Audience = Audience.MEMBER, *, known: bool = True, review_asks: bool = False
) -> Situation:
    claim, history, receipts = build(case)
    return situation(
        claim, today=TODAY, history=history if known else None, receipts=receipts if known else None,
        plan_contact="the Benefits Center at 1-800-555-0100", audience=audience, review_asks=review_asks,
    )  # fmt: skip


def page_texts(s: Situation) -> list[str]:
    """Everything the status part of a claim page says about the claim's state."""
    texts = [s.headline, s.explanation, s.deadline_text, s.step_label, receipt_status_text(s.claim.receipt_status)]
    texts += [view.label() for view in s.requests]
    return [t for t in texts if t]


def test_every_combination_reads_without_contradiction():
    problems = []
    for case in CASES:
        for audience in Audience:
            for asks in (False, True):  # and with an automated review that asks the member for more
                s = read(case, audience, review_asks=asks)
                for why in contradictions(case, s):
                    problems.append(f"{case} as {audience}{' (review asks)' if asks else ''}: {why}")
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} in all)"
    assert len(CASES) == 11 * 9 * 5 * 4 * 4


def contradictions(case: Case, s: Situation) -> list[str]:
    found = []
    texts = page_texts(s)
    member = s.audience is Audience.MEMBER
    if any("%(" in t or "%s" in t for t in texts):
        found.append("unfilled placeholder")
    if not s.headline or not s.explanation:
        found.append("no words")
    # Whose move, the attention group and the need agree.
    if (s.move is Move.MEMBER) != (s.need is not None) or (s.move is Move.MEMBER) != (
        StatusGroup.NEEDS_ACTION in s.groups
    ):
        found.append("whose move, need and group disagree")
    if s.kind in ASKING and not (s.move is Move.MEMBER and s.offers_upload):
        found.append("asks for a document but offers no upload")
    if s.step in (Step.UPLOAD, Step.REPAY_OR_SUBSTITUTE) and s.move is not Move.MEMBER:
        found.append("an upload is the next step but it is not the member's move")
    # Never asked for what was received.
    if case.receipt in RECEIPT_HELD and s.kind in (Kind.RECEIPT_NEEDED, Kind.RECEIPT_OVERDUE, Kind.NEW_RECEIPT_NEEDED):
        found.append("asks for a receipt the plan already has")
    if case.rmi == "answered" and any(r.state is RequestState.OPEN for r in s.requests):
        found.append("a request answered by documents is still open")
    if case.rmi == "answered" and s.kind is Kind.INFORMATION_REQUESTED:
        found.append("asks for information that was sent")
    # Deadlines.
    passed = case.deadline == "passed"
    if passed and (s.offers_upload or s.kind in ASKING):
        found.append("offers to fix after the deadline")
    if s.deadline is not None and s.deadline.state is DeadlineState.SOON and s.move is not Move.MEMBER:
        found.append("warns of a deadline when nothing is the member's to do")
    if s.kind in ASKING and case.deadline in ("soon", "later") and s.deadline is None:
        found.append("asks without saying by when")
    if any(v.fixable for v in s.reasons) and (passed or s.move is not Move.MEMBER):
        found.append("says a denial can be fixed when it cannot")
    # Money still denied is never called paid or approved, and stays in Denied.
    if s.still_denied > 0:
        if StatusGroup.DENIED not in s.groups:
            found.append("money still denied but not in Denied")
        if s.kind in (Kind.PAID, Kind.APPROVED, Kind.SCHEDULED):
            found.append("says paid or approved while money is still denied")
    decided = case.status in (ClaimStatus.PAID, ClaimStatus.SCHEDULED_REIMBURSEMENT, ClaimStatus.PENDING_REIMBURSEMENT)
    if decided and s.still_denied == 0 and s.move is Move.MEMBER:
        found.append("asks the member for something on a claim already approved or paid")
    if s.step is Step.REPAY_OR_SUBSTITUTE and case.denial == "open-no-upload":
        found.append("offers a receipt instead of repaying where the reason says uploading cannot help")
    # (An automated review asks after a send by design: it read what was sent and found a gap.)
    if case.rmi == "sent" and s.kind in ASKING - {Kind.INFORMATION_REQUESTED, Kind.REVIEW_ASKS}:
        found.append("asks for a document sent after it was asked for")
    if "reasons are below" in s.explanation and not s.live_reasons:
        found.append("points to reasons it does not show")
    if any(word in t.lower() for t in texts for word in ("accepted",)):
        found.append("says something was accepted")
    if case.denial in ("none", "fully-reallocated") and s.live_reasons:
        found.append("shows a denial reason with nothing denied")
    # One wording for members, one for administrators.
    if member and any("the member" in t.lower() for t in texts):
        found.append("member wording speaks of 'the member'")
    if not member and any("your " in t.lower() for t in (s.headline, s.explanation, s.deadline_text)):
        found.append("administrator wording speaks of 'your'")
    return found


@pytest.mark.parametrize("audience", list(Audience))
def test_every_attention_count_is_the_number_of_rows_its_link_shows(audience):
    everything = [read(case, audience, review_asks=asks) for case in CASES for asks in (False, True)]
    attention = attention_summary(everything)
    assert attention.total == len(filter_situations(everything, ClaimFilter(group=StatusGroup.NEEDS_ACTION)))
    assert {item.need for item in attention.items} == set(Need)
    for item in attention.items:
        assert item.count == len(filter_situations(everything, ClaimFilter(need=item.need))), item.need


def test_denied_totals_count_every_dollar_still_denied():
    everything = [read(case) for case in CASES]
    denied = filter_situations(everything, ClaimFilter(group=StatusGroup.DENIED))
    assert totals(denied).denied == totals(everything).denied == sum(s.claim.denied_amount for s in everything)


def test_the_claim_alone_reads_the_same_as_with_its_history_where_they_agree():
    """The list reads claims without their history: what it says must not contradict the page."""
    for case in CASES:
        alone, full = read(case, known=False), read(case)
        if case.rmi in ("answered", "sent"):
            continue  # the list reads the receipts of such claims (tested over HTTP)
        assert alone.move is full.move, case
        assert alone.groups == full.groups, case


def test_a_review_that_asks_for_more_gives_the_member_the_move_back_while_documents_can_be_sent():
    case = Case(ClaimStatus.PENDING_RECEIPT, ReceiptStatus.RECEIVED, "none", "none", "later")
    assert read(case).kind is Kind.RECEIPT_UNDER_REVIEW
    s = read(case, review_asks=True)
    assert s.kind is Kind.REVIEW_ASKS and s.move is Move.MEMBER and s.need is Need.BETTER_DOCUMENT
    assert s.offers_upload and "don't need to send" not in s.explanation
    assert read(case, Audience.ADMIN, review_asks=True).headline == "The automated review asked the member for more"
    late = Case(ClaimStatus.PENDING_RECEIPT, ReceiptStatus.RECEIVED, "none", "none", "passed")
    assert read(late, review_asks=True).kind is not Kind.REVIEW_ASKS  # too late to send: the plan decides


def test_a_request_answered_after_it_was_asked_is_no_longer_the_members_move():
    s = read(Case(ClaimStatus.HOLD, ReceiptStatus.RECEIVED, "none", "answered", "later"))
    assert s.kind is Kind.DOCUMENTS_UNDER_REVIEW and s.move is Move.PLAN
    assert [r.state for r in s.requests] == [RequestState.ANSWERED]
    assert "you don't need to send them again" in s.explanation


def test_a_repayment_names_the_amount_and_how_to_resolve_it():
    s = read(Case(ClaimStatus.DENIED_COLLECTING_REPAYMENT, ReceiptStatus.OVERDUE, "open-upload", "none", "later"))
    assert s.headline == "Repay $100.00 or send a receipt"
    assert "1-800-555-0100" in s.explanation and "due date" in s.explanation
    assert s.step is Step.REPAY_OR_SUBSTITUTE and s.offers_upload
    late = read(Case(ClaimStatus.DENIED_COLLECTING_REPAYMENT, ReceiptStatus.OVERDUE, "open-upload", "none", "passed"))
    assert late.step is Step.REPAY and not late.offers_upload and late.need is Need.REPAYMENT


def test_a_failed_payment_is_the_members_move_and_names_whom_to_contact():
    s = read(Case(ClaimStatus.BANKING_FAILED, ReceiptStatus.AVAILABLE, "none", "none", "later"))
    assert s.need is Need.PAYMENT_FAILED and StatusGroup.NEEDS_ACTION in s.groups
    assert StatusGroup.IN_PROGRESS not in s.groups
    assert "the Benefits Center at 1-800-555-0100" in s.explanation


def test_partly_reallocated_says_what_is_approved_and_what_is_still_denied():
    s = read(Case(ClaimStatus.PENDING_REIMBURSEMENT, ReceiptStatus.NOT_NEEDED, "partly-reallocated", "none", "later"))
    assert (s.kind is Kind.PARTLY_APPROVED and s.still_denied == D("60.00")) or s.kind is Kind.DENIED_FIXABLE
    partly = situation(_reallocated(D("50.00")), today=TODAY, audience=Audience.MEMBER, plan_contact="the plan")
    assert partly.headline == "Partly approved: $233.28 still denied"
    assert "$50.00 was approved" in partly.explanation
    assert StatusGroup.DENIED in partly.groups


def _reallocated(moved: Decimal) -> Claim:
    claim, _, _ = build(Case(ClaimStatus.PENDING_REIMBURSEMENT, ReceiptStatus.NOT_NEEDED, "none", "none", "later"))
    reason = DenialReason(
        denial_code="DEN-002", reason="Not eligible", denial_date_time=ASKED, is_upload_receipt_allowed=False,
        explanation="Not covered.", action_required="Contact the plan.",
    )  # fmt: skip
    return claim.model_copy(
        update={
            "claim_amount": D("283.28"), "submitted_amount": D("283.28"), "denied_amount": D("283.28") - moved,
            "denial_reasons": (reason,),
        }
    )  # fmt: skip


def test_deadline_states_by_the_members_own_calendar_date():
    s = read(Case(ClaimStatus.PENDING_RECEIPT, ReceiptStatus.REQUIRED, "none", "none", "soon"))
    assert s.deadline is not None and s.deadline.state is DeadlineState.SOON and s.deadline.days_left == 10
    assert s.deadline_text == "Send it by December 11, 2026 (10 days left)."
    on_the_day = situation(s.claim, today=TODAY + timedelta(days=10))
    assert on_the_day.deadline.days_left == 0 and on_the_day.offers_upload
    day_after = situation(s.claim, today=TODAY + timedelta(days=11))
    assert day_after.kind is Kind.DEADLINE_PASSED_PENDING and not day_after.offers_upload
    assert day_after.move is Move.PLAN and "the plan will decide" in day_after.explanation.lower()
