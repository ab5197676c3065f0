"""The one error the X12 library raises.

Its messages, and the warnings a reader returns, are in English and not marked for translation:
they are diagnostics for the people who run the integration (logs, the command line). What a
member or an administrator reads about a claim's status comes from ``x12.codes``, which is
translated, and the portal says a failure in its own translated words.
"""

from __future__ import annotations


class X12Error(Exception):
    """An X12 text (or a value given to a builder) that cannot be used, said in words.

    The message names where the problem is — the segment's number in the file, its id and the
    element's position (``segment 21 (SE), element SE01``) or the request's field — and never
    repeats member ids, names or dates from the data.
    """

    def __init__(self, message: str, *, segment: int | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.segment = segment
        self.field = field

    def __str__(self) -> str:
        return self.message


def where(index: int, segment_id: str, position: int | None = None, component: int | None = None) -> str:
    """``segment 12 (STC), element STC01-2``: how messages name a place in the file."""
    text = f"segment {index} ({segment_id})"
    if position is not None:
        element = f"{segment_id}{position:02d}" + (f"-{component}" if component else "")
        text += f", element {element}"
    return text
