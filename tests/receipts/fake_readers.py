"""Stand-ins for ``evidence.read`` that task workers under test load through EVIDENCE_READER.

Readers that keep state across processes (a killed worker, a new one) keep it in files under
FAKE_READER_DIR, which the test gives the worker.
"""

from __future__ import annotations

import os
import time
from decimal import Decimal
from pathlib import Path

from evidence.model import Field, Kind, Readability, Reading


def _dir() -> Path:
    return Path(os.environ["FAKE_READER_DIR"])


def fast(data: bytes, mime_type: str) -> Reading:
    """Reads the amount from a file that is just a number (``b"12.34"``)."""
    return Reading(
        kind=Kind.SHOP_RECEIPT,
        readability=Readability.READ,
        fields={"amount": Field(value=Decimal(data.decode().strip()), confidence=0.9)},
        pages=1,
    )


def slow(data: bytes, mime_type: str) -> Reading:
    """Says it started (a file per call), then takes FAKE_READER_SECONDS before reading."""
    started = _dir() / "started"
    with started.open("a") as log:
        log.write(f"{os.getpid()}\n")
    time.sleep(float(os.environ.get("FAKE_READER_SECONDS", "2")))
    return fast(data, mime_type)


def raises_once(data: bytes, mime_type: str) -> Reading:
    """Fails the first time it sees a file, reads it the next time."""
    seen = _dir() / "seen"
    if not seen.exists():
        seen.write_text("1")
        raise RuntimeError("the first read fails")
    return fast(data, mime_type)


def always_raises(data: bytes, mime_type: str) -> Reading:
    """Fails every time, with contents in its message (which must never reach a log)."""
    with (_dir() / "calls").open("a") as log:
        log.write(f"{time.time()}\n")
    raise ValueError(f"cannot read {data!r}")
