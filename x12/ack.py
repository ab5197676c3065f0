"""The 999 implementation acknowledgement: did the receiver accept our 276, and if not, which
segment and element it refused (AK9/IK5 codes, IK3 segment errors, IK4 element errors).

Hand-written for the reasons in ``x12.tokens``; a 999 is a handful of segments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from x12.tokens import Transaction, tokenize

# AK901 / IK501: A accepted, E accepted with errors noted, P partially accepted, R rejected,
# M / W / X rejected (authentication, validity, content).
_ACCEPTED = frozenset({"A", "E", "P"})


@dataclass(frozen=True, slots=True)
class AckError:
    """One refusal: an IK3 (segment) with, when given, its IK4 (element) detail."""

    transaction_control_number: str  # AK202: the ST02 of our transaction set
    segment_id: str  # IK301
    segment_position: int | None  # IK302: position in the transaction set, ST = 1
    loop: str  # IK303
    segment_error: str  # IK304: code list 620
    element_position: int | None = None  # IK401-1
    component_position: int | None = None  # IK401-2
    element_reference: str = ""  # IK402: data element reference number
    element_error: str = ""  # IK403: code list 621
    bad_value: str = ""  # IK404 (may hold member data: never log it)

    def describe(self) -> str:
        place = "segment {id} at position {position}".format(
            id=self.segment_id or "?", position=self.segment_position if self.segment_position is not None else "?"
        )
        if self.element_position is not None:
            place += f", element {self.element_position}"
            if self.component_position is not None:
                place += f"-{self.component_position}"
        codes = ", ".join(c for c in (self.segment_error, self.element_error) if c)
        return "{place} was refused (error code {codes}).".format(place=place, codes=codes or "?")


@dataclass(frozen=True, slots=True)
class TransactionAck:
    control_number: str  # AK202
    code: str  # IK501
    accepted: bool
    error_codes: tuple[str, ...] = ()  # IK502..IK506


@dataclass(frozen=True, slots=True)
class GroupAck:
    """One 999 (one functional group acknowledged): AK1's group, AK9's verdict."""

    control_number: str  # AK102: the GS06 acknowledged
    code: str  # AK901 ("" when the 999 has no AK9)
    accepted: bool
    errors: tuple[str, ...] = ()  # AK905..AK909


@dataclass(slots=True)
class Ack999:
    """Every 999 of an interchange read together: ``accepted`` only when each group was (AK901 A,
    E or P); ``code`` is the first group's that was not, else the first group's. ``groups`` has
    each; ``transactions`` and ``errors`` are all the IK5s and IK3/IK4s, in order."""

    accepted: bool  # AK901 is A, E or P (for every group)
    code: str  # AK901
    errors: list[AckError] = field(default_factory=list)
    transactions: list[TransactionAck] = field(default_factory=list)
    group_control_number: str = ""  # AK102: the GS06 acknowledged (the first group's)
    group_errors: tuple[str, ...] = ()  # AK905..AK909 (of the group ``code`` is from)
    warnings: list[str] = field(default_factory=list)
    groups: list[GroupAck] = field(default_factory=list)


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def parse_999(data: str | bytes) -> Ack999:
    """Read every 999 in the interchange (one per functional group acknowledged). No AK9 at all is
    read as not accepted."""
    interchange = tokenize(data)
    warnings = interchange.warnings
    ack = Ack999(accepted=False, code="", warnings=warnings)
    pending: list[AckError] = []
    found = 0
    for transaction in interchange.transactions:
        if transaction.set_id != "999":
            warnings.append(
                "The transaction set at {place} is a {set_id}, not a 999; it was skipped.".format(
                    place=transaction.segments[0].where(), set_id=transaction.set_id or "?"
                )
            )
            continue
        found += 1
        ack.groups.append(_read_999(transaction, ack, pending, warnings))
    ack.errors = pending
    if not found:
        warnings.append("The interchange holds no 999 acknowledgement.")
        return ack
    for group in ack.groups:
        if not group.code:
            warnings.append(
                "The 999 for group {number} has no AK9 (functional group response); read as not accepted.".format(
                    number=group.control_number or "?"
                )
            )
    verdict = next((g for g in ack.groups if not g.accepted), ack.groups[0])
    ack.accepted = all(g.accepted for g in ack.groups)
    ack.code, ack.group_errors = verdict.code, verdict.errors
    ack.group_control_number = ack.groups[0].control_number
    return ack


def _read_999(transaction: Transaction, ack: Ack999, pending: list[AckError], warnings: list[str]) -> GroupAck:
    group_number = code = ""
    group_errors: tuple[str, ...] = ()
    current = ""
    last_ik3: AckError | None = None
    for segment in transaction.segments:
        sid = segment.id
        if sid == "AK1":
            group_number = segment.element(2)
        elif sid == "AK2":
            current, last_ik3 = segment.element(2), None
        elif sid == "IK3":
            last_ik3 = AckError(
                transaction_control_number=current,
                segment_id=segment.element(1).upper(),
                segment_position=_int(segment.element(2)),
                loop=segment.element(3),
                segment_error=segment.element(4),
            )
            pending.append(last_ik3)
        elif sid == "IK4":
            if last_ik3 is None:
                warnings.append(f"{segment.where()}: an element error without its IK3.")
                continue
            position = segment.components(1)
            detail = AckError(
                transaction_control_number=last_ik3.transaction_control_number,
                segment_id=last_ik3.segment_id,
                segment_position=last_ik3.segment_position,
                loop=last_ik3.loop,
                segment_error=last_ik3.segment_error,
                element_position=_int(position[0]),
                component_position=_int(position[1]) if len(position) > 1 else None,
                element_reference=segment.element(2),
                element_error=segment.element(3),
                bad_value=segment.element(4),
            )
            if pending and pending[-1] is last_ik3:
                pending[-1] = detail  # the IK3 now has its detail
            else:
                pending.append(detail)
        elif sid == "IK5":
            ik5 = segment.element(1).upper()
            ack.transactions.append(
                TransactionAck(
                    control_number=current,
                    code=ik5,
                    accepted=ik5 in _ACCEPTED,
                    error_codes=tuple(e for e in segment.elements[2:7] if e),
                )
            )
        elif sid == "AK9":
            code = segment.element(1).upper()
            group_errors = tuple(e for e in segment.elements[5:10] if e)
    return GroupAck(control_number=group_number, code=code, accepted=code in _ACCEPTED, errors=group_errors)
