"""The X12 tokenizer and envelope checks: delimiters from the ISA segment, segments split on the
terminator, ISA/IEA, GS/GE and ST/SE counts and control numbers checked.

Written by hand rather than taken from a library: pyx12 4.0.0 has no 005010X212 map (its engine
stops with "Map not found") and its segment reader is several times slower than plain
``str.split``; linuxforhealth-x12 needs pydantic v1 and would replace this project's pydantic 2
in the process (research §6). The job is small: split on the terminator, then on the element
separator, and walk the envelopes once.

Tolerance: line breaks, carriage returns and padding between segments, a byte-order mark,
trailing whitespace, lower-case segment ids, and two defects seen in public samples (a segment id
glued to its first element, ``HL6*5*22*1``; a component separator where the first element
separator belongs, ``STC:E0:24:85``) are read with a warning. Count and control-number
mismatches are warnings (the meaning is clear); a file that is not X12, a truncated ISA, or an
interchange cut short (no SE, GE or IEA) is an ``X12Error``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from x12.errors import X12Error, _, where

# Segment ids this library knows (276, 277, 999 and the envelopes) plus common ones of other
# transactions: used to repair glued ids and to tell a segment from garbage, not to refuse one.
KNOWN_IDS = frozenset(
    "ISA IEA GS GE ST SE BHT HL NM1 N2 N3 N4 PER TRN STC REF AMT DTP DMG SVC QTY NTE PWK K3 CTX "
    "AK1 AK2 AK3 AK4 AK5 AK9 IK3 IK4 IK5 TA1 AAA INS BPR CLP CAS LX SBR CLM HI PRV".split()
)
_BLANKS = " \t\r\n\x00\x0b\x0c\ufeff"


class Segment:
    """One segment. ``elements[0]`` is the id, so ``elements[n]`` is element n as X12 numbers it
    (``STC01`` is ``elements[1]``); ``index`` is the segment's number in the file, from 1."""

    __slots__ = ("component_separator", "elements", "id", "index")

    def __init__(self, segment_id: str, elements: list[str], index: int, component_separator: str) -> None:
        self.id = segment_id
        self.elements = elements
        self.index = index
        self.component_separator = component_separator

    def element(self, position: int) -> str:
        """Element ``position`` (1 = the first after the id), "" when absent."""
        elements = self.elements
        return elements[position] if position < len(elements) else ""

    def components(self, position: int) -> list[str]:
        return self.element(position).split(self.component_separator)

    def component(self, position: int, part: int) -> str:
        """Component ``part`` (from 1) of element ``position``: ``component(1, 2)`` is STC01-2."""
        parts = self.element(position).split(self.component_separator)
        return parts[part - 1] if part <= len(parts) else ""

    def where(self, position: int | None = None, component: int | None = None) -> str:
        return where(self.index, self.id, position, component)

    def __repr__(self) -> str:
        return f"Segment({self.index}, {self.id!r}, {self.elements[1:]!r})"


@dataclass(slots=True)
class Transaction:
    """One ST..SE transaction set (its segments include ST and SE) inside its functional group."""

    set_id: str  # ST01: "276", "277", "999"
    control_number: str  # ST02
    implementation: str  # ST03, e.g. "005010X212" ("" when absent)
    functional_id: str  # GS01: "HR", "HN", "FA"
    version: str  # GS08
    segments: list[Segment]


@dataclass(slots=True)
class Interchange:
    """A tokenized X12 file: its delimiters, every segment, the transaction sets, and the
    warnings found on the way (each naming the segment and element)."""

    element_separator: str
    component_separator: str
    repetition_separator: str | None
    segment_terminator: str
    sender_id: str
    receiver_id: str
    control_number: str  # ISA13
    usage: str  # ISA15: "P" production, "T" test
    segments: list[Segment]
    transactions: list[Transaction] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _decode(data: str | bytes) -> str:
    if isinstance(data, str):
        return data
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _what_is_it(text: str) -> str:
    """A guess at what a non-X12 text is, so the message helps without repeating its content."""
    head = text[:64].lstrip().lower()
    if head.startswith("%pdf"):
        return _("it looks like a PDF document")
    if head[:1] in "{[":
        return _("it looks like JSON")
    if head.startswith("<"):
        return _("it looks like HTML or XML")
    if "\x00" in text[:64]:
        return _("it looks like a binary file")
    return _("it does not start with an ISA segment")


