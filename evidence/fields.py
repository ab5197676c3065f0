"""From rows of text to a document's kind and fields: general reading rules, not templates.

The rules live in one module per concern (``amounts``, ``service_dates``, ``parties``, ``items``,
``kinds``); this module gathers them for the reader.
"""

from evidence.amounts import classify_amount, money_fields
from evidence.items import description_field, line_items
from evidence.kinds import classify_kind, currency_of
from evidence.parties import id_fields, patient_field, provider_field
from evidence.service_dates import classify_date, date_fields

__all__ = [
    "classify_amount",
    "classify_date",
    "classify_kind",
    "currency_of",
    "date_fields",
    "description_field",
    "id_fields",
    "line_items",
    "money_fields",
    "patient_field",
    "provider_field",
]
