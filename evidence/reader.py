"""``read(data, mime_type)``: a file's bytes to a ``Reading``, never an exception for bad input."""

from __future__ import annotations

import logging
import time
from dataclasses import replace

from evidence import fields as rules
from evidence.layout import Row
from evidence.model import Box, Field, Kind, Readability, Reading
from evidence.sources import Source, Unreadable, load, sniff, turned

logger = logging.getLogger(__name__)


def read(data: bytes, mime_type: str) -> Reading:
    started = time.perf_counter()
    if not data:
        return Reading(kind=Kind.UNKNOWN, readability=Readability.DAMAGED, problem="empty_file")
    try:
        source = load(data, sniff(data, mime_type))
        reading = _shown(interpret(source), source.rotations)
    except Unreadable as exc:
        return Reading(
            kind=Kind.UNKNOWN,
            readability=exc.readability,
            problem=exc.problem,
            seconds=round(time.perf_counter() - started, 3),
        )
    except MemoryError:
        return Reading(kind=Kind.UNKNOWN, readability=Readability.UNSUPPORTED, problem="too_large")
    except Exception as exc:  # noqa: BLE001 (a decoder's or a rule's surprise must not fail the caller's task)
        # The class only: a decoder's message may quote the file's contents.
        logger.warning("evidence.read failed on a %s file: %s", sniff(data, mime_type), type(exc).__name__)
        return Reading(kind=Kind.UNKNOWN, readability=Readability.DAMAGED, problem="unreadable")
    return _with_seconds(reading, time.perf_counter() - started)


def _with_seconds(reading: Reading, seconds: float) -> Reading:
    return replace(reading, seconds=round(seconds, 3))


def _shown(reading: Reading, rotations: dict[int, int]) -> Reading:
    """Boxes on PDF pages that /Rotate turns for display, moved to where they are shown."""
    if not any(rotations.values()):
        return reading

    def move(box: Box | None) -> Box | None:
        return turned(box, rotations.get(box.page, 0)) if box else None

    return replace(
        reading,
        fields={name: replace(f, where=move(f.where)) for name, f in reading.fields.items()},
        line_items=tuple(replace(item, where=move(item.where)) for item in reading.line_items),
    )


def interpret(source: Source) -> Reading:
    """The kind and fields of a document already turned into rows."""
    rows: list[Row] = source.rows
    if not any(any(ch.isalnum() for ch in r.text) for r in rows):
        return Reading(kind=Kind.UNKNOWN, readability=Readability.NO_TEXT, pages=source.pages, problem="no_text")
    text = "\n".join(r.text for r in rows)
    kind, _ = rules.classify_kind(text)
    currency = rules.currency_of(rows)
    found: dict[str, Field] = {}
    date_fields, service_dates, order = rules.date_fields(rows, currency)
    found.update(date_fields)
    provider = rules.provider_field(rows, kind)
    if provider:
        found["provider"] = provider
    patient = rules.patient_field(rows)
    if patient:
        found["patient"] = patient
    found.update(rules.id_fields(rows))
    items = rules.line_items(rows, order)
    description = rules.description_field(items)
    if description:
        found["description"] = description
    found.update(rules.money_fields(rows))
    if kind is Kind.UNKNOWN and ("total" in found or "date_of_service" in found):
        kind = Kind.SHOP_RECEIPT  # money and a date but no telling word: a plain receipt
    return Reading(
        kind=kind,
        readability=Readability.READ,
        fields=found,
        line_items=items,
        dates_of_service=service_dates,
        currency=currency or ("USD" if any("$" in r.text for r in rows) else ""),
        pages=source.pages,
        problem=source.problem,
    )