def _delimiters(text: str) -> tuple[str, str, str | None, str, list[str]]:
    """(element, component, repetition, terminator, ISA elements) from the ISA segment's own layout:
    the element separator is the 4th character; ISA16 (one character) follows the 16th element
    separator and the segment terminator follows ISA16. Counting separators rather than fixed
    offsets also reads an ISA whose fixed-width fields lost their padding."""
    element = text[3]
    if element.isalnum() or element in _BLANKS:
        raise X12Error(
            _("This is not X12: segment 1 (ISA) must have its element separator as 4th character."), segment=1
        )
    position = 3
    for _count in range(15):
        position = text.find(element, position + 1)
        if position < 0:
            raise X12Error(
                _(
                    "The ISA segment is cut short: it has fewer than 16 elements (segment 1 (ISA)); "
                    "the file is truncated or not X12."
                ),
                segment=1,
            )
    if position + 2 >= len(text):
        raise X12Error(
            _("The ISA segment is cut short: segment 1 (ISA), element ISA16 and the segment terminator are missing."),
            segment=1,
        )
    component, terminator = text[position + 1], text[position + 2]
    if terminator == "\r" and text[position + 3 : position + 4] == "\n":
        terminator = "\n"
    if component.isalnum() or component in _BLANKS or component == element:
        raise X12Error(
            _("segment 1 (ISA), element ISA16: the component separator must be one punctuation character."),
            segment=1,
        )
    if terminator.isalnum() or terminator in (element, component) or terminator == " ":
        raise X12Error(
            _("segment 1 (ISA): no segment terminator after ISA16; the file is truncated or not X12."),
            segment=1,
        )
    isa = text[: position + 2].split(element)
    repetition: str | None = isa[11] if len(isa[11]) == 1 else None
    if repetition is not None and (repetition.isalnum() or repetition in (element, component, terminator)):
        repetition = None  # 004010 and older keep a standards id ("U") there
    return element, component, repetition, terminator, isa


@contextmanager
def no_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file is split into many small objects that are
    all kept (none are garbage): without this, collections triggered by the allocations take
    about three quarters of the time on a 10,000-claim file. Restored on the way out."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def tokenize(data: str | bytes) -> Interchange:
    """Split an X12 text into segments with the delimiters its ISA declares, and check its envelopes.

    Raises ``X12Error`` (in words, naming the segment) for empty input, anything that is not X12,
    a truncated ISA, and an interchange cut short; everything else is read with warnings.
    """
    text = _decode(data).lstrip(_BLANKS)
    if not text.strip(_BLANKS):
        raise X12Error(_("The file is empty: an X12 interchange starts with an ISA segment."))
    if text[:3].upper() != "ISA":
        raise X12Error(_("This is not X12: {what}.").format(what=_what_is_it(text)))
    if len(text) < 16:
        raise X12Error(_("The ISA segment is cut short; the file is truncated."), segment=1)
    element, component, repetition, terminator, isa = _delimiters(text)
    warnings: list[str] = []
    with no_collection():
        segments = _split(text, element, component, terminator, warnings)
    interchange = Interchange(
        element_separator=element,
        component_separator=component,
        repetition_separator=repetition,
        segment_terminator=terminator,
        sender_id=isa[6].strip() if len(isa) > 6 else "",
        receiver_id=isa[8].strip() if len(isa) > 8 else "",
        control_number=isa[13].strip() if len(isa) > 13 else "",
        usage=isa[15].strip() if len(isa) > 15 else "",
        segments=segments,
        warnings=warnings,
    )
    _check_envelopes(interchange)
    return interchange


