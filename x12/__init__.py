"""X12 005010X212 claim status (276 request / 277 response) and 999 acknowledgements: a plain
Python library (no Django, no HTTP), used by the portal's gateway and by the sandbox.

Hand-written (see ``x12.tokens``): pyx12 cannot parse 005010X212 (no map) and linuxforhealth-x12
needs pydantic v1.
"""

from x12.ack import Ack999, AckError, GroupAck, TransactionAck, parse_999
from x12.errors import X12Error
from x12.model import (
    ClaimStatus,
    Encounter,
    Parsed276,
    Parsed277,
    Party,
    PayerInfo,
    ProviderId,
    ServiceLine,
    ServiceLineStatus,
    StatusReport,
    StatusRequest,
    StatusTriple,
    Stc,
)
from x12.optum import report_from_optum, report_to_optum
from x12.request import build_276, parse_276
from x12.response import build_277, parse_277
from x12.tokens import Interchange, Segment, Transaction, tokenize

__all__ = [
    "Ack999",
    "AckError",
    "ClaimStatus",
    "Encounter",
    "GroupAck",
    "Interchange",
    "Parsed276",
    "Parsed277",
    "Party",
    "PayerInfo",
    "ProviderId",
    "Segment",
    "ServiceLine",
    "ServiceLineStatus",
    "StatusReport",
    "StatusRequest",
    "StatusTriple",
    "Stc",
    "Transaction",
    "TransactionAck",
    "X12Error",
    "build_276",
    "build_277",
    "parse_276",
    "parse_277",
    "parse_999",
    "report_from_optum",
    "report_to_optum",
    "tokenize",
]
