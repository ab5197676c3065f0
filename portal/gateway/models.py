"""Typed results of the Claims API, declared as pydantic v2 models: Decimal money, aware datetimes,
tolerant enums.

Parsing is strict about shape (a missing required field, a number where a string belongs, "no" for
a boolean: a MalformedResponseError naming the field) and lenient about values the contract may
grow (an unknown status is kept, not a crash; fields it does not know are ignored). ``from_json``
takes what ``json.loads(..., parse_float=Decimal)`` gives. Models are frozen; ``model_copy(update=
...)`` makes a changed copy (the employer's confirmation step predicts a claim that way).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from portal.gateway.errors import MalformedResponseError

T = TypeVar("T")
CENT = Decimal("0.01")


class TolerantEnum(str, Enum):
    """A str enum that keeps unknown values (``is_known`` is False) instead of raising."""

    @classmethod
    def _missing_(cls, value: object) -> TolerantEnum | None:
        if not isinstance(value, str):
            return None
        alias = cls._aliases().get(value)
        if alias is not None:
            return cls(alias)
        pseudo = str.__new__(cls, value)
        pseudo._name_ = "UNKNOWN"
        pseudo._value_ = value
        return pseudo

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {}

    @property
    def is_known(self) -> bool:
        return self._name_ != "UNKNOWN"


class ClaimStatus(TolerantEnum):
    PENDING_RECEIPT = "PENDING_RECEIPT_STATUS"
    PENDING_REIMBURSEMENT = "PENDING_REIMBURSEMENT_STATUS"
    SCHEDULED_REIMBURSEMENT = "SCHEDULED_REIMBURSEMENT_STATUS"
    PAID = "PAID_STATUS"
    DENIED = "DENIED_STATUS"
    DENIED_COLLECTING_REPAYMENT = "DENIED_COLLECTING_REPAYMENT_STATUS"
    HOLD = "HOLD_STATUS"
    FREEZE = "FREEZE_STATUS"
    BANKING_FAILED = "BANKING_FAILED_STATUS"
    UNSPECIFIED = "UNSPECIFIED"

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        # The seed's PATCH example prints PENDING_REIMBURSEMENT without the suffix.
        return {m.value.removesuffix("_STATUS"): m.value for m in cls if m.value.endswith("_STATUS")}


class ReceiptStatus(TolerantEnum):
    REQUIRED = "RECEIPT_REQUIRED"
    RECEIVED = "RECEIPT_RECEIVED"
    OVERDUE = "RECEIPT_OVERDUE"
    NOT_NEEDED = "RECEIPT_NOT_NEEDED"
    AVAILABLE = "RECEIPT_AVAILABLE"
    NEW_NEEDED = "RECEIPT_NEW_NEEDED"
    RE_UPLOADED = "RECEIPT_RE_UPLOADED"
    PENDING = "RECEIPT_PENDING"
    UNSPECIFIED = "UNSPECIFIED"


class ClaimSource(TolerantEnum):
    CONSUMER = "CONSUMER"
    ADMINISTRATOR = "ADMINISTRATOR"
    CARD = "CARD"
    PROVIDER = "PROVIDER"


class DenialStatus(TolerantEnum):
    DENIED = "DENIED"
    PARTIALLY_RESOLVED = "PARTIALLY_RESOLVED"
    RESOLVED = "RESOLVED"


class AccountType(str, Enum):
    FSA = "FSA"
    HSA = "HSA"
    HRA = "HRA"
    DCFSA = "DCFSA"
    LPFSA = "LPFSA"


# --- field types --------------------------------------------------------------------------------
# Written as validators of our own where pydantic's lax parsing would accept what the contract does
# not (a bool as money, a Unix time as a date), and to keep unknown enum values.


def _money(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError("is not an amount")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError("is not an amount") from None
    if not amount.is_finite():
        raise ValueError("is not an amount")
    return amount.quantize(CENT)


def _when(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str):
        raise ValueError("is not an ISO 8601 datetime")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("is not an ISO 8601 datetime") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def tolerant(enum: type[TolerantEnum]) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        if isinstance(value, enum):
            return value
        if not isinstance(value, str):
            raise ValueError("is not a string")
        return enum(value)

    return parse


def _text(value: Any) -> Any:
    if value is not None and not isinstance(value, str):
        raise ValueError("is not a string")
    return value


def list_or_empty(value: Any) -> Any:
    """A JSON list (a tuple is fine), or () for null; anything else is a field error."""
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise ValueError("is not a list")
    return value


Money = Annotated[Decimal, BeforeValidator(_money)]
When = Annotated[datetime | None, BeforeValidator(_when)]
Text = StrictStr  # a string, never a number made into one
OptionalText = StrictStr | None
EmptyIfNull = Annotated[str, BeforeValidator(lambda v: "" if v is None else _text(v))]


AnyClaimStatus = Annotated[ClaimStatus, BeforeValidator(tolerant(ClaimStatus))]
AnyReceiptStatus = Annotated[ReceiptStatus, BeforeValidator(tolerant(ReceiptStatus))]
AnyClaimSource = Annotated[ClaimSource, BeforeValidator(tolerant(ClaimSource))]
AnyDenialStatus = Annotated[DenialStatus, BeforeValidator(tolerant(DenialStatus))]


class ApiModel(BaseModel):
    """An object the Claims API answers with."""

    model_config = ConfigDict(frozen=True, extra="ignore", arbitrary_types_allowed=True)
    what: ClassVar[str] = ""  # the name errors give it (the class's by default)

    @classmethod
    def from_json(cls, data: Any) -> Self:
        what = cls.what or cls.__name__
        if not isinstance(data, dict):
            raise MalformedResponseError(detail=f"{what} is not a JSON object")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise MalformedResponseError(detail=describe(what, exc)) from None


def describe(what: str, exc: ValidationError) -> str:
    """The first problem in words, as ``Claim.claim_amount is missing`` (never the value itself:
    values may be health details)."""
    first = exc.errors(include_input=False, include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"])
    why = "is missing" if first["type"] == "missing" else str(first["msg"]).removeprefix("Value error, ")
    return f"{what}.{where} {why}"


# --- results -------------------------------------------------------------------------------------


class DenialReason(ApiModel):
    denial_code: Text
    reason: Text
    denial_date_time: When = None
    is_upload_receipt_allowed: StrictBool
    explanation: Text
    action_required: Text


class Rmi(ApiModel):
    action_date: When = None
    reason: Text
    code: Text
    description: Text
    status: Text
    note: EmptyIfNull = ""


class Claim(ApiModel):
    claim_number: Text
    claim_amount: Money
    paid_amount: Money
    submitted_amount: Money
    denied_amount: Money
    applied_copay_amount: Money
    applied_coinsurance_amount: Money
    applied_deductible_amount: Money
    claim_status: AnyClaimStatus
    is_ptp: StrictBool
    receipt_status: AnyReceiptStatus
    claim_source: AnyClaimSource
    expense_id: uuid.UUID
    submission_date: When = None
    start_date_of_service: When = None
    end_date_of_service: When = None
    processed_date: When = None
    scheduled_for_reimbursement_date: When = None
    plan_year_start_date: When = None
    final_filing_date: When = None
    receipt_status_dt: When = None
    provider_name: OptionalText = None
    plan_year_name: OptionalText = None
    plan_name: OptionalText = None
    category: OptionalText = None
    expense_type: OptionalText = None
    issue_response: OptionalText = None
    payee: OptionalText = None
    offering_id: StrictInt | None = None
    plan_id: uuid.UUID | None = None
    denial_reasons: Annotated[tuple[DenialReason, ...], BeforeValidator(list_or_empty)] = ()
    requests_for_more_information: Annotated[tuple[Rmi, ...], BeforeValidator(list_or_empty)] = ()

    @property
    def pending_amount(self) -> Decimal:
        """What is neither paid, denied nor applied: the API's invariant leaves it pending."""
        settled = (
            self.paid_amount
            + self.denied_amount
            + self.applied_copay_amount
            + self.applied_coinsurance_amount
            + self.applied_deductible_amount
        )
        return max(self.claim_amount - settled, Decimal("0.00"))


