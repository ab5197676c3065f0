"""What an insurer's answer means, in words, for the member and for the plan's reviewers (pure: an
``Answer`` and the claim's amount in, sentences and figures out; never a raw code alone, and a code
nobody here knows is shown as itself with "ask your insurer what this means").

The member's share. Integrex gives each line's coinsurance, copay and non-covered amounts: their
sum is what the patient owes. An X12 277 (and Optum's JSON, which mirrors it) gives only what was
billed and what was paid; the rest is an upper bound on what the patient owes (a network discount
the provider may not bill the patient for is part of it), and the page says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from portal.gateway.insurer import Answer, ClaimAnswer, FieldProblem, Line, StatusCode
from x12 import codes
from x12.codes import Stage

ZERO = Decimal("0.00")


def money(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"${value.quantize(Decimal('0.01')):,}"


@dataclass(frozen=True)
class CodeWords:
    """One raw code with its meaning (shown together, the code in a <code>)."""

    kind: str  # "category", "status", "entity", "CARC", "RARC", "PAYER"
    code: str
    text: str
    known: bool
    insurers_words: bool = False  # the insurer's own description, shown as sent (in English)


@dataclass(frozen=True)
class LineWords:
    label: str  # "D2392 (dental procedure code)" or "Line 2"
    service_date: date | None
    charged: Decimal | None
    paid: Decimal | None
    member_share: Decimal | None
    status: str  # a sentence
    codes: tuple[CodeWords, ...] = ()
    left_unpaid: Decimal | None = None  # billed less paid, when the share itself is not given


@dataclass(frozen=True)
class ClaimWords:
    stage: str  # Stage value: "paid", "denied", "in_progress", ...
    headline: str
    detail: str
    charged: Decimal | None = None
    paid: Decimal | None = None
    member_share: Decimal | None = None
    share_is_upper_bound: bool = False
    comparison: str = ""  # how this compares with the portal claim's amount
    matches_claim: bool | None = None
    received_date: date | None = None
    adjudicated_date: date | None = None
    check: str = ""  # "Check 12345 on March 3, 2026" (no account numbers)
    payer_claim_number: str = ""
    service_date_from: date | None = None
    service_date_to: date | None = None
    codes: tuple[CodeWords, ...] = ()
    lines: tuple[LineWords, ...] = field(default=())


@dataclass(frozen=True)
class Problem:
    """One thing the insurer refused: in its own words (English, as US insurers write them, marked
    so on the page), or ours when it gave none."""

    text: str
    insurers_words: bool = True
    label: str = ""  # the form's label of the field, when the member filled it in

    def __str__(self) -> str:
        return self.text


# Optum's names for the fields of a question (research §1.3) that hold what the member typed, by
# the form's own labels: a refusal then says which field to look at. The [n] of a list is dropped.
_FIELD_LABELS = {
    "subscriber.memberId": gettext_lazy("Member ID"),
    "subscriber.groupNumber": gettext_lazy("Group number"),
    "subscriber.firstName": gettext_lazy("First name on the card"),
    "subscriber.lastName": gettext_lazy("Last name on the card"),
    "subscriber.dateOfBirth": gettext_lazy("Date of birth"),
    "subscriber.gender": gettext_lazy("Sex on the card"),
    "dependent.firstName": gettext_lazy("Patient's first name"),
    "dependent.lastName": gettext_lazy("Patient's last name"),
    "dependent.dateOfBirth": gettext_lazy("Patient's date of birth"),
    "dependent.gender": gettext_lazy("Patient's sex"),
    "providers.organizationName": gettext_lazy("Provider"),
    "providers.npi": gettext_lazy("Provider's NPI"),
    "providers.taxId": gettext_lazy("Provider's tax ID"),
    "encounter.beginningDateOfService": gettext_lazy("Date of service"),
    "encounter.endDateOfService": gettext_lazy("Date of service"),
    "encounter.submittedAmount": gettext_lazy("Amount the provider billed"),
}
_LIST_INDEX = re.compile(r"\[\d+\]")


def _problem(refused: FieldProblem) -> Problem:
    """A refused field in words: the insurer's description, after the form's label of the field
    when it is one the member filled in, or the insurer's name of it otherwise."""
    path = _LIST_INDEX.sub("", refused.field).removeprefix("$.")
    text = refused.description or ""
    if not text and not path:
        return Problem(_("The insurer refused part of the request."), False)
    label = _FIELD_LABELS.get(path)
    if label is not None:
        return Problem(text or _("refused"), label=str(label), insurers_words=bool(text))
    return Problem(f"{refused.field}: {text}" if text and refused.field else text or refused.field)


