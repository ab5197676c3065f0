"""Silver's Claims API (automated adjudication of a claim from its evidence, seeds/003): the client
and its typed results, declared as pydantic v2 models like the Claims API's.

- ``apiKey`` header (the administrator key, ``SILVER_API_KEY``), never logged; base URL
  ``SILVER_BASE_URL``. The transport is the Claims API's: retries with backoff and jitter, an
  overall deadline, pooled connections, the request id sent upstream, one log line per call.
- Money is integer cents on the wire, converted exactly to and from ``Decimal`` (an amount with a
  fraction of a cent is refused before anything is sent).
- ``submit`` posts a claim with base64 evidence. A duplicate ``claim_number`` (400 with the
  existing ``claim_id``) is the claim already submitted, not an error: the caller derives the
  claim number from the claim and its evidence, so a retried submission finds the first one.
  Submitting is retried like a read (after a lost answer, a timeout or a 5xx): the retry is a
  duplicate of the first if that one was stored, which answers it.
- ``claim`` reads ``GET /v1/claims?id=``: the claim as submitted, the four parsed-evidence
  categories with their line items, and ``adjudication_results`` (None until adjudicated). The
  recommendation keeps values Silver may add; fields the seed does not name are kept (each model's
  ``model_extra``), since the parsed evidence's field list is not published (research §3.4).
- Webhook bodies (``{eventId, eventType, eventPayload}``) are read by ``WebhookEvent``.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    ValidationError,
)

from portal.gateway.errors import ApiError, MalformedResponseError, error_from_response
from portal.gateway.models import CENT, TolerantEnum, describe, list_or_empty, tolerant
from portal.gateway.transport import RetryMode, RetryPolicy, Transport


class Recommendation(TolerantEnum):
    APPROVE = "approve"
    DENY = "deny"
    NEEDS_REVIEW = "needs_review"
    NOT_NEEDED = "not_needed"
    REQUEST_MORE_INFORMATION = "request_more_information"


class PlanType(str, Enum):
    """Silver's plan types (seed 003)."""

    MEDICAL_FSA = "medical_fsa"
    DCFSA = "dcfsa"
    HRA = "hra"
    LPFSA = "lpfsa"
    LSA = "lsa"  # a lifestyle spending account


def to_cents(amount: Decimal) -> int:
    """Dollars as Silver's integer cents, exactly (a fraction of a cent is a ValueError)."""
    cents = amount * 100
    if not cents.is_finite() or cents != cents.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of cents")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def _cents(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError("is not an amount in cents")
    if isinstance(value, Decimal) and value != value.to_integral_value():
        raise ValueError("is not a whole number of cents")
    return from_cents(int(value))


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError("is not a date")
    try:
        return date.fromisoformat(value[:10])  # a date, or the date of a datetime
    except ValueError:
        raise ValueError("is not a date") from None


Cents = Annotated[Decimal | None, BeforeValidator(_cents)]  # dollars, from integer cents
Day = Annotated[date | None, BeforeValidator(_day)]


class SilverModel(BaseModel):
    """An object Silver answers with: fields not named here are kept (``model_extra``)."""

    model_config = ConfigDict(frozen=True, extra="allow")

    @classmethod
    def from_json(cls, data: Any) -> Self:
        if not isinstance(data, dict):
            raise MalformedResponseError(detail=f"Silver {cls.__name__} is not a JSON object")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise MalformedResponseError(detail="Silver " + describe(cls.__name__, exc)) from None


class LineItem(SilverModel):
    """One line of parsed evidence. The seed names the receipt's (title, sku, sku_type,
    line_item_price, claimable_amount, eligible); the other categories' are not published, so
    the likely names are read too and everything else is kept."""

    title: StrictStr | None = None
    description: StrictStr | None = None
    sku: StrictStr | None = None
    sku_type: StrictStr | None = None
    line_item_price: Cents = None
    claimable_amount: Cents = None
    eligible: StrictBool | None = None
    service_date: Day = None

    @property
    def label(self) -> str:
        return self.title or self.description or ""

    @property
    def code(self) -> str:
        """The billing code with its system ("CDT D1110"), when printed."""
        if not self.sku:
            return ""
        return f"{self.sku_type} {self.sku}" if self.sku_type else self.sku


