"""Optum Medical Network Claim Status v2 (research §1, seeds/002): the client and its typed
results, declared as pydantic v2 models like the Claims API's and Silver's.

- Token: ``POST /apip/auth/v2/token`` with a JSON body (``client_id``, ``client_secret``,
  ``grant_type=client_credentials``). ``portal.gateway.shared_token`` keeps it, encrypted like
  the portal's other tokens (``portal.crypto``), in the shared Django cache for ``expires_in`` less
  a margin, so every process and thread uses one token; one fetch happens at a time (a thread lock
  and a ``cache.add`` lock across processes, then a second look at the cache). On a 401 from the API the
  token is fetched again once and the call retried once. The secret and the token are never logged
  (the transport logs only the route; portal.logging masks them should one reach a line).
- ``status(query)`` posts ``/medicalnetwork/claimstatus/v2/`` (JSON); ``status(query,
  raw_x12=True)`` posts our 276 (built by ``x12.build_276``) to ``.../raw-x12`` and reads the 277
  in the answer's ``x12`` with ``x12.parse_277``. Both answers are read by the same models into
  ``portal.gateway.insurer.Answer``: the 277 is first put into Optum's JSON shape by
  ``x12.report_to_optum``, so the two channels cannot read the same claim differently.
  Each request carries a fresh nine-digit ``controlNumber``.
- Errors come as a top-level ``errors[]`` (what Optum's gateway and long-running clients use), as
  ``errorResponse.errors[]`` (the OpenAPI file), or as a gateway's ``{"error": ...}``. AAA-like
  codes 42 (unable to respond now) and 80 (no response), and a problem on the field "Http Header"
  (Optum's "down" message), mean "try again later": retried with backoff, unless the follow-up
  action says not to resubmit, then ``InsurerUnavailable``. Any other problem is the query's:
  ``InsurerRefused`` with the problems, not retried. 5xx, 408 and dropped connections are retried
  by the transport.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Self

import requests
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

import x12
from portal.gateway.errors import (
    ApiError,
    BadRequestError,
    InsurerRefused,
    InsurerUnavailable,
    MalformedResponseError,
    UnauthorizedError,
    error_from_response,
)
from portal.gateway.insurer import Answer, Channel, ClaimAnswer, FieldProblem, Line, Query, StatusCode
from portal.gateway.models import describe, list_or_empty
from portal.gateway.shared_token import SharedToken, kept_seconds
from portal.gateway.transport import RetryMode, RetryPolicy, Transport

log = logging.getLogger("portal.gateway")

TOKEN_PATH = "/apip/auth/v2/token"
STATUS_PATH = "/medicalnetwork/claimstatus/v2/"
RAW_X12_PATH = "/medicalnetwork/claimstatus/v2/raw-x12"
HEALTHCHECK_PATH = "/medicalnetwork/claimstatus/v2/healthcheck"

TRY_LATER_CODES = frozenset({"42", "80"})  # X12 AAA03: unable to respond now; no response
DO_NOT_RESUBMIT = ("do not resubmit", "resubmission not allowed")
# Acknowledged: the status's effective date is the day the insurer received the claim.
RECEIVED_CATEGORIES = frozenset({"A0", "A1", "A2"})


# --- the wire: Optum's Response, all strings (research §1.4) ------------------------------------


def _text(value: Any) -> Any:
    """A string; a number Optum printed without quotes is kept as its text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise ValueError("is not a string")
    return str(value)


def _day(value: Any) -> date | None:
    value = _text(value)
    if not value:
        return None
    digits = value.strip()
    if len(digits) != 8 or not digits.isdigit():
        raise ValueError("is not a date CCYYMMDD")
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise ValueError("is not a date CCYYMMDD") from None


def _amount(value: Any) -> Decimal | None:
    value = _text(value)
    if value is None or not value.strip():
        return None
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        raise ValueError("is not an amount") from None
    if not amount.is_finite():
        raise ValueError("is not an amount")
    return amount