@dataclass(frozen=True)
class AnswerWords:
    payer: str
    headline: str
    detail: str
    claims: tuple[ClaimWords, ...] = ()
    problems: tuple[Problem, ...] = ()
    known: bool = False  # the insurer has (at least one) matching claim


_CONTRACTION = re.compile(r"\b([Aa]|[Dd]e) el\b")


def _spoken(text: str) -> str:
    """A code's meaning once the person or organization is put into its sentence: in Spanish "a el"
    and "de el" contract to "al" and "del" ("la fecha de nacimiento del paciente")."""
    if (get_language() or "").startswith("es"):
        return _CONTRACTION.sub(lambda m: m[1][0] + ("l" if m[1] in "Aa" else "el"), text)
    return text


def _status_codes(status: StatusCode) -> tuple[CodeWords, ...]:
    category = codes.category(status.category, translate=_)
    found = [CodeWords("category", status.category, category.text, category.known)]
    if status.code:
        meaning = codes.status(status.code, status.entity, translate=_)
        # A 277 read through x12 carries our own English words for a code: never the insurer's.
        if meaning.known or not status.code_text or status.code_text == codes.UNKNOWN_TEXT:
            found.append(CodeWords("status", status.code, _spoken(meaning.text), meaning.known))
        else:
            found.append(CodeWords("status", status.code, status.code_text, False, insurers_words=True))
    if status.entity:
        meaning = codes.entity(status.entity, translate=_)
        found.append(CodeWords("entity", status.entity, meaning.text, meaning.known))
    return tuple(found)


def _sentence(status: StatusCode) -> str:
    return _spoken(codes.describe_stc(status.category, status.code, status.entity, translate=_))


def _request_sentence(status: StatusCode) -> str:
    """A status of the question as a whole (no claim matched): its code's meaning alone when known.
    The category's sentence speaks of a claim the provider sent ("the provider needs to correct it
    and send the claim again"), while here it is the member's question that was turned away."""
    if status.code:
        meaning = codes.status(status.code, status.entity, translate=_)
        if meaning.known:
            return _spoken(meaning.text)
    return _sentence(status)


def _line_share(line: Line) -> Decimal | None:
    parts = [p for p in (line.coinsurance, line.copay, line.not_covered) if p is not None]
    return sum(parts, ZERO) if parts else None


def _line_words(line: Line, index: int, primary: StatusCode | None) -> LineWords:
    """A service line; its status is said only where it differs from the claim's own."""
    label = line.procedure_code or line.revenue_code or _("Line %(number)s") % {"number": line.number or index}
    same = [s for s in line.statuses if primary and (s.category, s.code) == (primary.category, primary.code)]
    other = [s for s in line.statuses if s not in same]
    status = _sentence(other[0]) if other else ""
    found: list[CodeWords] = []
    for s in other:
        found.extend(_status_codes(s))
    for reason in line.reasons:
        found.append(_reason_words(reason.source, reason.code, reason.text))
    return LineWords(
        label=label,
        service_date=line.service_date,
        charged=line.charged,
        paid=line.paid,
        member_share=_line_share(line),
        status=status,
        codes=tuple(found),
        left_unpaid=(
            max(line.charged - line.paid, ZERO)
            if _line_share(line) is None and line.charged is not None and line.paid is not None
            else None
        ),
    )


def _reason_words(source: str, code: str, text: str) -> CodeWords:
    if source == "CARC":
        meaning = codes.carc(code, translate=_)
    elif source == "RARC":
        meaning = codes.rarc(code, translate=_)
    elif text:  # a payer's own remark code: only its own description can say what it means
        return CodeWords(source, code, text, True, insurers_words=True)
    else:
        return CodeWords(source, code, _("This is the insurer's own code: ask your insurer what this means."), False)
    if meaning.known or not text:
        return CodeWords(source, code, meaning.text, meaning.known)
    return CodeWords(source, code, text, False, insurers_words=True)