class ParsedDocument(SilverModel):
    """One parsed evidence document of any of the four categories."""

    merchant: StrictStr | None = None
    provider: StrictStr | None = None
    purchased_at: Day = None
    total_eligible_amount: Cents = None
    items: Annotated[tuple[LineItem, ...], BeforeValidator(list_or_empty)] = ()
    line_items: Annotated[tuple[LineItem, ...], BeforeValidator(list_or_empty)] = ()

    @property
    def lines(self) -> tuple[LineItem, ...]:
        return self.items or self.line_items


class AdjudicationResults(SilverModel):
    silver_recommendation: Annotated[Recommendation, BeforeValidator(tolerant(Recommendation))]
    valid_service_date: StrictBool | None = None
    valid_total_amount: StrictBool | None = None
    out_of_pocket_total: Cents = None
    deny_code: StrictStr | None = None
    deny_text: StrictStr | None = None
    suggested_service_date_start: Day = None
    suggested_service_date_end: Day = None
    suggested_provider_name: StrictStr | None = None


Documents = Annotated[tuple[ParsedDocument, ...], BeforeValidator(list_or_empty)]


class SilverClaim(SilverModel):
    """``GET /v1/claims?id=`` and a webhook's ``eventPayload``."""

    id: uuid.UUID
    claim_number: StrictStr
    claim_amount: Cents = None
    service_start_date: Day = None
    service_end_date: Day = None
    submission_date: Day = None
    plan_type: StrictStr | None = None
    receipts: Documents = ()
    medical_invoices: Documents = ()
    dependent_care_invoices: Documents = ()
    statement_of_accounts: Documents = ()
    adjudication_results: AdjudicationResults | None = None

    @property
    def documents(self) -> tuple[tuple[str, ParsedDocument], ...]:
        """Every parsed document with its category's name, in Silver's order."""
        return tuple(
            (category, document)
            for category in ("receipts", "medical_invoices", "dependent_care_invoices", "statement_of_accounts")
            for document in getattr(self, category)
        )


class WebhookEvent(BaseModel):
    """A webhook delivery: ``{eventId, eventType, eventPayload}``."""

    model_config = ConfigDict(frozen=True, extra="allow")

    event_id: StrictStr = Field(alias="eventId", min_length=1, max_length=200)
    event_type: StrictStr = Field(alias="eventType", min_length=1, max_length=100)
    event_payload: dict[str, Any] = Field(alias="eventPayload")

    @classmethod
    def from_json(cls, data: Any) -> Self:
        if not isinstance(data, dict):
            raise MalformedResponseError(detail="Silver webhook is not a JSON object")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise MalformedResponseError(detail="Silver " + describe("webhook", exc)) from None

    def claim(self) -> SilverClaim:
        return SilverClaim.from_json(self.event_payload)


@dataclass(frozen=True)
class Evidence:
    mime_type: str
    content: bytes


