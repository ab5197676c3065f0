"""NM1, DMG, PER, STC and the envelopes, read and written the same way by the 276 and 277 code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from x12.errors import X12Error
from x12.model import Party, PayerInfo, ProviderId, ProviderType, StatusTriple, Stc
from x12.values import clean, format_amount, format_date, parse_amount, parse_date

# --- reading -----------------------------------------------------------------------------------
# Readers take a segment's elements as a list (``e[0]`` is the id, ``e[n]`` element n).


def el(e: list[str], position: int) -> str:
    return e[position] if position < len(e) else ""


def read_provider(e: list[str], provider_type: ProviderType) -> ProviderId:
    """NM1*41 / NM1*1P -> ProviderId; the one id goes where NM108 says."""
    n = len(e)
    entity_type = e[2] if n > 2 else ""
    name = e[3] if n > 3 else ""
    first = e[4] if n > 4 else ""
    qualifier = e[8].upper() if n > 8 else ""
    number = e[9] if n > 9 else ""
    person = entity_type == "1"
    ids: dict[str, str] = {}
    if number:
        if qualifier == "XX":
            ids["npi"] = number
        elif qualifier == "FI":
            ids["tax_id" if provider_type == "BillingProvider" else "tin"] = number
        elif qualifier == "SV":
            ids["spn"] = number
        elif qualifier == "46":
            ids["etin"] = number
        else:  # another qualifier (e.g. "PI", "XV"): keep the number rather than lose it
            ids["spn" if provider_type == "ServiceProvider" else "etin"] = number
    return ProviderId(
        provider_type=provider_type,
        organization_name=None if person or not name else name,
        last_name=name if person and name else None,
        first_name=first or None,
        **ids,
    )


def read_party(e: list[str]) -> Party:
    """NM1*IL / NM1*QC -> Party (names and member id; DMG and REF*6P are added by the caller)."""
    n = len(e)
    return Party(
        member_id=(e[9] if n > 9 else "") or None,
        first_name=(e[4] if n > 4 else "") or None,
        last_name=(e[3] if n > 3 else "") or None,
    )


def with_demographics(party: Party | None, e: list[str]) -> Party:
    """DMG*D8*CCYYMMDD*G -> date of birth and gender on the party (a DMG may come before its NM1)."""
    birth = parse_date(el(e, 2))
    gender = el(e, 3).upper() or None
    if party is None:
        return Party(gender=gender, date_of_birth=birth)
    return replace(party, gender=gender or party.gender, date_of_birth=birth or party.date_of_birth)


def merge_party(named: Party, demographics: Party | None) -> Party:
    if demographics is None:
        return named
    return replace(named, gender=demographics.gender, date_of_birth=demographics.date_of_birth)


def read_payer(e: list[str], payer: PayerInfo) -> None:
    payer.name = el(e, 3)
    payer.id = el(e, 9)


def read_contact(e: list[str], payer: PayerInfo) -> None:
    """PER*IC*name*TE*phone*EX*ext*EM*email: up to three qualifier/number pairs."""
    payer.contact_name = el(e, 2)
    for position in (3, 5, 7):
        qualifier, number = el(e, position).upper(), el(e, position + 1)
        if qualifier == "TE":
            payer.phone = number
        elif qualifier == "EX":
            payer.phone_extension = number
        elif qualifier == "EM":
            payer.email = number
        elif qualifier == "FX":
            payer.fax = number
        elif qualifier == "UR":
            payer.url = number


def _triple(text: str, separator: str) -> StatusTriple:
    parts = text.split(separator)
    n = len(parts)
    return StatusTriple(
        parts[0].upper(),
        parts[1].upper() if n > 1 else "",
        parts[2].upper() if n > 2 else "",
        parts[3].upper() if n > 3 else "",
    )


def read_stc(e: list[str], separator: str) -> Stc:
    """STC -> Stc. The element and component numbering is X12's (STC01-1 is the category)."""
    n = len(e)
    if n < 13:
        e = e + [""] * (13 - n)
    primary = e[1].split(separator)
    p = len(primary)
    secondary = []
    if e[10]:
        secondary.append(_triple(e[10], separator))
    if e[11]:
        secondary.append(_triple(e[11], separator))
    return Stc(
        primary[0].upper(),
        primary[1].upper() if p > 1 else "",
        primary[2].upper() if p > 2 else "",
        primary[3].upper() if p > 3 else "",
        parse_date(e[2]) if e[2] else None,
        e[3].upper(),
        parse_amount(e[4]) if e[4] else None,
        parse_amount(e[5]) if e[5] else None,
        parse_date(e[6]) if e[6] else None,
        e[7].upper(),
        parse_date(e[8]) if e[8] else None,
        e[9],
        e[12],
        secondary,
    )


# --- writing -----------------------------------------------------------------------------------


