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
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from x12.errors import X12Error, where

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


class Transaction:
    """One ST..SE transaction set inside its functional group. ``rows`` are its segments as plain
    element lists (ST first, SE last; a row whose id is "" was garbage, already warned about);
    ``segments`` gives them as ``Segment`` objects."""

    __slots__ = ("component_separator", "control_number", "first_number", "functional_id", "implementation", "rows",
                 "set_id", "version")  # fmt: skip

    def __init__(
        self,
        *,
        set_id: str,
        control_number: str,
        implementation: str,
        functional_id: str,
        version: str,
        rows: list[list[str]],
        first_number: int,
        component_separator: str,
    ) -> None:
        self.set_id = set_id  # ST01: "276", "277", "999"
        self.control_number = control_number  # ST02
        self.implementation = implementation  # ST03, e.g. "005010X212" ("" when absent)
        self.functional_id = functional_id  # GS01: "HR", "HN", "FA"
        self.version = version  # GS08
        self.rows = rows
        self.first_number = first_number  # the ST's number in the file
        self.component_separator = component_separator

    @property
    def segments(self) -> list[Segment]:
        first, separator = self.first_number, self.component_separator
        return [Segment(row[0], row, first + k, separator) for k, row in enumerate(self.rows) if row[0]]


class Interchange:
    """A tokenized X12 file: its delimiters, every segment, the transaction sets, and the
    warnings found on the way (each naming the segment and element).

    The segments are kept as plain element lists (``rows``, row k is segment number k + 1) and
    made into ``Segment`` objects only when ``segments`` is asked for: the typed readers work on
    the rows, which keeps a 10,000-claim file to one list per segment."""

    __slots__ = ("_segments", "component_separator", "control_number", "element_separator", "receiver_id",
                 "repetition_separator", "rows", "segment_terminator", "sender_id", "transactions", "usage",
                 "warnings")  # fmt: skip

    def __init__(
        self,
        *,
        element_separator: str,
        component_separator: str,
        repetition_separator: str | None,
        segment_terminator: str,
        sender_id: str,
        receiver_id: str,
        control_number: str,
        usage: str,
        rows: list[list[str]],
        warnings: list[str],
    ) -> None:
        self.element_separator = element_separator
        self.component_separator = component_separator
        self.repetition_separator = repetition_separator
        self.segment_terminator = segment_terminator
        self.sender_id = sender_id
        self.receiver_id = receiver_id
        self.control_number = control_number  # ISA13
        self.usage = usage  # ISA15: "P" production, "T" test
        self.rows = rows
        self.transactions: list[Transaction] = []
        self.warnings = warnings
        self._segments: list[Segment] | None = None

    @property
    def segments(self) -> list[Segment]:
        if self._segments is None:
            separator = self.component_separator
            self._segments = [Segment(row[0], row, k + 1, separator) for k, row in enumerate(self.rows) if row[0]]
        return self._segments


