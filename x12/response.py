"""The 277 claim status response (005010X212): read into ``StatusReport``s, and built from one.

Hand-written for the reasons in ``x12.tokens``: no maintained Python library reads 005010X212 into
typed values under pydantic 2. The reader walks the HL levels (20 payer, 21 information receiver,
19 provider, 22 subscriber, 23 dependent) in one pass and keeps what it does not use out of the
way: a segment it does not know is skipped with a warning, one it knows but has no use for (QTY,
AMT, N3 ... at any level) quietly.
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
    merge_party,
    party_nm1,
    provider_nm1,
    read_contact,
    read_party,
    read_payer,
    read_provider,
    read_stc,
    stc_segment,
    with_demographics,
)
from x12.errors import X12Error, where
from x12.model import (
    ClaimStatus,
    Parsed277,
    Party,
    ProviderId,
    ServiceLineStatus,
    StatusReport,
)
from x12.tokens import Transaction, no_collection, tokenize
from x12.values import format_period, parse_amount, parse_period

_LEVELS = frozenset({"20", "21", "19", "22", "23"})
_LEVEL_OF_ENTITY = {"PR": "20", "41": "21", "1P": "19", "IL": "22", "QC": "23"}
_NOBODY_BILLING = ProviderId("BillingProvider")
_NOBODY_SERVICE = ProviderId("ServiceProvider")

# Segments a 277 may carry that this reader has no use for: skipped without a warning.
_QUIET = frozenset("BHT QTY AMT N3 N4 NTE PWK K3 CTX ST SE".split())


def parse_277(data: str | bytes) -> Parsed277:
    """Read every 277 transaction set of an interchange; other sets are skipped with a warning."""
    with no_collection():  # one pause for the whole read (see no_collection)
        return _parse(data)


def _parse(data: str | bytes) -> Parsed277:
    interchange = tokenize(data)
    warnings = interchange.warnings
    reports: list[StatusReport] = []
    for transaction in interchange.transactions:
        if transaction.set_id != "277":
            warnings.append(
                "The transaction set at {place} is a {set_id}, not a 277; it was skipped.".format(
                    place=where(transaction.first_number, "ST"), set_id=transaction.set_id or "?"
                )
            )
            continue
        if transaction.implementation and transaction.implementation != "005010X212":
            warnings.append(
                "{place}: the implementation is {found}, read as 005010X212.".format(
                    place=where(transaction.first_number, "ST", 3), found=transaction.implementation
                )
            )
        reports.extend(_read_transaction(transaction, warnings))
    if not interchange.transactions:
        warnings.append("The interchange holds no transaction set.")
    return Parsed277(reports=reports, warnings=warnings, control_number=interchange.control_number)


class _Reader:
    """The state of one pass over a 277 transaction set. Handlers take the segment's elements
    (``e[0]`` is the id) and its number in the file (for warnings)."""

    __slots__ = (
        "claim",
        "dependent",
        "hl_number",
        "level",
        "line",
        "pending_demographics",
        "provider",
        "provider_statuses_hl",
        "report",
        "reports",
        "separator",
        "status_target",
        "subscriber",
        "warnings",
    )

    def __init__(self, warnings: list[str], separator: str) -> None:
        self.warnings = warnings
        self.separator = separator
        self.reports: list[StatusReport] = []
        self.report: StatusReport | None = None
        self.level = ""
        self.provider: ProviderId | None = None
        self.subscriber: Party | None = None
        self.dependent: Party | None = None
        self.pending_demographics: Party | None = None
        self.claim: ClaimStatus | None = None
        self.line: ServiceLineStatus | None = None
        self.status_target: str = ""  # "receiver" / "provider" after a TRN at 2200B / 2200C
        self.hl_number = 0  # the segment number of the HL being read
        self.provider_statuses_hl = 0  # the HL 19 whose trace and statuses the report holds

    def current_report(self) -> StatusReport:
        if self.report is None:
            self.report = StatusReport()
            self.reports.append(self.report)
        return self.report

    def further_report(self, *, same_receiver: bool) -> StatusReport:
        """A further report from the same information source (its payer copied): a report holds one
        information receiver, and the trace and statuses of one provider (its first), as Optum's
        JSON does; a second receiver (HL 21) or a second provider with statuses of its own (HL 19)
        starts another rather than being pooled with or written over the first."""
        old = self.current_report()
        report = StatusReport(payer=replace(old.payer), receiver=old.receiver if same_receiver else None)
        self.reports.append(report)
        self.report = report
        return report

    def provider_level_report(self) -> StatusReport:
        """The report that takes this provider's (HL 19's) trace number and statuses."""
        report = self.current_report()
        mine = self.provider
        first = report.providers[0] if report.providers else None
        taken = bool(report.provider_statuses or report.provider_tracking_number)
        if (taken and self.provider_statuses_hl != self.hl_number) or (not taken and first not in (None, mine)):
            old = report
            report = self.further_report(same_receiver=True)
            if mine is not None:
                if not any(claim.provider == mine for claim in old.claims) and mine in old.providers:
                    old.providers.remove(mine)  # named by its NM1 just now, before its trace
                report.providers.append(mine)
        self.provider_statuses_hl = self.hl_number
        return report

    def hl(self, e: list[str], number: int) -> None:
        self.claim = self.line = None
        self.status_target = ""
        self.pending_demographics = None
        self.hl_number = number
        level = e[3].strip().upper() if len(e) > 3 else ""
        if level == "PT":  # the 277CA's patient level (X214): read like a subscriber who is the patient
            level = "22"
        self.level = level
        report = self.report
        if (
            level == "21"
            and report is not None
            and (
                report.receiver is not None
                or report.receiver_statuses
                or report.receiver_tracking_number
                or report.providers
                or report.claims
            )
        ):
            self.further_report(same_receiver=False)  # a second information receiver
            self.provider = self.subscriber = self.dependent = None
        if level == "22":
            self.subscriber = self.dependent = None
        elif level == "23":
            self.dependent = None
        elif level == "19":
            self.provider = self.subscriber = self.dependent = None
        elif level == "20":
            self.report = StatusReport()
            self.reports.append(self.report)
            self.provider = self.subscriber = self.dependent = None
        elif level != "21":
            self.warnings.append(
                "{place}: unknown hierarchical level '{level}'; the level was read from the NM1 that follows.".format(
                    place=where(number, "HL", 3), level=level[:4]
                )
            )

    def nm1(self, e: list[str], number: int) -> None:
        entity = e[1].upper() if len(e) > 1 else ""
        level = self.level
        if level not in _LEVELS and entity in _LEVEL_OF_ENTITY:
            # An HL without a (known) level code: the NM1 under it says which level it is.
            level = self.level = _LEVEL_OF_ENTITY[entity]
            if level == "20":
                self.report = None
        report = self.current_report()
        if entity == "IL" or (level == "22" and (entity != "QC" or self.subscriber is None)):
            self.subscriber = merge_party(read_party(e), self.pending_demographics)
            self.pending_demographics = None
        elif entity == "QC" or level == "23":
            self.dependent = merge_party(read_party(e), self.pending_demographics)
            self.pending_demographics = None
        elif entity == "PR" or (level == "20" and entity not in ("41", "1P")):
            read_payer(e, report.payer)
        elif entity == "41" or (level == "21" and entity != "1P"):
            receiver = read_provider(e, "BillingProvider")
            # An NM1 with neither name nor id (what build_277 writes for "no receiver") says nothing.
            report.receiver = None if receiver == _NOBODY_BILLING else receiver
        elif entity == "1P" or level == "19":
            provider = read_provider(e, "ServiceProvider")
            self.provider = None if provider == _NOBODY_SERVICE else provider
            if self.provider is not None and self.provider not in report.providers:
                report.providers.append(self.provider)
        else:
            self.warnings.append(
                "{place}: an NM1 for entity '{entity}' was not expected here; it was skipped.".format(
                    place=where(number, "NM1", 1), entity=entity[:3]
                )
            )

    def dmg(self, e: list[str], number: int) -> None:
        if self.level == "23" and self.dependent is not None:
            self.dependent = with_demographics(self.dependent, e)
        elif self.level == "22" and self.subscriber is not None:
            self.subscriber = with_demographics(self.subscriber, e)
        else:
            self.pending_demographics = with_demographics(None, e)

    def trn(self, e: list[str], number: int) -> None:
        trace = e[2] if len(e) > 2 else ""
        self.line = None
        level = self.level
        if level == "22" or level == "23":
            self.open_claim(trace)
        elif level == "21":
            self.status_target = "receiver"
            self.current_report().receiver_tracking_number = trace
        elif level == "19":
            self.status_target = "provider"
            self.provider_level_report().provider_tracking_number = trace
        elif level != "20":  # a 277CA's batch trace at the information source: nothing to keep
            self.warnings.append(
                "{place}: a trace number outside a receiver, provider or claim level; it was skipped.".format(
                    place=where(number, "TRN", 2)
                )
            )

    def open_claim(self, trace: str) -> ClaimStatus:
        claim = ClaimStatus(trace, [], subscriber=self.subscriber, dependent=self.dependent, provider=self.provider)
        report = self.current_report()
        if not report.claims:
            report.subscriber, report.dependent = self.subscriber, self.dependent
        report.claims.append(claim)
        self.claim = claim
        return claim

    def stc(self, e: list[str], number: int) -> None:
        status = read_stc(e, self.separator)
        # A value given but unreadable is left out, with a warning (never its text: it is claim data).
        for position, value, what in (
            (2, status.effective_date, "a date (CCYYMMDD)"),
            (4, status.submitted_amount, "an amount"),
            (5, status.amount_paid, "an amount"),
            (6, status.paid_date, "a date (CCYYMMDD)"),
            (8, status.check_issue_date, "a date (CCYYMMDD)"),
        ):
            if value is None and position < len(e) and e[position].strip():
                self.warnings.append(f"{where(number, 'STC', position)} is not {what}; it was left out.")
        if not status.category:
            self.warnings.append(
                "{place}: a status without its category code; it was skipped.".format(place=where(number, "STC", 1, 1))
            )
            return
        if self.line is not None:
            self.line.statuses.append(status)
        elif self.claim is not None:
            self.claim.statuses.append(status)
        elif self.status_target == "receiver" or (self.level == "21" and not self.status_target):
            self.current_report().receiver_statuses.append(status)
        elif self.status_target == "provider" or self.level == "19":
            self.provider_level_report().provider_statuses.append(status)
        elif self.level in ("22", "23"):
            self.warnings.append(
                "{place}: a claim status without a TRN before it; read as a claim with no trace number.".format(
                    place=where(number, "STC")
                )
            )
            self.open_claim("").statuses.append(status)
        else:
            self.warnings.append(
                "{place}: a status outside any claim, receiver or provider; it was skipped.".format(
                    place=where(number, "STC")
                )
            )

    def ref(self, e: list[str], number: int) -> None:
        if len(e) < 3:
            return
        qualifier, value = e[1].upper(), e[2]
        if qualifier == "FJ":
            if self.line is not None:
                self.line.line_item_control_number = value
            elif self.claim is not None:
                self.warnings.append(
                    "{place}: a line item control number outside a service line; it was skipped.".format(
                        place=where(number, "REF", 1)
                    )
                )
            return
        claim = self.claim
        if claim is None:
            return  # a REF at a receiver/provider level: nothing to keep in X212
        if qualifier == "1K":
            claim.payer_claim_number = value
        elif qualifier == "EJ":
            claim.patient_account_number = value
        elif qualifier == "D9":
            claim.clearinghouse_claim_number = value
        elif qualifier == "BLT":
            claim.billing_type = value
        elif qualifier == "XZ":
            claim.pharmacy_prescription_number = value
        elif qualifier == "VV":
            claim.voucher_number = value

    def dtp(self, e: list[str], number: int) -> None:
        if len(e) < 4 or e[1] != "472":
            return
        start, end = parse_period(e[2], e[3])
        if start is None:
            self.warnings.append(
                "{place}: the service date is not a date (CCYYMMDD or CCYYMMDD-CCYYMMDD); it was skipped.".format(
                    place=where(number, "DTP", 3)
                )
            )
            return
        target = self.line if self.line is not None else self.claim
        if target is not None:
            target.service_date_from, target.service_date_to = start, end

    def svc(self, e: list[str], number: int) -> None:
        claim = self.claim
        if claim is None:
            self.warnings.append(
                "{place}: a service line outside a claim; it was skipped.".format(place=where(number, "SVC"))
            )
            return
        n = len(e)
        parts = (e[1] if n > 1 else "").split(self.separator)
        line = ServiceLineStatus(
            parts[0].upper(),
            parts[1] if len(parts) > 1 else "",
            tuple(m for m in parts[2:6] if m) if len(parts) > 2 else (),
            parse_amount(e[2]) if n > 2 and e[2] else None,
            parse_amount(e[3]) if n > 3 and e[3] else None,
            e[4] if n > 4 else "",
            parse_amount(e[7]) if n > 7 and e[7] else None,
            [],
        )
        claim.service_lines.append(line)
        self.line = line

    def per(self, e: list[str], number: int) -> None:
        if self.level == "20" and self.report is not None:
            read_contact(e, self.report.payer)


def _read_transaction(transaction: Transaction, warnings: list[str]) -> list[StatusReport]:
    reader = _Reader(warnings, transaction.component_separator)
    handlers = {
        "HL": reader.hl,
        "NM1": reader.nm1,
        "DMG": reader.dmg,
        "TRN": reader.trn,
        "STC": reader.stc,
        "REF": reader.ref,
        "DTP": reader.dtp,
        "SVC": reader.svc,
        "PER": reader.per,
    }
    quiet = _QUIET
    number = transaction.first_number
    for e in transaction.rows:
        handler = handlers.get(e[0])
        if handler is not None:
            handler(e, number)
        elif e[0] and e[0] not in quiet:
            warnings.append(f"{where(number, e[0])}: this segment is not part of a 277 claim status; it was skipped.")
        number += 1
    return reader.reports


# --- building ----------------------------------------------------------------------------------


def build_277(
    report: StatusReport,
    *,
    control_number: str,
    now: datetime | None = None,
    sender_id: str | None = None,
    receiver_id: str = "PORTAL",
    test: bool = False,
) -> str:
    """A full ISA..IEA interchange holding one 277 (005010X212) that says what ``report`` says.

    Claims keep their order, each under its provider (HL 19) and subscriber (HL 22, a dependent
    under it as HL 23); a claim whose ``provider`` is None sits under the report's first provider
    and one whose ``subscriber`` is None under the report's subscriber (and read back so). Data
    holding a delimiter (``~ * : ^``) raises ``X12Error`` naming the field.

    ``parse_277`` of the result gives ``report`` back, except what a 005010X212 277 has no place
    for: a party's date of birth, gender and group number (the 276 carries them, the 277 does not).
    Values are written as given: an empty trace number stays empty.
    """
    moment = now or datetime.now()  # local business date of the answer

    def body(w: Writer) -> None:
        w.add(
            "BHT",
            "0010",
            "08",
            clean(control_number, "controlNumber"),
            moment.strftime("%Y%m%d"),
            moment.strftime("%H%M"),
            "DG",
        )
        _write_report(w, report)

    return envelope(
        body,
        functional_id="HN",
        set_id="277",
        control_number=control_number,
        sender_id=sender_id or report.payer.id or "PAYER",
        receiver_id=receiver_id,
        now=moment,
        test=test,
    )


class _Numbers:
    __slots__ = ("last",)

    def __init__(self) -> None:
        self.last = 0

    def next(self) -> str:
        self.last += 1
        return str(self.last)


def _write_report(w: Writer, report: StatusReport) -> None:
    hl = _Numbers()
    payer = report.payer
    source = hl.next()
    w.add("HL", source, "", "20", "1")
    w.add(
        "NM1",
        "PR",
        "2",
        clean(payer.name, "payer.name"),
        "",
        "",
        "",
        "",
        "PI" if payer.id else "",
        clean(payer.id, "payer.id"),
    )
    _write_contact(w, report)
    receiver_hl = hl.next()
    w.add("HL", receiver_hl, source, "21", "1" if report.providers or report.claims else "0")
    provider_nm1(w, report.receiver or _NOBODY_BILLING, "41", "receiver")
    if report.receiver_statuses or report.receiver_tracking_number:
        w.add("TRN", "2", clean(report.receiver_tracking_number, "receiverTrackingNumber"))
        for i, stc in enumerate(report.receiver_statuses):
            stc_segment(w, stc, f"receiverStatuses[{i}]")
    _write_providers(w, report, receiver_hl, hl)


def _write_providers(w: Writer, report: StatusReport, receiver_hl: str, hl: _Numbers) -> None:
    """HL 19 loops in the order that reads back as ``report``: claims keep their order (a provider
    whose claims are interleaved with another's gets a further HL 19), and providers first appear
    in ``report.providers`` order. A claim without a provider sits under the first provider."""
    order = list(report.providers)
    for claim in report.claims:
        if claim.provider is not None and claim.provider not in order:
            order.append(claim.provider)
    if not order and (report.claims or report.provider_statuses):
        order.append(_NOBODY_SERVICE)
    if not order:
        return
    first = order[0]
    runs: list[tuple[ProviderId, list[ClaimStatus]]] = []
    for claim in report.claims:
        provider = claim.provider or first
        if runs and runs[-1][0] == provider:
            runs[-1][1].append(claim)
        else:
            runs.append((provider, [claim]))
    emitted: list[ProviderId] = []
    positions = {id(claim): i for i, claim in enumerate(report.claims)}  # for field names in errors
    pending = 0  # providers in ``order`` before this one have appeared

    def provider_level(provider: ProviderId, claims: list[ClaimStatus]) -> None:
        provider_hl = hl.next()
        w.add("HL", provider_hl, receiver_hl, "19", "1" if claims else "0")
        provider_nm1(w, provider, "1P", f"providers[{order.index(provider)}]")
        if not emitted and (report.provider_statuses or report.provider_tracking_number):
            w.add("TRN", "1", clean(report.provider_tracking_number, "providerTrackingNumber"))
            for i, stc in enumerate(report.provider_statuses):
                stc_segment(w, stc, f"providerStatuses[{i}]")
        if provider not in emitted:
            emitted.append(provider)
        _write_claims(w, report, claims, provider_hl, hl, positions)

    for provider, claims in runs:
        while pending < len(order) and order[pending] in emitted:
            pending += 1
        while pending < len(order) and order[pending] != provider and order[pending] not in emitted:
            provider_level(order[pending], [])
            pending += 1
        provider_level(provider, claims)
    for provider in order:
        if provider not in emitted:
            provider_level(provider, [])


def _write_contact(w: Writer, report: StatusReport) -> None:
    payer = report.payer
    pairs = [
        (q, clean(v, f"payer.contactInformation.{n}"))
        for q, v, n in (
            ("TE", payer.phone, "phone"),
            ("EX", payer.phone_extension, "phoneExtension"),
            ("EM", payer.email, "email"),
            ("FX", payer.fax, "fax"),
            ("UR", payer.url, "url"),
        )
        if v
    ]
    if not (payer.contact_name or pairs):
        return
    elements = ["PER", "IC", clean(payer.contact_name, "payer.contactInformation.name")]
    for qualifier, number in pairs[:3]:
        elements += [qualifier, number]
    w.add(*elements)


def _write_claims(
    w: Writer, report: StatusReport, claims: list[ClaimStatus], parent: str, hl: _Numbers, positions: dict[int, int]
) -> None:
    """HL 22 per run of claims of one subscriber (a dependent's claims under HL 23 beneath it); a
    subscriber's own claim after a dependent's opens a fresh HL 22 so the order is kept."""
    groups: list[tuple[Party, list[ClaimStatus]]] = []
    for claim in claims:
        subscriber = claim.subscriber or report.subscriber or Party()
        if groups:
            last_subscriber, last_claims = groups[-1]
            after_dependent = last_claims[-1].dependent is not None and claim.dependent is None
            if last_subscriber == subscriber and not after_dependent:
                last_claims.append(claim)
                continue
        groups.append((subscriber, [claim]))
    for subscriber, members in groups:
        first_field = f"claims[{positions[id(members[0])]}]"
        subscriber_hl = hl.next()
        has_dependents = any(c.dependent is not None for c in members)
        w.add("HL", subscriber_hl, parent, "22", "1" if has_dependents else "0")
        party_nm1(w, subscriber, "IL", f"{first_field}.subscriber")
        dependent: Party | None = None
        for claim in members:
            field = f"claims[{positions[id(claim)]}]"
            if claim.dependent is not None and claim.dependent != dependent:
                dependent = claim.dependent
                w.add("HL", hl.next(), subscriber_hl, "23")
                party_nm1(w, dependent, "QC", f"{field}.dependent")
            _write_claim(w, claim, field)


def _write_claim(w: Writer, claim: ClaimStatus, field: str) -> None:
    w.add("TRN", "2", clean(claim.tracking_number, f"{field}.trackingNumber"))
    if not claim.statuses:
        raise X12Error(f"{field}: a claim in a 277 needs at least one status (STC).", field=field)
    for i, stc in enumerate(claim.statuses):
        stc_segment(w, stc, f"{field}.statuses[{i}]")
    for qualifier, value, name in (
        ("1K", claim.payer_claim_number, "tradingPartnerClaimNumber"),
        ("BLT", claim.billing_type, "billingType"),
        ("EJ", claim.patient_account_number, "patientAccountNumber"),
        ("XZ", claim.pharmacy_prescription_number, "pharmacyPrescriptionNumber"),
        ("VV", claim.voucher_number, "voucherNumber"),
        ("D9", claim.clearinghouse_claim_number, "clearingHouseClaimNumber"),
    ):
        if value:
            w.add("REF", qualifier, clean(value, f"{field}.{name}"))
    if claim.service_date_from is not None:
        w.add("DTP", "472", *format_period(claim.service_date_from, claim.service_date_to))
    for l_index, line in enumerate(claim.service_lines):
        name = f"{field}.serviceDetails[{l_index}]"
        procedure = composite(
            clean(line.qualifier, f"{name}.qualifier"),
            clean(line.procedure_code, f"{name}.procedureCode"),
            *(clean(m, f"{name}.modifiers") for m in line.modifiers),
        )
        w.add(
            "SVC",
            procedure,
            amount(line.submitted_amount, f"{name}.submittedAmount"),
            amount(line.amount_paid, f"{name}.amountPaid"),
            clean(line.revenue_code, f"{name}.revenueCode"),
            "",
            "",
            amount(line.units, f"{name}.units"),
        )
        for i, stc in enumerate(line.statuses):
            stc_segment(w, stc, f"{name}.statuses[{i}]")
        if line.line_item_control_number:
            w.add("REF", "FJ", clean(line.line_item_control_number, f"{name}.lineItemControlNumber"))
        if line.service_date_from is not None:
            w.add("DTP", "472", *format_period(line.service_date_from, line.service_date_to))
