"""What the sandbox's Integrex accepts on ``POST /api/v2/claim-info``: the seed's request fields,
declared as a pydantic v2 model. A bad body is refused with 400 naming each bad field (never its
value: values are member data)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError, field_validator

_AMOUNT = re.compile(r"^\d{1,9}(\.\d{1,2})?$")


class ClaimInfoIn(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    patientDob: date
    patientFirstName: StrictStr = Field(min_length=1, max_length=60)
    patientLastName: StrictStr = Field(min_length=1, max_length=60)
    subscriberId: StrictStr = Field(min_length=1, max_length=80)
    subscriberFirstName: StrictStr = Field("", max_length=60)
    subscriberLastName: StrictStr = Field("", max_length=60)
    subscriberDob: date | None = None
    billingProviderNpi: StrictStr = Field("", pattern=r"^(\d{10})?$")
    billingProviderName: StrictStr = Field("", max_length=120)
    taxId: StrictStr = Field("", pattern=r"^(\d{9}|\d{2}-\d{7})?$")
    admitDate: date
    totalCharges: Decimal | None = None
    payerId: StrictStr = Field(min_length=1, max_length=20)
    payerName: StrictStr = Field("", max_length=120)
    trackingId1: StrictStr = Field("", max_length=80)
    trackingId2: StrictStr = Field("", max_length=80)

    @field_validator("patientDob", "subscriberDob", "admitDate", mode="before")
    @classmethod
    def _iso_day(cls, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str) or len(value) != 10 or value[4] != "-":
            raise ValueError("is not a date (yyyy-mm-dd)")
        return value

    @field_validator("totalCharges", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError("is not an amount")
        text = str(value)
        if not _AMOUNT.match(text):
            raise ValueError("is not an amount such as 180.00")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError("is not an amount such as 180.00") from None


def problems(exc: ValidationError) -> list[dict[str, str]]:
    """One ``{field, message}`` per bad field, naming it, never echoing its value."""
    found = []
    for error in exc.errors(include_input=False, include_url=False):
        field = ".".join(str(part) for part in error["loc"])
        message = "is missing" if error["type"] == "missing" else str(error["msg"]).removeprefix("Value error, ")
        found.append({"field": field, "message": message})
    return found