def _decode(data: str | bytes) -> str:
    if isinstance(data, str):
        return data
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its mark (Windows' PowerShell ">" writes it)
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _what_is_it(text: str) -> str:
    """A guess at what a non-X12 text is, so the message helps without repeating its content."""
    head = text[:64].lstrip().lower()
    if head.startswith("%pdf"):
        return "it looks like a PDF document"
    if head[:1] in "{[":
        return "it looks like JSON"
    if head.startswith("<"):
        return "it looks like HTML or XML"
    if "\x00" in text[:64]:
        return "it looks like a binary file"
    return "it does not start with an ISA segment"


def _delimiters(text: str) -> tuple[str, str, str | None, str, list[str]]:
    """(element, component, repetition, terminator, ISA elements) from the ISA segment's own layout:
    the element separator is the 4th character; ISA16 (one character) follows the 16th element
    separator and the segment terminator follows ISA16. Counting separators rather than fixed
    offsets also reads an ISA whose fixed-width fields lost their padding."""
    element = text[3]
    if element.isalnum() or element in _BLANKS:
        raise X12Error("This is not X12: segment 1 (ISA) must have its element separator as 4th character.", segment=1)
    position = 3
    for _count in range(15):
        position = text.find(element, position + 1)
        if position < 0:
            raise X12Error(
                "The ISA segment is cut short: it has fewer than 16 elements (segment 1 (ISA)); "
                "the file is truncated or not X12.",
                segment=1,
            )
    if position + 2 >= len(text):
        raise X12Error(
            "The ISA segment is cut short: segment 1 (ISA), element ISA16 and the segment terminator are missing.",
            segment=1,
        )
    component, terminator = text[position + 1], text[position + 2]
    if terminator in " \t":
        # Records padded to a fixed width with blanks before the line break: the break ends them.
        after = text[position + 2 :].lstrip(" \t")[:1]
        if after in ("\r", "\n", "~"):
            terminator = after
    if terminator in "\r\n":
        # A line break right after ISA16 is the terminator, unless punctuation follows it (a file
        # wrapped into lines just before its "~"): then that punctuation is.
        after = text[position + 2 :].lstrip("\r\n")[:1]
        if after and not after.isalnum() and after not in _BLANKS and after not in (element, component):
            terminator = after
        elif terminator == "\r" and text[position + 3 : position + 4] == "\n":
            terminator = "\n"
    if component.isalnum() or component in _BLANKS or component == element:
        raise X12Error(
            "segment 1 (ISA), element ISA16: the component separator must be one punctuation character.",
            segment=1,
        )
    if terminator.isalnum() or terminator in (element, component) or terminator == " ":
        raise X12Error(
            "segment 1 (ISA): no segment terminator after ISA16; the file is truncated or not X12.",
            segment=1,
        )
    isa = text[: position + 2].split(element)
    repetition: str | None = isa[11] if len(isa[11]) == 1 else None
    if repetition is not None and (repetition.isalnum() or repetition in (element, component, terminator)):
        repetition = None  # 004010 and older keep a standards id ("U") there
    return element, component, repetition, terminator, isa


_pause_lock = threading.Lock()
_pauses = 0  # readers inside no_collection(), over all threads
_resume = False  # whether the collector was on when the first of them came in


@contextmanager
def no_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file is split into many small objects that are
    all kept or freed by reference counting (none are cyclic garbage): without this, collections
    triggered by the allocations take about three quarters of the time on a 10,000-claim file.
    Counted across threads, so the collector comes back on when the last reader leaves, and only
    if it was on when the first came in."""
    global _pauses, _resume
    with _pause_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()


def _isa(text: str) -> tuple[str, str, str | None, str, list[str]]:
    """The delimiters, also from a file wrapped into fixed-width lines (a line break inside the
    ISA itself): then the line breaks are not part of the data and are read without."""
    try:
        found = _delimiters(text)
    except X12Error:
        head = text[:128]
        if "\n" not in head and "\r" not in head:
            raise
        return _delimiters(text.replace("\r", "").replace("\n", ""))
    if any("\n" in value or "\r" in value for value in found[4]):
        return _delimiters(text.replace("\r", "").replace("\n", ""))
    return found


def tokenize(data: str | bytes) -> Interchange:
    """Split an X12 text into segments with the delimiters its ISA declares, and check its envelopes.

    Raises ``X12Error`` (in words, naming the segment) for empty input, anything that is not X12,
    a truncated ISA, and an interchange cut short; everything else is read with warnings.
    """
    text = _decode(data).lstrip(_BLANKS)
    if not text.strip(_BLANKS):
        raise X12Error("The file is empty: an X12 interchange starts with an ISA segment.")
    if text[:3].upper() != "ISA":
        raise X12Error(f"This is not X12: {_what_is_it(text)}.")
    if len(text) < 16:
        raise X12Error("The ISA segment is cut short; the file is truncated.", segment=1)
    element, component, repetition, terminator, isa = _isa(text)
    text, tail = _split_off_other_delimiters(text, element, component, terminator)
    if terminator not in "\r\n" and ("\n" in text[:128] or "\r" in text[:128]):
        text = text.replace("\r", "").replace("\n", "")
    warnings: list[str] = []
    with no_collection():
        rows = _split(text, element, component, terminator, warnings)
    interchange = Interchange(
        element_separator=element,
        component_separator=component,
        repetition_separator=repetition,
        segment_terminator=terminator,
        sender_id=isa[6].strip() if len(isa) > 6 else "",
        receiver_id=isa[8].strip() if len(isa) > 8 else "",
        control_number=isa[13].strip() if len(isa) > 13 else "",
        usage=isa[15].strip() if len(isa) > 15 else "",
        rows=rows,
        warnings=warnings,
    )
    _check_envelopes(interchange)
    if tail:
        _append(interchange, tokenize(tail))
    return interchange


def _split_off_other_delimiters(text: str, element: str, component: str, terminator: str) -> tuple[str, str]:
    """(this interchange, the rest) when another interchange follows this one's IEA and declares
    other delimiters in its own ISA (files from two senders put together); else (text, "")."""
    mark = "IEA" + element

    def starts_a_segment(at: int) -> bool:
        k = at - 1
        while k >= 0 and text[k] in _BLANKS and text[k] != terminator:
            k -= 1
        return k >= 0 and text[k] == terminator

    at = text.find(mark)
    while at >= 0:
        end = text.find(terminator, at) + 1 if starts_a_segment(at) else 0  # else "IEA*" inside a value
        if end:
            rest = text[end:].lstrip(_BLANKS)
            if rest[:3].upper() != "ISA" or len(rest) < 16:
                return text, ""
            try:
                theirs = _isa(rest)[:4]
            except X12Error:
                return text, ""
            if (theirs[0], theirs[1], theirs[3]) != (element, component, terminator):
                return text[:end], rest
            # the same delimiters: read in one pass with the first; look at the next IEA
        at = text.find(mark, at + 1)
    return text, ""


def _append(first: Interchange, other: Interchange) -> None:
    """Add a following interchange (read with its own delimiters) to the first: its segments are
    numbered on from the first's, and its warnings say where it starts."""
    offset = len(first.rows)
    first.rows.extend(other.rows)
    first._segments = None
    for transaction in other.transactions:
        transaction.first_number += offset
        first.transactions.append(transaction)
    first.warnings.extend(
        f"In the interchange that starts at segment {offset + 1} (its own delimiters), {w[0].lower()}{w[1:]}"
        for w in other.warnings
    )


def _split(text: str, element: str, component: str, terminator: str, warnings: list[str]) -> list[list[str]]:
    """Rows of elements, split by C-level loops (comprehensions over str.split); only segments whose
    id is not a known one go through Python-level repair."""
    for blank in ("\r", "\n"):
        if blank not in (element, component, terminator) and blank in text:
            text = text.replace(blank, "")
    # Blanks before a terminator ("TRN*2*ABC   ~", records padded to a width) are not data.
    rows = [piece.rstrip(" \t").split(element) for piece in text.split(terminator) if piece]
    known = KNOWN_IDS
    odd = [k for k, row in enumerate(rows) if row[0] not in known]
    if not odd:
        return rows
    strip = "".join(c for c in _BLANKS if c not in (element, component, terminator))
    if any(len(rows[k]) == 1 and not rows[k][0].strip(strip) for k in odd):
        # Padding between segments (spaces, tabs) is not a segment and does not count as one.
        rows = [row for row in rows if len(row) > 1 or row[0].strip(strip)]
        odd = [k for k, row in enumerate(rows) if row[0] not in known]
    lower_seen = False
    for k in odd:
        row = rows[k]
        segment_id = row[0].strip(strip)
        row[-1] = row[-1].rstrip(strip)
        repaired = _repair(segment_id, row, component, k + 1, warnings)
        if repaired is None:
            row[:] = [""]
            continue
        if repaired == segment_id.upper() and repaired != segment_id:
            lower_seen = True
        row[0] = repaired
    if lower_seen:
        warnings.append("Segment ids were written in lower case; they were read as upper case.")
    return rows


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
                f"{where(index, head)}: a component separator stands where the element separator belongs after the "
                f"segment id; read as {head} with {head}01 = the rest."
            )
            parts[1:1] = [segment_id[len(head) + 1 :]]
            return head
    for cut in (3, 2):
        head, tail = upper[:cut], segment_id[cut:]
        if head in KNOWN_IDS and tail and tail.isdigit():
            warnings.append(
                f"{where(index, upper)}: the segment id is glued to its first element ('{upper}'); read as {head} with "
                f"{head}01 = {tail}."
            )
            parts[1:1] = [tail]
            return head
    if 2 <= len(upper) <= 3 and upper[0].isalpha() and upper.isalnum():
        return upper
    warnings.append(f"Segment {index} is not a segment (its id is not 2 or 3 letters and digits); it was skipped.")
    return None


