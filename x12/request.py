"""The 276 claim status request (005010X212): built from a ``StatusRequest``, and read back into
them (the sandbox reads the portal's 276s this way).

Hand-written for the reasons in ``x12.tokens``. The mapping is Optum's (research §1.3): payer
2100A NM1*PR (PI), billing provider 2100B NM1*41, service provider 2100C NM1*1P, subscriber
2000D DMG + 2100D NM1*IL, dependent 2000E DMG + 2100E NM1*QC, the claim 2200D/E (TRN*1, REF 1K,
BLT, EJ, XZ, D9, LU, 6P, AMT*T3, DTP*472) and one service line 2210D/E (SVC, REF*FJ, DTP*472).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from x12.entities import (
    Writer,
    amount,
    clean,
    composite,
    envelope,
    party_nm1,
    provider_nm1,
    read_party,
    read_provider,
    with_demographics,
)
from x12.errors import X12Error
from x12.model import Encounter, Parsed276, Party, ProviderId, ServiceLine, StatusRequest
from x12.tokens import Segment, Transaction, no_collection, tokenize
from x12.values import format_date, format_period, parse_amount, parse_period


def build_276(
    request: StatusRequest,
    *,
    sender_id: str = "PORTAL",
    receiver_id: str | None = None,
    now: datetime | None = None,
    test: bool = False,
) -> str:
    """A full ISA..IEA interchange with one 276 asking about ``request``'s claim.

    ``request.control_number`` (up to nine digits) becomes ISA13, GS06 and ST02; the receiver id
    defaults to the payer id. A value holding a delimiter (``~ * : ^``) raises ``X12Error``
    naming the field, as does a request without a billing provider or subscriber names.
    """
    moment = now or datetime.now()  # the sender's local business date

    def body(w: Writer) -> None:
        reference = request.encounter.tracking_number or request.control_number
        w.add(
            "BHT",
            "0010",
            "13",
            clean(reference, "encounter.trackingNumber"),
            moment.strftime("%Y%m%d"),
            moment.strftime("%H%M"),
        )
        _write_request(w, request)

    return envelope(
        body,
        functional_id="HR",
        set_id="276",
        control_number=request.control_number,
        sender_id=sender_id,
        receiver_id=receiver_id or request.payer_id or "PAYER",
        now=moment,
        test=test,
    )


def _write_request(w: Writer, request: StatusRequest) -> None:
    billing = next((p for p in request.providers if p.provider_type == "BillingProvider"), None)
    services = [p for p in request.providers if p.provider_type == "ServiceProvider"]
    if billing is None:
        raise X12Error(
            "providers: a 276 needs a BillingProvider (the information receiver, loop 2100B).", field="providers"
        )
    if not services:
        # Optum's rule: a missing service provider is the billing provider under its tax id.
        services = [
            ProviderId(
                "ServiceProvider",
                organization_name=billing.organization_name,
                last_name=billing.last_name,
                first_name=billing.first_name,
                tin=billing.tax_id or billing.tin,
                npi=None if (billing.tax_id or billing.tin) else billing.npi,
            )
        ]
    subscriber = request.subscriber
    if not subscriber.member_id or not subscriber.last_name:
        raise X12Error(
            "subscriber: a 276 needs the subscriber's member id and last name (loop 2100D).", field="subscriber"
        )
    w.add("HL", "1", "", "20", "1")
    w.add(
        "NM1", "PR", "2", clean(request.payer_name, "tradingPartnerName"), "", "", "", "",
        "PI", clean(request.payer_id, "tradingPartnerServiceId"),
    )  # fmt: skip
    w.add("HL", "2", "1", "21", "1")
    provider_nm1(w, billing, "41", "providers[BillingProvider]")
    number = 2
    for s_index, service in enumerate(services):
        number += 1
        provider_hl = str(number)
        w.add("HL", provider_hl, "2", "19", "1")
        provider_nm1(w, service, "1P", f"providers[ServiceProvider {s_index}]")
        if s_index < len(services) - 1:
            continue  # the claim sits under the last service provider
        number += 1
        subscriber_hl = str(number)
        w.add("HL", subscriber_hl, provider_hl, "22", "1" if request.dependent else "0")
        _demographics(w, subscriber, "subscriber")
        party_nm1(w, subscriber, "IL", "subscriber")
        patient = subscriber
        if request.dependent is not None:
            number += 1
            w.add("HL", str(number), subscriber_hl, "23")
            _demographics(w, request.dependent, "dependent")
            party_nm1(w, replace(request.dependent, member_id=None), "QC", "dependent")
            patient = request.dependent
        group = patient.group_number or (subscriber.group_number if patient is not subscriber else None)
        _write_encounter(w, request.encounter, group, request.control_number)


def _demographics(w: Writer, party: Party, field: str) -> None:
    if party.date_of_birth is None and not party.gender:
        return
    w.add(
        "DMG",
        "D8" if party.date_of_birth else "",
        format_date(party.date_of_birth) if party.date_of_birth else "",
        clean(party.gender, f"{field}.gender"),
    )


def _write_encounter(w: Writer, encounter: Encounter, group_number: str | None, control_number: str) -> None:
    # TRN02 is required; without a tracking number the request's control number identifies it.
    w.add("TRN", "1", clean(encounter.tracking_number or control_number, "encounter.trackingNumber"))
    for qualifier, value, name in (
        ("1K", encounter.trading_partner_claim_number, "encounter.tradingPartnerClaimNumber"),
        ("BLT", encounter.billing_type, "encounter.billingType"),
        ("LU", encounter.location_identifier, "encounter.locationIdentifier"),
        ("6P", group_number, "groupNumber"),
        ("EJ", encounter.patient_account_number, "encounter.patientAccountNumber"),
        ("XZ", encounter.pharmacy_prescription_number, "encounter.pharmacyPrescriptionNumber"),
        ("D9", encounter.clearinghouse_claim_number, "encounter.clearingHouseClaimNumber"),
    ):
        if value:
            w.add("REF", qualifier, clean(value, name))
    if encounter.submitted_amount is not None:
        w.add("AMT", "T3", amount(encounter.submitted_amount, "encounter.submittedAmount"))
    if encounter.beginning_date_of_service is not None:
        w.add("DTP", "472", *format_period(encounter.beginning_date_of_service, encounter.end_date_of_service))
    elif encounter.end_date_of_service is not None:
        w.add("DTP", "472", *format_period(encounter.end_date_of_service, None))
    line = encounter.service_line
    if line is None:
        return
    name = "serviceLineInformation"
    w.add(
        "SVC",
        composite(
            clean(line.qualifier, f"{name}.productOrServiceIDQualifier"),
            clean(line.procedure_code, f"{name}.procedureCode"),
            *(clean(m, f"{name}.procedureModifiers") for m in line.modifiers),
        ),
        amount(line.submitted_amount, f"{name}.lineItemChargeAmount"),
        "",
        clean(line.revenue_code, f"{name}.revenueCode"),
        "",
        "",
        amount(line.units, f"{name}.unitsOfServiceCount"),
    )
    if line.line_item_control_number:
        w.add("REF", "FJ", clean(line.line_item_control_number, f"{name}.lineItemControlNumber"))
    if line.service_date_from is not None:
        w.add("DTP", "472", *format_period(line.service_date_from, line.service_date_to))


# --- reading -----------------------------------------------------------------------------------


def parse_276(data: str | bytes) -> Parsed276:
    """Every claim question (2200D/E loop) of every 276 in the interchange, as ``StatusRequest``s."""
    with no_collection():  # one pause for the whole read (see no_collection)
        return _parse(data)


def _parse(data: str | bytes) -> Parsed276:
    interchange = tokenize(data)
    warnings = interchange.warnings
    requests: list[StatusRequest] = []
    for transaction in interchange.transactions:
        if transaction.set_id != "276":
            warnings.append(
                "The transaction set at {place} is a {set_id}, not a 276; it was skipped.".format(
                    place=transaction.segments[0].where(), set_id=transaction.set_id or "?"
                )
            )
            continue
        requests.extend(_read_transaction(transaction, warnings))
    if not interchange.transactions:
        warnings.append("The interchange holds no transaction set.")
    return Parsed276(requests=requests, warnings=warnings, control_number=interchange.control_number)


class _Claim:
    """A 2200 loop being read; becomes a frozen StatusRequest when the loop ends."""

    __slots__ = ("group", "line_values", "values")

    def __init__(self, tracking: str) -> None:
        self.values: dict[str, object] = {"tracking_number": tracking or None}
        self.line_values: dict[str, object] | None = None
        self.group: str | None = None


def _read_transaction(transaction: Transaction, warnings: list[str]) -> list[StatusRequest]:
    control = transaction.control_number
    payer_id = payer_name = None
    billing: ProviderId | None = None
    service: ProviderId | None = None
    subscriber: Party | None = None
    dependent: Party | None = None
    demographics: Party | None = None
    level = ""
    claim: _Claim | None = None
    requests: list[StatusRequest] = []

    def close() -> None:
        nonlocal claim
        if claim is None:
            return
        requests.append(_request(control, payer_id, payer_name, billing, service, subscriber, dependent, claim))
        claim = None

    for segment in transaction.segments:
        sid = segment.id
        if sid == "HL":
            close()
            level = segment.element(3).strip()
            demographics = None
            if level == "22":
                subscriber = dependent = None
            elif level == "23":
                dependent = None
            elif level == "19":
                service = None
        elif sid == "NM1":
            entity = segment.element(1).upper()
            if entity == "PR":
                payer_name, payer_id = segment.element(3) or None, segment.element(9) or None
            elif entity == "41":
                billing = read_provider(segment.elements, "BillingProvider")
            elif entity == "1P":
                service = read_provider(segment.elements, "ServiceProvider")
            elif entity == "IL":
                subscriber = _merge(read_party(segment.elements), demographics)
            elif entity == "QC":
                dependent = _merge(read_party(segment.elements), demographics)
            demographics = None
        elif sid == "DMG":
            demographics = with_demographics(demographics, segment.elements)
        elif sid == "TRN":
            close()
            if level not in ("22", "23"):
                warnings.append(f"{segment.where()}: a claim trace outside a subscriber or dependent level.")
            claim = _Claim(segment.element(2))
        elif claim is not None:
            _read_claim_segment(segment, claim, warnings)
        elif sid not in ("ST", "SE", "BHT", "PER", "N3", "N4"):
            warnings.append(
                f"{segment.where()}: this segment is not part of a 276 claim status request; it was skipped."
            )
    close()
    return requests


def _merge(named: Party, demographics: Party | None) -> Party:
    if demographics is None:
        return named
    return replace(named, gender=demographics.gender, date_of_birth=demographics.date_of_birth)


def _read_claim_segment(segment: Segment, claim: _Claim, warnings: list[str]) -> None:
    sid = segment.id
    values = claim.line_values if claim.line_values is not None else claim.values
    if sid == "REF":
        qualifier, value = segment.element(1).upper(), segment.element(2) or None
        target = {
            "1K": "trading_partner_claim_number",
            "BLT": "billing_type",
            "EJ": "patient_account_number",
            "D9": "clearinghouse_claim_number",
            "XZ": "pharmacy_prescription_number",
            "LU": "location_identifier",
        }.get(qualifier)
        if qualifier == "6P":
            claim.group = value
        elif qualifier == "FJ" and claim.line_values is not None:
            claim.line_values["line_item_control_number"] = value
        elif target is not None:
            claim.values[target] = value
    elif sid == "AMT":
        if segment.element(1).upper() == "T3":
            claim.values["submitted_amount"] = parse_amount(segment.element(2))
    elif sid == "DTP":
        if segment.element(1) == "472":
            start, end = parse_period(segment.element(2), segment.element(3))
            if claim.line_values is not None:
                values["service_date_from"], values["service_date_to"] = start, end
            else:
                values["beginning_date_of_service"], values["end_date_of_service"] = start, end
    elif sid == "SVC":
        parts = segment.components(1)
        claim.line_values = {
            "qualifier": parts[0].upper() or None,
            "procedure_code": (parts[1] if len(parts) > 1 else "") or None,
            "modifiers": tuple(m for m in parts[2:6] if m),
            "submitted_amount": parse_amount(segment.element(2)),
            "revenue_code": segment.element(4) or None,
            "units": parse_amount(segment.element(7)),
        }
    elif sid not in ("SE", "ST"):
        warnings.append(f"{segment.where()}: this segment is not part of a 276 claim; it was skipped.")


def _request(
    control: str,
    payer_id: str | None,
    payer_name: str | None,
    billing: ProviderId | None,
    service: ProviderId | None,
    subscriber: Party | None,
    dependent: Party | None,
    claim: _Claim,
) -> StatusRequest:
    values = dict(claim.values)
    if claim.line_values is not None:
        values["service_line"] = ServiceLine(**claim.line_values)  # type: ignore[arg-type]
    if claim.group:
        if dependent is not None:
            dependent = replace(dependent, group_number=claim.group)
        elif subscriber is not None:
            subscriber = replace(subscriber, group_number=claim.group)
    providers = tuple(p for p in (billing, service) if p is not None)
    return StatusRequest(
        control_number=control,
        payer_id=payer_id,
        payer_name=payer_name,
        providers=providers,
        subscriber=subscriber or Party(),
        dependent=dependent,
        encounter=Encounter(**values),  # type: ignore[arg-type]
    )