def _headline(stage: Stage, payer: str, admin: bool) -> tuple[str, str]:
    """The answer's headline and what it means for whoever reads it (the member, or the plan's
    reviewer, who reads about "the patient")."""
    v = {"payer": payer}
    if stage is Stage.NOT_FOUND:
        return (
            _("%(payer)s has no record of this claim.") % v,
            _(
                "The provider may not have billed %(payer)s yet, or billed it under other details. Check the date "
                "of service and who the patient was, or ask the provider whether they sent the claim."
            )
            % v
            if not admin
            else _("The provider may not have billed %(payer)s yet, or billed it under other details.") % v,
        )
    if stage in (Stage.RECEIVED, Stage.IN_PROGRESS):
        return (
            _("%(payer)s has this claim and is still working on it.") % v,
            _("Nothing is final yet. What you owe is known once the insurer finishes; check again in a few days.")
            if not admin
            else _("Nothing is final yet: the patient's share is known once the insurer finishes."),
        )
    if stage is Stage.INFO_REQUESTED:
        return (
            _("%(payer)s is waiting for more information about this claim.") % v,
            _("Usually the provider sends it; if the insurer wrote to you, answer their letter.")
            if not admin
            else _("Usually the provider sends it; nothing is final until then."),
        )
    if stage is Stage.PAID or stage is Stage.FINALIZED:
        return (
            _("%(payer)s has finished processing this claim.") % v,
            _("Below is what it paid and what is left for you to pay, which your plan can reimburse.")
            if not admin
            else _("Below is what it paid and what is left for the patient to pay, which the plan can reimburse."),
        )
    if stage is Stage.DENIED:
        return (
            _("%(payer)s decided not to pay this claim.") % v,
            _("The reasons are below. You may owe the provider the full amount, which your plan can reimburse.")
            if not admin
            else _("The reasons are below. The patient may owe the provider the full amount."),
        )
    if stage is Stage.REJECTED:
        return (
            _("%(payer)s could not match the details sent.") % v,
            _("Check the member ID, the names and the dates of birth exactly as on your card, then check again.")
            if not admin
            else _("The member's card details did not match the insurer's records."),
        )
    if stage is Stage.ERROR:
        return (
            _("%(payer)s could not answer this question just now.") % v,
            _("Check the details and try again later."),
        )
    return (
        _("%(payer)s answered with a status we cannot explain.") % v,
        _("The codes are below; ask your insurer what they mean.")
        if not admin
        else _("The codes are below; the insurer can say what they mean."),
    )


def _share(claim: ClaimAnswer, stage: Stage) -> tuple[Decimal | None, bool]:
    """What the patient owes, and whether it is only an upper bound (see the module's note)."""
    shares = [s for s in (_line_share(line) for line in claim.lines) if s is not None]
    if shares:
        return sum(shares, ZERO), False
    if stage in (Stage.PAID, Stage.FINALIZED, Stage.DENIED) and claim.charged is not None:
        return max(claim.charged - (claim.paid or ZERO), ZERO), True
    return None, False


def _comparison(share: Decimal | None, claimed: Decimal | None, upper: bool, admin: bool) -> tuple[str, bool | None]:
    """How the portal claim's amount compares with the patient's share on the insurer's answer
    (``matches``: True when equal, False when the claim asks for more or less than the share,
    None when only an upper bound is known and the claim is within it)."""
    if share is None or claimed is None:
        return "", None
    v = {"claimed": money(claimed), "share": money(share), "difference": money(abs(claimed - share))}
    if claimed == share:
        if upper:
            text = (
                _("Your claim for %(claimed)s matches what the insurer left unpaid.")
                if not admin
                else _("The claim for %(claimed)s matches what the insurer left unpaid.")
            )
        else:
            text = (
                _("Your claim for %(claimed)s matches your share on the insurer's answer.")
                if not admin
                else _("The claim for %(claimed)s matches the patient's share on the insurer's answer.")
            )
        return text % v, True
    if claimed > share:
        if upper:
            text = (
                _(
                    "Your claim is for %(claimed)s, %(difference)s more than the %(share)s the insurer left unpaid. "
                    "The plan can reimburse only what you owe: check your statement from the insurer (EOB)."
                )
                if not admin
                else _("The claim is for %(claimed)s, %(difference)s more than the %(share)s the insurer left unpaid.")
            )
        else:
            text = (
                _(
                    "Your claim is for %(claimed)s, %(difference)s more than your share of %(share)s. The plan can "
                    "reimburse only your share: you may be asked to change the claim."
                )
                if not admin
                else _("The claim is for %(claimed)s, %(difference)s more than the patient's share of %(share)s.")
            )
        return text % v, False
    if upper:
        text = (
            _(
                "Your claim is for %(claimed)s. The insurer left %(share)s unpaid; part of that may be a network "
                "discount you do not owe. Your statement from the insurer (EOB) shows your exact share."
            )
            if not admin
            else _(
                "The claim is for %(claimed)s; the insurer left %(share)s unpaid, part of which may be a network "
                "discount the patient does not owe."
            )
        )
        return text % v, None
    text = (
        _(
            "Your claim is for %(claimed)s, %(difference)s less than your share of %(share)s. You may be able to "
            "claim the rest."
        )
        if not admin
        else _("The claim is for %(claimed)s, %(difference)s less than the patient's share of %(share)s.")
    )
    return text % v, False