def _same_number(left: str, right: str) -> bool:
    left, right = left.strip(), right.strip()
    if left == right:
        return True
    return left.isdigit() and right.isdigit() and int(left) == int(right)


_ENVELOPE_IDS = frozenset({"ISA", "GS", "ST", "SE", "GE", "IEA"})


class _Envelopes:
    """The state of the one pass over the rows that pairs the envelopes."""

    __slots__ = ("ended", "functional_id", "groups", "gs", "interchange", "isa", "sets_in_group", "st", "version")

    def __init__(self, interchange: Interchange) -> None:
        self.interchange = interchange
        self.isa = -1  # row positions, -1 = none open
        self.gs = -1
        self.st = -1
        self.groups = 0
        self.sets_in_group = 0
        self.functional_id = self.version = ""
        self.ended = False

    def place(self, k: int, position: int | None = None) -> str:
        return where(k + 1, self.interchange.rows[k][0], position)

    def element(self, k: int, position: int) -> str:
        row = self.interchange.rows[k]
        return row[position] if position < len(row) else ""

    def fail(self, k: int, message: str) -> X12Error:
        return X12Error(message, segment=k + 1)

    def warn(self, message: str) -> None:
        self.interchange.warnings.append(message)


def _check_envelopes(interchange: Interchange) -> None:
    """One pass over the envelope rows (found by a comprehension, so the body costs nothing here):
    ISA/IEA, GS/GE and ST/SE pairs, counts and control numbers."""
    state = _Envelopes(interchange)
    rows = interchange.rows
    envelope_ids = _ENVELOPE_IDS
    marks = [k for k, row in enumerate(rows) if row[0] in envelope_ids]
    closed_at: list[int] = []  # IEA positions: what follows one, up to the next ISA, is outside
    for k in marks:
        sid = rows[k][0]
        if sid == "ISA":
            if state.isa >= 0 and not state.ended:
                raise state.fail(
                    k,
                    f"{state.place(k)}: a new interchange starts before the previous one ended with IEA.",
                )
            _outside(state, closed_at, k)
            state.isa, state.ended, state.groups = k, False, 0
        elif state.ended:
            continue  # reported by _outside
        elif sid == "GS":
            _open_group(state, k)
        elif sid == "ST":
            _open_set(state, k)
        elif sid == "SE":
            _close_set(state, k)
        elif sid == "GE":
            _close_group(state, k)
        else:
            _close_interchange(state, k)
            closed_at.append(k)
    last = len(rows) - 1
    while last >= 0 and not rows[last][0]:
        last -= 1
    if not state.ended and last >= 0:
        if state.st >= 0:
            raise state.fail(
                state.st,
                f"The file ends inside the transaction set that starts at {state.place(state.st)}: "
                "no SE; it is truncated.",
            )
        raise state.fail(
            last,
            f"The file ends at {state.place(last)} without IEA (the interchange trailer); it is truncated.",
        )
    _outside(state, closed_at, len(rows))


