"""Optum Claim Status v2 JSON <-> the library's types: the request (``StatusRequest.from_optum`` /
``.to_optum``) and the response (``report_to_optum`` / ``report_from_optum``).

The shapes are those of Optum's OpenAPI file (research §1.3, §1.4): camelCase keys, every value a
string, dates ``CCYYMMDD`` (a period ``CCYYMMDD-CCYYMMDD``). Plain dict reading rather than
pydantic models keeps ``x12`` free of a model layer the portal already has; the portal's gateway
validates Optum's answers with its own pydantic models before handing them here. Errors name
the field (``providers[0].providerType``), never its value.

Where Optum's response has no field for something a 277 says, ``report_to_optum`` adds one, so
that a 277 and its JSON say the same (the round trip is exact); Optum's own answers simply lack
them: on a status ``actionCode``, ``paymentMethodCode``, ``codeListQualifier``,
``freeFormMessage`` (and the money fields on line statuses); on a claim ``additionalStatuses``,
``billingType``, ``pharmacyPrescriptionNumber``, ``voucherNumber``, and ``serviceProvider``,
``subscriber``, ``dependent`` when they differ from what the top level implies; on a service
``procedureModifiers``, ``lineItemControlNumber``, ``serviceDate``; at the top level
``receiverStatuses``, ``providerStatuses`` and their tracking numbers.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from x12.errors import X12Error
from x12.model import (
    ClaimStatus,
    Encounter,
    Party,
    PayerInfo,
    ProviderId,
    ServiceLine,
    ServiceLineStatus,
    StatusReport,
    StatusRequest,
    StatusTriple,
    Stc,
)
from x12.values import format_amount, format_date, parse_date, parse_period

_PROVIDER_TYPES = ("BillingProvider", "ServiceProvider")
_PROVIDER_KEYS = (
    ("organizationName", "organization_name"),
    ("lastName", "last_name"),
    ("firstName", "first_name"),
    ("npi", "npi"),
    ("taxId", "tax_id"),
    ("tin", "tin"),
    ("spn", "spn"),
    ("etin", "etin"),
)
_SERVICE_QUALIFIERS = {
    "AD": "American Dental Association Codes",
    "ER": "Jurisdiction Specific Procedure and Supply Codes",
    "HC": "Health Care Financing Administration Common Procedural Coding System (HCPCS) Codes",
    "HP": "Health Insurance Prospective Payment System (HIPPS) Skilled Nursing Facility Rate Code",
    "IV": "Home Infusion EDI Coalition (HIEC) Product/Service Code",
    "N4": "National Drug Code in 5-4-2 Format",
    "NU": "National Uniform Billing Committee (NUBC) UB92 Codes",
    "WK": "Advanced Billing Concepts (ABC) Codes",
}


# --- reading JSON ------------------------------------------------------------------------------


def _problem(path: str, text: str) -> X12Error:
    return X12Error(f"{path}: {text}", field=path)


def _object(data: object, path: str, *, required: bool = False) -> Mapping[str, Any] | None:
    if data is None:
        if required:
            raise _problem(path, "is required.")
        return None
    if not isinstance(data, Mapping):
        raise _problem(path, "must be an object.")
    return data


def _text(data: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
    value = data.get(key)
    if isinstance(value, bool) or (value is not None and not isinstance(value, str | int | float | Decimal)):
        raise _problem(f"{path}.{key}", "must be a string.")
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise _problem(f"{path}.{key}", "is required.")
        return None
    return text


def _day(data: Mapping[str, Any], key: str, path: str) -> date | None:
    text = _text(data, key, path)
    if text is None:
        return None
    value = parse_date(text)
    if value is None:
        raise _problem(f"{path}.{key}", "must be a date written CCYYMMDD.")
    return value


def _decimal(data: Mapping[str, Any], key: str, path: str) -> Decimal | None:
    text = _text(data, key, path)
    if text is None:
        return None
    try:
        value = Decimal(text.replace(",", "").lstrip("$"))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise _problem(f"{path}.{key}", "must be an amount such as 150 or 95.55.")
    return value


def _list(data: Mapping[str, Any], key: str, path: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _problem(f"{path}.{key}", "must be a list.")
    return value


def _provider(data: object, path: str) -> ProviderId:
    d = _object(data, path, required=True)
    assert d is not None
    given = (_text(d, "providerType", path, required=True) or "").lower()
    kind = next((t for t in _PROVIDER_TYPES if t.lower() == given), None)
    if kind is None:
        raise _problem(f"{path}.providerType", "must be BillingProvider or ServiceProvider.")
    values = {name: _text(d, key, path) for key, name in _PROVIDER_KEYS}
    return ProviderId(provider_type=kind, **values)  # type: ignore[arg-type]


def _party(data: object, path: str, *, member_required: bool) -> Party | None:
    d = _object(data, path)
    if d is None:
        return None
    gender = _text(d, "gender", path)
    if gender is not None and gender.upper() not in ("M", "F", "U"):
        raise _problem(f"{path}.gender", "must be M, F or U.")
    return Party(
        member_id=_text(d, "memberId", path, required=member_required),
        first_name=_text(d, "firstName", path, required=member_required),
        last_name=_text(d, "lastName", path, required=member_required),
        gender=gender.upper() if gender else None,
        date_of_birth=_day(d, "dateOfBirth", path),
        group_number=_text(d, "groupNumber", path),
    )


def _service_line(data: object, path: str) -> ServiceLine | None:
    d = _object(data, path)
    if d is None:
        return None
    modifiers = []
    for i, item in enumerate(_list(d, "procedureModifiers", path)):
        if not isinstance(item, str):
            raise _problem(f"{path}.procedureModifiers[{i}]", "must be a string.")
        if item.strip():
            modifiers.append(item.strip())
    return ServiceLine(
        qualifier=_text(d, "productOrServiceIDQualifier", path),
        procedure_code=_text(d, "procedureCode", path),
        modifiers=tuple(modifiers),
        submitted_amount=_decimal(d, "lineItemChargeAmount", path),
        revenue_code=_text(d, "revenueCode", path),
        units=_decimal(d, "unitsOfServiceCount", path),
        line_item_control_number=_text(d, "lineItemControlNumber", path),
        service_date_from=_day(d, "serviceLineDate", path),
        service_date_to=_day(d, "serviceLineEndDate", path),
    )


def request_from_optum(data: Mapping[str, Any]) -> StatusRequest:
    """Optum's JSON request -> StatusRequest; raises X12Error naming the first bad field."""
    d = _object(data, "request", required=True)
    assert d is not None
    providers = _list(d, "providers", "request")
    if not providers:
        raise _problem("providers", "at least one provider is required.")
    dependent = _party(d.get("dependent"), "dependent", member_required=False)
    if dependent is not None and not (dependent.first_name and dependent.last_name):
        raise _problem("dependent", "firstName and lastName are required for a dependent.")
    subscriber = _party(d.get("subscriber"), "subscriber", member_required=True)
    if subscriber is None:
        raise _problem("subscriber", "is required.")
    encounter = _object(d.get("encounter"), "encounter") or {}
    line = d.get("serviceLineInformation", encounter.get("serviceLineInformation"))
    return StatusRequest(
        control_number=_text(d, "controlNumber", "request", required=True) or "",
        payer_id=_text(d, "tradingPartnerServiceId", "request"),
        payer_name=_text(d, "tradingPartnerName", "request"),
        providers=tuple(_provider(p, f"providers[{i}]") for i, p in enumerate(providers)),
        subscriber=subscriber,
        dependent=dependent,
        encounter=Encounter(
            beginning_date_of_service=_day(encounter, "beginningDateOfService", "encounter"),
            end_date_of_service=_day(encounter, "endDateOfService", "encounter"),
            tracking_number=_text(encounter, "trackingNumber", "encounter"),
            trading_partner_claim_number=_text(encounter, "tradingPartnerClaimNumber", "encounter"),
            patient_account_number=_text(encounter, "patientAccountNumber", "encounter"),
            clearinghouse_claim_number=_text(encounter, "clearingHouseClaimNumber", "encounter"),
            billing_type=_text(encounter, "billingType", "encounter"),
            submitted_amount=_decimal(encounter, "submittedAmount", "encounter"),
            service_line=_service_line(line, "serviceLineInformation"),
            location_identifier=_text(encounter, "locationIdentifier", "encounter"),
            pharmacy_prescription_number=_text(encounter, "pharmacyPrescriptionNumber", "encounter"),
        ),
    )


