"""What a document read before sending shows, against the five things a valid receipt must show
and against the claim it is for. Pure: a ``Reading`` and the claim's facts in, findings out (no
HTTP, no request, no cache).

The five things (IRS Publication 502 and every plan's substantiation rules): the date of service,
the provider or merchant, the patient, a description of what was bought or done, and the amount.
When the reader is unsure or found nothing, the words say what *we* could not read, never that the
member's document lacks it: a faint photo is not the member's fault.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from claims.situation import money
from evidence.model import Kind, Readability, Reading
from portal.formatting import short_date

# Below this the reader's value is shown as "not sure" and never counted against the member.
SURE = 0.6


class Item(StrEnum):
    DATE = "date_of_service"
    PROVIDER = "provider"
    PATIENT = "patient"
    DESCRIPTION = "description"
    AMOUNT = "amount"


class State(StrEnum):
    MATCHES = "matches"  # read clearly, and it agrees with the claim (or there is nothing to compare)
    DIFFERS = "differs"  # read clearly, and it does not agree with the claim
    UNSURE = "unsure"  # read, but not clearly enough to judge
    NOT_READ = "not_read"  # not found on the document by the reader


@dataclass(frozen=True)
class ClaimFacts:
    """What the claim says that a document can be compared with."""

    amount: Decimal
    still_owed: Decimal | None = None  # the part still to be decided or denied, when not the whole
    service_start: date | None = None
    service_end: date | None = None
    plan_year_start: date | None = None
    provider: str = ""
    patients: tuple[str, ...] = ()  # the member's name (and dependents' when known)


@dataclass(frozen=True)
class ItemFinding:
    item: Item
    state: State
    shown: str  # the value as the portal shows it ("Mar 15, 2025", "$42.10"), "" when not read
    message: str  # in words, for the member


@dataclass(frozen=True)
class FileFindings:
    readable: bool
    kind: Kind
    items: tuple[ItemFinding, ...]
    problem: str = ""  # why the file could not be read at all, in words

    @property
    def complete(self) -> bool:
        """Every one of the five things read clearly and agreeing with the claim."""
        return self.readable and all(f.state is State.MATCHES for f in self.items)

    @property
    def differing(self) -> tuple[ItemFinding, ...]:
        return tuple(f for f in self.items if f.state is State.DIFFERS)

    @property
    def unread(self) -> tuple[ItemFinding, ...]:
        return tuple(f for f in self.items if f.state in (State.NOT_READ, State.UNSURE))


def kind_label(kind: Kind) -> str:
    return {
        Kind.PHARMACY_RECEIPT: _("Pharmacy receipt"),
        Kind.SHOP_RECEIPT: _("Store receipt"),
        Kind.MEDICAL_INVOICE: _("Medical bill or invoice"),
        Kind.DENTAL_INVOICE: _("Dental bill or invoice"),
        Kind.EXPLANATION_OF_BENEFITS: _("Explanation of Benefits from an insurer"),
        Kind.DEPENDENT_CARE_INVOICE: _("Dependent care invoice"),
        Kind.STATEMENT_OF_ACCOUNT: _("Statement of account"),
    }.get(kind, _("Document"))


def _problem_words(reading: Reading) -> str:
    if reading.readability is Readability.DAMAGED:
        return _("We could not open this file: it may be damaged or password-protected.")
    if reading.readability is Readability.UNSUPPORTED:
        return _("We cannot read this kind of file before it is sent. You can still send it.")
    return _("We could not find any text in this file. If it is a photo, try a sharper one in good light.")


def findings(reading: Reading, facts: ClaimFacts) -> FileFindings:
    if reading.readability is not Readability.READ:
        return FileFindings(readable=False, kind=reading.kind, items=(), problem=_problem_words(reading))
    items = (
        _date(reading, facts),
        _provider(reading, facts),
        _patient(reading, facts),
        _description(reading),
        _amount(reading, facts),
    )
    return FileFindings(readable=True, kind=reading.kind, items=items)


def _day(value: date) -> str:
    return short_date(value)


def _date(reading: Reading, facts: ClaimFacts) -> ItemFinding:
    found = reading.fields.get("date_of_service")
    days = list(reading.dates_of_service) or ([found.value] if found and isinstance(found.value, date) else [])
    if not days:
        return ItemFinding(Item.DATE, State.NOT_READ, "", _("We could not read a date of service on this document."))
    shown = _day(days[0]) if len(days) == 1 else f"{_day(min(days))} \u2013 {_day(max(days))}"
    clear = found is not None and found.confidence >= SURE
    sure = clear and not found.uncertain  # type: ignore[union-attr]
    if facts.service_start is None:
        return ItemFinding(Item.DATE, State.MATCHES if sure else State.UNSURE, shown, "")
    start = facts.service_start
    end = facts.service_end or start
    candidates = set(days)
    if found is not None and found.uncertain == "day_month_ambiguous" and isinstance(found.value, date):
        swapped = _swap_day_month(found.value)
        if swapped is not None:
            candidates.add(swapped)
    if any(start <= d <= end for d in candidates):
        # A day and month that could be read either way are settled by the claim's own dates.
        return ItemFinding(Item.DATE, State.MATCHES if clear else State.UNSURE, shown, "")
    if not sure:
        return ItemFinding(
            Item.DATE, State.UNSURE, shown, _("We are not sure we read the date right. Check that it is clear.")
        )
    span = _day(start) if start == end else f"{_day(start)} \u2013 {_day(end)}"
    message = _("The date on this document is not within this claim's date of service (%(span)s).") % {"span": span}
    if facts.plan_year_start is not None:
        plan_end = _year_after(facts.plan_year_start)
        if not any(facts.plan_year_start <= d < plan_end for d in candidates):
            message = _(
                "The date on this document is outside this claim's plan year and its date of service (%(span)s)."
            ) % {"span": span}
    return ItemFinding(Item.DATE, State.DIFFERS, shown, message)


def _swap_day_month(value: date) -> date | None:
    try:
        return value.replace(month=value.day, day=value.month)
    except ValueError:
        return None


def _year_after(start: date) -> date:
    try:
        return start.replace(year=start.year + 1)
    except ValueError:  # Feb 29
        return start + timedelta(days=365)


_NOISE = {
    "the", "and", "of", "inc", "llc", "ltd", "co", "corp", "pc", "pa", "md", "dds", "dmd", "pllc", "group",
    "center", "centre", "clinic", "office", "services", "service", "care", "health", "medical", "dental",
    "pharmacy", "store", "family", "associates", "dr", "mr", "mrs", "ms",
}  # fmt: skip


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", plain)


def _names_agree(read: str, known: str) -> bool:
    """Same person: the family name appears, and the given name or its initial does too."""
    a, b = _words(read), _words(known)
    if not a or not b:
        return False
    family, given = b[-1], b[0]
    if family not in a:
        return False
    return len(b) == 1 or given in a or any(w[0] == given[0] for w in a if w != family)


def _provider(reading: Reading, facts: ClaimFacts) -> ItemFinding:
    found = reading.fields.get("provider")
    if found is None or not str(found.value).strip():
        return ItemFinding(Item.PROVIDER, State.NOT_READ, "", _("We could not read the name of the provider or store."))
    shown = str(found.value)
    if found.confidence < SURE:
        return ItemFinding(Item.PROVIDER, State.UNSURE, shown, "")
    if not facts.provider:
        return ItemFinding(Item.PROVIDER, State.MATCHES, shown, "")
    ours = set(_words(facts.provider)) - _NOISE
    theirs = set(_words(shown)) - _NOISE
    if not ours or not theirs or ours & theirs:
        return ItemFinding(Item.PROVIDER, State.MATCHES, shown, "")
    return ItemFinding(
        Item.PROVIDER,
        State.DIFFERS,
        shown,
        _("This claim is for %(provider)s. If this document is from the same place under another name, that is fine.")
        % {"provider": facts.provider},
    )


def _patient(reading: Reading, facts: ClaimFacts) -> ItemFinding:
    found = reading.fields.get("patient")
    if found is None or not str(found.value).strip():
        return ItemFinding(
            Item.PATIENT,
            State.NOT_READ,
            "",
            _("We could not read the patient's name. Plans usually need it to show whom the care was for."),
        )
    shown = str(found.value)
    if found.confidence < SURE:
        return ItemFinding(Item.PATIENT, State.UNSURE, shown, "")
    if not facts.patients or any(_names_agree(shown, name) for name in facts.patients):
        return ItemFinding(Item.PATIENT, State.MATCHES, shown, "")
    return ItemFinding(
        Item.PATIENT,
        State.DIFFERS,
        shown,
        _("The name on this document is not yours. If it is your spouse's or a dependent's, that is fine."),
    )


def _description(reading: Reading) -> ItemFinding:
    found = reading.fields.get("description")
    described = [item.description for item in reading.line_items if item.description.strip()]
    if found is not None and str(found.value).strip():
        shown = str(found.value)
        return ItemFinding(Item.DESCRIPTION, State.MATCHES if found.confidence >= SURE else State.UNSURE, shown, "")
    if described:
        shown = "; ".join(described[:3]) + ("…" if len(described) > 3 else "")
        return ItemFinding(Item.DESCRIPTION, State.MATCHES, shown, "")
    return ItemFinding(
        Item.DESCRIPTION,
        State.NOT_READ,
        "",
        _("We could not read what was bought or what care was given. An itemized receipt shows it."),
    )


def _amount(reading: Reading, facts: ClaimFacts) -> ItemFinding:
    found = reading.fields.get("amount") or reading.fields.get("total")
    if found is None or not isinstance(found.value, Decimal):
        return ItemFinding(Item.AMOUNT, State.NOT_READ, "", _("We could not read the amount paid or owed."))
    value = found.value
    shown = money(value)
    if reading.currency and reading.currency != "USD":
        shown = f"{reading.currency} {value:,.2f}"
    if found.confidence < SURE:
        return ItemFinding(Item.AMOUNT, State.UNSURE, shown, "")
    wanted = {facts.amount} | ({facts.still_owed} if facts.still_owed is not None else set())
    if any(abs(value - w) <= Decimal("0.01") for w in wanted):
        return ItemFinding(Item.AMOUNT, State.MATCHES, shown, "")
    if reading.currency and reading.currency != "USD":
        return ItemFinding(
            Item.AMOUNT,
            State.MATCHES,
            shown,
            _("This document is in another currency; the plan converts it when it decides."),
        )
    if value > facts.amount:
        return ItemFinding(
            Item.AMOUNT,
            State.MATCHES,
            shown,
            _("This is more than the claim's %(claim)s: fine if the document also lists other things.")
            % {"claim": money(facts.amount)},
        )
    return ItemFinding(
        Item.AMOUNT,
        State.DIFFERS,
        shown,
        _("This is less than the claim's %(claim)s. Add another document for the rest, or the rest may be denied.")
        % {"claim": money(facts.amount)},
    )