def _outside(state: _Envelopes, closed_at: list[int], until: int) -> None:
    """Warn about segments between the last IEA and ``until`` (the next ISA or the end)."""
    if not closed_at:
        return
    start = closed_at.pop() + 1
    closed_at.clear()
    for k in range(start, until):
        if state.interchange.rows[k][0]:
            state.warn(f"{state.place(k)} comes after the interchange ended; it was ignored.")


def _open_group(state: _Envelopes, k: int) -> None:
    if state.gs >= 0:
        raise state.fail(
            k,
            f"{state.place(k)}: a functional group starts before the previous one ended with GE.",
        )
    state.gs, state.sets_in_group, state.groups = k, 0, state.groups + 1
    state.functional_id, state.version = state.element(k, 1).upper(), state.element(k, 8)


def _open_set(state: _Envelopes, k: int) -> None:
    if state.st >= 0:
        raise state.fail(
            k,
            f"{state.place(k)}: a transaction set starts before the previous one ended with SE.",
        )
    if state.gs < 0:
        state.warn(f"{state.place(k)}: a transaction set outside a functional group (no GS before it).")
    state.st, state.sets_in_group = k, state.sets_in_group + 1


def _close_set(state: _Envelopes, k: int) -> None:
    st = state.st
    if st < 0:
        state.warn(f"{state.place(k)}: SE without ST; it was ignored.")
        return
    # SE01 counts the segments from ST to SE inclusive, as the sender wrote them.
    _check_count(state, k, k - st + 1, "segments")
    if state.element(k, 2).strip() != state.element(st, 2).strip():
        state.warn(f"{state.place(k, 2)}: the transaction set control number does not match ST02 of {state.place(st)}.")
    interchange = state.interchange
    interchange.transactions.append(
        Transaction(
            set_id=state.element(st, 1),
            control_number=state.element(st, 2),
            implementation=state.element(st, 3),
            functional_id=state.functional_id,
            version=state.version,
            rows=interchange.rows[st : k + 1],
            first_number=st + 1,
            component_separator=interchange.component_separator,
        )
    )
    state.st = -1