def _period(value: Any) -> tuple[date | None, date | None]:
    value = _text(value)
    if not value:
        return None, None
    start, _, end = value.replace(" ", "").partition("-")
    return _day(start), (_day(end) if end else None)


Str = Annotated[str, BeforeValidator(lambda v: _text(v) or "")]
Day = Annotated[date | None, BeforeValidator(_day)]
Amount = Annotated[Decimal | None, BeforeValidator(_amount)]
Period = Annotated[tuple[date | None, date | None], BeforeValidator(_period)]


class OptumModel(BaseModel):
    """An object Optum answers with: camelCase keys, fields not named here are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    @classmethod
    def from_json(cls, data: Any) -> Self:
        if not isinstance(data, dict):
            raise MalformedResponseError(detail=f"Optum {cls.__name__} is not a JSON object")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise MalformedResponseError(detail="Optum " + describe(cls.__name__, exc)) from None


class Status(OptumModel):
    """One STC: ``claimStatus`` (with the claim's amounts and identifiers) or a line's status."""

    category: Str = Field("", alias="statusCategoryCode")
    category_text: Str = Field("", alias="statusCategoryCodeValue")
    code: Str = Field("", alias="statusCode")
    code_text: Str = Field("", alias="statusCodeValue")
    entity: Str = Field("", alias="entityCode")
    effective_date: Day = Field(None, alias="effectiveDate")
    submitted_amount: Amount = Field(None, alias="submittedAmount")
    amount_paid: Amount = Field(None, alias="amountPaid")
    paid_date: Day = Field(None, alias="paidDate")
    check_issue_date: Day = Field(None, alias="checkIssueDate")
    check_number: Str = Field("", alias="checkNumber")
    payment_method: Str = Field("", alias="paymentMethodCode")
    message: Str = Field("", alias="freeFormMessage")
    secondary_category: Str = Field("", alias="secondaryStatusCategoryCode")
    secondary_category_text: Str = Field("", alias="secondaryStatusCategoryCodeValue")
    secondary_code: Str = Field("", alias="secondaryStatusCode")
    secondary_code_text: Str = Field("", alias="secondaryStatusCodeValue")
    secondary_entity: Str = Field("", alias="secondaryEntityCode")
    tertiary_category: Str = Field("", alias="tertiaryStatusCategoryCode")
    tertiary_category_text: Str = Field("", alias="tertiaryStatusCategoryCodeValue")
    tertiary_code: Str = Field("", alias="tertiaryStatusCode")
    tertiary_code_text: Str = Field("", alias="tertiaryStatusCodeValue")
    tertiary_entity: Str = Field("", alias="tertiaryEntityCode")
    # claim level only
    tracking_number: Str = Field("", alias="trackingNumber")
    service_dates: Period = Field((None, None), alias="claimServiceDate")
    payer_claim_number: Str = Field("", alias="tradingPartnerClaimNumber")
    patient_account_number: Str = Field("", alias="patientAccountNumber")

    def codes(self) -> tuple[StatusCode, ...]:
        """STC01, then STC10 and STC11 when given."""
        found = []
        for category, category_text, code, code_text, entity in (
            (self.category, self.category_text, self.code, self.code_text, self.entity),
            (
                self.secondary_category,
                self.secondary_category_text,
                self.secondary_code,
                self.secondary_code_text,
                self.secondary_entity,
            ),
            (
                self.tertiary_category,
                self.tertiary_category_text,
                self.tertiary_code,
                self.tertiary_code_text,
                self.tertiary_entity,
            ),
        ):
            if category or code:
                found.append(
                    StatusCode(
                        category=category.upper(),
                        code=code.upper(),
                        entity=entity.upper(),
                        effective_date=self.effective_date,
                        category_text=category_text,
                        code_text=code_text,
                    )
                )
        return tuple(found)


Statuses = Annotated[tuple[Status, ...], BeforeValidator(list_or_empty)]


class Service(OptumModel):
    qualifier: Str = Field("", alias="serviceIdQualifierCode")
    procedure_code: Str = Field("", alias="procedureId")
    submitted_amount: Amount = Field(None, alias="submittedAmount")
    amount_paid: Amount = Field(None, alias="amountPaid")
    revenue_code: Str = Field("", alias="revenueCode")
    units: Amount = Field(None, alias="submittedUnits")
    service_dates: Period = Field((None, None), alias="serviceDate")


class ServiceDetail(OptumModel):
    service: Service = Field(default_factory=lambda: Service.model_validate({}))
    status: Statuses = ()


Details = Annotated[tuple[ServiceDetail, ...], BeforeValidator(list_or_empty)]


class Claim(OptumModel):
    claim_status: Status = Field(default_factory=lambda: Status.model_validate({}), alias="claimStatus")
    additional_statuses: Statuses = Field((), alias="additionalStatuses")
    service_details: Details = Field((), alias="serviceDetails")


Claims = Annotated[tuple[Claim, ...], BeforeValidator(list_or_empty)]


class Contact(OptumModel):
    name: Str = ""
    phone: Str = ""


class Payer(OptumModel):
    organization_name: Str = Field("", alias="organizationName")
    payer_identification: Str = Field("", alias="payerIdentification")
    contact: Contact | None = Field(None, alias="contactInformation")


class ErrorDetail(OptumModel):
    """One of Optum's ``ErrorDetail``: never its ``value`` (it may be a member's data)."""

    field: Str = ""
    code: Str = ""
    description: Str = ""
    followup_action: Str = Field("", alias="followupAction")
    location: Str = ""

    def problem(self) -> FieldProblem:
        return FieldProblem(
            field=self.field or self.location,
            description=self.description,
            code=self.code,
            followup_action=self.followup_action,
        )

    @property
    def try_later(self) -> bool:
        return self.code.strip() in TRY_LATER_CODES or self.field.strip().lower() == "http header"

    @property
    def do_not_resubmit(self) -> bool:
        action = self.followup_action.lower()
        return any(words in action for words in DO_NOT_RESUBMIT)


ErrorDetails = Annotated[tuple[ErrorDetail, ...], BeforeValidator(list_or_empty)]


class ErrorResponse(OptumModel):
    code: Str = ""
    description: Str = ""
    errors: ErrorDetails = ()


class Response(OptumModel):
    """Optum's ``Response`` (both endpoints; ``x12`` holds the 277 on the raw one) and its errors."""

    control_number: Str = Field("", alias="controlNumber")
    trading_partner_service_id: Str = Field("", alias="tradingPartnerServiceId")
    payer: Payer | None = None
    claims: Claims = ()
    receiver_statuses: Statuses = Field((), alias="receiverStatuses")
    provider_statuses: Statuses = Field((), alias="providerStatuses")
    x12: Str = ""
    errors: ErrorDetails = ()
    error_response: ErrorResponse | None = Field(None, alias="errorResponse")
    error: Str = ""  # a gateway's failure: {"error": "...", "error_description"/"message": "..."}
    error_description: Str = ""
    message: Str = ""

    @property
    def all_errors(self) -> tuple[ErrorDetail, ...]:
        nested = self.error_response.errors if self.error_response else ()
        return self.errors + nested

    def answer(self, channel: Channel, *, warnings: tuple[str, ...] = ()) -> Answer:
        payer = self.payer or Payer.model_validate({})
        return Answer(
            channel=channel,
            payer_name=payer.organization_name,
            payer_phone=payer.contact.phone if payer.contact else "",
            claims=tuple(_claim_answer(claim) for claim in self.claims),
            request_statuses=tuple(
                code for status in self.receiver_statuses + self.provider_statuses for code in status.codes()
            ),
            response_date=date.today(),
            warnings=warnings,
        )


