"""What a member's insurer says about a claim: the one shape the portal reads, whichever channel
answered (Optum Claim Status v2 as JSON, Optum raw X12 276/277, or Integrex claim info).

Each channel's client (``portal.gateway.optum``, ``portal.gateway.integrex``) reads its own wire
format with its own pydantic models and converts the result into these. The product code
(``insurance``) reads only these, so it never knows which channel answered except to say so.

Codes are kept raw (``StatusCode``, ``Reason``); their meanings in words come from
``x12.codes`` where the page is drawn. Money is ``Decimal``; an amount the channel did not give is
``None``, never zero.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field


class Channel(str, Enum):
    OPTUM_JSON = "optum_json"
    OPTUM_X12 = "optum_x12"
    INTEGREX = "integrex"


class Person(BaseModel):
    """A subscriber or a patient as printed on the insurance card."""

    model_config = ConfigDict(frozen=True)

    first_name: str
    last_name: str
    date_of_birth: date | None = None
    gender: str | None = None  # "M", "F" or "U" (X12 DMG03)


class Query(BaseModel):
    """What the portal asks: one claim of one member, with the provider's identifiers."""

    model_config = ConfigDict(frozen=True)

    payer_id: str  # Optum's tradingPartnerServiceId or Integrex's payerId
    payer_name: str = ""
    member_id: str
    group_number: str = ""
    subscriber: Person
    patient: Person | None = None  # None: the subscriber is the patient
    provider_name: str = ""
    provider_npi: str = ""
    provider_tax_id: str = ""
    service_date_from: date
    service_date_to: date | None = None
    billed_amount: Decimal | None = None
    tracking_number: str = ""  # echoed back (X12 TRN02); the portal's own reference for the check


class StatusCode(BaseModel):
    """One X12 STC composite (or Integrex's category/status pair)."""

    model_config = ConfigDict(frozen=True)

    category: str  # claim status category code (X12 code list 507), e.g. "F1"
    code: str = ""  # claim status code (code list 508), e.g. "65"
    entity: str = ""  # entity identifier code, e.g. "QC"
    effective_date: date | None = None
    # The channel's own words for the codes when it sent them (Optum's ``…Value`` fields,
    # Integrex's descriptions); the portal shows its own words and keeps these as a fallback.
    category_text: str = ""
    code_text: str = ""


class Reason(BaseModel):
    """Why an amount was adjusted or a line denied."""

    model_config = ConfigDict(frozen=True)

    source: str  # "CARC", "RARC" or "PAYER" (a payer's own remark code)
    code: str
    text: str = ""  # the channel's description, if any


class Line(BaseModel):
    """One service line of a claim."""

    model_config = ConfigDict(frozen=True)

    number: int | None = None
    procedure_qualifier: str = ""  # HC (CPT/HCPCS), AD (ADA/CDT), NU (revenue), …
    procedure_code: str = ""
    revenue_code: str = ""
    units: Decimal | None = None
    service_date: date | None = None
    charged: Decimal | None = None
    paid: Decimal | None = None
    allowed: Decimal | None = None
    coinsurance: Decimal | None = None
    copay: Decimal | None = None
    not_covered: Decimal | None = None
    statuses: tuple[StatusCode, ...] = ()
    reasons: tuple[Reason, ...] = ()


class ClaimAnswer(BaseModel):
    """One claim the insurer matched (an answer may carry several)."""

    model_config = ConfigDict(frozen=True)

    statuses: tuple[StatusCode, ...] = ()  # the first is the primary (STC01), then STC10, STC11
    tracking_number: str = ""
    payer_claim_number: str = ""
    patient_account_number: str = ""
    service_date_from: date | None = None
    service_date_to: date | None = None
    charged: Decimal | None = None
    paid: Decimal | None = None
    received_date: date | None = None
    adjudicated_date: date | None = None
    check_number: str = ""
    check_date: date | None = None
    payment_method: str = ""  # ACH, CHK, NON, … (X12 STC07) when given
    message: str = ""  # free text from the payer (X12 STC12)
    lines: tuple[Line, ...] = ()


class FieldProblem(BaseModel):
    """The insurer (or the channel) refused a field of the query."""

    model_config = ConfigDict(frozen=True)

    field: str = ""
    description: str = ""
    code: str = ""
    followup_action: str = ""


class Answer(BaseModel):
    """The whole answer to one ``Query``."""

    model_config = ConfigDict(frozen=True)

    channel: Channel
    payer_name: str = ""
    payer_phone: str = ""
    claims: tuple[ClaimAnswer, ...] = ()
    # Status for the whole request rather than a claim (X12 2200B/2200C: e.g. E0, A7 at the
    # information receiver or provider level): the request could not be answered as asked.
    request_statuses: tuple[StatusCode, ...] = ()
    problems: tuple[FieldProblem, ...] = ()
    response_date: date | None = None
    warnings: tuple[str, ...] = Field(default=())  # from reading a 277 with defects
