"""Filtering, counting and totalling claims by what their situation says (pure; no HTTP).

The member's list and the employer's list use the same filter; every count the attention summary
shows is the number of rows its link's filter shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from django.utils.translation import ngettext

from claims.situation import Deadline, DeadlineState, Need, Situation, StatusGroup

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ClaimFilter:
    group: StatusGroup | None = None
    need: Need | None = None
    plan_year: str = ""
    query: str = ""
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    served_from: date | None = None
    served_to: date | None = None
    # The employer's search also looks at who was paid (a member's name, or the provider).
    search_payee: bool = False

    def matches(self, s: Situation) -> bool:
        claim = s.claim
        if self.group is not None and self.group not in s.groups:
            return False
        if self.need is not None and s.need is not self.need:
            return False
        if self.plan_year and (claim.plan_year_name or "") != self.plan_year:
            return False
        if self.query:
            haystack = f"{claim.claim_number} {claim.provider_name or ''}"
            if self.search_payee:
                haystack += f" {claim.payee or ''}"
            if self.query.casefold() not in haystack.casefold():
                return False
        if self.amount_min is not None and claim.claim_amount < self.amount_min:
            return False
        if self.amount_max is not None and claim.claim_amount > self.amount_max:
            return False
        served = service_day(claim.start_date_of_service)
        if self.served_from is not None and (served is None or served < self.served_from):
            return False
        return not (self.served_to is not None and (served is None or served > self.served_to))

    @property
    def active(self) -> bool:
        return any(value not in (None, "", False) for name, value in vars(self).items() if name != "search_payee")


def service_day(value: datetime | None) -> date | None:
    """A date of service is a calendar date (it arrives as that day's midnight UTC)."""
    return value.astimezone(UTC).date() if value is not None else None


def filter_situations(situations: Sequence[Situation], claim_filter: ClaimFilter) -> list[Situation]:
    return [s for s in situations if claim_filter.matches(s)]


# --- the member's attention summary ------------------------------------------------------------


@dataclass(frozen=True)
class AttentionItem:
    need: Need
    count: int

    @property
    def text(self) -> str:
        n = self.count
        words = {
            Need.RECEIPT: ngettext("%(n)d claim needs a receipt", "%(n)d claims need a receipt", n),
            Need.BETTER_DOCUMENT: ngettext(
                "%(n)d claim whose documents are missing something",
                "%(n)d claims whose documents are missing something",
                n,
            ),
            Need.INFORMATION: ngettext(
                "%(n)d claim with a request for more information",
                "%(n)d claims with a request for more information",
                n,
            ),
            Need.FIX_DENIAL: ngettext(
                "%(n)d denied claim you can fix by sending a document",
                "%(n)d denied claims you can fix by sending a document",
                n,
            ),
            Need.REPAYMENT: ngettext(
                "%(n)d card purchase to repay or back up with a receipt",
                "%(n)d card purchases to repay or back up with a receipt",
                n,
            ),
            Need.PAYMENT_FAILED: ngettext(
                "%(n)d payment that failed: check your bank details",
                "%(n)d payments that failed: check your bank details",
                n,
            ),
            Need.ACCOUNT_ON_HOLD: ngettext(
                "%(n)d claim on hold because your account is frozen",
                "%(n)d claims on hold because your account is frozen",
                n,
            ),
        }[self.need]
        return words % {"n": n}


@dataclass(frozen=True)
class Attention:
    items: tuple[AttentionItem, ...]
    soonest: Deadline | None  # the nearest deadline within 30 days among them

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)


def attention_summary(situations: Iterable[Situation]) -> Attention:
    """What is the member's move, counted by need (each claim once, under its own need)."""
    counts: dict[Need, int] = {}
    soonest: Deadline | None = None
    for s in situations:
        if s.need is None:
            continue
        counts[s.need] = counts.get(s.need, 0) + 1
        d = s.deadline
        if d is not None and d.state is DeadlineState.SOON and (soonest is None or d.day < soonest.day):
            soonest = d
    return Attention(items=tuple(AttentionItem(need, counts[need]) for need in Need if need in counts), soonest=soonest)


# --- totals and plan years ---------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    count: int
    claimed: Decimal
    paid: Decimal
    denied: Decimal


def totals(situations: Iterable[Situation]) -> Totals:
    count, claimed, paid, denied = 0, ZERO, ZERO, ZERO
    for s in situations:
        count += 1
        claimed += s.claim.claim_amount
        paid += s.claim.paid_amount
        denied += s.still_denied
    return Totals(count, claimed, paid, denied)


def plan_years(situations: Iterable[Situation]) -> list[str]:
    """Plan year names, newest first (by plan year start)."""
    starts: dict[str, datetime] = {}
    floor = datetime.min.replace(tzinfo=UTC)
    for s in situations:
        name = s.claim.plan_year_name
        if name:
            start = s.claim.plan_year_start_date or floor
            starts[name] = max(start, starts.get(name, start))
    return sorted(starts, key=lambda name: starts[name], reverse=True)