@dataclass(frozen=True)
class Submission:
    """A claim as Silver takes it (seed 003's fields). Money in dollars; sent as cents."""

    claim_number: str
    claim_amount: Decimal
    service_start_date: date
    service_end_date: date
    submission_date: date
    plan_name: str
    plan_type: PlanType
    plan_year_start: date
    plan_year_end: date
    final_submission_date: date
    final_service_date: date
    evidence: Sequence[Evidence]
    provider: str | None = None
    employer: str | None = None
    description: str | None = None
    expense_category: str | None = None
    expense_type: str | None = None
    method_filed: str | None = "online"

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "claim_number": self.claim_number,
            "claim_amount": to_cents(self.claim_amount),
            "service_start_date": self.service_start_date.isoformat(),
            "service_end_date": self.service_end_date.isoformat(),
            "submission_date": self.submission_date.isoformat(),
            "plan_name": self.plan_name,
            "plan_type": self.plan_type.value,
            "plan_year_start": self.plan_year_start.isoformat(),
            "plan_year_end": self.plan_year_end.isoformat(),
            "final_submission_date": self.final_submission_date.isoformat(),
            "final_service_date": self.final_service_date.isoformat(),
            "evidence": [
                {"mime_type": item.mime_type, "content": base64.b64encode(item.content).decode("ascii")}
                for item in self.evidence
            ],
        }
        for name in ("provider", "employer", "description", "expense_category", "expense_type", "method_filed"):
            if getattr(self, name):
                body[name] = getattr(self, name)
        return body


@dataclass(frozen=True)
class Submitted:
    claim_id: uuid.UUID
    duplicate: bool  # the claim number was submitted before: this is that claim


class SilverClient:
    def __init__(self, *, base_url: str, api_key: str, policy: RetryPolicy | None = None) -> None:
        if not base_url or not api_key:
            raise ValueError("Silver needs SILVER_BASE_URL and SILVER_API_KEY")
        self.transport = Transport(
            base_url, policy or RetryPolicy(read_timeout=30.0, overall_timeout=60.0), {"apiKey": api_key},
            service="silver_api",
        )  # fmt: skip

    @classmethod
    def from_settings(cls) -> SilverClient:
        from django.conf import settings

        return cls(base_url=settings.SILVER_BASE_URL, api_key=settings.SILVER_API_KEY)

    def submit(self, submission: Submission) -> Submitted:
        return self.submit_json(submission.to_json())

    def submit_json(self, body: dict[str, Any]) -> Submitted:
        """``submit`` for a submission kept as its JSON (a review's row holds it until sent)."""
        # The claim number is the idempotency key: after a lost answer or a 5xx the retry is a
        # duplicate of the first if that was stored (400 with its claim_id), which answers it.
        response = self.transport.request(
            "POST", "/v1/claims", route="/v1/claims", json=body, mode=RetryMode.IDEMPOTENT,
            answers={400},
        )  # fmt: skip
        answer = _json(response)
        if response.status_code == 400:
            existing = answer.get("claim_id") if isinstance(answer, dict) else None
            if existing:
                return Submitted(claim_id=_uuid(existing), duplicate=True)
            raise error_from_response(response, response.headers.get("X-Request-Id"))
        if not isinstance(answer, dict) or "claim_id" not in answer:
            raise MalformedResponseError(detail="Silver's answer to a claim has no claim_id")
        return Submitted(claim_id=_uuid(answer["claim_id"]), duplicate=False)

    def claim(self, claim_id: uuid.UUID | str) -> SilverClaim:
        return SilverClaim.from_json(self.claim_json(claim_id))

    def claim_json(self, claim_id: uuid.UUID | str) -> dict[str, Any]:
        """The claim as Silver sent it (to keep as received; ``SilverClaim.from_json`` reads it)."""
        response = self.transport.request("GET", "/v1/claims", route="/v1/claims?id=", params={"id": str(claim_id)})
        body = _json(response)
        SilverClaim.from_json(body)  # the shape is checked before anything keeps it
        return body  # type: ignore[no-any-return]


def _json(response: Any) -> Any:
    try:
        return json.loads(response.content, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        raise MalformedResponseError(
            status=response.status_code, detail="Silver answered with a body that is not JSON."
        ) from None


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise MalformedResponseError(detail="Silver's claim_id is not a UUID") from None


__all__ = [
    "AdjudicationResults",
    "ApiError",
    "Evidence",
    "LineItem",
    "ParsedDocument",
    "PlanType",
    "Recommendation",
    "SilverClaim",
    "SilverClient",
    "Submission",
    "Submitted",
    "WebhookEvent",
    "from_cents",
    "to_cents",
]