class Denial(ApiModel):
    denial_id: uuid.UUID
    denial_code: Text
    denial_reason: Text
    denied_amount: Money
    status: AnyDenialStatus
    action_date: When = None


class DenialHistory(ApiModel):
    claim_number: Text
    denials: Annotated[tuple[Denial, ...], BeforeValidator(lambda v: v if v is None else list_or_empty(v))]


class DenialUpdate(BaseModel):
    """The five reallocation fields, named as the API names them. Zero means "not given"."""

    model_config = ConfigDict(frozen=True)

    reallocate_to_pending_amount: Money = Decimal("0.00")
    reallocate_to_paid_amount: Money = Decimal("0.00")
    reallocate_to_deductible_applied_amount: Money = Decimal("0.00")
    reallocate_to_coinsurance_applied_amount: Money = Decimal("0.00")
    reallocate_to_copay_applied_amount: Money = Decimal("0.00")

    def _amounts(self) -> dict[str, Decimal]:
        return {name: getattr(self, name) for name in type(self).model_fields}

    @property
    def total(self) -> Decimal:
        return sum(self._amounts().values(), Decimal("0.00"))

    def to_json(self) -> dict[str, str]:
        """Strings with exactly two decimals; fields left at zero are not sent."""
        return {name: f"{value.quantize(CENT):.2f}" for name, value in self._amounts().items() if value > 0}


