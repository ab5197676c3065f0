"""The claim's situation as the portal shows it: today's date in the person's own time zone and
the plan's contact text from the settings, around the pure ``claims.situation.situation``.

What a list page works out from a kept copy of claims (each claim's situation, the plan years,
the attention summary, the table's rows) is worked out once per copy and reused while this
process holds that copy (``_PerCopy``): data, never HTML, keyed by everything it depends on
(audience, today's date and time zone, language). A copy is replaced, not changed, when claims
change, so what was worked out from it cannot go stale. Measured in bench/RESULTS.md.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from claims.filters import Attention, attention_summary, plan_years, service_day
from claims.selectors import ClaimList, ClaimPage
from claims.situation import Audience, Situation, money, situation
from portal.formatting import short_date
from portal.gateway.models import Claim, DenialHistory, Receipt
from reviews.services import claims_review_asks


def claim_situation(
    claim: Claim,
    *,
    audience: Audience,
    history: DenialHistory | None = None,
    receipts: Sequence[Receipt] | None = None,
    review_asks: bool | None = None,
) -> Situation:
    """The claim's situation now; ``review_asks``: whether its latest automated review asks the
    member for more, when the caller already read the review (else it is read here)."""
    if review_asks is None:
        review_asks = claim.claim_number in claims_review_asks([claim.claim_number])
    return situation(
        claim,
        today=timezone.localdate(),
        history=history,
        receipts=receipts,
        plan_contact=plan_contact(),
        audience=audience,
        review_asks=review_asks,
    )


T = TypeVar("T")


class _PerCopy:
    """Values worked out from a kept copy, held as long as the copy itself lives in this process.

    Keyed by the copy's identity (kept copies are frozen and replaced, never changed) and a key
    naming what the value depends on; a copy that is let go takes its values with it."""

    def __init__(self) -> None:
        self._lock = threading.RLock()  # a copy let go mid-call may call back in this thread
        self._memo: dict[int, tuple[weakref.ref[Any], dict[Hashable, Any]]] = {}

    def get(self, copy: object, key: Hashable, make: Callable[[], T]) -> T:
        ident = id(copy)
        with self._lock:
            entry = self._memo.get(ident)
            if entry is None or entry[0]() is not copy:
                entry = (weakref.ref(copy, functools.partial(self._forget, ident)), {})
                self._memo[ident] = entry
            values = entry[1]
            if key in values:
                return values[key]  # type: ignore[no-any-return]
        value = make()
        with self._lock:
            values.setdefault(key, value)
        return value

    def _forget(self, ident: int, _ref: object = None) -> None:
        with self._lock:
            entry = self._memo.get(ident)
            if entry is not None and entry[0]() is None:
                del self._memo[ident]


_per_copy = _PerCopy()


def plan_contact() -> str:
    """Whom the member should contact, in the page's language, to put after "contact": the plan's
    service center as configured (PLAN_CONTACT, PLAN_CONTACT_ES for Spanish pages), else the words
    that fit every plan."""
    if (get_language() or "").startswith("es") and settings.PLAN_CONTACT_ES:
        return settings.PLAN_CONTACT_ES
    return settings.PLAN_CONTACT or _("your plan administrator (the phone number is on the back of your benefits card)")


def _context() -> tuple[Hashable, ...]:
    """What words and dates worked out now depend on: today, the time zone, the language."""
    return (timezone.localdate(), timezone.get_current_timezone_name(), get_language(), plan_contact())


@dataclass(frozen=True)
class ListFacts:
    """A kept list's claims with their situations, in the list's order, and what is counted from them."""

    situations: tuple[Situation, ...]
    plan_years: list[str]
    attention: Attention | None  # the member's "Needs your attention" (members only)


def list_facts(claims: ClaimList, *, audience: Audience, person_id: str | None = None) -> ListFacts:
    """``person_id``: the member whose list it is (their reviews are looked up by it)."""
    # The automated reviews that ask members for more change situations without changing the
    # list: the set is part of the kept facts' key (one indexed query a list).
    asking = claims_review_asks([claim.claim_number for claim in claims.claims], person_id=person_id)

    def make() -> ListFacts:
        situations = tuple(list_situations(claims, audience=audience, asking=asking))
        attention = attention_summary(situations) if audience is Audience.MEMBER else None
        return ListFacts(situations=situations, plan_years=plan_years(situations), attention=attention)

    return _per_copy.get(claims, ("facts", audience, asking, *_context()), make)


def list_situations(claims: ClaimList, *, audience: Audience, asking: frozenset[str] = frozenset()) -> list[Situation]:
    """Every claim of a list with its situation, in the list's order (worked out now); ``asking``:
    the claims whose latest automated review asks the member for more."""
    today = timezone.localdate()
    return [
        situation(
            claim,
            today=today,
            receipts=claims.receipts_of(claim.claim_number),
            plan_contact=plan_contact(),
            audience=audience,
            review_asks=claim.claim_number in asking,
        )
        for claim in claims.claims
    ]


def page_situation(page: ClaimPage, *, review_asks: bool | None = None) -> Situation:
    return claim_situation(
        page.claim,
        audience=Audience.MEMBER,
        history=page.denial_history,
        receipts=page.receipt_items,
        review_asks=review_asks,
    )


@dataclass(frozen=True)
class ClaimRow:
    """One row of the claims table, as the words and links it shows (the template draws it).

    Worked out here rather than with filters in the row's template: the list is the portal's
    busiest page, and each filter chain of a twenty-row loop costs what a plain value costs
    several times over (bench/page_cpu.py; figures in bench/RESULTS.md)."""

    situation: Situation
    url: str
    served: str
    provider: str
    kind: str
    amount: str
    paid: str
    denied: str
    paid_to: str  # who was paid: the provider, or the payee the API names (the member)
    status: str  # the situation's headline
    tone: str
    deadline: str  # "12 days left" beside the status when the deadline is within 30 days, else ""


# Claim URLs are reversed once per table, then each number is put in, quoted the way ``reverse``
# quotes it (a number never holds "/", which the route refuses). The one restatement of Django
# here: ``reverse`` costs ~33 µs a call, 0.7 ms for a page of twenty rows. tests/claims/
# test_services.py checks the rows' URLs against ``reverse``.
_MARKER = "0MARKER0"


def _claim_url_pattern(route: str) -> str:
    return reverse(route, args=[_MARKER])


def _fill(pattern: str, claim_number: str) -> str:
    return pattern.replace(_MARKER, quote(claim_number, safe=RFC3986_SUBDELIMS + "~:@"))


def _days_left(s: Situation) -> str:
    if not s.deadline_warning or s.deadline is None:
        return ""
    left = s.deadline.days_left
    if left == 0:
        return _("last day today")
    return ngettext("%(n)d day left", "%(n)d days left", left) % {"n": left}


def claim_rows(situations: Sequence[Situation], *, employer: bool, kept: ClaimList | None = None) -> list[ClaimRow]:
    """The table's rows for these situations; with ``kept`` (the copy they were worked out from),
    each row is worked out once per copy."""
    if kept is None:
        return _rows(situations, employer=employer)
    # By the situation itself (the copy's facts hold them, so their ids stay theirs).
    made: dict[int, ClaimRow] = _per_copy.get(kept, ("rows", employer, *_context()), dict)
    missing = [s for s in situations if (row := made.get(id(s))) is None or row.situation is not s]
    if missing:
        for row in _rows(missing, employer=employer):
            made[id(row.situation)] = row
    return [made[id(s)] for s in situations]


def _rows(situations: Sequence[Situation], *, employer: bool) -> list[ClaimRow]:
    detail = "claims:employer_claim_review" if employer else "claims:claim_detail"
    pattern = _claim_url_pattern(detail)
    the_provider, the_member = _("The provider"), _("The member")
    rows = []
    for s in situations:
        claim = s.claim
        served = service_day(claim.start_date_of_service)
        kind = claim.category or ""
        if claim.expense_type:
            kind = f"{kind} · {claim.expense_type}"
        rows.append(
            ClaimRow(
                situation=s,
                url=_fill(pattern, claim.claim_number),
                served=short_date(served) if served else "—",
                provider=claim.provider_name or "",
                kind=kind,
                amount=money(claim.claim_amount),
                paid=money(claim.paid_amount),
                denied=money(s.still_denied),
                paid_to=the_provider if claim.is_ptp else (claim.payee or the_member),
                status=s.headline,
                tone=s.tone,
                deadline=_days_left(s),
            )
        )
    return rows