def _split(text: str, element: str, component: str, terminator: str, warnings: list[str]) -> list[Segment]:
    strip = "".join(c for c in _BLANKS if c not in (element, component, terminator))
    known = KNOWN_IDS
    segments: list[Segment] = []
    append = segments.append
    index = 0
    lower_seen = False
    for piece in text.split(terminator):
        piece = piece.strip(strip)
        if not piece:
            continue
        index += 1
        parts = piece.split(element)
        segment_id = parts[0]
        if segment_id not in known:
            repaired = _repair(segment_id, parts, component, index, warnings)
            if repaired is None:
                continue
            if repaired != segment_id and repaired == segment_id.upper():
                lower_seen = True
            parts[0] = repaired
        append(Segment(parts[0], parts, index, component))
    if lower_seen:
        warnings.append(_("Segment ids were written in lower case; they were read as upper case."))
    return segments


def _repair(segment_id: str, parts: list[str], component: str, index: int, warnings: list[str]) -> str | None:
    """The id to use for a segment whose id is not a known one, or None to skip it (with a warning).

    ``HL6`` (an id glued to its first element) becomes ``HL`` with ``6`` as HL01;
    ``STC:E0:24:85`` (component separator where the element separator belongs) becomes ``STC``
    with ``E0:24:85`` as STC01. An unknown but well-formed id (``ZZZ``) is kept: the transaction
    reader skips it with a warning.
    """
    upper = segment_id.upper()
    if upper in KNOWN_IDS:
        return upper
    if component in upper:
        head = upper.partition(component)[0]
        if head in KNOWN_IDS:
            warnings.append(
                _(
                    "{place}: a component separator stands where the element separator belongs after the "
                    "segment id; read as {id} with {id}01 = the rest."
                ).format(place=where(index, head), id=head)
            )
            parts[1:1] = [segment_id[len(head) + 1 :]]
            return head
    for cut in (3, 2):
        head, tail = upper[:cut], segment_id[cut:]
        if head in KNOWN_IDS and tail and tail.isdigit():
            warnings.append(
                _(
                    "{place}: the segment id is glued to its first element ('{glued}'); read as {id} with "
                    "{id}01 = {value}."
                ).format(place=where(index, upper), glued=upper, id=head, value=tail)
            )
            parts[1:1] = [tail]
            return head
    if 2 <= len(upper) <= 3 and upper[0].isalpha() and upper.isalnum():
        return upper
    warnings.append(
        _("Segment {index} is not a segment (its id is not 2 or 3 letters and digits); it was skipped.").format(
            index=index
        )
    )
    return None


def _same_number(left: str, right: str) -> bool:
    left, right = left.strip(), right.strip()
    if left == right:
        return True
    return left.isdigit() and right.isdigit() and int(left) == int(right)


