"""Member claim rules that are not HTTP: status groups, what needs attention, filtering, caching.

The API has no filters, so the portal walks all of a member's claims (pages fetched ahead in
parallel) and keeps them briefly per user; the member's own writes clear that copy.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from portal.cache import LocalCopies, spread
from portal.gateway import gather
from portal.gateway.client import ClaimsApiClient
from portal.gateway.models import Claim, ClaimStatus, DenialHistory, Page, Receipt, ReceiptStatus

FILING_DEADLINE_WARNING = timedelta(days=30)
RECEIPT_WANTED = frozenset({ReceiptStatus.REQUIRED, ReceiptStatus.OVERDUE, ReceiptStatus.NEW_NEEDED})
CLOSED_RMI = frozenset({"CLOSED", "RESOLVED", "ANSWERED", "COMPLETED", "CANCELLED"})


class StatusGroup(enum.StrEnum):
    NEEDS_ACTION = "needs-action"
    IN_PROGRESS = "in-progress"
    PAID = "paid"
    DENIED = "denied"

    @property
    def label(self) -> str:
        return {
            StatusGroup.NEEDS_ACTION: "Needs your action",
            StatusGroup.IN_PROGRESS: "In progress",
            StatusGroup.PAID: "Paid",
            StatusGroup.DENIED: "Denied",
        }[self]


_DENIED = frozenset({ClaimStatus.DENIED, ClaimStatus.DENIED_COLLECTING_REPAYMENT})


def has_open_rmi(claim: Claim) -> bool:
    return any(rmi.status.upper() not in CLOSED_RMI for rmi in claim.requests_for_more_information)


def upload_allowed_by_denial(claim: Claim) -> bool:
    return claim.claim_status in _DENIED and any(r.is_upload_receipt_allowed for r in claim.denial_reasons)


def wants_receipt(claim: Claim) -> bool:
    """The member can act by uploading a receipt to this claim."""
    return claim.receipt_status in RECEIPT_WANTED or upload_allowed_by_denial(claim) or has_open_rmi(claim)


def needs_action(claim: Claim) -> bool:
    return wants_receipt(claim) or claim.claim_status == ClaimStatus.DENIED_COLLECTING_REPAYMENT


def in_group(claim: Claim, group: StatusGroup) -> bool:
    if group is StatusGroup.NEEDS_ACTION:
        return needs_action(claim)
    if group is StatusGroup.PAID:
        return claim.claim_status == ClaimStatus.PAID
    if group is StatusGroup.DENIED:
        return claim.claim_status in _DENIED
    return claim.claim_status not in _DENIED and claim.claim_status != ClaimStatus.PAID


@dataclass(frozen=True)
class Attention:
    waiting_for_receipt: int
    open_rmis: int
    denied_upload_allowed: int

    @property
    def total(self) -> int:
        return self.waiting_for_receipt + self.open_rmis + self.denied_upload_allowed


def attention_summary(claims: Iterable[Claim]) -> Attention:
    claims = list(claims)
    return Attention(
        waiting_for_receipt=sum(1 for c in claims if c.receipt_status in RECEIPT_WANTED),
        open_rmis=sum(1 for c in claims if has_open_rmi(c)),
        denied_upload_allowed=sum(1 for c in claims if upload_allowed_by_denial(c)),
    )


@dataclass(frozen=True)
class ClaimFilter:
    group: StatusGroup | None = None
    plan_year: str = ""
    query: str = ""

    def matches(self, claim: Claim) -> bool:
        if self.group is not None and not in_group(claim, self.group):
            return False
        if self.plan_year and (claim.plan_year_name or "") != self.plan_year:
            return False
        if self.query:
            needle = self.query.casefold()
            haystack = f"{claim.claim_number} {claim.provider_name or ''}".casefold()
            if needle not in haystack:
                return False
        return True

    @property
    def active(self) -> bool:
        return bool(self.group or self.plan_year or self.query)


def filter_claims(claims: Sequence[Claim], claim_filter: ClaimFilter) -> list[Claim]:
    return [claim for claim in claims if claim_filter.matches(claim)]


def plan_years(claims: Iterable[Claim]) -> list[str]:
    """Plan year names, newest first (by plan year start)."""
    starts: dict[str, datetime] = {}
    for claim in claims:
        if claim.plan_year_name:
            start = claim.plan_year_start_date or datetime.min.replace(tzinfo=timezone.get_current_timezone())
            starts[claim.plan_year_name] = max(start, starts.get(claim.plan_year_name, start))
    return sorted(starts, key=lambda name: starts[name], reverse=True)


def filing_deadline_near(claim: Claim, *, now: datetime | None = None) -> bool:
    if claim.final_filing_date is None:
        return False
    now = now or timezone.now()
    return now <= claim.final_filing_date <= now + FILING_DEADLINE_WARNING


# --- the member's claims, cached -----------------------------------------------------------------


def _weight(value: object) -> int:
    """What a kept copy costs, in claims (and receipts) held."""
    if isinstance(value, _Kept):
        return len(value.claims)
    if isinstance(value, ClaimView):
        return 1 + len(getattr(value.receipts, "items", ()))
    return 1


# Each process keeps what it last read unpickled; the shared cache says whether it is current.
# Weighed in claims: up to 20,000 per process (tens of MB), whether one employer's or many members'.
_copies = LocalCopies(max_weight=20_000, weigh=_weight)


def _cache_key(user_id: int) -> str:
    return f"portal:member-claims:{user_id}"


@dataclass(frozen=True)
class _Kept:
    """A walked claim list and when it was read from the API (time.time())."""

    read_at: float
    claims: tuple[Claim, ...]


def kept_claims(key: str, walk: Callable[[], Iterable[Claim]]) -> _Kept:
    """A full claim list from the short per-user cache, or walked from the API and kept."""
    cached = _copies.get(key)
    if isinstance(cached, _Kept):
        return cached
    kept = _Kept(read_at=time.time(), claims=tuple(walk()))
    if settings.CLAIMS_CACHE_SECONDS > 0:
        _copies.set(key, kept, spread(settings.CLAIMS_CACHE_SECONDS))
    return kept


def cached_claims(key: str, walk: Callable[[], Iterable[Claim]]) -> list[Claim]:
    return list(kept_claims(key, walk).claims)


def rendered_once(key: str, kept: object, name: str, render: Callable[[], str]) -> str:
    """HTML rendered from a kept claim list or claim page (``kept``, as read from ``key``), once
    per process for each version of it, then reused until that version is replaced (a new read,
    the member's upload). ``name`` must hold everything else the HTML depends on (the time zone
    its dates are shown in, the page's query string). Nothing kept, nothing reused."""
    # Weighed like the claims it shows: a claim held costs a few kilobytes too.
    return _copies.derived(key, kept, name, render, weigh=lambda html: 1 + len(html) // 4096)  # type: ignore[no-any-return]


def forget_cached_claims(*keys: str) -> None:
    """Forget claim lists kept by `cached_claims` (in every process: see LocalCopies)."""
    _copies.delete_many(list(keys))


def member_claims(*, client: ClaimsApiClient, user_id: int, person_id: str) -> list[Claim]:
    """All of the member's claims, newest first (pages fetched 4 at a time)."""
    return list(member_claims_kept(client=client, user_id=user_id, person_id=person_id)[1].claims)


def member_claims_kept(*, client: ClaimsApiClient, user_id: int, person_id: str) -> tuple[str, _Kept]:
    """``member_claims`` as kept, with its key (for ``rendered_once``)."""
    key = _cache_key(user_id)
    return key, kept_claims(key, lambda: client.iter_claims(person_id=person_id, page_size=100, concurrency=4))


def member_claim_key(user_id: int, claim_number: str) -> str:
    """The key a member's claim page is kept under (also for ``rendered_once``)."""
    return f"portal:member-claim:{user_id}:{claim_number}"


@dataclass(frozen=True)
class ClaimView:
    """What the claim page shows: the claim, its denial history and its receipts.

    A part that failed holds its exception (the page says that section could not be loaded)."""

    claim: Claim
    history: DenialHistory | Exception
    receipts: Page[Receipt] | Exception
    # When the denial history was read (time.time()); 0 in copies kept before it was recorded.
    read_at: float = field(default=0.0, compare=False)


def member_claim_view(*, client: ClaimsApiClient, user_id: int, person_id: str, claim_number: str) -> ClaimView:
    """The claim page's three calls in one round trip, kept briefly per user when all three worked.

    Members go back and forth between the list and their claims; the member's own uploads clear the
    copy (``member_claims_invalidate``). A claim that is not the member's raises the API's 404."""
    key = member_claim_key(user_id, claim_number)
    cached = _copies.get(key)
    if isinstance(cached, ClaimView):
        return cached
    keep = spread(settings.CLAIMS_CACHE_SECONDS)
    # The member's kept list already holds this claim (the list and the claim read are the same
    # shape): ask only for its denials and receipts, and keep the page no longer than that list.
    listed, kept = _listed_claim(user_id, claim_number)
    claim, history, receipts = gather(
        (lambda: listed) if listed is not None else (lambda: client.get_claim(claim_number, person_id=person_id)),
        lambda: client.get_denials(claim_number),
        lambda: client.list_claim_receipts(claim_number, person_id=person_id, page_size=100),
        return_exceptions=True,
    )
    if isinstance(claim, Exception):
        raise claim  # a claim that is not the member's is the same 404 as one that does not exist
    view = ClaimView(claim=claim, history=history, receipts=receipts, read_at=time.time())
    if listed is not None:
        keep = min(keep, kept)
    if keep > 0 and not isinstance(history, Exception) and not isinstance(receipts, Exception):
        _copies.set(key, view, keep)
    return view


def _listed_claim(user_id: int, claim_number: str) -> tuple[Claim | None, int]:
    """The claim from the member's kept list, and how many seconds that list has left to live."""
    kept = _copies.get(_cache_key(user_id))
    if not isinstance(kept, _Kept):
        return None, 0
    left = int(kept.read_at + settings.CLAIMS_CACHE_SECONDS - time.time())
    if left < 5:
        return None, 0  # about to be read again: read the claim itself
    for claim in kept.claims:
        if claim.claim_number == claim_number:
            return claim, left
    return None, 0


def member_claim_uploaded(
    *, user_id: int, claim_number: str, claim: Claim | None, receipts: Page[Receipt] | None
) -> None:
    """After the member's upload to a claim, with the claim and its receipts as read just after it:
    the kept list and claim page take them in place of the old ones, so neither has to be read
    from the API again. What cannot be brought up to date (a read failed, nothing kept) is
    forgotten instead. The other claims of the list and the claim's denial history are as old as
    they were, and are kept no longer than CLAIMS_CACHE_SECONDS after they were read."""
    if claim is None or receipts is None:
        member_claims_invalidate(user_id=user_id, claim_number=claim_number)
        return
    now = time.time()
    forget = []
    list_key = _cache_key(user_id)
    kept = _copies.get(list_key)
    list_left = int(kept.read_at + settings.CLAIMS_CACHE_SECONDS - now) if isinstance(kept, _Kept) else 0
    if isinstance(kept, _Kept) and list_left > 1 and any(c.claim_number == claim_number for c in kept.claims):
        claims = tuple(claim if c.claim_number == claim_number else c for c in kept.claims)
        _copies.set(list_key, _Kept(read_at=kept.read_at, claims=claims), list_left)
    else:
        forget.append(list_key)
    page_key = member_claim_key(user_id, claim_number)
    page = _copies.get(page_key)
    page_left = int(page.read_at + settings.CLAIMS_CACHE_SECONDS - now) if isinstance(page, ClaimView) else 0
    if isinstance(page, ClaimView) and page_left > 1:
        _copies.set(
            page_key, ClaimView(claim=claim, history=page.history, receipts=receipts, read_at=page.read_at), page_left
        )
    else:
        forget.append(page_key)
    if forget:
        forget_cached_claims(*forget)


def member_claim_after_upload(
    *, client: ClaimsApiClient, user_id: int, person_id: str, claim_number: str
) -> tuple[Claim | None, Page[Receipt] | None]:
    """The claim and its receipts read again after the member's upload (at once), each None when
    it could not be read; the kept copies take them (``member_claim_uploaded``)."""
    claim, receipts = gather(
        lambda: client.get_claim(claim_number, person_id=person_id),
        lambda: client.list_claim_receipts(claim_number, person_id=person_id, page_size=100),
        return_exceptions=True,
    )
    claim = None if isinstance(claim, Exception) else claim
    receipts = None if isinstance(receipts, Exception) else receipts
    member_claim_uploaded(user_id=user_id, claim_number=claim_number, claim=claim, receipts=receipts)
    return claim, receipts


def member_claims_invalidate(*, user_id: int, claim_number: str | None = None) -> None:
    """Forget the member's claim list (and the claim's page, when one claim changed)."""
    if claim_number is None:
        forget_cached_claims(_cache_key(user_id))
    else:
        forget_cached_claims(_cache_key(user_id), member_claim_key(user_id, claim_number))
