"""Integrex RCM claim info (seeds/004, research §4): the wire format, read and written, and its
conversion into the portal's common ``Answer``. Pure: no HTTP, no Django (import-linter keeps it
so); ``portal.gateway.integrex`` is the client that sends and fetches.

The GET answer's JSON shape is not published (research §4, gap 5), so ``rows`` reads three:
a flat object (one claim, maybe one line), a list of per-service-line objects (the seed lists
``svcLine`` among the fields: each row repeats the claim's fields), or an object whose ``lines``
(``serviceLines``, ``svcLines``, ``claimLines``) list holds the lines under the claim's fields.
Values are read tolerantly, as the two published versions differ: dates as ``yyyy-mm-dd`` (v2) or
``MM/DD/YYYY`` (v1), amounts as JSON numbers or strings (``"1,234.50"``, ``"$70"``), counts and
line numbers as numbers or digit strings, identifiers as strings or numbers; ``"null"`` and ``""``
are absent. Money is ``Decimal`` (read the body with ``parse_float=Decimal``: exact cents).

Written by hand: the mapping is this API's own, no library knows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from portal.gateway.errors import MalformedResponseError
from portal.gateway.insurer import Answer, Channel, ClaimAnswer, Line, Query, Reason, StatusCode
from portal.gateway.models import CENT, describe


def _(text: str) -> str:
    """Marks text a person reads for translation (makemessages); the page translates it."""
    return text


_ABSENT = {"", "null", "none", "n/a"}
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_AMOUNT_NOISE = re.compile(r"[\s$,]")
LINE_KEYS = ("lines", "serviceLines", "svcLines", "claimLines")


def _absent(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in _ABSENT)


def _day(value: Any) -> date | None:
    if _absent(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        us = _US_DATE.match(text)
        try:
            if us:
                return date(int(us.group(3)), int(us.group(1)), int(us.group(2)))
            if len(text) == 8 and text.isdigit():  # CCYYMMDD, as X12 writes dates
                return date(int(text[:4]), int(text[4:6]), int(text[6:]))
            return date.fromisoformat(text[:10])  # a date, or the date of a datetime
        except ValueError:
            pass
    raise ValueError("is not a date (yyyy-mm-dd or MM/DD/YYYY)")


def _amount(value: Any) -> Decimal | None:
    if _absent(value):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError("is not an amount")
    text = _AMOUNT_NOISE.sub("", str(value))
    negative = text.startswith("(") and text.endswith(")")  # accounting style: (12.00)
    try:
        amount = Decimal(text.strip("()"))
    except InvalidOperation:
        raise ValueError("is not an amount") from None
    if not amount.is_finite():
        raise ValueError("is not an amount")
    return (-amount if negative else amount).quantize(CENT)


def _count(value: Any) -> Decimal | None:
    amount = _amount(value)
    return None if amount is None else amount.normalize()


def _number(value: Any) -> int | None:
    count = _count(value)
    if count is None:
        return None
    if count != count.to_integral_value():
        raise ValueError("is not a whole number")
    return int(count)


def _text(value: Any) -> str:
    """A string; a number is taken as its digits (ids, codes and phone numbers may come as numbers)."""
    if _absent(value):
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal | float):
        raise ValueError("is not a string")
    if isinstance(value, float | Decimal):
        value = Decimal(str(value))
        value = int(value) if value == value.to_integral_value() else value
    return str(value).strip()


Day = Annotated[date | None, BeforeValidator(_day)]
Amount = Annotated[Decimal | None, BeforeValidator(_amount)]
Count = Annotated[Decimal | None, BeforeValidator(_count)]
Number = Annotated[int | None, BeforeValidator(_number)]
Text = Annotated[str, BeforeValidator(_text)]


class ClaimInfoRow(BaseModel):
    """One object of the GET answer: the claim's fields, and a service line's when it has one.
    Fields the seed does not name are kept (``model_extra``)."""

    model_config = ConfigDict(frozen=True, extra="allow", populate_by_name=True)

    internal_account_number: Text = Field("", alias="internalAccountNumber")
    internal_account_number2: Text = Field("", alias="internalAccountNumber2")
    patient_last_name: Text = Field("", alias="patientLastName")
    patient_first_name: Text = Field("", alias="patientFirstName")
    sub_id: Text = Field("", alias="subID")
    billing_entity_name: Text = Field("", alias="billingEntityName")
    response_date: Day = Field(None, alias="responseDate")
    payer_id: Text = Field("", alias="payerID")
    payer_contact_name: Text = Field("", alias="payerContactName")
    payer_contact_phone: Text = Field("", alias="payerContactPhone")
    date_of_service: Day = Field(None, alias="dateOfService")
    payer_claim_number: Text = Field("", alias="payerClmNo")
    claim_receipt_date: Day = Field(None, alias="claimReceiptDate")
    charge_amount: Amount = Field(None, alias="chargeAmt")
    payment_amount: Amount = Field(None, alias="paymentAmt")
    adjudication_date: Day = Field(None, alias="adjudicationDate")
    check_date: Day = Field(None, alias="checkDate")
    check_number: Text = Field("", alias="checkNumber")
    service_line: Number = Field(None, alias="svcLine")
    category_code: Text = Field("", alias="categoryCode")
    status_code: Text = Field("", alias="statusCode")
    category_description: Text = Field("", alias="categoryDescription")
    status_description: Text = Field("", alias="statusDescription")
    procedure_qualifier: Text = Field("", alias="procedureCdQual")
    procedure_code: Text = Field("", alias="procedureCd")
    revenue_code: Text = Field("", alias="revenueCd")
    units: Count = Field(None, alias="svcLnQty")
    allowed_amount: Amount = Field(None, alias="allowedAmount")
    coinsurance_amount: Amount = Field(None, alias="coInsuranceAmount")
    copay_amount: Amount = Field(None, alias="coPaymentAmount")
    non_covered_amount: Amount = Field(None, alias="nonCoveredAmount")
    check_status: Text = Field("", alias="checkStatus")
    date_check_cashed: Day = Field(None, alias="dateCheckCashed")
    reason_code1: Text = Field("", alias="reasonSourceCd1")
    reason_text1: Text = Field("", alias="reasonSourceCdDescTxt1")
    reason_code2: Text = Field("", alias="reasonSourceCd2")
    reason_text2: Text = Field("", alias="reasonSourceCdDescTxt2")
    reason_code3: Text = Field("", alias="reasonSourceCd3")
    reason_text3: Text = Field("", alias="reasonSourceCdDescTxt3")
    # The seed prints "authorizationCaseld" (an l for an I): both spellings are read.
    authorization_case_id: Text = Field("", alias="authorizationCaseId")
    authorization_description: Text = Field("", alias="authorizationDescription")
    integrex_id: Text = Field("", alias="integrexId")

    @classmethod
    def from_json(cls, data: Any, where: str = "claim info") -> Self:
        if not isinstance(data, dict):
            raise MalformedResponseError(detail=f"Integrex {where} is not a JSON object")
        if "authorizationCaseld" in data and "authorizationCaseId" not in data:
            data = {**data, "authorizationCaseId": data["authorizationCaseld"]}
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise MalformedResponseError(detail="Integrex " + describe(where, exc)) from None

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """``reasonSourceCd1..3``: the payer's own remark code, then the RARC, then the CARC (the
        seed's UHC note; other payers fill them the same way or leave them empty)."""
        found = []
        for source, code, text in (
            ("PAYER", self.reason_code1, self.reason_text1),
            ("RARC", self.reason_code2, self.reason_text2),
            ("CARC", self.reason_code3, self.reason_text3),
        ):
            if code:
                found.append(Reason(source=source, code=code, text=text))
        return tuple(found)

    @property
    def status(self) -> StatusCode | None:
        if not self.category_code:
            return None
        return StatusCode(
            category=self.category_code,
            code=self.status_code,
            category_text=self.category_description,
            code_text=self.status_description,
        )

    @property
    def is_line(self) -> bool:
        """Whether this row says anything about a service line (else it is the claim alone)."""
        return (
            self.service_line is not None
            or bool(self.procedure_code or self.revenue_code or self.reasons)
            or any(
                value is not None
                for value in (
                    self.units, self.allowed_amount, self.coinsurance_amount, self.copay_amount,
                    self.non_covered_amount,
                )
            )
        )  # fmt: skip


