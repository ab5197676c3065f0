"""Typed results of the Claims API: dataclasses, Decimal money, aware datetimes, tolerant enums.

Parsing is strict about shape (a missing required field is a MalformedResponseError) and lenient
about values the contract may grow (an unknown status is kept, not a crash).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, Generic, TypeVar

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


# --- field readers -------------------------------------------------------------------------------


class _Reader:
    """Reads one JSON object, turning any shape error into MalformedResponseError."""

    def __init__(self, data: Any, what: str) -> None:
        if not isinstance(data, dict):
            raise MalformedResponseError(detail=f"{what} is not a JSON object")
        self.data = data
        self.what = what

    def _bad(self, name: str, why: str) -> MalformedResponseError:
        return MalformedResponseError(detail=f"{self.what}.{name} {why}")

    def raw(self, name: str, required: bool) -> Any:
        if name not in self.data or self.data[name] is None:
            if required:
                raise self._bad(name, "is missing")
            return None
        return self.data[name]

    def text(self, name: str, required: bool = True) -> Any:
        value = self.raw(name, required)
        if value is not None and not isinstance(value, str):
            raise self._bad(name, "is not a string")
        return value

    def flag(self, name: str) -> bool:
        value = self.raw(name, True)
        if not isinstance(value, bool):
            raise self._bad(name, "is not a boolean")
        return value

    def integer(self, name: str, required: bool = True) -> Any:
        value = self.raw(name, required)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise self._bad(name, "is not an integer")
        return value

    def money(self, name: str, required: bool = True) -> Any:
        value = self.raw(name, required)
        if value is None:
            return None
        if isinstance(value, bool):
            raise self._bad(name, "is not an amount")
        try:
            return Decimal(str(value)).quantize(CENT)
        except (InvalidOperation, ValueError):
            raise self._bad(name, "is not an amount") from None

    def when(self, name: str, required: bool = False) -> Any:
        value = self.text(name, required)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise self._bad(name, "is not an ISO 8601 datetime") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    def uid(self, name: str, required: bool = True) -> Any:
        value = self.text(name, required)
        if value is None:
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            raise self._bad(name, "is not a UUID") from None

    def items(self, name: str, parse: Callable[[Any], T], required: bool = False) -> tuple[T, ...]:
        value = self.raw(name, required)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self._bad(name, "is not a list")
        return tuple(parse(item) for item in value)


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DenialReason:
    denial_code: str
    reason: str
    denial_date_time: datetime | None
    is_upload_receipt_allowed: bool
    explanation: str
    action_required: str

    @classmethod
    def from_json(cls, data: Any) -> DenialReason:
        r = _Reader(data, "DenialReason")
        return cls(
            denial_code=r.text("denial_code"),
            reason=r.text("reason"),
            denial_date_time=r.when("denial_date_time"),
            is_upload_receipt_allowed=r.flag("is_upload_receipt_allowed"),
            explanation=r.text("explanation"),
            action_required=r.text("action_required"),
        )


@dataclass(frozen=True)
class Rmi:
    action_date: datetime | None
    reason: str
    code: str
    description: str
    status: str
    note: str

    @classmethod
    def from_json(cls, data: Any) -> Rmi:
        r = _Reader(data, "Rmi")
        return cls(
            action_date=r.when("action_date"),
            reason=r.text("reason"),
            code=r.text("code"),
            description=r.text("description"),
            status=r.text("status"),
            note=r.text("note", required=False) or "",
        )


@dataclass(frozen=True)
class Claim:
    claim_number: str
    claim_amount: Decimal
    paid_amount: Decimal
    submitted_amount: Decimal
    denied_amount: Decimal
    applied_copay_amount: Decimal
    applied_coinsurance_amount: Decimal
    applied_deductible_amount: Decimal
    claim_status: ClaimStatus
    is_ptp: bool
    receipt_status: ReceiptStatus
    claim_source: ClaimSource
    expense_id: uuid.UUID
    submission_date: datetime | None = None
    start_date_of_service: datetime | None = None
    end_date_of_service: datetime | None = None
    processed_date: datetime | None = None
    scheduled_for_reimbursement_date: datetime | None = None
    plan_year_start_date: datetime | None = None
    final_filing_date: datetime | None = None
    receipt_status_dt: datetime | None = None
    provider_name: str | None = None
    plan_year_name: str | None = None
    plan_name: str | None = None
    category: str | None = None
    expense_type: str | None = None
    issue_response: str | None = None
    payee: str | None = None
    offering_id: int | None = None
    plan_id: uuid.UUID | None = None
    denial_reasons: tuple[DenialReason, ...] = ()
    requests_for_more_information: tuple[Rmi, ...] = ()

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

    @classmethod
    def from_json(cls, data: Any) -> Claim:
        r = _Reader(data, "Claim")
        return cls(
            claim_number=r.text("claim_number"),
            claim_amount=r.money("claim_amount"),
            paid_amount=r.money("paid_amount"),
            submitted_amount=r.money("submitted_amount"),
            denied_amount=r.money("denied_amount"),
            applied_copay_amount=r.money("applied_copay_amount"),
            applied_coinsurance_amount=r.money("applied_coinsurance_amount"),
            applied_deductible_amount=r.money("applied_deductible_amount"),
            claim_status=ClaimStatus(r.text("claim_status")),
            is_ptp=r.flag("is_ptp"),
            receipt_status=ReceiptStatus(r.text("receipt_status")),
            claim_source=ClaimSource(r.text("claim_source")),
            expense_id=r.uid("expense_id"),
            submission_date=r.when("submission_date"),
            start_date_of_service=r.when("start_date_of_service"),
            end_date_of_service=r.when("end_date_of_service"),
            processed_date=r.when("processed_date"),
            scheduled_for_reimbursement_date=r.when("scheduled_for_reimbursement_date"),
            plan_year_start_date=r.when("plan_year_start_date"),
            final_filing_date=r.when("final_filing_date"),
            receipt_status_dt=r.when("receipt_status_dt"),
            provider_name=r.text("provider_name", False),
            plan_year_name=r.text("plan_year_name", False),
            plan_name=r.text("plan_name", False),
            category=r.text("category", False),
            expense_type=r.text("expense_type", False),
            issue_response=r.text("issue_response", False),
            payee=r.text("payee", False),
            offering_id=r.integer("offering_id", False),
            plan_id=r.uid("plan_id", False),
            denial_reasons=r.items("denial_reasons", DenialReason.from_json),
            requests_for_more_information=r.items("requests_for_more_information", Rmi.from_json),
        )


@dataclass(frozen=True)
class Denial:
    denial_id: uuid.UUID
    denial_code: str
    denial_reason: str
    denied_amount: Decimal
    status: DenialStatus
    action_date: datetime | None

    @classmethod
    def from_json(cls, data: Any) -> Denial:
        r = _Reader(data, "Denial")
        return cls(
            denial_id=r.uid("denial_id"),
            denial_code=r.text("denial_code"),
            denial_reason=r.text("denial_reason"),
            denied_amount=r.money("denied_amount"),
            status=DenialStatus(r.text("status")),
            action_date=r.when("action_date"),
        )


@dataclass(frozen=True)
class DenialHistory:
    claim_number: str
    denials: tuple[Denial, ...]

    @classmethod
    def from_json(cls, data: Any) -> DenialHistory:
        r = _Reader(data, "DenialHistory")
        return cls(claim_number=r.text("claim_number"), denials=r.items("denials", Denial.from_json, True))


@dataclass(frozen=True)
class DenialUpdate:
    """The five reallocation fields, named as the API names them. Zero means "not given"."""

    reallocate_to_pending_amount: Decimal = Decimal("0.00")
    reallocate_to_paid_amount: Decimal = Decimal("0.00")
    reallocate_to_deductible_applied_amount: Decimal = Decimal("0.00")
    reallocate_to_coinsurance_applied_amount: Decimal = Decimal("0.00")
    reallocate_to_copay_applied_amount: Decimal = Decimal("0.00")

    @property
    def total(self) -> Decimal:
        return sum((v for v in vars(self).values()), Decimal("0.00"))

    def to_json(self) -> dict[str, str]:
        """Strings with exactly two decimals; fields left at zero are not sent."""
        return {name: f"{value.quantize(CENT):.2f}" for name, value in vars(self).items() if value > 0}


@dataclass(frozen=True)
class DenialUpdateResult:
    claim_number: str
    denial_id: uuid.UUID
    repayment_id: uuid.UUID | None
    claim_status: ClaimStatus
    denial_updated_timestamp: datetime | None
    message: str

    @classmethod
    def from_json(cls, data: Any) -> DenialUpdateResult:
        r = _Reader(data, "DenialUpdateResult")
        return cls(
            claim_number=r.text("claim_number"),
            denial_id=r.uid("denial_id"),
            repayment_id=r.uid("repayment_id", False),
            claim_status=ClaimStatus(r.text("claim_status")),
            denial_updated_timestamp=r.when("denial_updated_timestamp"),
            message=r.text("message", False) or "",
        )


@dataclass(frozen=True)
class Receipt:
    receipt_id: str
    file_name: str
    file_size: int
    content_type: str
    upload_date: datetime | None
    claim_numbers: tuple[str, ...]
    download_url: str | None
    tracked_expense_number: str | None = None
    external_id: str | None = None

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

    @classmethod
    def from_json(cls, data: Any) -> Receipt:
        r = _Reader(data, "Receipt")
        return cls(
            receipt_id=r.text("receipt_id"),
            file_name=r.text("file_name"),
            file_size=r.integer("file_size"),
            content_type=r.text("content_type"),
            upload_date=r.when("upload_date"),
            claim_numbers=r.items("claim_numbers", str),
            download_url=r.text("download_url", False),
            tracked_expense_number=r.text("tracked_expense_number", False),
            external_id=r.text("external_id", False),
        )


@dataclass(frozen=True)
class Payee:
    payee_id: str
    name: str
    payee_tin: str | None = None
    account_number: str | None = None
    address_lines: tuple[str, ...] = ()
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> Payee:
        r = _Reader(data, "Payee")
        lines = tuple(line for i in range(1, 5) if (line := r.text(f"address_line{i}", False)))
        return cls(
            payee_id=r.text("payee_id"),
            name=r.text("name"),
            payee_tin=r.text("payee_tin", False),
            account_number=r.text("account_number", False),
            address_lines=lines,
            city=r.text("city", False),
            state=r.text("state", False),
            postal_code=r.text("postal_code", False),
            country=r.text("country", False),
        )


@dataclass(frozen=True)
class ExpenseCategory:
    category_name: str
    category_types: tuple[str, ...]

    @classmethod
    def from_json(cls, data: Any) -> ExpenseCategory:
        r = _Reader(data, "ExpenseCategory")
        return cls(category_name=r.text("category_name"), category_types=r.items("category_types", str, True))


@dataclass(frozen=True)
class Page(Generic[T]):
    index: int
    page_size: int
    has_next: bool
    items: tuple[T, ...]

    @classmethod
    def from_json(cls, data: Any, parse: Callable[[Any], T]) -> Page[T]:
        r = _Reader(data, "Page")
        return cls(
            index=r.integer("index"),
            page_size=r.integer("page_size"),
            has_next=r.flag("has_next"),
            items=r.items("items", parse, True),
        )

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)