# --- writing JSON ------------------------------------------------------------------------------


def _put(out: dict[str, Any], key: str, value: object, field: str = "") -> None:
    """Only set values, all as strings: dates CCYYMMDD, amounts without trailing zeros."""
    if value is None or value == "" or value == ():
        return
    if isinstance(value, Decimal):
        out[key] = format_amount(value, field or key)
    elif isinstance(value, date):
        out[key] = format_date(value)
    else:
        out[key] = str(value)


def _period(start: date | None, end: date | None) -> str | None:
    if start is None:
        return None
    return format_date(start) if end is None else f"{format_date(start)}-{format_date(end)}"


def _provider_json(provider: ProviderId) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, name in _PROVIDER_KEYS:
        _put(out, key, getattr(provider, name))
    out["providerType"] = provider.provider_type
    return out


def _party_json(party: Party | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if party is None:
        return out
    _put(out, "memberId", party.member_id)
    _put(out, "firstName", party.first_name)
    _put(out, "lastName", party.last_name)
    _put(out, "gender", party.gender)
    _put(out, "dateOfBirth", party.date_of_birth)
    _put(out, "groupNumber", party.group_number)
    return out


def request_to_optum(request: StatusRequest) -> dict[str, Any]:
    out: dict[str, Any] = {"controlNumber": request.control_number}
    _put(out, "tradingPartnerServiceId", request.payer_id)
    _put(out, "tradingPartnerName", request.payer_name)
    out["providers"] = [_provider_json(p) for p in request.providers]
    out["subscriber"] = _party_json(request.subscriber)
    if request.dependent is not None:
        out["dependent"] = _party_json(request.dependent)
    e = request.encounter
    encounter: dict[str, Any] = {}
    _put(encounter, "beginningDateOfService", e.beginning_date_of_service)
    _put(encounter, "endDateOfService", e.end_date_of_service)
    _put(encounter, "trackingNumber", e.tracking_number)
    _put(encounter, "tradingPartnerClaimNumber", e.trading_partner_claim_number)
    _put(encounter, "locationIdentifier", e.location_identifier)
    _put(encounter, "billingType", e.billing_type)
    _put(encounter, "patientAccountNumber", e.patient_account_number)
    _put(encounter, "pharmacyPrescriptionNumber", e.pharmacy_prescription_number)
    _put(encounter, "clearingHouseClaimNumber", e.clearinghouse_claim_number)
    _put(encounter, "submittedAmount", e.submitted_amount, "encounter.submittedAmount")
    if encounter:
        out["encounter"] = encounter
    line = e.service_line
    if line is not None:
        info: dict[str, Any] = {}
        _put(info, "productOrServiceIDQualifier", line.qualifier)
        _put(info, "procedureCode", line.procedure_code)
        info["procedureModifiers"] = list(line.modifiers)
        _put(info, "lineItemChargeAmount", line.submitted_amount)
        _put(info, "revenueCode", line.revenue_code)
        _put(info, "unitsOfServiceCount", line.units)
        _put(info, "lineItemControlNumber", line.line_item_control_number)
        _put(info, "serviceLineDate", line.service_date_from)
        _put(info, "serviceLineEndDate", line.service_date_to)
        out["serviceLineInformation"] = info
    return out


def _meanings() -> Any:
    """``x12.codes`` when it is there (the words for Optum's ``…Value`` fields), else None."""
    try:
        return importlib.import_module("x12.codes")
    except ImportError:  # pragma: no cover - the code meanings come with their own branch
        return None


def _status_json(stc: Stc, codes: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _put(out, "statusCategoryCode", stc.category)
    _put(out, "statusCode", stc.code)
    _put(out, "entityCode", stc.entity)
    if codes is not None:
        if stc.category:
            _put(out, "statusCategoryCodeValue", codes.category(stc.category).text)
        if stc.code and stc.code_list_qualifier != "RX":
            _put(out, "statusCodeValue", codes.status(stc.code, stc.entity or None).text)
        if stc.entity:
            _put(out, "entity", codes.entity(stc.entity).text)
    _put(out, "codeListQualifier", stc.code_list_qualifier)
    _put(out, "effectiveDate", stc.effective_date)
    _put(out, "actionCode", stc.action_code)
    _put(out, "submittedAmount", stc.submitted_amount)
    _put(out, "amountPaid", stc.amount_paid)
    _put(out, "paidDate", stc.paid_date)
    _put(out, "paymentMethodCode", stc.payment_method)
    _put(out, "checkIssueDate", stc.check_issue_date)
    _put(out, "checkNumber", stc.check_number)
    for prefix, triple in zip(("secondary", "tertiary"), stc.secondary, strict=False):
        _put(out, f"{prefix}StatusCategoryCode", triple.category)
        _put(out, f"{prefix}StatusCode", triple.code)
        _put(out, f"{prefix}EntityCode", triple.entity)
        _put(out, f"{prefix}CodeListQualifier", triple.code_list_qualifier)
        if codes is not None:
            if triple.category:
                _put(out, f"{prefix}StatusCategoryCodeValue", codes.category(triple.category).text)
            if triple.code and triple.code_list_qualifier != "RX":
                _put(out, f"{prefix}StatusCodeValue", codes.status(triple.code, triple.entity or None).text)
            if triple.entity:
                _put(out, f"{prefix}Entity", codes.entity(triple.entity).text)
    _put(out, "freeFormMessage", stc.message)
    return out


def report_to_optum(report: StatusReport, *, control_number: str | None = None) -> dict[str, Any]:
    """The Optum JSON ``Response`` saying what ``report`` says (all values strings)."""
    codes = _meanings()
    out: dict[str, Any] = {}
    _put(out, "controlNumber", control_number)
    _put(out, "tradingPartnerServiceId", report.payer.id)
    payer: dict[str, Any] = {}
    _put(payer, "organizationName", report.payer.name)
    _put(payer, "payerIdentification", report.payer.id)
    contact: dict[str, Any] = {}
    _put(contact, "name", report.payer.contact_name)
    _put(contact, "phone", report.payer.phone)
    _put(contact, "phoneExtension", report.payer.phone_extension)
    _put(contact, "email", report.payer.email)
    _put(contact, "fax", report.payer.fax)
    _put(contact, "url", report.payer.url)
    if contact:
        payer["contactInformation"] = contact
    out["payer"] = payer
    providers = [report.receiver] if report.receiver is not None else []
    out["providers"] = [_provider_json(p) for p in providers + list(report.providers)]
    if report.subscriber is not None:
        out["subscriber"] = _party_json(report.subscriber)
    if report.dependent is not None:
        out["dependent"] = _party_json(report.dependent)
    out["claims"] = [_claim_json(claim, report, codes) for claim in report.claims]
    if report.receiver_statuses:
        out["receiverStatuses"] = [_status_json(s, codes) for s in report.receiver_statuses]
    _put(out, "receiverTrackingNumber", report.receiver_tracking_number)
    if report.provider_statuses:
        out["providerStatuses"] = [_status_json(s, codes) for s in report.provider_statuses]
    _put(out, "providerTrackingNumber", report.provider_tracking_number)
    return out


def _sole_service_provider(providers: list[ProviderId]) -> ProviderId | None:
    """The provider a claim sits under when Optum's answer does not say (it never does): the one
    service provider, if there is exactly one."""
    services = [p for p in providers if p.provider_type == "ServiceProvider"]
    return services[0] if len(services) == 1 else None


def _claim_json(claim: ClaimStatus, report: StatusReport, codes: Any) -> dict[str, Any]:
    status = _status_json(claim.statuses[0], codes) if claim.statuses else {}
    _put(status, "trackingNumber", claim.tracking_number)
    _put(status, "claimServiceDate", _period(claim.service_date_from, claim.service_date_to))
    _put(status, "tradingPartnerClaimNumber", claim.payer_claim_number)
    _put(status, "patientAccountNumber", claim.patient_account_number)
    _put(status, "clearingHouseClaimNumber", claim.clearinghouse_claim_number)
    out: dict[str, Any] = {"claimStatus": status}
    if len(claim.statuses) > 1:
        out["additionalStatuses"] = [_status_json(s, codes) for s in claim.statuses[1:]]
    _put(out, "billingType", claim.billing_type)
    _put(out, "pharmacyPrescriptionNumber", claim.pharmacy_prescription_number)
    _put(out, "voucherNumber", claim.voucher_number)
    if claim.provider != _sole_service_provider(report.providers):
        out["serviceProvider"] = _provider_json(claim.provider) if claim.provider is not None else {}
    if claim.subscriber != report.subscriber:
        out["subscriber"] = _party_json(claim.subscriber)
    if claim.dependent != report.dependent:
        out["dependent"] = _party_json(claim.dependent)
    details = []
    for line in claim.service_lines:
        service: dict[str, Any] = {}
        _put(service, "serviceIdQualifierCode", line.qualifier)
        _put(service, "serviceIdQualifier", _SERVICE_QUALIFIERS.get(line.qualifier))
        _put(service, "procedureId", line.procedure_code)
        _put(service, "submittedAmount", line.submitted_amount)
        _put(service, "amountPaid", line.amount_paid)
        _put(service, "revenueCode", line.revenue_code)
        _put(service, "submittedUnits", line.units)
        if line.modifiers:
            service["procedureModifiers"] = list(line.modifiers)
        _put(service, "lineItemControlNumber", line.line_item_control_number)
        _put(service, "serviceDate", _period(line.service_date_from, line.service_date_to))
        details.append({"service": service, "status": [_status_json(s, codes) for s in line.statuses]})
    if details:
        out["serviceDetails"] = details
    return out


# --- reading the JSON response -----------------------------------------------------------------


def _s(d: Mapping[str, Any], key: str, path: str) -> str:
    return _text(d, key, path) or ""


def _status(data: object, path: str) -> Stc | None:
    d = _object(data, path)
    if d is None:
        return None
    category = _s(d, "statusCategoryCode", path).upper()
    if not category:
        return None
    secondary = []
    for prefix in ("secondary", "tertiary"):
        triple = StatusTriple(
            _s(d, f"{prefix}StatusCategoryCode", path).upper(),
            _s(d, f"{prefix}StatusCode", path).upper(),
            _s(d, f"{prefix}EntityCode", path).upper(),
            _s(d, f"{prefix}CodeListQualifier", path).upper(),
        )
        if triple.category or triple.code:
            secondary.append(triple)
    return Stc(
        category=category,
        code=_s(d, "statusCode", path).upper(),
        entity=_s(d, "entityCode", path).upper(),
        code_list_qualifier=_s(d, "codeListQualifier", path).upper(),
        effective_date=_day(d, "effectiveDate", path),
        action_code=_s(d, "actionCode", path).upper(),
        submitted_amount=_decimal(d, "submittedAmount", path),
        amount_paid=_decimal(d, "amountPaid", path),
        paid_date=_day(d, "paidDate", path),
        payment_method=_s(d, "paymentMethodCode", path).upper(),
        check_issue_date=_day(d, "checkIssueDate", path),
        check_number=_s(d, "checkNumber", path),
        message=_s(d, "freeFormMessage", path),
        secondary=secondary,
    )


def _statuses(items: list[Any], path: str) -> list[Stc]:
    out = []
    for i, item in enumerate(items):
        status = _status(item, f"{path}[{i}]")
        if status is not None:
            out.append(status)
    return out


def _dates(d: Mapping[str, Any], key: str, path: str) -> tuple[date | None, date | None]:
    text = _text(d, key, path)
    if text is None:
        return None, None
    start, end = parse_period("", text.replace(" ", ""))
    if start is None:
        raise _problem(f"{path}.{key}", "must be a date CCYYMMDD or a period CCYYMMDD-CCYYMMDD.")
    return start, end


def report_from_optum(data: Mapping[str, Any]) -> StatusReport:
    """Optum's JSON ``Response`` -> StatusReport (``report_to_optum``'s inverse)."""
    d = _object(data, "response", required=True)
    assert d is not None
    payer_d = _object(d.get("payer"), "payer") or {}
    contact = _object(payer_d.get("contactInformation"), "payer.contactInformation") or {}
    cpath = "payer.contactInformation"
    payer = PayerInfo(
        name=_s(payer_d, "organizationName", "payer"),
        id=_s(payer_d, "payerIdentification", "payer")
        or _s(payer_d, "centersForMedicareAndMedicaidServicePlanId", "payer")
        or _s(d, "tradingPartnerServiceId", "response"),
        contact_name=_s(contact, "name", cpath),
        phone=_s(contact, "phone", cpath),
        phone_extension=_s(contact, "phoneExtension", cpath),
        email=_s(contact, "email", cpath),
        fax=_s(contact, "fax", cpath),
        url=_s(contact, "url", cpath),
    )
    receiver: ProviderId | None = None
    providers: list[ProviderId] = []
    for i, item in enumerate(_list(d, "providers", "response")):
        provider = _provider(item, f"providers[{i}]")
        if provider.provider_type == "BillingProvider" and receiver is None:
            receiver = provider
        else:
            providers.append(provider)
    subscriber = _party(d.get("subscriber"), "subscriber", member_required=False)
    dependent = _party(d.get("dependent"), "dependent", member_required=False)
    default_provider = _sole_service_provider(providers)
    claims = [
        _claim(item, f"claims[{i}]", subscriber, dependent, default_provider)
        for i, item in enumerate(_list(d, "claims", "response"))
    ]
    return StatusReport(
        payer=payer,
        receiver=receiver,
        providers=providers,
        subscriber=subscriber,
        dependent=dependent,
        claims=claims,
        receiver_statuses=_statuses(_list(d, "receiverStatuses", "response"), "receiverStatuses"),
        provider_statuses=_statuses(_list(d, "providerStatuses", "response"), "providerStatuses"),
        receiver_tracking_number=_s(d, "receiverTrackingNumber", "response"),
        provider_tracking_number=_s(d, "providerTrackingNumber", "response"),
    )


def _claim(
    data: object, path: str, subscriber: Party | None, dependent: Party | None, provider: ProviderId | None
) -> ClaimStatus:
    d = _object(data, path, required=True)
    assert d is not None
    status_d = _object(d.get("claimStatus"), f"{path}.claimStatus") or {}
    spath = f"{path}.claimStatus"
    statuses = []
    first = _status(status_d, spath)
    if first is not None:
        statuses.append(first)
    statuses += _statuses(_list(d, "additionalStatuses", path), f"{path}.additionalStatuses")
    start, end = _dates(status_d, "claimServiceDate", spath)
    if "serviceProvider" in d:
        given = d["serviceProvider"]
        provider = _provider(given, f"{path}.serviceProvider") if given else None
    if "subscriber" in d:
        subscriber = _party(d["subscriber"], f"{path}.subscriber", member_required=False) if d["subscriber"] else None
    if "dependent" in d:
        dependent = _party(d["dependent"], f"{path}.dependent", member_required=False) if d["dependent"] else None
    lines = []
    for i, item in enumerate(_list(d, "serviceDetails", path)):
        lpath = f"{path}.serviceDetails[{i}]"
        detail = _object(item, lpath, required=True) or {}
        service = _object(detail.get("service"), f"{lpath}.service") or {}
        vpath = f"{lpath}.service"
        line_start, line_end = _dates(service, "serviceDate", vpath)
        modifiers = tuple(str(m).strip() for m in _list(service, "procedureModifiers", vpath) if str(m).strip())
        lines.append(
            ServiceLineStatus(
                qualifier=_s(service, "serviceIdQualifierCode", vpath).upper(),
                procedure_code=_s(service, "procedureId", vpath),
                modifiers=modifiers,
                submitted_amount=_decimal(service, "submittedAmount", vpath),
                amount_paid=_decimal(service, "amountPaid", vpath),
                revenue_code=_s(service, "revenueCode", vpath),
                units=_decimal(service, "submittedUnits", vpath),
                statuses=_statuses(_list(detail, "status", lpath), f"{lpath}.status"),
                line_item_control_number=_s(service, "lineItemControlNumber", vpath),
                service_date_from=line_start,
                service_date_to=line_end,
            )
        )
    return ClaimStatus(
        tracking_number=_s(status_d, "trackingNumber", spath),
        statuses=statuses,
        payer_claim_number=_s(status_d, "tradingPartnerClaimNumber", spath),
        patient_account_number=_s(status_d, "patientAccountNumber", spath),
        clearinghouse_claim_number=_s(status_d, "clearingHouseClaimNumber", spath),
        service_date_from=start,
        service_date_to=end,
        service_lines=lines,
        subscriber=subscriber,
        dependent=dependent,
        billing_type=_s(d, "billingType", path),
        pharmacy_prescription_number=_s(d, "pharmacyPrescriptionNumber", path),
        voucher_number=_s(d, "voucherNumber", path),
        provider=provider,
    )
