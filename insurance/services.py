"""Insurance cards, routing a claim's question to the insurer's channel, and its answer.

Optum answers at once (JSON or X12, as the payer list says). Integrex takes the question and
answers later: the check is kept ``working`` with Integrex's ticket, and each look at the check's
page asks once more, no sooner than the backoff allows and no later than ``INSURER_CHECK_WAIT_SECONDS`` after
the question (then it says plainly that the insurer did not answer in time, and offers to ask again).
The page does the waiting (htmx, or a page that refreshes), so no web thread sleeps.
"""

from __future__ import annotations

import functools
import logging
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from insurance.models import Coverage, InsuranceCard, InsurerCheck, Payer
from insurance.words import AnswerWords, answer_words
from portal import quick_reads
from portal.gateway import ApiError
from portal.gateway.insurer import Answer, Channel, Person, Query
from portal.gateway.models import Claim
from receipts.models import ReceiptCheck
from x12.values import npi_is_valid

log = logging.getLogger(__name__)

FIRST_POLL = 1.0  # seconds; then times 1.6 with jitter, at most MAX_POLL
MAX_POLL = 10.0

# Claims API categories and expense types → the card that covers them.
_VISION_WORDS = ("vision", "eye", "glasses", "contact", "lens", "optical", "optometr")


def coverage_for(claim: Claim) -> str | None:
    """Which insurance pays first for this claim, or None when no insurer does (daycare, a shop)."""
    category = (claim.category or "").lower()
    kind = f"{category} {(claim.expense_type or '').lower()}"
    if "dependent" in category or "pharmacy" in category or "supplies" in category:
        return None
    if any(word in kind for word in _VISION_WORDS):
        return Coverage.VISION
    if "dental" in category or "orthodont" in kind:
        return Coverage.DENTAL
    if "medical" in category:
        return Coverage.MEDICAL
    return None


# --- cards ------------------------------------------------------------------------------------


def mask(value: str) -> str:
    """A member id shown back: the last four characters only."""
    if len(value) <= 4:
        return "•" * len(value)
    return "•" * 4 + value[-4:]


@dataclass(frozen=True)
class CardView:
    coverage: str
    coverage_label: str
    card_name: str
    payer: str
    member_id_masked: str
    group_masked: str
    holder: str
    dependents: tuple[str, ...]


def cards_for(user_id: int) -> list[InsuranceCard]:
    return list(InsuranceCard.objects.filter(user_id=user_id).select_related("payer"))


def card_views(user_id: int) -> list[CardView]:
    views = []
    for card in cards_for(user_id):
        details = card.details
        views.append(
            CardView(
                coverage=card.coverage,
                coverage_label=str(Coverage(card.coverage).label),
                card_name=Coverage(card.coverage).card_name,
                payer=card.payer.name,
                member_id_masked=mask(details.get("member_id", "")),
                group_masked=mask(details.get("group_number", "")) if details.get("group_number") else "",
                holder=f"{details.get('first_name', '')} {details.get('last_name', '')}".strip(),
                dependents=tuple(f"{d['first_name']} {d['last_name']}" for d in details.get("dependents", [])),
            )
        )
    return views


def save_card(user_id: int, coverage: str, payer: Payer, details: dict[str, Any]) -> InsuranceCard:
    card = InsuranceCard.objects.filter(user_id=user_id, coverage=coverage).first() or InsuranceCard(
        user_id=user_id, coverage=coverage
    )
    card.payer = payer
    card.details = details
    card.save()
    return card


def delete_card(user_id: int, coverage: str) -> bool:
    deleted, _count = InsuranceCard.objects.filter(user_id=user_id, coverage=coverage).delete()
    return bool(deleted)


# --- the question -----------------------------------------------------------------------------


def patients(card: InsuranceCard) -> list[tuple[str, str]]:
    details = card.details
    found = [("self", f"{details['first_name']} {details['last_name']}")]
    found += [(f"dep{i}", f"{d['first_name']} {d['last_name']}") for i, d in enumerate(details.get("dependents", []))]
    return found