def _check(claim: ClaimAnswer) -> str:
    if not claim.check_number and not claim.check_date:
        return ""
    from portal.formatting import long_date

    when = long_date(claim.check_date) if claim.check_date else ""
    if claim.check_number and when:
        return _("Payment %(number)s, issued %(date)s.") % {"number": claim.check_number, "date": when}
    if claim.check_number:
        return _("Payment %(number)s.") % {"number": claim.check_number}
    return _("Payment issued %(date)s.") % {"date": when}


def claim_words(claim: ClaimAnswer, *, payer: str, claimed: Decimal | None, admin: bool = False) -> ClaimWords:
    primary = claim.statuses[0] if claim.statuses else None
    stage = codes.stage(primary.category) if primary else Stage.UNKNOWN
    # A claim paid in part and denied in part is "finished" with its lines' reasons, not "paid".
    if stage is Stage.PAID and any(
        codes.stage(s.category) is Stage.DENIED for line in claim.lines for s in line.statuses
    ):
        stage = Stage.FINALIZED
    headline, detail = _headline(stage, payer, admin)
    if primary is not None and stage not in (Stage.UNKNOWN,):
        said = _sentence(primary)
        if said:
            detail = f"{said} {detail}"
    share, upper = _share(claim, stage)
    comparison, matches = _comparison(share, claimed, upper, admin)
    found: list[CodeWords] = []
    for status in claim.statuses:
        found.extend(_status_codes(status))
    return ClaimWords(
        stage=stage.value,
        headline=headline,
        detail=detail,
        charged=claim.charged,
        paid=claim.paid,
        member_share=share,
        share_is_upper_bound=upper,
        comparison=comparison,
        matches_claim=matches,
        received_date=claim.received_date,
        adjudicated_date=claim.adjudicated_date,
        check=_check(claim),
        payer_claim_number=claim.payer_claim_number,
        service_date_from=claim.service_date_from,
        service_date_to=claim.service_date_to,
        codes=tuple(found),
        lines=tuple(_line_words(line, i, primary) for i, line in enumerate(claim.lines, start=1)),
    )


def answer_words(answer: Answer, *, claimed: Decimal | None, payer: str = "", admin: bool = False) -> AnswerWords:
    """``payer``: the name on the portal's payer list, which the member chose (the channel's own
    spelling, often in capitals, is the fallback)."""
    payer = payer or answer.payer_name or _("Your insurer")
    problems = tuple(_problem(p) for p in answer.problems)
    if answer.claims:
        claims = tuple(claim_words(c, payer=payer, claimed=claimed, admin=admin) for c in answer.claims)
        known = any(c.stage != Stage.NOT_FOUND.value for c in claims)
        if len(claims) == 1:
            return AnswerWords(payer, claims[0].headline, claims[0].detail, claims, problems, known)
        return AnswerWords(
            payer,
            _("%(payer)s found %(count)s claims that match.") % {"payer": payer, "count": len(claims)},
            _("Each is shown below; the one with your date of service and amount is yours."),
            claims,
            problems,
            known,
        )
    # No claim: the request as a whole was answered (an X12 2200B/2200C status), or refused.
    status = answer.request_statuses[0] if answer.request_statuses else None
    stage = codes.stage(status.category) if status else (Stage.ERROR if problems else Stage.NOT_FOUND)
    headline, detail = _headline(stage, payer, admin)
    if status is None and problems:  # refused fields: nothing to wait for, something to correct
        headline = _("%(payer)s refused some of the details sent.") % {"payer": payer}
        detail = _("Each is named below. Correct it, then check again.")
    if status is not None:
        said = _request_sentence(status)
        if said:
            detail = f"{said} {detail}"
    return AnswerWords(payer, headline, detail, (), problems, False)
