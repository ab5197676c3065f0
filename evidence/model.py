"""What the evidence reader returns: a document's kind and its fields, each with a confidence and
where on the page it was read. Plain frozen dataclasses (no Django, no HTTP): the portal, its
workers and the sandbox all read them, and ``to_json``/``from_json`` carry them across a task queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """Silver's four categories of parsed evidence, with plain receipts split by where they come from."""

    PHARMACY_RECEIPT = "pharmacy_receipt"
    SHOP_RECEIPT = "shop_receipt"
    MEDICAL_INVOICE = "medical_invoice"
    DENTAL_INVOICE = "dental_invoice"
    EXPLANATION_OF_BENEFITS = "explanation_of_benefits"
    DEPENDENT_CARE_INVOICE = "dependent_care_invoice"
    STATEMENT_OF_ACCOUNT = "statement_of_account"
    UNKNOWN = "unknown"


class Readability(StrEnum):
    """Whether the file could be read at all (before any field is looked for)."""

    READ = "read"  # text was found (layer or OCR)
    NO_TEXT = "no_text"  # a readable file in which no text was found (blank page, a photo of a cat)
    UNSUPPORTED = "unsupported"  # a kind of file the reader does not read (says which in ``problem``)
    DAMAGED = "damaged"  # the file is broken or encrypted


@dataclass(frozen=True, slots=True)
class Box:
    """Where a value was read: page (1-based) and a box in fractions of the page (0..1)."""

    page: int
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True, slots=True)
class Field:
    """One value read from the document.

    ``value`` is a ``date`` for dates, a ``Decimal`` for money, a ``str`` otherwise. ``confidence``
    is 0..1: how sure the reader is that this is the right value for this field (OCR certainty and
    how clearly the document labels it). ``uncertain`` carries a reason in words-as-code (for
    example ``"day_month_ambiguous"``) when the value may be wrong in a known way.
    """

    value: date | Decimal | str
    confidence: float
    where: Box | None = None
    text: str = ""  # the text the value was read from, as printed
    uncertain: str = ""


@dataclass(frozen=True, slots=True)
class LineItem:
    description: str
    amount: Decimal | None
    service_date: date | None = None
    codes: tuple[str, ...] = ()  # CPT/CDT/HCPCS/NDC codes as printed
    confidence: float = 0.0
    where: Box | None = None


# The names of the fields a Reading may carry (the CLI and the receipt check use these names).
FIELD_NAMES = (
    "date_of_service",
    "provider",
    "npi",
    "tax_id",
    "patient",
    "description",
    "amount",  # what the patient paid or owes
    "insurer_paid",  # EOBs: what the insurer paid
    "total",
)


@dataclass(frozen=True, slots=True)
class Reading:
    kind: Kind
    readability: Readability
    fields: dict[str, Field] = field(default_factory=dict)
    line_items: tuple[LineItem, ...] = ()
    dates_of_service: tuple[date, ...] = ()  # every service date found, earliest first
    currency: str = ""  # ISO code when printed or inferred ("USD", "MYR"), else ""
    pages: int = 0
    seconds: float = 0.0
    problem: str = ""  # why a file could not be read, in words-as-code ("encrypted_pdf", "office_file")

    def value(self, name: str) -> date | Decimal | str | None:
        found = self.fields.get(name)
        return found.value if found else None

    def to_json(self) -> dict[str, Any]:
        from evidence.serialize import reading_to_json

        return reading_to_json(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> Reading:
        from evidence.serialize import reading_from_json

        return reading_from_json(data)