def _claim_answer(claim: Claim) -> ClaimAnswer:
    first = claim.claim_status
    start, end = first.service_dates
    lines = []
    for number, detail in enumerate(claim.service_details, start=1):
        service = detail.service
        lines.append(
            Line(
                number=number,
                procedure_qualifier=service.qualifier,
                procedure_code=service.procedure_code,
                revenue_code=service.revenue_code,
                units=service.units,
                service_date=service.service_dates[0],
                charged=service.submitted_amount,
                paid=service.amount_paid,
                statuses=tuple(code for status in detail.status for code in status.codes()),
            )
        )
    return ClaimAnswer(
        statuses=first.codes() + tuple(code for status in claim.additional_statuses for code in status.codes()),
        tracking_number=first.tracking_number,
        payer_claim_number=first.payer_claim_number,
        patient_account_number=first.patient_account_number,
        service_date_from=start,
        service_date_to=end,
        charged=first.submitted_amount,
        paid=first.amount_paid,
        adjudicated_date=first.paid_date,
        received_date=first.effective_date if first.category.upper() in RECEIVED_CATEGORIES else None,
        check_number=first.check_number,
        check_date=first.check_issue_date,
        payment_method=first.payment_method,
        message=first.message,
        lines=tuple(lines),
    )


class Token(OptumModel):
    access_token: str = Field(min_length=1)
    expires_in: int = Field(3600, ge=0)
    token_type: Str = "bearer"