def _birth(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def query_for(card: InsuranceCard, data: dict[str, Any], *, tracking: str) -> Query:
    details = card.details
    subscriber = Person(
        first_name=details["first_name"],
        last_name=details["last_name"],
        date_of_birth=_birth(details.get("date_of_birth")),
        gender=details.get("gender") or None,
    )
    patient = None
    if data["patient"] != "self":
        dep = details["dependents"][int(data["patient"][3:])]
        patient = Person(
            first_name=dep["first_name"], last_name=dep["last_name"], date_of_birth=_birth(dep.get("date_of_birth"))
        )
    return Query(
        payer_id=card.payer.payer_id,
        payer_name=card.payer.name,
        member_id=details["member_id"],
        group_number=details.get("group_number", ""),
        subscriber=subscriber,
        patient=patient,
        provider_name=data["provider_name"],
        provider_npi=data.get("provider_npi", ""),
        provider_tax_id=data.get("provider_tax_id", ""),
        service_date_from=data["service_date"],
        billed_amount=data.get("billed_amount"),
        tracking_number=tracking,
    )


def patient_choice_for(card: InsuranceCard, claim_patient: str) -> str:
    """The patient the claim names, among the card's people (the card's holder by default)."""
    wanted = " ".join(claim_patient.lower().split())
    for key, name in patients(card):
        if " ".join(name.lower().split()) == wanted:
            return key
    return "self"


def prefill(claim: Claim, user_id: int) -> dict[str, Any]:
    """The question as far as the portal knows it: the claim's date, amount and provider, and
    what the member's documents for it showed (the receipt check's readings)."""
    initial: dict[str, Any] = {
        "service_date": claim.start_date_of_service.date() if claim.start_date_of_service else None,
        "billed_amount": claim.claim_amount,
        "provider_name": claim.provider_name or "",
    }
    for check in ReceiptCheck.objects.filter(user_id=user_id, claim_number=claim.claim_number).order_by("-created_at")[
        :5
    ]:
        reading = check.reading
        if reading is None:
            continue
        for name, key in (("npi", "provider_npi"), ("tax_id", "provider_tax_id")):
            value = reading.value(name)
            if name == "npi" and value and not npi_is_valid(str(value)):
                continue  # misread (its check digit is wrong): the member would be asked to fix it
            if value and key not in initial:
                initial[key] = str(value)
        if "patient_name" not in initial and reading.value("patient"):
            initial["patient_name"] = str(reading.value("patient"))
        total = reading.value("total")
        if isinstance(total, Decimal) and total > claim.claim_amount:
            initial["billed_amount"] = total  # the bill before insurance, when the document shows it
    return initial


def _tracking(claim: Claim) -> str:
    return f"P{claim.claim_number[-12:]}{random.randrange(16**4):04X}"


def ask(user_id: int, claim: Claim, card: InsuranceCard, data: dict[str, Any]) -> InsurerCheck:
    """Ask the card's insurer about the claim through the payer's channel."""
    payer = card.payer
    check = InsurerCheck.objects.create(
        user_id=user_id,
        claim_number=claim.claim_number,
        payer=payer,
        channel=payer.channel,
        claimed_amount=claim.claim_amount,
    )
    query = query_for(card, data, tracking=_tracking(claim))
    try:
        if payer.channel == Payer.Channel.INTEGREX:
            from portal.gateway.integrex import IntegrexClient

            check.ticket = IntegrexClient.from_settings().submit(query)
            now = timezone.now()
            check.next_poll_at = now + timedelta(seconds=FIRST_POLL)
            check.poll_until = now + timedelta(seconds=settings.INSURER_CHECK_WAIT_SECONDS)
            check.save(update_fields=["ticket", "next_poll_at", "poll_until"])
            return check
        from portal.gateway.optum import OptumClient

        answer = OptumClient.from_settings().status(query, raw_x12=payer.channel == Payer.Channel.OPTUM_X12)
    except ApiError as exc:
        return _failed(check, exc)
    return _answered(check, answer)


def _answered(check: InsurerCheck, answer: Answer) -> InsurerCheck:
    check.keep_answer(answer.model_dump_json())
    check.state = InsurerCheck.State.ANSWERED
    check.answered_at = timezone.now()
    check.ticket = ""
    check.save(update_fields=["answer_encrypted", "state", "answered_at", "ticket"])
    return check


def _failed(check: InsurerCheck, exc: ApiError) -> InsurerCheck:
    check.state = InsurerCheck.State.FAILED
    check.error_code = type(exc).__name__[:32]
    check.request_id = (getattr(exc, "request_id", "") or "")[:64]
    problems = getattr(exc, "problems", None)
    if problems:  # the insurer refused fields: keep them as the answer, to say which
        refused = Answer(channel=Channel(check.channel), payer_name=check.payer.name, problems=tuple(problems))
        check.keep_answer(refused.model_dump_json())
    check.save(update_fields=["state", "error_code", "request_id", "answer_encrypted"])
    log.info("insurer_check_failed", extra={"check": str(check.id), "error": check.error_code})
    return check


def poll(check: InsurerCheck) -> InsurerCheck:
    """One more look at a waiting Integrex check, if it is due (see the module's note)."""
    if check.state != InsurerCheck.State.WORKING:
        return check
    now = timezone.now()
    if check.poll_until and now >= check.poll_until:
        check.state = InsurerCheck.State.GAVE_UP
        check.save(update_fields=["state"])
        return check
    if check.next_poll_at and now < check.next_poll_at:
        return check
    with transaction.atomic():  # one poll at a time per check, whoever looks
        claimed = InsurerCheck.objects.filter(pk=check.pk, state=InsurerCheck.State.WORKING, polls=check.polls).update(
            polls=check.polls + 1, next_poll_at=now + timedelta(seconds=next_wait(check.polls + 1))
        )
    check.refresh_from_db()
    if not claimed:
        return check
    from portal.gateway.integrex import IntegrexClient

    try:
        answer = IntegrexClient.from_settings().fetch(check.ticket)
    except ApiError as exc:
        return _failed(check, exc)
    return check if answer is None else _answered(check, answer)


def next_wait(polls: int) -> float:
    """Seconds until the next look: exponential with jitter, capped."""
    base = min(MAX_POLL, FIRST_POLL * (1.6**polls))
    return round(base * random.uniform(0.8, 1.2), 1)


def seconds_until_poll(check: InsurerCheck) -> int:
    if not check.next_poll_at:
        return 2
    return max(1, min(int(MAX_POLL), int((check.next_poll_at - timezone.now()).total_seconds() + 0.999)))


def attach(check: InsurerCheck) -> bool:
    """Share the answer with the plan's reviewers (once; the first time is kept)."""
    if check.state != InsurerCheck.State.ANSWERED:
        return False
    return bool(InsurerCheck.objects.filter(pk=check.pk, attached_at__isnull=True).update(attached_at=timezone.now()))


# --- what pages show ------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckView:
    check: InsurerCheck
    words: AnswerWords | None
    failure: str = ""


def check_view(check: InsurerCheck, *, admin: bool = False) -> CheckView:
    data = check.answer_json
    answer = Answer.model_validate(data) if data else None
    words = answer_words(answer, claimed=check.claimed_amount, payer=check.payer.name, admin=admin) if answer else None
    failure = ""
    if check.state == InsurerCheck.State.FAILED:
        # Refused fields: the answer's own headline says so and names them (said once, not twice).
        if not (answer and answer.problems):
            failure = _("We could not reach the insurer just now. Try again in a few minutes.")
    elif check.state == InsurerCheck.State.GAVE_UP:
        failure = _("The insurer has not answered yet. This happens when its systems are busy; ask again later.")
    return CheckView(check=check, words=words, failure=failure)


def attached_checks(claim_number: str) -> list[CheckView]:
    """What members shared with the plan about this claim (HR's claim page)."""
    found = InsurerCheck.objects.filter(claim_number=claim_number, attached_at__isnull=False).select_related("payer")
    return [check_view(c, admin=True) for c in found.order_by("-attached_at")[:3]]


@functools.cache
def _member_panel_sql() -> str:
    cards, checks = quick_reads.table(InsuranceCard), quick_reads.table(InsurerCheck)
    card_user, card_coverage = quick_reads.column(InsuranceCard, "user"), quick_reads.column(InsuranceCard, "coverage")
    check_pk, check_user, check_claim, check_created = (
        quick_reads.column(InsurerCheck, name) for name in ("id", "user", "claim_number", "created_at")
    )
    # names from the models' metadata, quoted; the values are parameters
    return (
        f"SELECT EXISTS (SELECT 1 FROM {cards} WHERE {card_user} = %s AND {card_coverage} = %s),"  # noqa: S608
        f" (SELECT {check_pk} FROM {checks} WHERE {check_user} = %s AND {check_claim} = %s"
        f" ORDER BY {check_created} DESC, {check_pk} DESC LIMIT 1)"
    )


@dataclass(frozen=True)
class ClaimPanel:
    coverage: str | None
    has_card: bool
    latest: CheckView | None


def member_panel(claim: Claim, user_id: int) -> ClaimPanel | None:
    """The member's insurer panel on a claim page: whether a card for the claim's coverage is on
    file and the latest check of the claim, asked together in one statement (``portal.quick_reads``:
    every claim page with a coverage asks); only a check found is then read through the ORM."""
    coverage = coverage_for(claim)
    if coverage is None:
        return None
    row = quick_reads.first_row(_member_panel_sql(), [user_id, str(coverage), user_id, claim.claim_number])
    has_card, latest_pk = (bool(row[0]), row[1]) if row else (False, None)
    latest = InsurerCheck.objects.select_related("payer").filter(pk=latest_pk).first() if latest_pk else None
    return ClaimPanel(coverage=coverage, has_card=has_card, latest=check_view(latest) if latest else None)