class Writer:
    """Collects segments (``*`` elements, ``:`` components, ``~`` + line break terminators) with
    trailing empty elements dropped, and counts them for SE01."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, *elements: str) -> None:
        values = list(elements)
        while len(values) > 1 and values[-1] == "":
            values.pop()
        self.lines.append("*".join(values))

    def text(self) -> str:
        return "".join(f"{line}~\n" for line in self.lines)


def composite(*parts: str) -> str:
    values = list(parts)
    while values and values[-1] == "":
        values.pop()
    return ":".join(values)


def amount(value: object, field: str) -> str:
    return "" if value is None else format_amount(value, field)  # type: ignore[arg-type]


def day(value: object) -> str:
    return "" if value is None else format_date(value)  # type: ignore[arg-type]


def provider_nm1(writer: Writer, provider: ProviderId, entity: str, field: str) -> None:
    """NM1*41 (billing) or NM1*1P (service). One id: billing prefers etin, tax id, tin, npi;
    service prefers npi, tin, tax id, spn (the order the X212 guide lists them)."""
    person = not provider.organization_name and bool(provider.last_name)
    name = provider.last_name if person else provider.organization_name
    if entity == "41":
        choices = (("46", provider.etin), ("FI", provider.tax_id), ("FI", provider.tin), ("XX", provider.npi))
    else:
        choices = (("XX", provider.npi), ("FI", provider.tin), ("FI", provider.tax_id), ("SV", provider.spn))
    qualifier, number = next(((q, n) for q, n in choices if n), ("", ""))
    writer.add(
        "NM1",
        entity,
        "1" if person else "2",
        clean(name, f"{field}.name"),
        clean(provider.first_name if person else None, f"{field}.firstName"),
        "",
        "",
        "",
        qualifier,
        clean(number, f"{field}.id"),
    )


def party_nm1(writer: Writer, party: Party, entity: str, field: str) -> None:
    member = clean(party.member_id, f"{field}.memberId")
    writer.add(
        "NM1",
        entity,
        "1",
        clean(party.last_name, f"{field}.lastName"),
        clean(party.first_name, f"{field}.firstName"),
        "",
        "",
        "",
        "MI" if member else "",
        member,
    )


def stc_segment(writer: Writer, stc: Stc, field: str) -> None:
    def triple(t: StatusTriple, name: str) -> str:
        return composite(
            clean(t.category, f"{name}.category"),
            clean(t.code, f"{name}.code"),
            clean(t.entity, f"{name}.entity"),
            clean(t.code_list_qualifier, f"{name}.codeListQualifier"),
        )

    if len(stc.secondary) > 2:
        raise X12Error(
            f"{field}: an STC carries at most two further statuses (STC10 and STC11).",
            field=field,
        )
    if not stc.category:
        raise X12Error(f"{field}.category: a status needs its category code.", field=field)
    extra = [triple(t, f"{field}.secondary[{i}]") for i, t in enumerate(stc.secondary)]
    extra += [""] * (2 - len(extra))
    writer.add(
        "STC",
        triple(StatusTriple(stc.category, stc.code, stc.entity, stc.code_list_qualifier), field),
        day(stc.effective_date),
        clean(stc.action_code, f"{field}.actionCode"),
        amount(stc.submitted_amount, f"{field}.submittedAmount"),
        amount(stc.amount_paid, f"{field}.amountPaid"),
        day(stc.paid_date),
        clean(stc.payment_method, f"{field}.paymentMethod"),
        day(stc.check_issue_date),
        clean(stc.check_number, f"{field}.checkNumber"),
        extra[0],
        extra[1],
        clean(stc.message, f"{field}.message"),
    )


def control_digits(control_number: str, field: str = "controlNumber") -> str:
    text = (control_number or "").strip()
    if not text.isdigit() or len(text) > 9:
        raise X12Error(
            f"{field}: a control number is up to nine digits (it becomes ISA13, GS06 and ST02).",
            field=field,
        )
    return text.zfill(9)


def _isa_id(value: str, field: str) -> str:
    text = clean(value, field)
    if not text or len(text) > 15:
        raise X12Error(f"{field}: an interchange id is 1 to 15 characters.", field=field)
    return text.ljust(15)


def envelope(
    body: Callable[[Writer], None],
    *,
    functional_id: str,
    set_id: str,
    control_number: str,
    sender_id: str,
    receiver_id: str,
    now: datetime | None,
    test: bool,
) -> str:
    """ISA/GS/ST ... SE/GE/IEA around the segments ``body`` writes; SE01 counted."""
    moment = now or datetime.now()  # the interchange date is the sender's local date
    icn = control_digits(control_number)
    group = str(int(icn))
    sender, receiver = _isa_id(sender_id, "sender_id"), _isa_id(receiver_id, "receiver_id")
    yymmdd, hhmm = moment.strftime("%y%m%d"), moment.strftime("%H%M")
    isa = "*".join(
        [
            "ISA", "00", " " * 10, "00", " " * 10, "ZZ", sender, "ZZ", receiver,
            yymmdd, hhmm, "^", "00501", icn, "0", "T" if test else "P", ":",
        ]
    )  # fmt: skip
    transaction = Writer()
    transaction.add("ST", set_id, icn, "005010X212")
    body(transaction)
    transaction.add("SE", str(len(transaction.lines) + 1), icn)
    head = Writer()
    head.add(
        "GS", functional_id, sender.strip(), receiver.strip(), moment.strftime("%Y%m%d"), hhmm, group, "X", "005010X212"
    )
    tail = Writer()
    tail.add("GE", "1", group)
    tail.add("IEA", "1", icn)
    return f"{isa}~\n" + head.text() + transaction.text() + tail.text()