# --- the request ---------------------------------------------------------------------------------


def control_number() -> str:
    """A fresh nine-digit controlNumber (ST02/ISA13 of the 276 Optum makes from it)."""
    return f"{secrets.randbelow(999_999_999) + 1:09d}"


def _ccyymmdd(day: date | None) -> str | None:
    return day.strftime("%Y%m%d") if day else None


# Optum refuses any text with an X12 delimiter, and the 276 could not carry it.
_DELIMITERS = re.compile(rf"\s*[{re.escape(x12.values.DELIMITERS)}]+\s*")


def partner_name(name: str) -> str | None:
    """The payer's name as ``tradingPartnerName``: names in the payer list may hold a delimiter
    ("Optum sandbox: accepted and paid"); it becomes " - ", and the name is cut to Optum's 60."""
    cleaned = _DELIMITERS.sub(" - ", name).strip(" -")
    return cleaned[:60].rstrip(" -") or None


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value not in (None, "", [], {})}


def optum_request(query: Query, number: str) -> dict[str, Any]:
    """The Optum JSON ``Request`` for ``query``: what the query has, nothing made up."""
    provider = _clean(
        {
            "providerType": "BillingProvider",
            "organizationName": query.provider_name.strip(),
            "npi": query.provider_npi.strip(),
            "taxId": query.provider_tax_id.replace("-", "").strip(),
        }
    )
    subscriber = _clean(
        {
            "memberId": query.member_id.strip(),
            "firstName": query.subscriber.first_name,
            "lastName": query.subscriber.last_name,
            "gender": query.subscriber.gender,
            "dateOfBirth": _ccyymmdd(query.subscriber.date_of_birth),
            "groupNumber": query.group_number.strip(),
        }
    )
    body: dict[str, Any] = {
        "controlNumber": number,
        "tradingPartnerServiceId": query.payer_id,
        "tradingPartnerName": partner_name(query.payer_name),
        "providers": [provider],
        "subscriber": subscriber,
    }
    if query.patient is not None:
        body["dependent"] = _clean(
            {
                "firstName": query.patient.first_name,
                "lastName": query.patient.last_name,
                "gender": query.patient.gender,
                "dateOfBirth": _ccyymmdd(query.patient.date_of_birth),
            }
        )
    body["encounter"] = _clean(
        {
            "beginningDateOfService": _ccyymmdd(query.service_date_from),
            "endDateOfService": _ccyymmdd(query.service_date_to or query.service_date_from),
            "submittedAmount": f"{query.billed_amount:.2f}" if query.billed_amount is not None else None,
            "trackingNumber": query.tracking_number,
        }
    )
    return _clean(body)


# --- the client ----------------------------------------------------------------------------------


