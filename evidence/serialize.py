"""A Reading to and from plain JSON (dates ISO, money as decimal strings), for task queues and rows."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

from evidence.model import Box, Field, Kind, LineItem, Readability, Reading

_MONEY_FIELDS = {"amount", "insurer_paid", "total"}
_DATE_FIELDS = {"date_of_service"}


def _value_to_json(value: date | Decimal | str) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _value_from_json(name: str, raw: str) -> date | Decimal | str:
    if name in _DATE_FIELDS:
        return date.fromisoformat(raw)
    if name in _MONEY_FIELDS:
        return Decimal(raw)
    return raw


def _box(raw: dict[str, Any] | None) -> Box | None:
    return Box(**raw) if raw else None


def reading_to_json(reading: Reading) -> dict[str, Any]:
    return {
        "kind": reading.kind.value,
        "readability": reading.readability.value,
        "fields": {
            name: {
                "value": _value_to_json(f.value),
                "confidence": f.confidence,
                "where": asdict(f.where) if f.where else None,
                "text": f.text,
                "uncertain": f.uncertain,
            }
            for name, f in reading.fields.items()
        },
        "line_items": [
            {
                "description": item.description,
                "amount": None if item.amount is None else str(item.amount),
                "service_date": item.service_date.isoformat() if item.service_date else None,
                "codes": list(item.codes),
                "confidence": item.confidence,
                "where": asdict(item.where) if item.where else None,
            }
            for item in reading.line_items
        ],
        "dates_of_service": [d.isoformat() for d in reading.dates_of_service],
        "currency": reading.currency,
        "pages": reading.pages,
        "seconds": reading.seconds,
        "problem": reading.problem,
    }


def _kind(raw: str) -> Kind:
    try:
        return Kind(raw)
    except ValueError:
        return Kind.UNKNOWN


def reading_from_json(data: dict[str, Any]) -> Reading:
    return Reading(
        kind=_kind(data.get("kind", "unknown")),
        readability=Readability(data.get("readability", "read")),
        fields={
            name: Field(
                value=_value_from_json(name, raw["value"]),
                confidence=float(raw.get("confidence", 0.0)),
                where=_box(raw.get("where")),
                text=raw.get("text", ""),
                uncertain=raw.get("uncertain", ""),
            )
            for name, raw in data.get("fields", {}).items()
        },
        line_items=tuple(
            LineItem(
                description=raw.get("description", ""),
                amount=None if raw.get("amount") is None else Decimal(raw["amount"]),
                service_date=date.fromisoformat(raw["service_date"]) if raw.get("service_date") else None,
                codes=tuple(raw.get("codes", ())),
                confidence=float(raw.get("confidence", 0.0)),
                where=_box(raw.get("where")),
            )
            for raw in data.get("line_items", ())
        ),
        dates_of_service=tuple(date.fromisoformat(d) for d in data.get("dates_of_service", ())),
        currency=data.get("currency", ""),
        pages=int(data.get("pages", 0)),
        seconds=float(data.get("seconds", 0.0)),
        problem=data.get("problem", ""),
    )
