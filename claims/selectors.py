"""Kept claim data: the one way views get a member's or an employer's claims from the Claims API.

The API has no filters, so the portal walks all of a person's (or a business's) claims, pages
fetched ahead in parallel, and keeps them briefly per user; a member's claim page (claim, denial
history, receipts) likewise. Copies live in the shared cache and each process keeps the ones it
last read unpickled (``LocalCopies``); the member's own uploads bring the member's copies up to
date, and an administrator's denial update forgets that administrator's list. Other copies (the
member's after an administrator's change, another administrator's) are at most
CLAIMS_CACHE_SECONDS old. The cache keys are private to this module.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.conf import settings

from claims.situation import needs_receipts_to_decide
from portal.cache import LocalCopies, spread
from portal.gateway import ApiError, gather
from portal.gateway.client import ClaimsApiClient
from portal.gateway.models import Claim, DenialHistory, Page, Receipt


@dataclass(frozen=True)
class ClaimList:
    """All of a member's (or business's) claims, newest first, and when they were read (time.time()).

    ``receipts``: the receipts of the claims whose situation depends on them (a request or a
    fixable denial the claim's own fields do not show as answered), read with the list."""

    read_at: float
    claims: tuple[Claim, ...]
    receipts: tuple[tuple[str, tuple[Receipt, ...]], ...] = ()  # (claim number, its receipts)
    # When the shared cache lets this copy go (time.time()); 0 until it is kept.
    expires_at: float = field(default=0.0, compare=False)

    def receipts_of(self, claim_number: str) -> tuple[Receipt, ...] | None:
        for number, items in self.receipts:
            if number == claim_number:
                return items
        return None

    def seconds_left(self, now: float) -> int:
        return int(self.expires_at - now)


@dataclass(frozen=True)
class ClaimPage:
    """What the member's claim page shows: the claim, its denial history and its receipts.

    A part that failed holds its exception (the page says that section could not be loaded)."""

    claim: Claim
    history: DenialHistory | Exception
    receipts: Page[Receipt] | Exception
    # When the denial history was read (time.time()); 0 in copies kept before it was recorded.
    read_at: float = field(default=0.0, compare=False)

    @property
    def denial_history(self) -> DenialHistory | None:
        return None if isinstance(self.history, Exception) else self.history

    @property
    def receipt_items(self) -> tuple[Receipt, ...] | None:
        return None if isinstance(self.receipts, Exception) else self.receipts.items


def _weight(value: object) -> int:
    """What a kept copy costs, in claims (and receipts) held."""
    if isinstance(value, ClaimList):
        return len(value.claims) + sum(len(items) for _, items in value.receipts)
    if isinstance(value, ClaimPage):
        return 1 + len(getattr(value.receipts, "items", ()))
    return 1


# Each process keeps what it last read unpickled; the shared cache says whether it is current.
# Weighed in claims: up to 20,000 per process (tens of MB), whether one employer's or many members'.
_copies = LocalCopies(max_weight=20_000, weigh=_weight)


def _member_list_key(user_id: int) -> str:
    return f"portal:member-claims:{user_id}"


def _member_page_key(user_id: int, claim_number: str) -> str:
    return f"portal:member-claim:{user_id}:{claim_number}"


def _employer_list_key(user_id: int, business_entity_id: str) -> str:
    return f"portal:employer-claims:{user_id}:{business_entity_id}"


def _kept_list(key: str, walk: Callable[[], ClaimList]) -> ClaimList:
    cached = _copies.get(key)
    if isinstance(cached, ClaimList):
        return cached
    kept = walk()
    if settings.CLAIMS_CACHE_SECONDS > 0 and kept.read_at:
        timeout = spread(settings.CLAIMS_CACHE_SECONDS)
        kept = replace(kept, expires_at=time.time() + timeout)
        _copies.set(key, kept, timeout)
    return kept


# --- members -----------------------------------------------------------------------------------


def member_claims(*, client: ClaimsApiClient, user_id: int, person_id: str) -> ClaimList:
    """All of the member's claims, newest first (pages fetched 4 at a time), with the receipts of
    the claims whose situation depends on them."""

    def walk() -> ClaimList:
        claims = tuple(client.iter_claims(person_id=person_id, page_size=100, concurrency=4))
        read_at = time.time()
        wanted = [c for c in claims if needs_receipts_to_decide(c)]
        pages = gather(
            *[
                (lambda c=c: client.list_claim_receipts(c.claim_number, person_id=person_id, page_size=100))
                for c in wanted
            ],
            return_exceptions=True,
        )
        receipts: list[tuple[str, tuple[Receipt, ...]]] = []
        for claim, page in zip(wanted, pages, strict=True):
            if isinstance(page, ApiError):
                read_at = 0.0  # shown from the claims alone this time, and not kept
                continue
            if isinstance(page, Exception):
                raise page
            receipts.append((claim.claim_number, page.items))
        return ClaimList(read_at=read_at, claims=claims, receipts=tuple(receipts))

    return _kept_list(_member_list_key(user_id), walk)


def member_claim_page(*, client: ClaimsApiClient, user_id: int, person_id: str, claim_number: str) -> ClaimPage:
    """The claim page's three calls in one round trip, kept briefly per user when all three worked.

    A claim that is not the member's raises the API's 404 (the same as one that does not exist)."""
    key = _member_page_key(user_id, claim_number)
    cached = _copies.get(key)
    if isinstance(cached, ClaimPage):
        return cached
    keep = spread(settings.CLAIMS_CACHE_SECONDS)
    # The member's kept list already holds this claim (the list and the claim read are the same
    # shape): ask only for its denials and receipts, and keep the page no longer than that list.
    listed, left = _listed_claim(user_id, claim_number)
    claim, history, receipts = gather(
        (lambda: listed) if listed is not None else (lambda: client.get_claim(claim_number, person_id=person_id)),
        lambda: client.get_denials(claim_number),
        lambda: client.list_claim_receipts(claim_number, person_id=person_id, page_size=100),
        return_exceptions=True,
    )
    if isinstance(claim, Exception):
        raise claim
    page = ClaimPage(claim=claim, history=history, receipts=receipts, read_at=time.time())
    if listed is not None:
        keep = min(keep, left)
    if keep > 0 and not isinstance(history, Exception) and not isinstance(receipts, Exception):
        _copies.set(key, page, keep)
    return page


def _listed_claim(user_id: int, claim_number: str) -> tuple[Claim | None, int]:
    """The claim from the member's kept list, and how many seconds that list has left to live."""
    kept = _copies.get(_member_list_key(user_id))
    if not isinstance(kept, ClaimList):
        return None, 0
    left = kept.seconds_left(time.time())
    if left < 5:
        return None, 0  # about to be read again: read the claim itself
    for claim in kept.claims:
        if claim.claim_number == claim_number:
            return claim, left
    return None, 0


def member_claim_after_upload(
    *, client: ClaimsApiClient, user_id: int, person_id: str, claim_number: str
) -> tuple[Claim | None, tuple[Receipt, ...] | None, DenialHistory | None]:
    """The claim and its receipts read again after the member's upload, each None when it could
    not be read, and its denial history (from the kept claim page when there is one, since an
    upload does not change denials; else read with them; None when it could not be read). The
    kept list and claim page take them in place of the old ones, so neither has to be read again;
    what cannot be brought up to date is forgotten. The rest of the list and the denial history
    are kept no longer than CLAIMS_CACHE_SECONDS after they were read."""
    page_key = _member_page_key(user_id, claim_number)
    page = _copies.get(page_key)
    # An upload does not change the denials: the kept page's history serves while the page is kept.
    kept_history = page.denial_history if isinstance(page, ClaimPage) else None
    claim, receipts, fresh_history = gather(
        lambda: client.get_claim(claim_number, person_id=person_id),
        lambda: client.list_claim_receipts(claim_number, person_id=person_id, page_size=100),
        (lambda: kept_history) if kept_history is not None else (lambda: client.get_denials(claim_number)),
        return_exceptions=True,
    )
    history = None if isinstance(fresh_history, Exception) else fresh_history
    if isinstance(claim, Exception) or isinstance(receipts, Exception):
        member_claims_forget(user_id=user_id, claim_number=claim_number)
        return (
            None if isinstance(claim, Exception) else claim,
            None if isinstance(receipts, Exception) else receipts.items,
            history,
        )
    now = time.time()
    forget = []
    list_key = _member_list_key(user_id)
    kept = _copies.get(list_key)
    list_left = kept.seconds_left(now) if isinstance(kept, ClaimList) else 0
    if isinstance(kept, ClaimList) and list_left > 1 and any(c.claim_number == claim_number for c in kept.claims):
        claims = tuple(claim if c.claim_number == claim_number else c for c in kept.claims)
        others = tuple((number, items) for number, items in kept.receipts if number != claim_number)
        updated = replace(kept, claims=claims, receipts=(*others, (claim_number, receipts.items)))
        _copies.set(list_key, updated, list_left)
    else:
        forget.append(list_key)
    page_left = int(page.read_at + settings.CLAIMS_CACHE_SECONDS - now) if isinstance(page, ClaimPage) else 0
    if history is None and isinstance(page, ClaimPage):
        history = page.denial_history
    if isinstance(page, ClaimPage) and page_left > 1:
        page_history = history if history is not None else page.history
        _copies.set(
            page_key, ClaimPage(claim=claim, history=page_history, receipts=receipts, read_at=page.read_at), page_left
        )
    else:
        forget.append(page_key)
    if forget:
        _copies.delete_many(forget)
    return claim, receipts.items, history


def member_claims_forget(*, user_id: int, claim_number: str | None = None) -> None:
    """Forget the member's claim list (and the claim's page, when one claim changed), everywhere."""
    keys = [_member_list_key(user_id)]
    if claim_number is not None:
        keys.append(_member_page_key(user_id, claim_number))
    _copies.delete_many(keys)


# --- employers ---------------------------------------------------------------------------------


def employer_claims(*, client: ClaimsApiClient, user_id: int, business_entity_id: str) -> ClaimList:
    """Every claim of the business, newest first: pages fetched 8 at a time, kept briefly."""

    def walk() -> ClaimList:
        claims: Iterable[Claim] = client.iter_claims(
            business_entity_id=business_entity_id, page_size=100, concurrency=8
        )
        return ClaimList(read_at=time.time(), claims=tuple(claims))

    return _kept_list(_employer_list_key(user_id, business_entity_id), walk)


def employer_claims_forget(*, user_id: int, business_entity_id: str) -> None:
    _copies.delete_many([_employer_list_key(user_id, business_entity_id)])