class OptumClient:
    def __init__(
        self,
        *,
        base_url: str,
        client_id: str,
        client_secret: str,
        policy: RetryPolicy | None = None,
        token_margin: float = 60.0,
        busy_retries: int = 2,
        busy_backoff: float = 1.0,
    ) -> None:
        if not base_url or not client_id or not client_secret:
            raise ValueError("Optum needs OPTUM_BASE_URL, OPTUM_CLIENT_ID and OPTUM_CLIENT_SECRET")
        self.transport = Transport(
            base_url, policy or RetryPolicy(read_timeout=30.0, overall_timeout=60.0), service="optum"
        )
        self._client_id = client_id
        self._client_secret = client_secret
        self.token_margin = token_margin
        self.busy_retries = busy_retries
        self.busy_backoff = busy_backoff
        # One token per base URL and client id (the cache key names the account, never the secret).
        # ``fetch`` looks ``_fetch_token`` up at each fetch, so tests can count fetches on the class.
        self.shared_token = SharedToken(
            "optum:token",
            base_url=self.transport.base_url,
            client_id=client_id,
            fetch=lambda: self._fetch_token(),
            margin=token_margin,
        )

    def __repr__(self) -> str:
        return f"OptumClient(base_url={self.transport.base_url!r})"  # never the id's secret

    @classmethod
    def from_settings(cls) -> OptumClient:
        from django.conf import settings

        return cls(
            base_url=settings.OPTUM_BASE_URL,
            client_id=settings.OPTUM_CLIENT_ID,
            client_secret=settings.OPTUM_CLIENT_SECRET,
        )

    # --- token ----------------------------------------------------------------------------------

    def token(self, *, stale: str | None = None) -> str:
        """The shared token; ``stale`` is one the API refused: a different cached one (another
        process fetched it meanwhile) is used, else a new one is fetched."""
        return self.shared_token.get(stale)

    def forget_token(self) -> None:
        self.shared_token.forget()

    def _fetch_token(self) -> tuple[str, float]:
        """A new token from Optum and its lifetime (``SharedToken`` keeps it)."""
        response = self.transport.request(
            "POST",
            TOKEN_PATH,
            route=TOKEN_PATH,
            mode=RetryMode.IDEMPOTENT,
            json={
                "client_id": self._client_id,
                "client_secret": self._client_secret,
                "grant_type": "client_credentials",
            },
            answers={400, 401},
        )
        if response.status_code in (400, 401):  # {"error": "invalid_client", "error_description": ...}
            body = _json_or_empty(response)
            cls = UnauthorizedError if response.status_code == 401 else BadRequestError
            raise cls(
                status=response.status_code,
                title=f"Optum refused the client credentials ({_first_text(body, 'error') or 'no reason'})",
                detail=_first_text(body, "error_description", "message") or None,
                request_id=response.headers.get("X-Request-Id"),
            )
        token = Token.from_json(_json(response))
        keep = kept_seconds(token.expires_in, self.token_margin)
        log.info("optum_token_fetched", extra={"expires_in": token.expires_in, "kept_seconds": max(keep, 0)})
        return token.access_token, token.expires_in

    # --- calls ----------------------------------------------------------------------------------

    def _authorized(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One call with the shared token; on a 401 one new token and one retry."""
        token = self.token()
        response = self.transport.request(method, path, route=path, token=token, answers={400, 401, 422}, **kwargs)
        if response.status_code == 401:
            token = self.token(stale=token)
            response = self.transport.request(method, path, route=path, token=token, answers={400, 401, 422}, **kwargs)
            if response.status_code == 401:
                raise _unauthorized(response)
        return response

    def healthcheck(self) -> dict[str, Any]:
        response = self._authorized("GET", HEALTHCHECK_PATH)
        body = _json(response)
        if response.status_code >= 400 or not isinstance(body, dict):
            raise error_from_response(response, response.headers.get("X-Request-Id"))
        return body

    def status(self, query: Query, *, raw_x12: bool = False) -> Answer:
        """What the insurer says about the claim ``query`` asks about."""
        attempt = 0
        while True:
            number = control_number()
            body = optum_request(query, number)
            if raw_x12:
                response = self._authorized(
                    "POST", RAW_X12_PATH, json={"x12": _build_276(body)}, mode=RetryMode.IDEMPOTENT
                )
            else:
                response = self._authorized("POST", STATUS_PATH, json=body, mode=RetryMode.IDEMPOTENT)
            if response.status_code >= 400 and not _json_or_empty(response):
                raise error_from_response(response, response.headers.get("X-Request-Id"))  # not Optum's JSON
            answer = Response.from_json(_json(response))
            errors = answer.all_errors
            if not errors and response.status_code < 400:
                return _read_x12(answer) if raw_x12 else answer.answer(Channel.OPTUM_JSON)
            request_id = response.headers.get("X-Request-Id")
            problems = tuple(error.problem() for error in errors)
            if not errors:  # a gateway's {"error": ...} or an empty 400
                raise _gateway_error(response, answer)
            if all(error.try_later for error in errors):
                if any(error.do_not_resubmit for error in errors) or attempt >= self.busy_retries:
                    raise InsurerUnavailable(
                        status=response.status_code,
                        problems=problems,
                        request_id=request_id,
                        detail="Optum: " + "; ".join(p.code or p.field for p in problems),
                    )
                log.info("optum_try_later", extra={"attempt": attempt, "codes": ",".join(p.code for p in problems)})
                time.sleep(self.transport.policy.backoff(attempt) * self.busy_backoff)
                attempt += 1
                continue
            raise InsurerRefused(
                status=response.status_code,
                problems=problems,
                request_id=request_id,
                detail="Optum refused: " + ", ".join(p.field or p.code for p in problems),
            )


def _build_276(body: dict[str, Any]) -> str:
    try:
        return x12.build_276(x12.StatusRequest.from_optum(body), receiver_id=body.get("tradingPartnerServiceId"))
    except x12.X12Error as exc:  # a value the 276 cannot carry (a reserved character, ...)
        raise InsurerRefused(
            status=None, problems=(FieldProblem(description=str(exc), code="X12"),), detail=str(exc)
        ) from None


def _read_x12(answer: Response) -> Answer:
    if not answer.x12:
        raise MalformedResponseError(detail="Optum's raw-x12 answer has no x12")
    try:
        parsed = x12.parse_277(answer.x12)
        reports = [Response.from_json(x12.report_to_optum(report)) for report in parsed.reports]
    except x12.X12Error as exc:
        raise MalformedResponseError(detail=f"Optum's 277: {exc}") from None
    if not reports:
        raise MalformedResponseError(detail="Optum's 277 has no report")
    answers = [report.answer(Channel.OPTUM_X12, warnings=tuple(parsed.warnings)) for report in reports]
    first = answers[0]
    return first.model_copy(
        update={
            "claims": tuple(claim for a in answers for claim in a.claims),
            "request_statuses": tuple(status for a in answers for status in a.request_statuses),
        }
    )


def _unauthorized(response: requests.Response) -> ApiError:
    body = _json_or_empty(response)
    return UnauthorizedError(
        status=401,
        detail=_first_text(body, "error_description", "message", "error") or "Optum refused the token",
        request_id=response.headers.get("X-Request-Id"),
    )


def _gateway_error(response: requests.Response, answer: Response) -> ApiError:
    error = error_from_response(response, response.headers.get("X-Request-Id"))
    words = answer.error_description or answer.message or answer.error
    if words and not error.detail:
        error.detail = words
    return error


def _json_or_empty(response: requests.Response) -> dict[str, Any]:
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _first_text(body: dict[str, Any], *keys: str) -> str:
    for key in keys:
        if isinstance(body.get(key), str) and body[key]:
            return str(body[key])
    return ""


def _json(response: requests.Response) -> Any:
    try:
        return json.loads(response.content, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        raise MalformedResponseError(
            status=response.status_code, detail="Optum answered with a body that is not JSON."
        ) from None


__all__ = [
    "HEALTHCHECK_PATH",
    "RAW_X12_PATH",
    "STATUS_PATH",
    "TOKEN_PATH",
    "OptumClient",
    "Response",
    "control_number",
    "optum_request",
]
