"""What X12 claim codes mean, in plain words a member can read: claim status categories (code
list 507), claim status codes (508), entity codes, claim adjustment group and reason codes (CARC)
and remark codes (RARC).

Written by hand because no library carries such texts: the official descriptions are X12's
copyright (and written for billing staff), so every sentence here is our own. Callers always show
the raw code next to the words; a code we do not know reads "ask your insurer what this means".
Texts are marked with ``_()`` so Django's makemessages can extract them; this package never
imports Django. Every function takes an optional ``translate`` (such as Django's ``gettext``): the
pieces are translated one by one and only then put together, so a composed text reads right in
the other language too, and the person or organization ``{entity}`` is filled in translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from x12.codes._adjustments import CARCS, FSA_NOTE, GROUPS, MEMBER_SHARE
from x12.codes._categories import CATEGORIES, FAMILY_STAGES, Stage
from x12.codes._entities import ENTITIES, SOMEONE
from x12.codes._remarks import RARCS
from x12.codes._statuses import DEACTIVATED_STATUSES, STATUSES

__all__ = [
    "CARC_CODES",
    "CATEGORY_CODES",
    "ENTITY_CODES",
    "GROUP_CODES",
    "RARC_CODES",
    "STATUS_CODES",
    "UNKNOWN_TEXT",
    "Meaning",
    "Stage",
    "Translate",
    "carc",
    "category",
    "describe_stc",
    "entity",
    "entity_name",
    "group",
    "rarc",
    "stage",
    "status",
]


def _(text: str) -> str:
    """Mark a text for translation (Django's makemessages finds it); x12 stays free of Django."""
    return text


UNKNOWN_TEXT = _("ask your insurer what this means")
# Kept out of f-strings, where makemessages cannot find them.
_ASK_REASON = _("Ask your insurer what the reason code means.")
_UNKNOWN_STATUS = _("The insurer sent a status code we do not know")
_ALSO_UNKNOWN = _("The insurer also sent a code we do not know; ask your insurer what it means.")

Translate = Callable[[str], str]


def _same(text: str) -> str:
    return text


def _say(text: str | tuple[str, ...], translate: Translate | None) -> str:
    """One text in the reader's language; a text of a few sentences is translated piece by piece."""
    tr = translate or _same
    return tr(text) if isinstance(text, str) else " ".join(tr(piece) for piece in text)


CATEGORY_CODES: frozenset[str] = frozenset(CATEGORIES)
STATUS_CODES: frozenset[str] = frozenset(STATUSES)
ENTITY_CODES: frozenset[str] = frozenset(ENTITIES)
GROUP_CODES: frozenset[str] = frozenset(GROUPS)
CARC_CODES: frozenset[str] = frozenset(CARCS)
RARC_CODES: frozenset[str] = frozenset(RARCS)


@dataclass(frozen=True, slots=True)
class Meaning:
    """A code and what it means. ``known`` is False when we have no words for the code (then
    ``text`` is "ask your insurer what this means"); ``deactivated`` marks a code X12 retired."""

    code: str
    text: str
    known: bool
    deactivated: bool = False


def _clean(code: str | None) -> str:
    return (code or "").strip().upper()


def _unknown(code: str, translate: Translate | None = None) -> Meaning:
    return Meaning(code, _say(UNKNOWN_TEXT, translate), known=False)


# --- Claim status category (STC01-1) -------------------------------------------------------


def category(code: str | None, *, translate: Translate | None = None) -> Meaning:
    """The claim status category code (e.g. "F2"), in words."""
    key = _clean(code)
    found = CATEGORIES.get(key)
    if found is None:
        return _unknown(key, translate)
    text, _stage, deactivated = found
    return Meaning(key, _say(text, translate), known=True, deactivated=deactivated)


def stage(category_code: str | None) -> Stage:
    """Where the claim stands, from its category code. A code not in the list still gets its
    family's stage from its first letter (A, P, F, R, E, D); anything else is UNKNOWN."""
    key = _clean(category_code)
    found = CATEGORIES.get(key)
    if found is not None:
        return found[1]
    return FAMILY_STAGES.get(key[:1], Stage.UNKNOWN) if key else Stage.UNKNOWN


# --- Entity (STC01-3, NM101) ---------------------------------------------------------------


def entity(code: str | None, *, translate: Translate | None = None) -> Meaning:
    """The entity identifier code (e.g. "QC"), as a sentence saying who that is."""
    key = _clean(code)
    found = ENTITIES.get(key)
    if found is None:
        return _unknown(key, translate)
    return Meaning(key, _say(found[1], translate), known=True)


def entity_name(code: str | None, *, translate: Translate | None = None) -> str:
    """The entity as a short noun phrase to put inside a sentence ("the patient"); an unknown
    or missing code gives "someone named on the claim"."""
    found = ENTITIES.get(_clean(code))
    return _say(found[0] if found is not None else SOMEONE, translate)


# --- Claim status (STC01-2) ----------------------------------------------------------------


def _status_key(code: str | None) -> str:
    key = _clean(code)
    return key.lstrip("0") or "0" if key.isdigit() else key


def status(code: str | None, entity: str | None = None, *, translate: Translate | None = None) -> Meaning:
    """The claim status code (e.g. "88"), in words. Many status codes are about a person or an
    organization; ``entity`` (the STC01-3 code) names it, otherwise the text says "someone
    named on the claim"."""
    key = _status_key(code)
    found = STATUSES.get(key)
    if found is None:
        return _unknown(key, translate)
    text = _say(found, translate)
    if "{entity}" in text:
        text = text.replace("{entity}", entity_name(entity, translate=translate))
    return Meaning(key, text, known=True, deactivated=key in DEACTIVATED_STATUSES)


# --- Adjustments: group codes and reasons (CARC) -------------------------------------------

_GROUPED = re.compile(r"^(CO|PR|OA|PI|CR)[\s\-:/_.]*(.*)$")
_REASON = re.compile(r"^([A-Z]?)0*(\d+)$")


def group(code: str | None, *, translate: Translate | None = None) -> Meaning:
    """The claim adjustment group code (CO, PR, OA, PI, CR): who owes an adjusted amount."""
    key = _clean(code)
    found = GROUPS.get(key)
    if found is None:
        return _unknown(key, translate)
    return Meaning(key, _say(found[0], translate), known=True, deactivated=found[1])


def _reason_key(code: str) -> str:
    key = re.sub(r"[\s\-]", "", code)
    match = _REASON.match(key)
    return f"{match[1]}{match[2]}" if match else key


def carc(code: str | None, *, translate: Translate | None = None) -> Meaning:
    """A claim adjustment reason code (e.g. "45"), in words. A group prefix is accepted
    ("PR-1", "PR1", "CO 45"): the text then also says who owes the amount."""
    key = _clean(code)
    grouped = _GROUPED.match(key)
    group_code = grouped[1] if grouped else ""
    reason = _reason_key(grouped[2] if grouped else key)
    shown = f"{group_code}-{reason}" if group_code and reason else group_code or reason
    if group_code and not reason:
        return group(group_code, translate=translate)
    found = CARCS.get(reason)
    group_text = _say(GROUPS[group_code][0], translate) if group_code else ""
    if found is None:
        if not group_code:
            return _unknown(shown, translate)
        return Meaning(shown, f"{group_text} {_say(_ASK_REASON, translate)}", known=False)
    reason_text = _say(found, translate)
    if group_code:
        text = f"{reason_text} {group_text}"
    elif reason in MEMBER_SHARE:
        text = f"{reason_text} {_say(FSA_NOTE, translate)}"
    else:
        text = reason_text
    return Meaning(shown, text, known=True, deactivated=bool(group_code) and GROUPS[group_code][1])


# --- Remarks (RARC) ------------------------------------------------------------------------

_REMARK = re.compile(r"^(MA|M|N)0*(\d+)$")


def _remark_key(code: str | None) -> str:
    key = re.sub(r"[\s\-]", "", _clean(code))
    match = _REMARK.match(key)
    if match is None:
        return key
    prefix, number = match[1], int(match[2])
    return f"MA{number:02d}" if prefix == "MA" else f"{prefix}{number}"


def rarc(code: str | None, *, translate: Translate | None = None) -> Meaning:
    """A remittance advice remark code (e.g. "N130", "MA01"), in words."""
    key = _remark_key(code)
    text = RARCS.get(key)
    return _unknown(key, translate) if text is None else Meaning(key, _say(text, translate), known=True)


# --- One STC composite in words ------------------------------------------------------------

# Status codes that only repeat what their category already says.
_SAME_AS_CATEGORY = frozenset({("F1", "65"), ("A1", "19"), ("A2", "20"), ("A4", "35"), ("D0", "35")})


def _lower_first(text: str) -> str:
    """Lower-case the first letter to continue a sentence, unless the first word is an acronym."""
    first = text.split(" ", 1)[0]
    return text if len(first) > 1 and first[1].isupper() else text[:1].lower() + text[1:]


def describe_stc(
    category: str | None, status: str | None = "", entity: str | None = "", *, translate: Translate | None = None
) -> str:
    """One STC composite (category, status and entity codes) as one plain statement, e.g.
    F2/88/QC: "The insurer decided not to pay this claim (or this line): the records show that
    the patient was not covered on the dates of service." """
    cat = _category_meaning(category, translate=translate)
    st = _status_meaning(status, entity, translate=translate) if _clean(status) else None
    if st is not None and (cat.code, st.code) in _SAME_AS_CATEGORY:
        st = None
    if not cat.known:
        lead = _say(_UNKNOWN_STATUS, translate)
        if st is not None and st.known:
            return f"{lead}: {_lower_first(st.text)}"
        return f"{lead}; {_say(UNKNOWN_TEXT, translate)}."
    if st is None:
        return cat.text
    if not st.known:
        return f"{cat.text} {_say(_ALSO_UNKNOWN, translate)}"
    first, dot, rest = cat.text.partition(". ")
    joined = f"{first.rstrip('.')}: {_lower_first(st.text)}"
    if not dot:
        return joined
    if translate is not None:  # whether the note repeats is decided on the English texts
        english = _status_meaning(status, entity).text
        if _says_again(english, _category_meaning(category).text.partition(". ")[2]):
            return joined
    elif _says_again(st.text, rest):
        return joined
    return f"{joined} {rest}"


def _says_again(text: str, note: str) -> bool:
    """Whether ``text`` already has a sentence starting like ``note`` (e.g. "The provider usually
    …"), so the category's note would only repeat it."""
    opening = note.split()[:3]
    return any(sentence.split()[:3] == opening for sentence in text.split(". ")[1:])


# ``describe_stc``'s parameters shadow the functions of the same names.
_category_meaning = category
_status_meaning = status