def _check_envelopes(interchange: Interchange) -> None:
    """One pass over the segments: ISA/IEA, GS/GE and ST/SE pairs, counts and control numbers."""
    warnings = interchange.warnings
    segments = interchange.segments
    isa: Segment | None = None
    gs: Segment | None = None
    st_position = -1
    groups = 0
    sets_in_group = 0
    functional_id = version = ""
    ended = False
    for position, segment in enumerate(segments):
        sid = segment.id
        if sid == "ISA":
            if isa is not None and not ended:
                raise X12Error(
                    _("{place}: a new interchange starts before the previous one ended with IEA.").format(
                        place=segment.where()
                    ),
                    segment=segment.index,
                )
            isa, ended, groups = segment, False, 0
        elif isa is None or ended:
            warnings.append(
                _("{place} comes after the interchange ended; it was ignored.").format(place=segment.where())
            )
        elif sid == "GS":
            if gs is not None:
                raise X12Error(
                    _("{place}: a functional group starts before the previous one ended with GE.").format(
                        place=segment.where()
                    ),
                    segment=segment.index,
                )
            gs, sets_in_group, groups = segment, 0, groups + 1
            functional_id, version = segment.element(1).upper(), segment.element(8)
        elif sid == "ST":
            if st_position >= 0:
                raise X12Error(
                    _("{place}: a transaction set starts before the previous one ended with SE.").format(
                        place=segment.where()
                    ),
                    segment=segment.index,
                )
            if gs is None:
                warnings.append(
                    _("{place}: a transaction set outside a functional group (no GS before it).").format(
                        place=segment.where()
                    )
                )
            st_position, sets_in_group = position, sets_in_group + 1
        elif sid == "SE":
            if st_position < 0:
                warnings.append(_("{place}: SE without ST; it was ignored.").format(place=segment.where()))
                continue
            st = segments[st_position]
            _check_se(st, segment, warnings)
            interchange.transactions.append(
                Transaction(
                    set_id=st.element(1),
                    control_number=st.element(2),
                    implementation=st.element(3),
                    functional_id=functional_id,
                    version=version,
                    segments=segments[st_position : position + 1],
                )
            )
            st_position = -1
        elif sid == "GE":
            _require_closed(st_position, segments, segment)
            if gs is None:
                warnings.append(_("{place}: GE without GS; it was ignored.").format(place=segment.where()))
                continue
            _check_trailer(segment, 1, sets_in_group, _("transaction sets"), warnings)
            if not _same_number(segment.element(2), gs.element(6)):
                warnings.append(
                    _("{place}: the group control number does not match GS06 of {gs}.").format(
                        place=segment.where(2), gs=gs.where()
                    )
                )
            gs = None
        elif sid == "IEA":
            _require_closed(st_position, segments, segment)
            if gs is not None:
                raise X12Error(
                    _("{place}: the interchange ends while the functional group of {gs} has no GE.").format(
                        place=segment.where(), gs=gs.where()
                    ),
                    segment=segment.index,
                )
            _check_trailer(segment, 1, groups, _("functional groups"), warnings)
            if not _same_number(segment.element(2), isa.element(13)):
                warnings.append(
                    _("{place}: the interchange control number does not match ISA13.").format(place=segment.where(2))
                )
            ended = True
    last = segments[-1] if segments else None
    if not ended and last is not None:
        if st_position >= 0:
            st = segments[st_position]
            raise X12Error(
                _("The file ends inside the transaction set that starts at {st}: no SE; it is truncated.").format(
                    st=st.where()
                ),
                segment=st.index,
            )
        raise X12Error(
            _("The file ends at {place} without IEA (the interchange trailer); it is truncated.").format(
                place=last.where()
            ),
            segment=last.index,
        )


def _require_closed(st_position: int, segments: list[Segment], trailer: Segment) -> None:
    if st_position >= 0:
        st = segments[st_position]
        raise X12Error(
            _("{place}: the transaction set that starts at {st} has no SE.").format(
                place=trailer.where(), st=st.where()
            ),
            segment=trailer.index,
        )


def _check_se(st: Segment, se: Segment, warnings: list[str]) -> None:
    # SE01 counts the segments from ST to SE inclusive, as the sender wrote them (numbers in file).
    _check_trailer(se, 1, se.index - st.index + 1, _("segments"), warnings)
    if se.element(2).strip() != st.element(2).strip():
        warnings.append(
            _("{place}: the transaction set control number does not match ST02 of {st}.").format(
                place=se.where(2), st=st.where()
            )
        )


def _check_trailer(trailer: Segment, position: int, actual: int, what: str, warnings: list[str]) -> None:
    declared = trailer.element(position).strip()
    if not declared.isdigit():
        warnings.append(
            _("{place}: the count of {what} is missing or not a number; {actual} were found.").format(
                place=trailer.where(position), what=what, actual=actual
            )
        )
    elif int(declared) != actual:
        warnings.append(
            _("{place}: says {declared} {what}, but {actual} were found.").format(
                place=trailer.where(position), declared=int(declared), what=what, actual=actual
            )
        )