def _require_closed(state: _Envelopes, k: int) -> None:
    if state.st >= 0:
        raise state.fail(
            k,
            f"{state.place(k)}: the transaction set that starts at {state.place(state.st)} has no SE.",
        )


def _close_group(state: _Envelopes, k: int) -> None:
    _require_closed(state, k)
    gs = state.gs
    if gs < 0:
        state.warn(f"{state.place(k)}: GE without GS; it was ignored.")
        return
    _check_count(state, k, state.sets_in_group, "transaction sets")
    if not _same_number(state.element(k, 2), state.element(gs, 6)):
        state.warn(f"{state.place(k, 2)}: the group control number does not match GS06 of {state.place(gs)}.")
    state.gs = -1


def _close_interchange(state: _Envelopes, k: int) -> None:
    _require_closed(state, k)
    if state.gs >= 0:
        raise state.fail(
            k,
            f"{state.place(k)}: the interchange ends while the functional group of {state.place(state.gs)} has no GE.",
        )
    _check_count(state, k, state.groups, "functional groups")
    if not _same_number(state.element(k, 2), state.element(state.isa, 13)):
        state.warn(f"{state.place(k, 2)}: the interchange control number does not match ISA13.")
    state.ended = True


def _check_count(state: _Envelopes, k: int, actual: int, what: str) -> None:
    declared = state.element(k, 1).strip()
    if not declared.isdigit():
        state.warn(f"{state.place(k, 1)}: the count of {what} is missing or not a number; {actual} were found.")
    elif int(declared) != actual:
        state.warn(f"{state.place(k, 1)}: says {int(declared)} {what}, but {actual} were found.")
