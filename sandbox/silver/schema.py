"""What the sandbox's Silver accepts on ``POST /v1/claims``: the seed's required fields and types,
declared as a pydantic v2 model. A bad body is refused with 400 naming each bad field."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError, field_validator

PLAN_TYPES = ("medical_fsa", "dcfsa", "hra", "lpfsa", "lsa")
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024  # as the portal's uploads (the body limit is 16 MiB)


class EvidenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mime_type: StrictStr = Field(min_length=3, max_length=100)
    content: StrictStr = Field(min_length=1)

    @field_validator("content")
    @classmethod
    def _base64(cls, value: str) -> str:
        try:
            data = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("is not base64") from None
        if not data or len(data) > MAX_EVIDENCE_BYTES:
            raise ValueError("is empty or larger than 10 MiB")
        return value

    @property
    def data(self) -> bytes:
        return base64.b64decode(self.content)


class ClaimIn(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    claim_number: StrictStr = Field(min_length=1, max_length=200)
    claim_amount: StrictInt = Field(ge=0)
    service_start_date: date
    service_end_date: date
    submission_date: date
    plan_name: StrictStr = Field(min_length=1, max_length=200)
    plan_type: Literal["medical_fsa", "dcfsa", "hra", "lpfsa", "lsa"]
    plan_year_start: date
    plan_year_end: date
    final_submission_date: date
    final_service_date: date
    evidence: list[EvidenceIn] = Field(min_length=1, max_length=20)
    provider: StrictStr | None = None
    employer: StrictStr | None = None
    description: StrictStr | None = None
    expense_category: StrictStr | None = None
    expense_type: StrictStr | None = None
    method_filed: StrictStr | None = None

    @field_validator(
        "service_start_date", "service_end_date", "submission_date", "plan_year_start", "plan_year_end",
        "final_submission_date", "final_service_date", mode="before",
    )  # fmt: skip
    @classmethod
    def _iso_day(cls, value: Any) -> Any:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError("is not a date (YYYY-MM-DD)")
        return value


def problems(exc: ValidationError) -> list[dict[str, Any]]:
    """FastAPI's shape (Silver's errors look like FastAPI's, research §3.1): one entry per bad
    field, naming it, never echoing its value."""
    return [
        {"loc": ["body", *error["loc"]], "msg": str(error["msg"]).removeprefix("Value error, "), "type": error["type"]}
        for error in exc.errors(include_input=False, include_url=False)
    ]