class DenialUpdateResult(ApiModel):
    claim_number: Text
    denial_id: uuid.UUID
    repayment_id: uuid.UUID | None = None
    claim_status: AnyClaimStatus
    denial_updated_timestamp: When = None
    message: EmptyIfNull = ""


class Receipt(ApiModel):
    receipt_id: Text
    file_name: Text
    file_size: StrictInt
    content_type: Text
    upload_date: When = None
    claim_numbers: Annotated[tuple[Text, ...], BeforeValidator(list_or_empty)] = ()
    download_url: OptionalText = None
    tracked_expense_number: OptionalText = None
    external_id: OptionalText = None

    @property
    def download_id(self) -> str:
        """The id for the download endpoint. Only upload answers carry ``external_id``; for listed
        receipts it is the last path segment of ``download_url`` (see the closing notes)."""
        if self.external_id:
            return self.external_id
        if self.download_url:
            from urllib.parse import unquote, urlsplit

            segment = urlsplit(self.download_url).path.rstrip("/").rsplit("/", 1)[-1]
            if segment:
                return unquote(segment)
        return self.receipt_id


class Payee(ApiModel):
    payee_id: Text
    name: Text
    payee_tin: OptionalText = None
    account_number: OptionalText = None
    address_lines: tuple[str, ...] = ()
    city: OptionalText = None
    state: OptionalText = None
    postal_code: OptionalText = None
    country: OptionalText = None

    @model_validator(mode="before")
    @classmethod
    def _address(cls, data: Any) -> Any:
        if isinstance(data, dict) and "address_lines" not in data:
            lines = [data.get(f"address_line{i}") for i in range(1, 5)]
            if any(line is not None and not isinstance(line, str) for line in lines):
                raise ValueError("an address line is not a string")
            data = {**data, "address_lines": tuple(line for line in lines if line)}
        return data


class ExpenseCategory(ApiModel):
    category_name: Text
    category_types: tuple[Text, ...]


class _PageEnvelope(ApiModel):
    what = "Page"
    index: StrictInt
    page_size: StrictInt
    has_next: StrictBool
    items: list[Any]


class Page(BaseModel, Generic[T]):
    """One page of a list. ``from_json`` reads the envelope, then each item with ``parse``."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    index: int
    page_size: int
    has_next: bool
    items: tuple[T, ...]

    @classmethod
    def from_json(cls, data: Any, parse: Callable[[Any], T]) -> Page[T]:
        envelope = _PageEnvelope.from_json(data)
        # Built, not validated again: each item was just validated by ``parse``.
        return cls.model_construct(
            index=envelope.index,
            page_size=envelope.page_size,
            has_next=envelope.has_next,
            items=tuple(parse(item) for item in envelope.items),
        )

    def __iter__(self) -> Iterator[T]:  # type: ignore[override]
        return iter(self.items)