def rows(body: Any) -> tuple[ClaimInfoRow, ...]:
    """The rows of a GET answer in any of the three shapes (see the module's docstring)."""
    if isinstance(body, list):
        return tuple(ClaimInfoRow.from_json(item, f"claim info[{i}]") for i, item in enumerate(body))
    if not isinstance(body, dict):
        raise MalformedResponseError(detail="Integrex claim info is neither an object nor a list")
    for key in LINE_KEYS:
        lines = body.get(key)
        if lines is None:
            continue
        if not isinstance(lines, list):
            raise MalformedResponseError(detail=f"Integrex claim info.{key} is not a list")
        claim = {name: value for name, value in body.items() if name not in LINE_KEYS}
        if not lines:
            return (ClaimInfoRow.from_json(claim),)
        return tuple(
            ClaimInfoRow.from_json({**claim, **_object(line, f"{key}[{i}]")}, f"claim info.{key}[{i}]")
            for i, line in enumerate(lines)
        )
    return (ClaimInfoRow.from_json(body),)


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MalformedResponseError(detail=f"Integrex claim info.{where} is not a JSON object")
    return value


def to_answer(found: Sequence[ClaimInfoRow]) -> Answer:
    """The rows as the portal's ``Answer``: one ``ClaimAnswer`` per payer claim (rows grouped by
    ``payerClmNo``, else ``integrexId``), its lines from the rows that carry line data."""
    claims = tuple(_claim(group) for group in _by_claim(found))
    first = found[0] if found else None
    return Answer(
        channel=Channel.INTEGREX,
        payer_name=_first(row.payer_contact_name for row in found),
        payer_phone=_first(row.payer_contact_phone for row in found),
        response_date=first.response_date if first else None,
        claims=claims,
    )


