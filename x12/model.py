"""The typed values of a claim status request (276) and its answer (277): dataclasses with money
as ``Decimal`` and dates as ``datetime.date``; a value the file did not give is ``None``.

Request types are frozen (a request is built once and sent); answer types are plain slotted
dataclasses so the parser fills them as it walks the file (it never shares them half built).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

ProviderType = Literal["BillingProvider", "ServiceProvider"]


@dataclass(frozen=True, slots=True)
class ProviderId:
    """A provider as Optum's JSON names it: BillingProvider is the information receiver (2100B,
    NM1*41), ServiceProvider the provider of service (2100C, NM1*1P). An NM1 carries one id:
    NM108 ``XX`` = npi, ``FI`` = tax_id (billing) or tin (service), ``SV`` = spn, ``46`` = etin."""

    provider_type: ProviderType
    organization_name: str | None = None
    last_name: str | None = None
    first_name: str | None = None
    npi: str | None = None
    tax_id: str | None = None
    tin: str | None = None
    spn: str | None = None
    etin: str | None = None


@dataclass(frozen=True, slots=True)
class Party:
    """The subscriber (2100D, NM1*IL) or the dependent patient (2100E, NM1*QC)."""

    member_id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    gender: str | None = None  # DMG03: M, F, U
    date_of_birth: date | None = None
    group_number: str | None = None  # REF*6P


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """A service line asked about (276 loop 2210, Optum's ``serviceLineInformation``)."""

    qualifier: str | None = None  # SVC01-1: HC, AD, NU, N4, ...
    procedure_code: str | None = None  # SVC01-2
    modifiers: tuple[str, ...] = ()  # SVC01-3..6
    submitted_amount: Decimal | None = None  # SVC02
    revenue_code: str | None = None  # SVC04
    units: Decimal | None = None  # SVC07
    line_item_control_number: str | None = None  # REF*FJ
    service_date_from: date | None = None  # DTP*472
    service_date_to: date | None = None


@dataclass(frozen=True, slots=True)
class Encounter:
    """The claim asked about (276 loop 2200D/E, Optum's ``encounter``)."""

    beginning_date_of_service: date | None = None
    end_date_of_service: date | None = None
    tracking_number: str | None = None  # TRN02, echoed in the 277
    trading_partner_claim_number: str | None = None  # REF*1K, the payer's claim number
    patient_account_number: str | None = None  # REF*EJ
    clearinghouse_claim_number: str | None = None  # REF*D9
    billing_type: str | None = None  # REF*BLT
    submitted_amount: Decimal | None = None  # AMT*T3
    service_line: ServiceLine | None = None
    location_identifier: str | None = None  # REF*LU
    pharmacy_prescription_number: str | None = None  # REF*XZ


@dataclass(frozen=True, slots=True)
class StatusRequest:
    """One claim status question (one 2200 loop of a 276); the fields of Optum's JSON request."""

    control_number: str  # 9 digits: ISA13, GS06 and ST02 of the 276 built from it
    payer_id: str | None  # tradingPartnerServiceId: 2100A NM109 (PI)
    payer_name: str | None
    providers: tuple[ProviderId, ...]
    subscriber: Party
    dependent: Party | None = None
    encounter: Encounter = field(default_factory=Encounter)

    @classmethod
    def from_optum(cls, data: dict[str, Any]) -> StatusRequest:
        """Read Optum's JSON request (camelCase, dates CCYYMMDD, amounts as strings)."""
        from x12.optum import request_from_optum

        return request_from_optum(data)

    def to_optum(self) -> dict[str, Any]:
        """Optum's JSON request for this question; only the fields that are set, all strings."""
        from x12.optum import request_to_optum

        return request_to_optum(self)


@dataclass(frozen=True, slots=True)
class StatusTriple:
    """An STC10/STC11 composite: a further category/status/entity for the same claim or line."""

    category: str
    code: str = ""
    entity: str = ""
    code_list_qualifier: str = ""


@dataclass(slots=True)
class Stc:
    """One STC segment. STC01 is the primary (category, code, entity, code list qualifier — ``RX``
    makes ``code`` an NCPDP reject code); on the claim's first STC, STC04..STC09 carry the money."""

    category: str
    code: str = ""
    entity: str = ""
    code_list_qualifier: str = ""
    effective_date: date | None = None  # STC02
    action_code: str = ""  # STC03
    submitted_amount: Decimal | None = None  # STC04
    amount_paid: Decimal | None = None  # STC05
    paid_date: date | None = None  # STC06, adjudication finalized
    payment_method: str = ""  # STC07: ACH, BOP, CHK, FWT, NON
    check_issue_date: date | None = None  # STC08, remittance date
    check_number: str = ""  # STC09, check or EFT trace number
    message: str = ""  # STC12, free text
    secondary: list[StatusTriple] = field(default_factory=list)  # STC10, STC11


@dataclass(slots=True)
class ServiceLineStatus:
    """A service line of a claim in the 277 (loop 2220D/E): SVC, its STCs, REF*FJ, DTP*472."""

    qualifier: str = ""
    procedure_code: str = ""
    modifiers: tuple[str, ...] = ()
    submitted_amount: Decimal | None = None  # SVC02
    amount_paid: Decimal | None = None  # SVC03
    revenue_code: str = ""  # SVC04
    units: Decimal | None = None  # SVC07
    statuses: list[Stc] = field(default_factory=list)
    line_item_control_number: str = ""
    service_date_from: date | None = None
    service_date_to: date | None = None


@dataclass(slots=True)
class ClaimStatus:
    """One claim's answer (loop 2200D for the subscriber as patient, 2200E for a dependent)."""

    tracking_number: str = ""  # TRN02: the trace of the 276 echoed back
    statuses: list[Stc] = field(default_factory=list)
    payer_claim_number: str = ""  # REF*1K
    patient_account_number: str = ""  # REF*EJ
    clearinghouse_claim_number: str = ""  # REF*D9
    service_date_from: date | None = None  # DTP*472
    service_date_to: date | None = None  # None for a single day (D8)
    service_lines: list[ServiceLineStatus] = field(default_factory=list)
    subscriber: Party | None = None
    dependent: Party | None = None  # the patient when not the subscriber
    billing_type: str = ""  # REF*BLT
    pharmacy_prescription_number: str = ""  # REF*XZ
    voucher_number: str = ""  # REF*VV
    provider: ProviderId | None = None  # the 2100C provider the claim sits under


@dataclass(slots=True)
class PayerInfo:
    """The information source (2100A NM1*PR) and its contact (PER)."""

    name: str = ""
    id: str = ""  # NM109 with NM108 = PI (payer id) or XV (CMS plan id)
    contact_name: str = ""  # PER02
    phone: str = ""  # TE
    phone_extension: str = ""  # EX
    email: str = ""  # EM
    fax: str = ""  # FX
    url: str = ""  # UR


@dataclass(slots=True)
class StatusReport:
    """What one information source (2000A) answered in a 277: who, and the status of each claim.

    ``subscriber``/``dependent`` are those of the first claim (Optum's JSON has them once at the
    top); every claim also carries its own. Statuses of the information receiver (2200B, e.g.
    ``E0:0``) and of a provider (2200C, e.g. ``E0:24:85``) are kept apart from the claims'. A
    report has one receiver and the trace and statuses of one provider (``providers[0]``): a file
    whose source answers for a second receiver, or for a second provider with statuses of its
    own, reads as further reports with the same payer, never pooled or written over.
    """

    payer: PayerInfo = field(default_factory=PayerInfo)
    receiver: ProviderId | None = None
    providers: list[ProviderId] = field(default_factory=list)
    subscriber: Party | None = None
    dependent: Party | None = None
    claims: list[ClaimStatus] = field(default_factory=list)
    receiver_statuses: list[Stc] = field(default_factory=list)
    provider_statuses: list[Stc] = field(default_factory=list)
    receiver_tracking_number: str = ""  # TRN02 of 2200B
    provider_tracking_number: str = ""  # TRN02 of 2200C


@dataclass(slots=True)
class Parsed276:
    requests: list[StatusRequest]
    warnings: list[str]
    control_number: str = ""  # ISA13


@dataclass(slots=True)
class Parsed277:
    reports: list[StatusReport]
    warnings: list[str]
    control_number: str = ""  # ISA13
