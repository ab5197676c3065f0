"""What the sandbox's Optum accepts on ``POST /medicalnetwork/claimstatus/v2/``: the ``Request``
of Optum's OpenAPI file (research §1.3) as pydantic v2 models. A bad body is refused with HTTP 400
and Optum's error shape: a top-level ``errors[]`` of ``{field, description, code,
followupAction, location}``, one per bad field, naming it and never echoing its value."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictStr, ValidationError

CORRECT_AND_RESUBMIT = "Please Correct and Resubmit"
_RESERVED = re.compile(r"[~*:^]")
_DAY = re.compile(r"^\d{8}$")
_AMOUNT = re.compile(r"^\d{1,15}(\.\d{1,2})?$")


def _no_reserved(value: str) -> str:
    if _RESERVED.search(value):
        raise ValueError("must not contain ~ * : or ^")
    return value


def _ccyymmdd(value: str) -> str:
    if not _DAY.match(value):
        raise ValueError("must be a date CCYYMMDD")
    return value


def _amount(value: str) -> str:
    if not _AMOUNT.match(value):
        raise ValueError("must be an amount such as 150.00")
    return value


NoReserved = AfterValidator(_no_reserved)
Text35 = Annotated[StrictStr, Field(min_length=1, max_length=35), NoReserved]
Text50 = Annotated[StrictStr, Field(min_length=1, max_length=50), NoReserved]
Text60 = Annotated[StrictStr, Field(min_length=1, max_length=60), NoReserved]
Id80 = Annotated[StrictStr, Field(min_length=2, max_length=80), NoReserved]


Day = Annotated[StrictStr, AfterValidator(_ccyymmdd)]
Amount = Annotated[StrictStr, AfterValidator(_amount)]


class In(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)


class ProviderIn(In):
    providerType: Literal["BillingProvider", "ServiceProvider"]
    organizationName: Text60 | None = None
    lastName: Text60 | None = None
    firstName: Text35 | None = None
    npi: Annotated[StrictStr, Field(pattern=r"^\d{10}$")] | None = None
    taxId: Annotated[StrictStr, Field(pattern=r"^\d{9,10}$")] | None = None
    tin: Id80 | None = None
    spn: Id80 | None = None
    etin: Id80 | None = None


class PartyIn(In):
    memberId: Id80 | None = None
    firstName: Text35
    lastName: Text60
    gender: Literal["M", "F", "U"] | None = None
    dateOfBirth: Day | None = None
    groupNumber: Text50 | None = None


class SubscriberIn(PartyIn):
    memberId: Id80


class EncounterIn(In):
    beginningDateOfService: Day | None = None
    endDateOfService: Day | None = None
    trackingNumber: Text50 | None = None
    tradingPartnerClaimNumber: Text50 | None = None
    patientAccountNumber: Text50 | None = None
    clearingHouseClaimNumber: Text50 | None = None
    billingType: Text50 | None = None
    submittedAmount: Amount | None = None


class RequestIn(In):
    controlNumber: Annotated[StrictStr, Field(pattern=r"^\d{9}$")]
    tradingPartnerServiceId: Id80
    tradingPartnerName: Text60 | None = None
    providers: list[ProviderIn] = Field(min_length=1, max_length=10)
    subscriber: SubscriberIn
    dependent: PartyIn | None = None
    encounter: EncounterIn


def field_error(field: str, description: str, code: str = "INVALID_VALUE") -> dict[str, str]:
    return {
        "field": field,
        "description": description,
        "code": code,
        "followupAction": CORRECT_AND_RESUBMIT,
        "location": f"$.{field}" if field else "$",
    }


def problems(exc: ValidationError) -> list[dict[str, str]]:
    """One Optum ``ErrorDetail`` per bad field (pydantic's union branches are told once)."""
    seen: dict[str, dict[str, str]] = {}
    for error in exc.errors(include_input=False, include_url=False):
        parts = [str(part) for part in error["loc"] if not _is_branch(part)]
        field = ".".join(f"[{p}]" if p.isdigit() else p for p in parts).replace(".[", "[")
        missing = error["type"] == "missing"
        description = "is required" if missing else str(error["msg"]).removeprefix("Value error, ")
        seen.setdefault(field, field_error(field, description, "MISSING" if missing else "INVALID_VALUE"))
    return list(seen.values())


def _is_branch(part: object) -> bool:
    """pydantic names the branch of an ``X | None`` in the location (``str``, ``function-after``)."""
    if not isinstance(part, str):
        return False
    return part in {"str", "none", "is-instance"} or "[" in part or part.startswith("function")