def _by_claim(found: Sequence[ClaimInfoRow]) -> list[list[ClaimInfoRow]]:
    groups: dict[str, list[ClaimInfoRow]] = {}
    for row in found:
        groups.setdefault(row.payer_claim_number or row.integrex_id, []).append(row)
    return list(groups.values())


def _first(values: Iterable[str]) -> str:
    return next((value for value in values if value), "")


def _first_value(values: Iterable[Any]) -> Any:
    return next((value for value in values if value not in (None, "")), None)


def _claim(group: list[ClaimInfoRow]) -> ClaimAnswer:
    statuses: list[StatusCode] = []
    for row in group:
        status = row.status
        if status is not None and all((s.category, s.code) != (status.category, status.code) for s in statuses):
            statuses.append(status)
    line_rows = [row for row in group if row.is_line]
    # Claim-level amounts repeat on every row; if the rows disagree they are the lines' own.
    charges = {row.charge_amount for row in line_rows if row.charge_amount is not None}
    payments = {row.payment_amount for row in line_rows if row.payment_amount is not None}
    per_line_charge, per_line_paid = len(charges) > 1, len(payments) > 1
    lines = tuple(_line(row, charged=per_line_charge, paid=per_line_paid) for row in line_rows)
    charged = _first_value(row.charge_amount for row in group)
    paid = _first_value(row.payment_amount for row in group)
    if per_line_charge:
        charged = sum((line.charged or Decimal("0.00") for line in lines), Decimal("0.00"))
    if per_line_paid:
        paid = sum((line.paid or Decimal("0.00") for line in lines), Decimal("0.00"))
    return ClaimAnswer(
        statuses=tuple(statuses),
        tracking_number=_first(row.internal_account_number for row in group),
        patient_account_number=_first(row.internal_account_number2 for row in group),
        payer_claim_number=_first(row.payer_claim_number for row in group),
        service_date_from=_first_value(row.date_of_service for row in group),
        charged=charged,
        paid=paid,
        received_date=_first_value(row.claim_receipt_date for row in group),
        adjudicated_date=_first_value(row.adjudication_date for row in group),
        check_number=_first(row.check_number for row in group),
        check_date=_first_value(row.check_date for row in group),
        message=_check_message(group),
        lines=lines,
    )


def _line(row: ClaimInfoRow, *, charged: bool, paid: bool) -> Line:
    status = row.status
    return Line(
        number=row.service_line,
        procedure_qualifier=row.procedure_qualifier,
        procedure_code=row.procedure_code,
        revenue_code=row.revenue_code,
        units=row.units,
        service_date=row.date_of_service,
        charged=row.charge_amount if charged else None,
        paid=row.payment_amount if paid else None,
        allowed=row.allowed_amount,
        coinsurance=row.coinsurance_amount,
        copay=row.copay_amount,
        not_covered=row.non_covered_amount,
        statuses=(status,) if status else (),
        reasons=row.reasons,
    )


def _check_message(group: list[ClaimInfoRow]) -> str:
    """What the payer says about its check (cashed or not), in words; empty for an EFT."""
    status = _first(row.check_status for row in group)
    cashed = _first_value(row.date_check_cashed for row in group)
    if cashed:
        return _("Check cashed on {date}.").format(date=cashed.isoformat())
    if status:
        return _("Check status: {status}.").format(status=status)
    return ""


def request_body(query: Query) -> dict[str, str]:
    """``POST /api/v2/claim-info``'s body (seed: every value a string, dates ``yyyy-mm-dd``).
    Values the query does not have are left out, not sent empty. The patient is the subscriber
    unless the query names another (a dependent)."""
    patient = query.patient or query.subscriber
    body = {
        "patientDob": _iso(patient.date_of_birth),
        "patientFirstName": patient.first_name,
        "patientLastName": patient.last_name,
        "subscriberId": query.member_id,
        "subscriberFirstName": query.subscriber.first_name,
        "subscriberLastName": query.subscriber.last_name,
        "subscriberDob": _iso(query.subscriber.date_of_birth),
        "billingProviderNpi": query.provider_npi,
        "billingProviderName": query.provider_name,
        "taxId": query.provider_tax_id.replace("-", ""),
        "admitDate": _iso(query.service_date_from),
        "totalCharges": f"{query.billed_amount.quantize(CENT):.2f}" if query.billed_amount is not None else "",
        "payerId": query.payer_id,
        "payerName": query.payer_name,
        "trackingId1": query.tracking_number,
    }
    return {name: value.strip() for name, value in body.items() if value and value.strip()}


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


__all__ = ["ClaimInfoRow", "request_body", "rows", "to_answer"]
