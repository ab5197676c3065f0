"""The sample documents' contents and ground truth: receipts, invoices, EOBs, dependent-care
invoices and statements, varied by seed (layouts, fonts, label wordings, date and money styles,
distractor lines)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from evidence.model import Kind
from evidence.samples.page import Page
from x12.values import npi_check_digit

FLAWS = ("no_patient", "no_date", "no_provider", "amount_differs")
VARIANTS = ("pdf", "photo", "scan")
KINDS = (
    Kind.PHARMACY_RECEIPT,
    Kind.SHOP_RECEIPT,
    Kind.MEDICAL_INVOICE,
    Kind.DENTAL_INVOICE,
    Kind.EXPLANATION_OF_BENEFITS,
    Kind.DEPENDENT_CARE_INVOICE,
    Kind.STATEMENT_OF_ACCOUNT,
)

FIRST = [
    "Maria",
    "James",
    "Aisha",
    "Wei",
    "Olivia",
    "Diego",
    "Priya",
    "Noah",
    "Fatima",
    "Liam",
    "Sofia",
    "Ethan",
    "Chloe",
    "Mateo",
    "Hana",
    "Lucas",
    "Amara",
    "Owen",
    "Ines",
    "Kofi",
]
LAST = [
    "Lopez",
    "Smith",
    "Khan",
    "Chen",
    "Johnson",
    "Garcia",
    "Patel",
    "Brown",
    "Nguyen",
    "Okafor",
    "Rossi",
    "Miller",
    "Tanaka",
    "Silva",
    "Murphy",
    "Kowalski",
    "Haddad",
    "Anderson",
    "Fischer",
    "Moreau",
]


@dataclass(frozen=True)
class Locale:
    currency: str
    money: str  # "us_sign", "us_plain", "us_code", "eu_sign", "my", "uk"
    dates: str  # "mdy", "iso", "mon_d_y", "d_mon_y", "dmy", "dmy_dot"


def fmt_money(value: Decimal, locale: Locale) -> str:
    whole, cents = f"{abs(value):.2f}".split(".")
    grouped = f"{int(whole):,}"
    sign = "-" if value < 0 else ""
    style = locale.money
    if style == "us_sign":
        return f"{sign}${grouped}.{cents}"
    if style == "us_plain":
        return f"{sign}{whole}.{cents}"
    if style == "us_code":
        return f"{sign}USD {grouped}.{cents}"
    if style == "eu_sign":
        return f"{sign}{grouped.replace(',', '.')},{cents} €"
    if style == "my":
        return f"{sign}RM {grouped}.{cents}"
    return f"{sign}£{grouped}.{cents}"


def fmt_date(value: date, locale: Locale) -> str:
    style = locale.dates
    if style == "mdy":
        return value.strftime("%m/%d/%Y")
    if style == "iso":
        return value.isoformat()
    if style == "mon_d_y":
        return value.strftime("%b %d, %Y").replace(" 0", " ")
    if style == "d_mon_y":
        return value.strftime("%d-%b-%y").upper()
    if style == "dmy_dot":
        return value.strftime("%d.%m.%Y")
    return value.strftime("%d/%m/%Y")


_US_LOCALES = [
    Locale("USD", "us_sign", "mdy"),
    Locale("USD", "us_plain", "mdy"),
    Locale("USD", "us_sign", "iso"),
    Locale("USD", "us_code", "mon_d_y"),
    Locale("USD", "us_sign", "mon_d_y"),
    Locale("USD", "us_sign", "d_mon_y"),
]
_ABROAD = [
    Locale("EUR", "eu_sign", "dmy_dot"),
    Locale("MYR", "my", "dmy"),
    Locale("GBP", "uk", "dmy"),
    Locale("EUR", "eu_sign", "d_mon_y"),
]


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), 2))).quantize(Decimal("0.01"))


def _name(rng: random.Random) -> str:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return name.upper() if rng.random() < 0.3 else name


@dataclass
class Built:
    page: Page
    truth: dict[str, Any]


@dataclass(frozen=True)
class Facts:
    """What a document must show instead of made-up values, e.g. a demo claim's own facts.

    ``amount`` is what the patient paid or owes (the claim's amount); with the ``amount_differs``
    flaw the document shows less than that. ``patient`` is whom the care was for (on a dependent-care
    invoice, the child) and ``holder`` the account holder billed (a parent), when different.
    """

    provider: str | None = None
    patient: str | None = None
    service_day: date | None = None
    amount: Decimal | None = None
    holder: str | None = None


_NO_FACTS = Facts()


def _fit(prices: list[Decimal], target: Decimal) -> list[Decimal]:
    """``prices`` scaled so that they add up to ``target`` exactly (the last one takes the cents)."""
    whole = sum(prices, Decimal("0.00"))
    if target <= 0 or whole <= 0:
        return [target]
    fitted = [(price * target / whole).quantize(Decimal("0.01")) for price in prices[:-1]]
    last = target - sum(fitted, Decimal("0.00"))
    if last <= 0 or any(price <= 0 for price in fitted):
        return [target]
    return [*fitted, last]


def _shown_amount(facts: Facts, flaws: tuple[str, ...]) -> Decimal | None:
    if facts.amount is None:
        return None
    if "amount_differs" in flaws:  # the document shows less than the member claims
        return (facts.amount * Decimal("0.8")).quantize(Decimal("0.01"))
    return facts.amount


def _truth(kind: Kind, locale: Locale) -> dict[str, Any]:
    return {
        "kind": kind.value,
        "currency": locale.currency,
        "date_of_service": None,
        "provider": None,
        "patient": None,
        "description": None,
        "amount": None,
        "total": None,
        "insurer_paid": None,
        "npi": None,
        "tax_id": None,
        "line_items": [],
        "flaws": [],
    }


def _birthday(rng: random.Random) -> date:
    return date(rng.randrange(1950, 2015), rng.randrange(1, 13), rng.randrange(1, 29))


def _service_day(rng: random.Random) -> date:
    return date(2025, 1, 1) + timedelta(days=rng.randrange(0, 300))


def _us_locale(facts: Facts, locale: Locale) -> Locale:
    """A demo claim's document is American (the demo members live there); made-up ones vary."""
    if facts is _NO_FACTS:
        return locale
    return _US_LOCALES[sum(map(ord, facts.provider or "")) % 5]


def _receipt(kind: Kind, rng: random.Random, flaws: tuple[str, ...], facts: Facts) -> Built:
    abroad = rng.random() < 0.35
    locale = _us_locale(facts, rng.choice(_ABROAD if abroad else _US_LOCALES))
    truth = _truth(kind, locale)
    page = Page(width=rng.choice([226.0, 240.0, 260.0]), height=620.0, font=rng.choice(["mono", "sans", "condensed"]))
    pharmacy = kind is Kind.PHARMACY_RECEIPT
    if pharmacy:
        stores = {
            "USD": [
                "Walgreens #0417",
                "CVS Pharmacy",
                "Rite Aid Pharmacy",
                "Harbor Drug & Pharmacy",
                "Main Street Apothecary",
            ],
            "EUR": ["Apotheke am Markt", "Farmacia Centrale", "Pharmacie du Parc"],
            "MYR": ["Guardian Pharmacy", "Caring Pharmacy", "Farmasi Sentosa"],
            "GBP": ["Boots Pharmacy", "Lloyds Pharmacy"],
        }
        items = [
            ("AMOXICILLIN 500MG CAP", 8, 40),
            ("LISINOPRIL 10MG TAB", 4, 25),
            ("INSULIN GLARGINE PEN", 30, 120),
            ("Ibuprofen 200mg 100ct", 5, 15),
            ("Allergy relief 24hr", 9, 30),
            ("ATORVASTATIN 20MG", 6, 35),
        ]
    else:
        stores = {
            "USD": ["TARGET", "Walmart Supercenter", "Costco Wholesale", "Sunset Market"],
            "EUR": ["dm drogerie markt", "Carrefour Market"],
            "MYR": ["Watsons", "AEON Big"],
            "GBP": ["Superdrug", "Tesco Extra"],
        }
        items = [
            ("SUNSCREEN SPF 50", 7, 20),
            ("First aid kit", 10, 30),
            ("Digital thermometer", 9, 25),
            ("Contact lens solution", 6, 16),
            ("Reading glasses +1.5", 12, 28),
            ("Bandages 30ct", 3, 8),
        ]
    store = facts.provider or rng.choice(stores[locale.currency])
    if "no_provider" not in flaws:
        page.add((0.5, store, "center"), size=rng.choice([13, 14, 16]), bold=True)
        truth["provider"] = store
    page.add(
        (0.5, rng.choice(["1200 Harbor Blvd", "45 Jalan Ampang", "12 High Street", "Hauptstr. 8"]), "center"), size=8
    )
    page.add((0.5, rng.choice(["Tel (555) 201-3344", "Tel 03-2161 4455", "www.example-store.com"]), "center"), size=8)
    day = facts.service_day or _service_day(rng)
    if "no_date" not in flaws:
        time_text = f"{rng.randrange(8, 21):02d}:{rng.randrange(60):02d}"
        style = rng.random()
        if style < 0.5:
            page.add(
                (0.05, f"{fmt_date(day, locale)} {time_text}"),
                (0.95, f"Reg 3  Tr {rng.randrange(1000, 9999)}", "right"),
                size=8,
                gap=6,
            )
        elif style < 0.8:
            page.add((0.05, f"Date: {fmt_date(day, locale)}"), (0.95, f"Time: {time_text}", "right"), size=8, gap=6)
        else:
            page.add(
                (0.05, rng.choice(["Sale date", "Fecha/Date", "Purchased"])),
                (0.95, fmt_date(day, locale), "right"),
                size=8,
                gap=6,
            )
        truth["date_of_service"] = day
    if pharmacy and "no_patient" not in flaws:
        patient = facts.patient or _name(rng)
        label = rng.choice(["Patient:", "Pt Name:", "For:", "PATIENT", "Patient Name"])
        if label.endswith(":"):
            page.add((0.05, f"{label} {patient}"), size=8, gap=4)
        else:
            page.add((0.05, label), (0.95, patient, "right"), size=8, gap=4)
        truth["patient"] = patient
        page.add((0.05, f"Rx# {rng.randrange(1000000, 9999999)}  Qty {rng.choice([30, 60, 90])}"), size=8)
    chosen = rng.sample(items, rng.randrange(1, 4))
    prices = [_money(rng, low, high) for _title, low, high in chosen]
    saved = None
    if pharmacy and rng.random() < 0.4:
        saved = (rng.choice(["Insurance saved you", "You saved"]), _money(rng, 5, 60))
    rate = Decimal(rng.choice(["0", "0.06", "0.0825", "0.19"]))
    target = _shown_amount(facts, flaws)
    if target is not None:  # the total is the claim's: its items and tax are worked back from it
        prices = _fit(prices, (target / (1 + rate)).quantize(Decimal("0.01")))
        chosen = chosen[: len(prices)]
    subtotal = sum(prices, Decimal("0.00"))
    for (title, _low, _high), price in zip(chosen, prices, strict=True):
        page.add((0.05, title), (0.95, fmt_money(price, locale), "right"), size=9, gap=2)
        truth["line_items"].append({"description": title, "amount": price})
    truth["description"] = chosen[0][0]
    if saved:
        page.add((0.05, saved[0]), (0.95, fmt_money(saved[1], locale), "right"), size=8)
    tax = (subtotal * rate).quantize(Decimal("0.01")) if target is None else target - subtotal
    total = subtotal + tax
    page.add(
        (0.05, rng.choice(["SUBTOTAL", "Sub-total", "Subtotal"])),
        (0.95, fmt_money(subtotal, locale), "right"),
        size=9,
        gap=6,
    )
    page.add(
        (0.05, rng.choice(["TAX", "Sales Tax 8.25%", "VAT 19%", "SST"])),
        (0.95, fmt_money(tax, locale), "right"),
        size=9,
    )
    total_label = rng.choice(["TOTAL", "Total", "TOTAL DUE", "Grand Total", "Amount Payable", "BALANCE DUE", "Jumlah"])
    page.add((0.05, total_label), (0.95, fmt_money(total, locale), "right"), size=rng.choice([10, 11, 12]), bold=True)
    if rng.random() < 0.5:
        tendered = (total + Decimal(rng.choice(["0.50", "5", "10", "20"]))).quantize(Decimal("1"))
        page.add(
            (0.05, rng.choice(["CASH", "Cash tendered", "Amount Tendered"])),
            (0.95, fmt_money(Decimal(tendered), locale), "right"),
            size=9,
            gap=4,
        )
        page.add(
            (0.05, rng.choice(["CHANGE", "Change due"])),
            (0.95, fmt_money(Decimal(tendered) - total, locale), "right"),
            size=9,
        )
    else:
        page.add(
            (0.05, f"VISA ************{rng.randrange(1000, 9999)}"),
            (0.95, fmt_money(total, locale), "right"),
            size=9,
            gap=4,
        )
    page.add(
        (0.5, rng.choice(["THANK YOU FOR SHOPPING", "Thank you! Please come again", "Keep this receipt"]), "center"),
        size=8,
        gap=8,
    )
    if rng.random() < 0.3:
        page.add((0.5, f"Returns accepted until {fmt_date(day + timedelta(days=30), locale)}", "center"), size=7)
    truth["amount"] = truth["total"] = total
    page.height = max(300.0, page.margin_top * 2 + sum(line.size * 1.5 + line.gap for line in page.lines))
    return Built(page, truth)


_CPT = [
    ("99213", "Office visit, established patient", 110, 180),
    ("99203", "New patient visit", 150, 260),
    ("85025", "Complete blood count", 20, 60),
    ("36415", "Venipuncture", 10, 30),
    ("71046", "Chest x-ray, 2 views", 60, 160),
    ("97110", "Therapeutic exercise", 40, 90),
    ("90686", "Flu vaccine", 25, 60),
    ("J1100", "Dexamethasone injection", 8, 30),
]
_CDT = [
    ("D0120", "Periodic oral evaluation", 45, 90),
    ("D1110", "Prophylaxis - adult", 80, 140),
    ("D0274", "Bitewings - four films", 50, 95),
    ("D2391", "Resin composite, one surface", 130, 260),
    ("D1206", "Fluoride varnish", 25, 55),
    ("D2740", "Crown - porcelain/ceramic", 900, 1400),
]


def _letterhead(page: Page, rng: random.Random, name: str | None, truth: dict[str, Any], ids: bool) -> None:
    if name:
        page.add((0.08, name), size=rng.choice([15, 16, 18]), bold=True)
        truth["provider"] = name
    page.add((0.08, rng.choice(["2100 Oak Avenue, Suite 300", "88 Lakeview Drive", "501 Elm Street, Floor 2"])), size=9)
    page.add((0.08, rng.choice(["Springfield, IL 62704", "Portland, OR 97205", "Austin, TX 78701"])), size=9)
    page.add((0.08, f"Phone (555) {rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}"), size=9)
    if ids:
        first_nine = str(rng.randrange(100000000, 199999999))
        npi = f"{first_nine}{npi_check_digit(first_nine)}"  # a real NPI's check digit holds
        tax = f"{rng.randrange(10, 99)}-{rng.randrange(1000000, 9999999)}"
        page.add((0.08, f"NPI: {npi}"), (0.45, f"{rng.choice(['Tax ID', 'TIN', 'EIN'])}: {tax}"), size=9)
        truth["npi"], truth["tax_id"] = npi, tax


def _party(page: Page, rng: random.Random, labels: list[str], name: str, *, x: float = 0.08, extra: str = "") -> None:
    label = rng.choice(labels)
    if rng.random() < 0.5:
        page.add((x, f"{label} {name}" + (f"   {extra}" if extra else "")), size=10)
    else:
        page.add((x, label), (x + 0.2, name), *([(0.6, extra)] if extra else []), size=10)


def _invoice(kind: Kind, rng: random.Random, flaws: tuple[str, ...], facts: Facts) -> Built:
    locale = _us_locale(facts, rng.choice(_US_LOCALES[:5]))
    truth = _truth(kind, locale)
    page = Page(width=612.0, height=792.0, font=rng.choice(["sans", "serif", "condensed"]))
    dental = kind is Kind.DENTAL_INVOICE
    names = (
        ["Bright Smile Dental", "Riverside Family Dentistry", "Dr. Alan Cho, DDS", "Maple Dental Group"]
        if dental
        else [
            "Lakeside Medical Clinic",
            "Northgate Family Practice",
            "Summit Orthopedics",
            "Valley Pediatrics",
            "Dr. Rosa Varga, MD",
        ]
    )
    name = None if "no_provider" in flaws else facts.provider or rng.choice(names)
    _letterhead(page, rng, name, truth, ids=rng.random() < 0.8)
    page.add(
        (0.6, rng.choice(["INVOICE", "Patient Invoice", "ITEMIZED BILL", "Superbill"])), size=14, bold=True, gap=10
    )
    first = facts.service_day or _service_day(rng)
    page.add(
        (
            0.6,
            f"{rng.choice(['Invoice date', 'Date issued', 'Billing date'])}: "
            f"{fmt_date(first + timedelta(days=rng.randrange(3, 20)), locale)}",
        ),
        size=9,
    )
    page.add((0.6, f"Invoice # {rng.randrange(10000, 99999)}"), size=9)
    if "no_patient" not in flaws:
        patient = facts.patient or _name(rng)
        _party(
            page,
            rng,
            ["Patient:", "Pt Name:", "Patient Name:", "Name of patient:"],
            patient,
            extra=f"DOB: {fmt_date(_birthday(rng), locale)}" if rng.random() < 0.6 else "",
        )
        truth["patient"] = patient
    page.add((0.08, f"Account: {rng.randrange(100000, 999999)}"), size=9)
    show_dates = "no_date" not in flaws
    if show_dates and rng.random() < 0.6:
        page.add(
            (
                0.08,
                f"{rng.choice(['Date of Service:', 'DOS:', 'Svc Date:', 'Service date:'])} {fmt_date(first, locale)}",
            ),
            size=10,
            gap=4,
        )
    codes = rng.sample(_CDT if dental else _CPT, rng.randrange(1, 4))
    header = [(0.08, "Date"), (0.25, "Code"), (0.38, "Description"), (0.92, "Amount", "right")]
    if not show_dates:
        header = header[1:]
    page.add(*header, size=10, bold=True, gap=12)
    fees, days, day = [], [], first
    for _code, _title, low, high in codes:
        fees.append(_money(rng, low, high))
        days.append(day)
        if rng.random() < 0.3:
            day += timedelta(days=rng.randrange(1, 10))
    target = _shown_amount(facts, flaws)
    if target is not None:  # the amount due is the claim's: no insurance line, the fees add up to it
        fees = _fit(fees, target)
        codes = codes[: len(fees)]
    if facts.service_day:  # the claim's one day of service
        days = [first] * len(days)
    total = sum(fees, Decimal("0.00"))
    for n, ((code, title, _low, _high), fee, day) in enumerate(zip(codes, fees, days[: len(fees)], strict=True)):
        cells: list[tuple[Any, ...]] = [(0.25, code), (0.38, title), (0.92, fmt_money(fee, locale), "right")]
        if show_dates:
            cells.insert(0, (0.08, fmt_date(day, locale)))
        page.add(*cells, size=10)
        truth["line_items"].append(
            {"description": title, "amount": fee, "codes": [code], "service_date": day if show_dates else None}
        )
        if n == 0:
            truth["description"] = title
    truth["date_of_service"] = first if show_dates else None
    page.add(
        (0.55, rng.choice(["Total charges", "Total", "TOTAL CHARGES", "Total fees"])),
        (0.92, fmt_money(total, locale), "right"),
        size=10,
        bold=True,
        gap=8,
    )
    due = total
    if target is None and rng.random() < 0.5:
        paid = (total * Decimal(rng.choice(["0.5", "0.6", "0.8"]))).quantize(Decimal("0.01"))
        page.add(
            (0.55, rng.choice(["Insurance payment", "Paid by insurance", "Ins. paid"])),
            (0.92, fmt_money(-paid, locale), "right"),
            size=10,
        )
        due -= paid
        truth["insurer_paid"] = paid
        if rng.random() < 0.5:
            adj = (due * Decimal("0.1")).quantize(Decimal("0.01"))
            page.add((0.55, "Adjustment"), (0.92, fmt_money(-adj, locale), "right"), size=10)
            due -= adj
    due_label = rng.choice(["Balance due", "Amount due", "Please pay this amount", "Patient balance", "You owe"])
    page.add((0.55, due_label), (0.92, fmt_money(due, locale), "right"), size=11, bold=True)
    page.add((0.08, f"Payment due by {fmt_date(first + timedelta(days=45), locale)}"), size=9, gap=14)
    truth["total"], truth["amount"] = total, due
    return Built(page, truth)


_EOB_COLUMNS = (0.63, 0.74, 0.85, 0.96)
SHARES = ["0.7", "0.8", "0.9"]  # the plan's share of the allowed amount


def _eob(rng: random.Random, flaws: tuple[str, ...], facts: Facts) -> Built:
    locale = _us_locale(facts, rng.choice(_US_LOCALES[:5]))
    truth = _truth(Kind.EXPLANATION_OF_BENEFITS, locale)
    page = Page(width=612.0, height=792.0, font=rng.choice(["sans", "serif"]))
    insurer = rng.choice(["BlueRiver Health Plan", "Keystone Mutual Insurance", "Evergreen Health"])
    page.add((0.08, insurer), size=16, bold=True)
    page.add((0.08, "Explanation of Benefits"), size=13, bold=True)
    page.add((0.08, "THIS IS NOT A BILL"), size=10)
    first = facts.service_day or _service_day(rng)
    page.add((0.6, f"Statement date: {fmt_date(first + timedelta(days=rng.randrange(10, 40)), locale)}"), size=9, gap=6)
    page.add((0.6, f"Claim number: {rng.randrange(10**9, 10**10)}"), size=9)
    subscriber = facts.holder or facts.patient or _name(rng)
    page.add((0.08, f"Member: {subscriber}"), size=10, gap=6)
    page.add((0.08, f"Member ID: W{rng.randrange(10**8, 10**9)}"), size=10)
    if "no_patient" not in flaws:
        patient = facts.patient or (subscriber if rng.random() < 0.5 else _name(rng))
        page.add((0.08, rng.choice(["Patient:", "Patient name:", "Pt:"])), (0.28, patient), size=10)
        truth["patient"] = patient
    if "no_provider" not in flaws:
        provider = facts.provider or rng.choice(
            ["Lakeside Medical Clinic", "Dr. Rosa Varga, MD", "Summit Imaging Center", "Bright Smile Dental"]
        )
        page.add(
            (0.08, rng.choice(["Provider:", "Rendering provider:", "Provider of service:"])), (0.28, provider), size=10
        )
        truth["provider"] = provider
    if "no_date" not in flaws and rng.random() < 0.5:
        page.add((0.08, f"Date(s) of service: {fmt_date(first, locale)}"), size=10)
    page.add(
        (0.05, "Service"),
        (0.38, "Date"),
        (0.63, "Billed", "right"),
        (0.74, "Allowed", "right"),
        (0.85, "Plan paid", "right"),
        (0.96, "You owe", "right"),
        size=8,
        bold=True,
        gap=12,
    )
    totals = [Decimal("0.00")] * 4
    cent = Decimal("0.01")
    services = [
        (code, title, _money(rng, low, high), Decimal(rng.choice(["0.6", "0.7", "0.85"])), rng.choice(SHARES))
        for code, title, low, high in rng.sample(_CPT, rng.randrange(1, 4))
    ]
    target = _shown_amount(facts, flaws)
    rows: list[list[Any]] = []
    for code, title, billed, allowed_share, plan_share in services:
        allowed = (billed * allowed_share).quantize(cent)
        plan = (allowed * Decimal(plan_share)).quantize(cent)
        rows.append([code, title, billed, allowed, plan, allowed - plan])
    if target is not None:  # what the patient owes is the claim's amount: the other columns follow from it
        owes = _fit([row[5] for row in rows], target)
        rows = rows[: len(owes)]
        for row, owe, service in zip(rows, owes, services, strict=False):
            share = Decimal(service[4])
            plan = (owe * share / (1 - share)).quantize(cent)
            row[2:] = [((owe + plan) / service[3]).quantize(cent), owe + plan, plan, owe]
    for n, (code, title, billed, allowed, plan, owe) in enumerate(rows):
        values = [billed, allowed, plan, owe]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        cells: list[tuple[Any, ...]] = [(0.05, f"{title} ({code})")]
        if "no_date" not in flaws:
            cells.append((0.38, fmt_date(first, locale)))
        cells += [(x, fmt_money(v, locale), "right") for x, v in zip(_EOB_COLUMNS, values, strict=True)]
        page.add(*cells, size=8)
        truth["line_items"].append({"description": title, "amount": owe, "codes": [code]})
        if n == 0:
            truth["description"] = title
    page.add(
        (0.05, rng.choice(["Totals", "Claim total", "TOTAL"])),
        *[(x, fmt_money(v, locale), "right") for x, v in zip(_EOB_COLUMNS, totals, strict=True)],
        size=8,
        bold=True,
        gap=4,
    )
    if rng.random() < 0.6:
        page.add(
            (
                0.08,
                rng.choice(["Your share of the cost:", "Amount you may owe the provider:", "Patient responsibility:"]),
            ),
            (0.6, fmt_money(totals[3], locale)),
            size=11,
            bold=True,
            gap=14,
        )
    page.add((0.08, "Questions? Call the number on your member ID card."), size=8, gap=20)
    truth["date_of_service"] = None if "no_date" in flaws else first
    truth["total"], truth["insurer_paid"], truth["amount"] = totals[0], totals[2], totals[3]
    return Built(page, truth)


def _dependent_care(rng: random.Random, flaws: tuple[str, ...], facts: Facts) -> Built:
    locale = _us_locale(facts, rng.choice(_US_LOCALES[:5]))
    truth = _truth(Kind.DEPENDENT_CARE_INVOICE, locale)
    page = Page(width=612.0, height=792.0, font=rng.choice(["sans", "serif", "condensed"]))
    name = facts.provider or rng.choice(
        [
            "Little Acorns Child Care Center",
            "Sunshine Early Learning",
            "Bright Horizons Preschool",
            "Kid Haven After-School Program",
            "Happy Days Daycare",
        ]
    )
    _letterhead(page, rng, None if "no_provider" in flaws else name, truth, ids=False)
    tax = f"{rng.randrange(10, 99)}-{rng.randrange(1000000, 9999999)}"
    page.add((0.08, f"{rng.choice(['Federal Tax ID', 'EIN', 'Tax ID'])}: {tax}"), size=9)
    truth["tax_id"] = tax
    page.add((0.6, rng.choice(["Tuition Invoice", "INVOICE", "Care Invoice"])), size=14, bold=True, gap=10)
    start = facts.service_day or _service_day(rng)
    if not facts.service_day:
        start -= timedelta(days=start.weekday())
    page.add((0.6, f"Invoice date: {fmt_date(start + timedelta(days=7), locale)}"), size=9)
    parent = facts.holder or _name(rng)
    page.add((0.08, rng.choice(["Parent/Guardian:", "Bill to:", "Account holder:"])), (0.3, parent), size=10, gap=6)
    if "no_patient" not in flaws:
        child = facts.patient or (
            f"{rng.choice(FIRST)} {parent.split()[-1].title() if parent.isupper() else parent.split()[-1]}"
        )
        _party(page, rng, ["Child:", "Child's name:", "Student:", "Dependent:"], child)
        truth["patient"] = child
    weeks = rng.randrange(1, 4)
    target = _shown_amount(facts, flaws)
    if target is not None and (target * 100) % weeks:
        weeks = 1  # the claim's amount is one week's care, or weeks at one rate
    end = start + timedelta(days=7 * weeks - 3)
    if "no_date" not in flaws:
        how = rng.random()
        if how < 0.5:
            page.add(
                (
                    0.08,
                    f"{rng.choice(['Service period:', 'Care dates:', 'Period of service:'])} "
                    f"{fmt_date(start, locale)} - {fmt_date(end, locale)}",
                ),
                size=10,
            )
        else:
            page.add((0.08, "For the week of"), (0.3, fmt_date(start, locale)), size=10)
        truth["date_of_service"] = start
    page.add((0.08, "Description"), (0.92, "Amount", "right"), size=10, bold=True, gap=12)
    total = Decimal("0.00")
    rate = _money(rng, 180, 420) if target is None else (target / weeks).quantize(Decimal("0.01"))
    for n in range(weeks):
        title = rng.choice(["Full-day care", "Tuition - full time", "After-school care", "Weekly child care"])
        title = f"{title} (week {n + 1})"
        page.add((0.08, title), (0.92, fmt_money(rate, locale), "right"), size=10)
        total += rate
        truth["line_items"].append({"description": title, "amount": rate})
        if n == 0:
            truth["description"] = title
    if target is None and rng.random() < 0.4:
        fee = _money(rng, 15, 60)
        page.add((0.08, "Late pickup fee"), (0.92, fmt_money(fee, locale), "right"), size=10)
        total += fee
        truth["line_items"].append({"description": "Late pickup fee", "amount": fee})
    page.add(
        (0.55, rng.choice(["Total", "Total due", "Amount due", "TOTAL"])),
        (0.92, fmt_money(total, locale), "right"),
        size=11,
        bold=True,
        gap=8,
    )
    page.add((0.08, f"Due date: {fmt_date(start + timedelta(days=14), locale)}"), size=9, gap=14)
    truth["total"] = truth["amount"] = total
    return Built(page, truth)


def _statement(rng: random.Random, flaws: tuple[str, ...], facts: Facts) -> Built:
    locale = _us_locale(facts, rng.choice(_US_LOCALES[:5]))
    truth = _truth(Kind.STATEMENT_OF_ACCOUNT, locale)
    page = Page(width=612.0, height=792.0, font=rng.choice(["sans", "serif", "mono"]))
    name = facts.provider or rng.choice(
        [
            "Lakeside Medical Clinic",
            "Harbor Physical Therapy",
            "Riverside Family Dentistry",
            "Northgate Family Practice",
        ]
    )
    _letterhead(page, rng, None if "no_provider" in flaws else name, truth, ids=rng.random() < 0.5)
    page.add(
        (0.55, rng.choice(["STATEMENT OF ACCOUNT", "Account Statement", "Patient Statement"])),
        size=14,
        bold=True,
        gap=10,
    )
    first = facts.service_day or _service_day(rng)
    page.add((0.55, f"Statement date: {fmt_date(first + timedelta(days=rng.randrange(20, 40)), locale)}"), size=9)
    if "no_patient" not in flaws:
        patient = facts.patient or _name(rng)
        _party(page, rng, ["Patient:", "Patient name:", "Pt Name:"], patient)
        truth["patient"] = patient
    page.add((0.08, f"Account no. {rng.randrange(100000, 999999)}"), size=9)
    previous = _money(rng, 0, 300)
    page.add(
        (0.08, "Date"),
        (0.25, "Description"),
        (0.75, "Charges", "right"),
        (0.92, "Credits", "right"),
        size=10,
        bold=True,
        gap=12,
    )
    dated = "no_date" not in flaws
    page.add(
        *([(0.08, fmt_date(first - timedelta(days=25), locale))] if dated else []),
        (0.25, rng.choice(["Previous balance", "Balance forward"])),
        (0.75, fmt_money(previous, locale), "right"),
        size=10,
    )
    services, fees, days, day = rng.sample(_CPT, rng.randrange(1, 4)), [], [], first
    for _code, _title, low, high in services:
        fees.append(_money(rng, low, high))
        days.append(day)
        day += timedelta(days=rng.randrange(0, 8))
    target = _shown_amount(facts, flaws)
    if target is not None:  # the new charges are the claim's; the previous balance was paid
        fees = _fit(fees, target)
        services = services[: len(fees)]
    if facts.service_day:
        days, day = [first] * len(fees), first
    charges = sum(fees, Decimal("0.00"))
    for n, ((code, title, _low, _high), fee, day_of) in enumerate(zip(services, fees, days[: len(fees)], strict=True)):
        page.add(
            *([(0.08, fmt_date(day_of, locale))] if dated else []),
            (0.25, f"{title} {code}"),
            (0.75, fmt_money(fee, locale), "right"),
            size=10,
        )
        truth["line_items"].append(
            {"description": title, "amount": fee, "codes": [code], "service_date": day_of if dated else None}
        )
        if n == 0:
            truth["description"] = title
    payment = min(previous, _money(rng, 10, 200)) if previous > 0 else Decimal("0.00")
    if target is not None:
        payment = previous
    if payment > 0:
        page.add(
            *([(0.08, fmt_date(day, locale))] if dated else []),
            (0.25, rng.choice(["Payment - thank you", "Patient payment received"])),
            (0.92, fmt_money(-payment, locale), "right"),
            size=10,
        )
    due = previous + charges - payment
    page.add(
        (0.45, rng.choice(["Total new charges", "Total charges this period"])),
        (0.92, fmt_money(charges, locale), "right"),
        size=10,
        gap=8,
    )
    page.add(
        (0.45, rng.choice(["Amount due", "New balance", "Balance due"])),
        (0.92, fmt_money(due, locale), "right"),
        size=11,
        bold=True,
    )
    page.add((0.08, f"Please pay by {fmt_date(first + timedelta(days=60), locale)}"), size=9, gap=14)
    truth["date_of_service"] = first if dated else None
    truth["total"], truth["amount"] = charges, due
    return Built(page, truth)


def build(kind: Kind, *, flaws: tuple[str, ...] = (), seed: int = 0, facts: Facts | None = None) -> Built:
    facts = facts or _NO_FACTS
    rng = random.Random(f"{kind.value}:{seed}:{','.join(flaws)}")
    if kind in {Kind.PHARMACY_RECEIPT, Kind.SHOP_RECEIPT}:
        built = _receipt(kind, rng, flaws, facts)
    elif kind in {Kind.MEDICAL_INVOICE, Kind.DENTAL_INVOICE}:
        built = _invoice(kind, rng, flaws, facts)
    elif kind is Kind.EXPLANATION_OF_BENEFITS:
        built = _eob(rng, flaws, facts)
    elif kind is Kind.DEPENDENT_CARE_INVOICE:
        built = _dependent_care(rng, flaws, facts)
    elif kind is Kind.STATEMENT_OF_ACCOUNT:
        built = _statement(rng, flaws, facts)
    else:
        raise ValueError(f"no sample for kind {kind}")
    built.truth["flaws"] = list(flaws)
    if "amount_differs" in flaws and facts.amount is not None:
        built.truth["claimed_amount"] = facts.amount
    elif "amount_differs" in flaws and built.truth["amount"] is not None:
        # What the member will claim, unlike what the document shows.
        built.truth["claimed_amount"] = built.truth["amount"] + Decimal(rng.choice(["10.00", "25.50", "100.00"]))
    return built
