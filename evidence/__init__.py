"""The evidence reader: what a receipt, invoice, EOB or statement shows, read before it is sent.

A plain Python library (no Django, no HTTP; an import-linter contract keeps it so). ``read(data,
mime_type)`` returns a ``Reading``. The portal's workers, the sandbox and ``python -m evidence read``
use it.
"""

from evidence.model import FIELD_NAMES, Box, Field, Kind, LineItem, Readability, Reading

__all__ = ["FIELD_NAMES", "Box", "Field", "Kind", "LineItem", "Readability", "Reading", "read"]


def read(data: bytes, mime_type: str) -> Reading:
    """Read one document. Never raises for bad input: an unreadable file gives a Reading that says why."""
    from evidence.reader import read as _read

    return _read(data, mime_type)
