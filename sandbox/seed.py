"""Demo data for the sandbox: employers, people, claims in every state, receipts, payees.

Dates are relative to the day of seeding (this plan year and last), so the demo always looks like
current FSA/HRA/dependent-care activity. Identifiers are stable (uuid5), so a person_id in the
README works on every machine.
"""

from __future__ import annotations

import functools
import hashlib
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import get_application_model

from evidence.model import Kind
from evidence.samples import Facts, make_document
from sandbox.api.services import _NEEDS_RECEIPT, receipt_storage
from sandbox.demo_files import receipt_pdf, receipt_png
from sandbox.models import (
    AdminAccount,
    BusinessEntity,
    Claim,
    ClaimSource,
    ClaimStatus,
    Denial,
    DenialReason,
    DenialStatus,
    ExpenseCategory,
    Payee,
    Person,
    Receipt,
    ReceiptStatus,
    Rmi,
)

DEMO_PASSWORD = "sandbox-demo"
NS = uuid.UUID("6f1c2a8e-3b7d-4c55-9e0a-2d4b8f6a1c90")
CS, RS = ClaimStatus, ReceiptStatus
D = Decimal
ZERO = D("0.00")


def stable_id(kind: str, name: str) -> uuid.UUID:
    return uuid.uuid5(NS, f"{kind}:{name}")


EMPLOYERS = {"acme": ("Acme Corp", "11ACME"), "northwind": ("Northwind Traders", "22NWTD")}
ZONES = {"acme": "America/Los_Angeles", "northwind": "America/Chicago"}
MEMBERS = [
    # username (None: no sign-in), first, last, employer, account types
    ("alice", "Alice", "Nguyen", "acme", ["FSA", "HRA", "DCFSA"]),
    ("bob", "Bob", "Martinez", "acme", ["HSA", "LPFSA"]),
    (None, "Carmen", "Lopez", "acme", ["FSA"]),
    (None, "Evan", "Brooks", "acme", ["FSA", "DCFSA"]),
    (None, "Farah", "Siddiqui", "acme", ["HRA"]),
    ("dave", "Dave", "Okafor", "northwind", ["FSA"]),
]
ADMINS = [("hana", "Hana", "Kim", "acme")]
SERVICE_CLIENTS = [("acme-reporting", "sandbox-demo-service", "acme")]

CATEGORIES: dict[str, list[tuple[str, list[str]]]] = {
    "FSA": [
        (
            "Medical",
            ["Doctor Visit", "Hospital", "Lab Work", "Urgent Care", "Physical Therapy", "Chiropractic"],
        ),
        ("Dental", ["Routine Cleaning", "Fillings", "Orthodontics", "Oral Surgery"]),
        ("Vision", ["Eye Exam", "Glasses", "Contact Lenses", "LASIK"]),
        ("Pharmacy", ["Prescription", "Over-the-counter Medicine", "Menstrual Care Products"]),
        ("Medical Supplies", ["First Aid", "Blood Pressure Monitor", "Diabetic Supplies", "Hearing Aids"]),
    ],
    "HSA": [
        ("Medical", ["Doctor Visit", "Hospital", "Lab Work", "Urgent Care", "Mental Health Counseling"]),
        ("Dental", ["Routine Cleaning", "Fillings", "Orthodontics"]),
        ("Vision", ["Eye Exam", "Glasses", "Contact Lenses"]),
        ("Pharmacy", ["Prescription", "Over-the-counter Medicine"]),
        ("Long-term Care", ["Long-term Care Premiums", "Nursing Home"]),
    ],
    "HRA": [
        ("Medical", ["Deductible", "Copay", "Coinsurance", "Prescription"]),
        ("Dental", ["Deductible", "Coinsurance"]),
        ("Vision", ["Eye Exam", "Glasses"]),
    ],
    "DCFSA": [
        (
            "Dependent Care",
            [
                "Daycare Center",
                "Preschool",
                "Before/After School Program",
                "Summer Day Camp",
                "Nanny or Babysitter",
                "Adult Day Care",
            ],
        ),
    ],
    "LPFSA": [
        ("Dental", ["Routine Cleaning", "Fillings", "Orthodontics", "Oral Surgery"]),
        ("Vision", ["Eye Exam", "Glasses", "Contact Lenses", "LASIK"]),
    ],
}

PAYEES = {
    "alice": [
        (
            "PAY-1001",
            "93-1184520",
            "Riverside Pediatrics",
            "ACC-55310",
            "410 Riverside Ave",
            "Portland",
            "OR",
            "97209",
        ),
        (
            "PAY-1002",
            "93-2270011",
            "Bright Smiles Dental",
            "ACC-88102",
            "22 Alder St Suite 4",
            "Portland",
            "OR",
            "97205",
        ),
        (
            "PAY-1003",
            "91-6600432",
            "Little Acorns Daycare",
            "ACC-30077",
            "1800 SE Division St",
            "Portland",
            "OR",
            "97202",
        ),
        (
            "PAY-1004",
            "93-0812345",
            "ClearView Eye Care",
            "ACC-12009",
            "9 NW 23rd Pl",
            "Portland",
            "OR",
            "97210",
        ),
    ],
    "bob": [
        (
            "PAY-2001",
            "93-4455667",
            "Cascade Physical Therapy",
            "ACC-77120",
            "501 Main St",
            "Vancouver",
            "WA",
            "98660",
        ),
        (
            "PAY-2002",
            "93-2270011",
            "Bright Smiles Dental",
            "ACC-88140",
            "22 Alder St Suite 4",
            "Portland",
            "OR",
            "97205",
        ),
    ],
    "dave": [
        (
            "PAY-3001",
            "36-1122334",
            "Lakeshore Family Medicine",
            "ACC-40011",
            "77 Lake Shore Dr",
            "Chicago",
            "IL",
            "60611",
        ),
    ],
}

DENIAL_TEXT = {
    "DEN-001": (
        "Receipt did not show required details",
        "The receipt you sent does not show the date of service, the provider's name and the amount paid.",
        "Upload an itemized receipt or an Explanation of Benefits (EOB) that shows the date, provider and amount.",
    ),
    "DEN-002": (
        "Expense not eligible under current plan",
        "The submitted expense type is not covered under your plan for this plan year.",
        "Contact your HR administrator for plan coverage details.",
    ),
    "DEN-003": (
        "Date of service outside the plan year",
        "The service took place before your coverage started or after the plan year ended.",
        "Check the date of service. If it is wrong, upload a receipt that shows the right date.",
    ),
    "DEN-004": (
        "Duplicate claim",
        "This expense was already reimbursed on another claim.",
        "No action needed unless this is a separate expense; if so, upload both receipts.",
    ),
    "DEN-005": (
        "Receipt not received in time",
        "Your debit card purchase needed a receipt and none arrived by the deadline.",
        "Upload the receipt now, or repay the amount to your account to avoid it being reported as income.",
    ),
    "DEN-006": (
        "Amount exceeds plan limit",
        "Part of this claim is above your remaining annual limit for this plan.",
        "No action is needed for the covered part. Ask your HR administrator about the remainder.",
    ),
}


@dataclass
class ClaimSpec:
    status: str
    receipt: str
    plan: str  # FSA | HRA | DCFSA | HSA | LPFSA
    category: str
    expense_type: str
    provider: str
    amount: str
    days_ago: int
    last_year: bool = False
    paid: str = "0.00"
    denied: str = "0.00"
    copay: str = "0.00"
    coinsurance: str = "0.00"
    deductible: str = "0.00"
    ptp: bool = False
    source: str = ClaimSource.CONSUMER
    denials: list[tuple[str, str, bool]] = field(default_factory=list)  # code, amount, upload ok
    rmis: list[tuple[str, str]] = field(default_factory=list)  # code, status
    receipt_file: str | None = None  # a small plain receipt on file: "pdf" | "png"
    # A realistic document on file instead, made by evidence.samples to fit the claim: "pdf" (text
    # PDF), "photo" (JPEG, as from a phone) or "scan" (PNG); its kind follows the claim's category.
    document: str | None = None
    receipt_flaws: tuple[str, ...] = ()  # what the document deliberately lacks (evidence.samples.FLAWS)
    patient: str | None = None  # whom the care was for, when not the member (a child)
    near_deadline: bool = False


def _full(
    status: str,
    receipt: str,
    plan: str,
    cat: str,
    typ: str,
    provider: str,
    amount: str,
    days_ago: int,
    **kw: object,
) -> ClaimSpec:
    spec = ClaimSpec(status, receipt, plan, cat, typ, provider, amount, days_ago, **kw)  # type: ignore[arg-type]
    if status in (CS.PAID, CS.SCHEDULED_REIMBURSEMENT) and spec.paid == "0.00" and spec.copay == "0.00":
        spec.paid = amount
    return spec


CHILD = "Minh Nguyen"  # alice's son: the patient on the pediatrician's and the daycare's documents

ALICE: list[ClaimSpec] = [
    _full(
        CS.PAID,
        RS.NOT_NEEDED,
        "FSA",
        "Pharmacy",
        "Prescription",
        "Walgreens #4411",
        "24.99",
        8,
        source=ClaimSource.CARD,
    ),
    _full(
        CS.PAID,
        RS.AVAILABLE,
        "FSA",
        "Medical",
        "Doctor Visit",
        "Riverside Pediatrics",
        "150.00",
        15,
        ptp=True,
        document="pdf",
        patient=CHILD,
    ),
    _full(CS.PENDING_RECEIPT, RS.REQUIRED, "FSA", "Vision", "Glasses", "ClearView Eye Care", "289.00", 4),
    _full(
        CS.PENDING_RECEIPT,
        RS.REQUIRED,
        "DCFSA",
        "Dependent Care",
        "Daycare Center",
        "Little Acorns Daycare",
        "1250.00",
        6,
    ),
    _full(
        CS.PENDING_RECEIPT,
        RS.OVERDUE,
        "FSA",
        "Medical",
        "Lab Work",
        "Quest Diagnostics",
        "87.40",
        70,
        source=ClaimSource.CARD,
    ),
    _full(
        CS.PENDING_RECEIPT,
        RS.NEW_NEEDED,
        "FSA",
        "Dental",
        "Fillings",
        "Bright Smiles Dental",
        "210.00",
        21,
        document="photo",
        receipt_flaws=("no_provider",),
        rmis=[("RMI-02", "OPEN")],
    ),
    _full(CS.PENDING_RECEIPT, RS.PENDING, "HRA", "Medical", "Copay", "Providence Urgent Care", "75.00", 2),
    _full(
        CS.PENDING_REIMBURSEMENT,
        RS.RECEIVED,
        "FSA",
        "Medical",
        "Physical Therapy",
        "Cascade Physical Therapy",
        "180.00",
        10,
        document="pdf",
    ),
    _full(
        CS.PENDING_REIMBURSEMENT,
        RS.RE_UPLOADED,
        "DCFSA",
        "Dependent Care",
        "Summer Day Camp",
        "OMSI Science Camp",
        "495.00",
        95,
        document="pdf",
        patient=CHILD,
    ),
    _full(
        CS.SCHEDULED_REIMBURSEMENT,
        RS.AVAILABLE,
        "DCFSA",
        "Dependent Care",
        "Daycare Center",
        "Little Acorns Daycare",
        "1250.00",
        36,
        document="scan",
        patient=CHILD,
    ),
    _full(
        CS.SCHEDULED_REIMBURSEMENT,
        RS.NOT_NEEDED,
        "HRA",
        "Medical",
        "Deductible",
        "OHSU Hospital",
        "420.00",
        12,
        source=ClaimSource.PROVIDER,
        ptp=True,
    ),
    _full(
        CS.DENIED,
        RS.NOT_NEEDED,
        "FSA",
        "Medical",
        "Cosmetic Procedure",
        "Pearl District Med Spa",
        "500.00",
        40,
        denied="500.00",
        denials=[("DEN-002", "500.00", False)],
    ),
    _full(
        CS.DENIED,
        RS.NEW_NEEDED,
        "FSA",
        "Medical",
        "Doctor Visit",
        "Lakeshore Family Medicine",
        "240.00",
        28,
        denied="240.00",
        denials=[("DEN-001", "240.00", True)],
        rmis=[("RMI-01", "OPEN")],
    ),
    _full(
        CS.DENIED,
        RS.RECEIVED,
        "FSA",
        "Vision",
        "Contact Lenses",
        "1-800 Contacts",
        "320.00",
        55,
        denied="320.00",
        denials=[("DEN-001", "200.00", True), ("DEN-003", "120.00", False)],
        document="photo",
        receipt_flaws=("no_date",),
    ),
    # Partly denied: most paid, the rest over the plan limit.
    _full(
        CS.DENIED,
        RS.AVAILABLE,
        "HRA",
        "Medical",
        "Coinsurance",
        "OHSU Hospital",
        "1840.00",
        62,
        paid="1500.00",
        denied="340.00",
        denials=[("DEN-006", "340.00", False)],
        document="pdf",
    ),
    _full(
        CS.DENIED_COLLECTING_REPAYMENT,
        RS.OVERDUE,
        "FSA",
        "Pharmacy",
        "Over-the-counter Medicine",
        "CVS Pharmacy #2210",
        "63.18",
        120,
        source=ClaimSource.CARD,
        paid="0.00",
        denied="63.18",
        denials=[("DEN-005", "63.18", True)],
    ),
    _full(
        CS.HOLD,
        RS.RECEIVED,
        "FSA",
        "Medical",
        "Chiropractic",
        "Align Chiropractic",
        "135.00",
        18,
        document="pdf",
        receipt_flaws=("no_patient",),
        rmis=[("RMI-03", "OPEN")],
    ),
    _full(CS.FREEZE, RS.NOT_NEEDED, "HRA", "Dental", "Coinsurance", "Bright Smiles Dental", "260.00", 150),
    _full(
        CS.BANKING_FAILED,
        RS.AVAILABLE,
        "FSA",
        "Dental",
        "Routine Cleaning",
        "Bright Smiles Dental",
        "95.00",
        25,
        document="photo",
    ),
    _full(CS.UNSPECIFIED, RS.UNSPECIFIED, "FSA", "Medical Supplies", "First Aid", "Target #0876", "32.47", 1),
    _full(
        CS.PAID,
        RS.NOT_NEEDED,
        "HRA",
        "Medical",
        "Copay",
        "Providence Urgent Care",
        "150.00",
        45,
        paid="100.00",
        copay="50.00",
        source=ClaimSource.PROVIDER,
    ),
    _full(
        CS.PAID,
        RS.AVAILABLE,
        "DCFSA",
        "Dependent Care",
        "Before/After School Program",
        "Sunnyside After School",
        "600.00",
        66,
        document="pdf",
        patient=CHILD,
        ptp=True,
    ),
    _full(CS.PAID, RS.RECEIVED, "FSA", "Medical", "Urgent Care", "ZoomCare", "115.00", 80, document="pdf"),
    _full(
        CS.PAID,
        RS.NOT_NEEDED,
        "HRA",
        "Medical",
        "Deductible",
        "Legacy Good Samaritan",
        "750.00",
        100,
        paid="500.00",
        deductible="250.00",
        near_deadline=True,
    ),
    # Last plan year.
    _full(
        CS.PAID,
        RS.AVAILABLE,
        "FSA",
        "Vision",
        "Eye Exam",
        "ClearView Eye Care",
        "180.00",
        60,
        last_year=True,
        document="pdf",
    ),
    _full(
        CS.PAID,
        RS.NOT_NEEDED,
        "FSA",
        "Pharmacy",
        "Prescription",
        "Walgreens #4411",
        "42.10",
        120,
        last_year=True,
        source=ClaimSource.CARD,
        document="photo",
    ),
    _full(
        CS.PAID,
        RS.AVAILABLE,
        "DCFSA",
        "Dependent Care",
        "Preschool",
        "Little Acorns Daycare",
        "1100.00",
        150,
        last_year=True,
        document="pdf",
        patient=CHILD,
        ptp=True,
    ),
    _full(
        CS.PAID,
        RS.NOT_NEEDED,
        "HRA",
        "Medical",
        "Coinsurance",
        "OHSU Hospital",
        "960.00",
        200,
        last_year=True,
        paid="768.00",
        coinsurance="192.00",
        source=ClaimSource.PROVIDER,
    ),
    _full(
        CS.DENIED,
        RS.NOT_NEEDED,
        "FSA",
        "Medical",
        "Gym Membership",
        "Fit Portland",
        "420.00",
        240,
        last_year=True,
        denied="420.00",
        denials=[("DEN-002", "420.00", False)],
    ),
    _full(
        CS.DENIED,
        RS.RE_UPLOADED,
        "FSA",
        "Dental",
        "Orthodontics",
        "Bright Smiles Dental",
        "1500.00",
        90,
        last_year=True,
        paid="1000.00",
        denied="500.00",
        denials=[("DEN-004", "500.00", True)],
        document="pdf",
        receipt_flaws=("amount_differs",),
    ),
    _full(
        CS.PAID,
        RS.NOT_NEEDED,
        "FSA",
        "Medical Supplies",
        "Blood Pressure Monitor",
        "Amazon.com",
        "59.99",
        300,
        last_year=True,
        source=ClaimSource.CARD,
    ),
    _full(
        CS.PAID,
        RS.AVAILABLE,
        "FSA",
        "Medical",
        "Physical Therapy",
        "Cascade Physical Therapy",
        "360.00",
        30,
        last_year=True,
        document="photo",
    ),
]

RMI_TEXT = {
    "RMI-01": (
        "Itemized receipt needed",
        "We need an itemized receipt showing the service, the date and the amount you paid.",
        "A credit card slip is not enough.",
    ),
    "RMI-02": (
        "Provider name missing",
        "The receipt does not show who provided the service.",
        "Ask the dental office for a statement on their letterhead.",
    ),
    "RMI-03": (
        "Letter of medical necessity",
        "Chiropractic care for this plan needs a letter of medical necessity from your doctor.",
        "Upload the signed letter; it covers the whole plan year.",
    ),
}

PROVIDERS = [
    ("Medical", "Doctor Visit", "Lakeshore Family Medicine"),
    ("Medical", "Urgent Care", "ZoomCare"),
    ("Pharmacy", "Prescription", "Walgreens #4411"),
    ("Dental", "Routine Cleaning", "Bright Smiles Dental"),
    ("Vision", "Glasses", "ClearView Eye Care"),
    ("Medical", "Lab Work", "Quest Diagnostics"),
    ("Dependent Care", "Daycare Center", "Little Acorns Daycare"),
    ("Medical", "Physical Therapy", "Cascade Physical Therapy"),
]


class Seeder:
    def __init__(self, today: date | None = None) -> None:
        self.today = today or timezone.localdate()
        self.rng = random.Random(20261122)
        self.sequence: dict[str, int] = {}

    # --- plan years -----------------------------------------------------------------------
    def _plan(self, plan: str, last_year: bool, near_deadline: bool) -> dict[str, object]:
        year = self.today.year - (1 if last_year else 0)
        start = date(year, 1, 1)
        final = date(year + 1, 3, 31)
        name = f"{year} Plan Year"
        if near_deadline:  # an HRA plan year that closes soon: the portal should warn
            start = self.today - timedelta(days=330)
            final = self.today + timedelta(days=18)
            name = f"{start.year}-{start.year + 1} HRA Plan Year"
        plan_names = {
            "FSA": "Health Care FSA",
            "HRA": "HRA Deductible Plan",
            "DCFSA": "Dependent Care FSA",
            "HSA": "HSA Qualified Expenses",
            "LPFSA": "Limited Purpose FSA",
        }
        return {
            "plan_name": plan_names[plan],
            "plan_year_name": name,
            "plan_year_start_date": _dt(start),
            "final_filing_date": _dt(final, time(23, 59, 59)),
            "plan_id": stable_id("plan", f"{plan}:{name}"),
            "offering_id": {"FSA": 101, "HRA": 201, "DCFSA": 301, "HSA": 401, "LPFSA": 501}[plan],
        }

    def _claim_number(self, employer: BusinessEntity, when: date) -> str:
        seq = self.sequence.get(employer.code, 100) + 1
        self.sequence[employer.code] = seq
        return f"{employer.code}{when:%y%m%d}P{seq:07d}"

    # --- entry point ----------------------------------------------------------------------
    @transaction.atomic
    def run(self, *, reset: bool = False, bulk_claims: int = 0, load_members: int = 0) -> dict[str, int]:
        employers = {
            key: BusinessEntity.objects.update_or_create(
                id=stable_id("employer", key), defaults={"name": name, "code": code}
            )[0]
            for key, (name, code) in EMPLOYERS.items()
        }
        if reset:
            _wipe(employers.values())
        people = {
            f"{first} {last}": self._member(u, first, last, employers[e], types) for u, first, last, e, types in MEMBERS
        }
        for username, first, last, employer in ADMINS:
            user = _user(username, first, last)
            AdminAccount.objects.update_or_create(
                user=user, defaults={"business_entity": employers[employer], "is_service_account": False}
            )
        self._categories()
        self._oidc_clients(employers)
        created = 0
        if not Claim.objects.filter(person__employer__in=employers.values()).exists():
            self._payees(people)
            created += self._claims(people["Alice Nguyen"], ALICE)
            for name in ("Bob Martinez", "Carmen Lopez", "Evan Brooks", "Farah Siddiqui", "Dave Okafor"):
                created += self._claims(people[name], self._generated_specs(people[name], 12))
        if bulk_claims:
            created += self._bulk(list(people.values())[:5], bulk_claims)
        if load_members:
            created += self._load_members(employers["acme"], load_members)
        return {"claims_created": created, "claims_total": Claim.objects.count()}

    def _member(
        self, username: str | None, first: str, last: str, employer: BusinessEntity, types: list[str]
    ) -> Person:
        user = _user(username, first, last) if username else None
        person, _ = Person.objects.update_or_create(
            id=stable_id("person", f"{first} {last}"),
            defaults={
                "user": user,
                "employer": employer,
                "first_name": first,
                "last_name": last,
                "account_types": types,
                "zoneinfo": ZONES.get(next(k for k, v in EMPLOYERS.items() if v[0] == employer.name)),
            },
        )
        return person

    def _categories(self) -> None:
        if ExpenseCategory.objects.exists():
            return
        ExpenseCategory.objects.bulk_create(
            ExpenseCategory(account_type=account_type, category_name=name, category_types=types, position=i)
            for account_type, rows in CATEGORIES.items()
            for i, (name, types) in enumerate(rows)
        )

    def _oidc_clients(self, employers: dict[str, BusinessEntity]) -> None:
        Application = get_application_model()
        portal = settings.SANDBOX_PORTAL_URL  # the portal's address (SITE_URL when embedded)
        redirect = f"{portal}/accounts/oidc/{settings.OIDC_PROVIDER_ID}/login/callback/"
        app = Application.objects.filter(client_id=settings.OIDC_CLIENT_ID).first() or Application(
            client_id=settings.OIDC_CLIENT_ID
        )
        app.name = "Benefits portal"
        app.client_type = Application.CLIENT_CONFIDENTIAL
        app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
        app.redirect_uris = redirect
        app.post_logout_redirect_uris = f"{portal}/ {portal}/signin/"
        app.algorithm = Application.RS256_ALGORITHM
        app.skip_authorization = True
        app.client_secret = settings.OIDC_CLIENT_SECRET
        app.save()
        for client_id, secret, employer in SERVICE_CLIENTS:
            user = _user(f"{client_id}-svc", "Service", client_id)
            AdminAccount.objects.update_or_create(
                user=user, defaults={"business_entity": employers[employer], "is_service_account": True}
            )
            service = Application.objects.filter(client_id=client_id).first() or Application(client_id=client_id)
            service.name = f"{employers[employer].name} reporting (service account)"
            service.user = user
            service.client_type = Application.CLIENT_CONFIDENTIAL
            service.authorization_grant_type = Application.GRANT_CLIENT_CREDENTIALS
            service.client_secret = secret
            service.save()

    def _payees(self, people: dict[str, Person]) -> None:
        by_user = {p.user.username: p for p in people.values() if p.user}
        rows = []
        for username, payees in PAYEES.items():
            for pid, tin, name, acct, line1, city, state, postal in payees:
                rows.append(
                    Payee(
                        person=by_user[username],
                        payee_id=pid,
                        payee_tin=tin,
                        name=name,
                        account_number=acct,
                        address_line1=line1,
                        city=city,
                        state=state,
                        postal_code=postal,
                        country="US",
                    )
                )
        for person in people.values():
            if person.user is None:
                rows.append(
                    Payee(
                        person=person,
                        payee_id=f"PAY-{person.last_name.upper()[:4]}1",
                        payee_tin="93-1184520",
                        name="Riverside Pediatrics",
                        account_number="ACC-55399",
                        address_line1="410 Riverside Ave",
                        city="Portland",
                        state="OR",
                        postal_code="97209",
                        country="US",
                    )
                )
        Payee.objects.bulk_create(rows)

    def _generated_specs(self, person: Person, count: int) -> list[ClaimSpec]:
        specs = []
        statuses = [
            (CS.PAID, RS.NOT_NEEDED),
            (CS.PAID, RS.AVAILABLE),
            (CS.PENDING_RECEIPT, RS.REQUIRED),
            (CS.PENDING_REIMBURSEMENT, RS.RECEIVED),
            (CS.SCHEDULED_REIMBURSEMENT, RS.AVAILABLE),
            (CS.DENIED, RS.NOT_NEEDED),
            (CS.PAID, RS.NOT_NEEDED),
            (CS.DENIED_COLLECTING_REPAYMENT, RS.OVERDUE),
        ]
        plan = person.account_types[0]
        for i in range(count):
            status, receipt = statuses[i % len(statuses)]
            cat, typ, provider = PROVIDERS[self.rng.randrange(len(PROVIDERS))]
            if plan == "HRA":
                cat, typ = "Medical", self.rng.choice(["Deductible", "Copay", "Coinsurance"])
            amount = f"{self.rng.uniform(20, 900):.2f}"
            kw: dict[str, object] = {"last_year": i >= count - 3}
            if status in (CS.DENIED, CS.DENIED_COLLECTING_REPAYMENT):
                code = "DEN-005" if status == CS.DENIED_COLLECTING_REPAYMENT else "DEN-002"
                kw.update(denied=amount, denials=[(code, amount, code == "DEN-005")])
                if status == CS.DENIED_COLLECTING_REPAYMENT:
                    kw["source"] = ClaimSource.CARD
            specs.append(_full(status, receipt, plan, cat, typ, provider, amount, 3 + i * 17, **kw))
        return specs

    def _claims(self, person: Person, specs: list[ClaimSpec]) -> int:
        storage = receipt_storage()
        for i, spec in enumerate(specs):
            service_day = self.today - timedelta(days=spec.days_ago)
            if spec.last_year:
                service_day = date(self.today.year - 1, 12, 28) - timedelta(days=spec.days_ago)
            now = timezone.now()
            submitted = min(_dt(service_day + timedelta(days=1), time(14, 5 + i % 50)), now)
            processed = (
                None if spec.status in (CS.UNSPECIFIED, CS.PENDING_RECEIPT) else min(submitted + timedelta(days=1), now)
            )
            claim = Claim.objects.create(
                claim_number=self._claim_number(person.employer, submitted.date()),
                person=person,
                claim_amount=D(spec.amount),
                submitted_amount=D(spec.amount),
                paid_amount=D(spec.paid),
                denied_amount=D(spec.denied),
                applied_copay_amount=D(spec.copay),
                applied_coinsurance_amount=D(spec.coinsurance),
                applied_deductible_amount=D(spec.deductible),
                claim_status=spec.status,
                receipt_status=spec.receipt,
                is_ptp=spec.ptp,
                claim_source=spec.source,
                expense_id=stable_id("expense", f"{person.id}:{i}"),
                submission_date=submitted,
                start_date_of_service=_dt(service_day),
                end_date_of_service=_dt(service_day),
                processed_date=processed,
                scheduled_for_reimbursement_date=(
                    submitted + timedelta(days=4) if spec.status in (CS.SCHEDULED_REIMBURSEMENT, CS.PAID) else None
                ),
                receipt_status_dt=min(submitted + timedelta(hours=3), now),
                provider_name=spec.provider,
                category=spec.category,
                expense_type=spec.expense_type,
                payee=spec.provider if spec.ptp else str(person),
                issue_response=DENIAL_TEXT[spec.denials[0][0]][0] if spec.denials else None,
                repayment_id=(
                    stable_id("repayment", f"{person.id}:{i}")
                    if spec.status == CS.DENIED_COLLECTING_REPAYMENT
                    else None
                ),
                **self._plan(spec.plan, spec.last_year, spec.near_deadline),  # type: ignore[arg-type]
            )
            for code, amount, upload_ok in spec.denials:
                reason, explanation, action = DENIAL_TEXT[code]
                when = submitted + timedelta(days=1)
                DenialReason.objects.create(
                    claim=claim,
                    denial_code=code,
                    reason=reason,
                    denial_date_time=when,
                    is_upload_receipt_allowed=upload_ok,
                    explanation=explanation,
                    action_required=action,
                )
                Denial.objects.create(
                    denial_id=stable_id("denial", f"{claim.claim_number}:{code}"),
                    claim=claim,
                    denial_code=code,
                    denial_reason=reason,
                    denied_amount=D(amount),
                    status=DenialStatus.DENIED,
                    action_date=when,
                )
            for code, status in spec.rmis:
                reason, description, note = RMI_TEXT[code]
                Rmi.objects.create(
                    claim=claim,
                    action_date=submitted + timedelta(days=1),
                    reason=reason,
                    code=code,
                    description=description,
                    status=status,
                    note=note,
                )
            if spec.receipt_file or spec.document:
                self._receipt(storage, person, claim, spec)
        return len(specs)

    def _receipt(self, storage, person: Person, claim: Claim, spec: ClaimSpec) -> None:  # type: ignore[no-untyped-def]
        if spec.document:
            data, mime = _document(
                _document_kind(spec),
                spec.document,
                spec.receipt_flaws,
                provider=spec.provider,
                patient=spec.patient or str(person),
                holder=str(person),
                day=_service_day(claim),
                amount=claim.claim_amount,
            )
            label, ext = {"application/pdf": ("PDF", "pdf"), "image/jpeg": ("JPEG", "jpg")}.get(mime, ("PNG", "png"))
        elif spec.receipt_file == "pdf":
            data = receipt_pdf(
                [
                    spec.provider,
                    f"Date of service: {claim.start_date_of_service:%b %d, %Y}",
                    f"{spec.expense_type}",
                    f"Amount paid: ${spec.amount}",
                    "Thank you!",
                ]
            )
            mime, label, ext = "application/pdf", "PDF", "pdf"
        else:
            data, mime, label, ext = receipt_png(), "image/png", "PNG", "png"
        external_id = f"ext-{stable_id('receipt', claim.claim_number).hex}"
        digest = hashlib.sha256(data).hexdigest()
        if storage.exists(external_id):  # seeded on another day: the document's dates moved
            with storage.open(external_id) as kept:
                if hashlib.sha256(kept.read()).hexdigest() != digest:
                    storage.delete(external_id)
        name = storage.save(external_id, ContentFile(data)) if not storage.exists(external_id) else external_id
        receipt = Receipt.objects.create(
            receipt_id=f"rcpt-{stable_id('rcpt', claim.claim_number).hex[:12]}",
            external_id=external_id,
            person=person,
            file_name=f"{spec.provider.split(' #')[0].lower().replace(' ', '_')}_{claim.start_date_of_service:%Y_%m}.{ext}",
            file_size=len(data),
            content_type=label,
            mime_type=mime,
            upload_date=claim.submission_date + timedelta(hours=2) if claim.submission_date else timezone.now(),
            tracked_expense_number=f"EXP-{claim.expense_id.int % 10**6:06d}",
            storage_name=name,
            sha256=digest,
        )
        receipt.claims.add(claim)

    def _load_members(self, employer: BusinessEntity, count: int) -> int:
        """Members load001..loadNNN (the demo password), 16 claims each, receipt files on those whose
        receipt is in: the simulated members of the load runs under bench/."""
        from django.contrib.auth.hashers import make_password

        User = get_user_model()
        hashed = make_password(DEMO_PASSWORD)  # once: hashing 64 passwords one by one takes seconds
        created = 0
        for n in range(1, count + 1):
            username, last = f"load{n:03d}", f"Member {n:03d}"
            user, _ = User.objects.get_or_create(
                username=username, defaults={"first_name": "Load", "last_name": last, "password": hashed}
            )
            person, _ = Person.objects.update_or_create(
                id=stable_id("person", f"Load {last}"),
                defaults={"user": user, "employer": employer, "first_name": "Load", "last_name": last,
                          "account_types": ["FSA"], "zoneinfo": ZONES["acme"]},
            )  # fmt: skip
            if person.claims.exists():
                continue
            specs = self._generated_specs(person, 16)
            for i, spec in enumerate(specs):
                if spec.receipt in (RS.AVAILABLE, RS.RECEIVED):
                    spec.receipt_file = "pdf" if i % 2 else "png"
            created += self._claims(person, specs)
        return created

    def _bulk(self, people: list[Person], count: int) -> int:
        """Many plain claims (for benchmarks): paid and pending claims spread over two years."""
        rows = []
        statuses = [
            CS.PAID,
            CS.PAID,
            CS.PENDING_REIMBURSEMENT,
            CS.PENDING_RECEIPT,
            CS.SCHEDULED_REIMBURSEMENT,
        ]
        for i in range(count):
            person = people[i % len(people)]
            cat, typ, provider = PROVIDERS[i % len(PROVIDERS)]
            amount = D(f"{self.rng.uniform(10, 1500):.2f}")
            status = statuses[i % len(statuses)]
            day = self.today - timedelta(days=1 + (i * 7) % 700)
            submitted = _dt(day, time(9 + i % 8, i % 60))
            rows.append(
                Claim(
                    claim_number=self._claim_number(person.employer, day) + "B",
                    person=person,
                    employer_id=person.employer_id,
                    claim_amount=amount,
                    submitted_amount=amount,
                    paid_amount=amount if status == CS.PAID else ZERO,
                    claim_status=status,
                    receipt_status=RS.REQUIRED if status == CS.PENDING_RECEIPT else RS.NOT_NEEDED,
                    claim_source=ClaimSource.CARD if i % 3 == 0 else ClaimSource.CONSUMER,
                    submission_date=submitted,
                    start_date_of_service=_dt(day - timedelta(days=2)),
                    end_date_of_service=_dt(day - timedelta(days=2)),
                    processed_date=submitted + timedelta(days=1),
                    provider_name=provider,
                    category=cat,
                    expense_type=typ,
                    payee=str(person),
                    **self._plan(person.account_types[0], day.year < self.today.year, False),  # type: ignore[arg-type]
                )
            )
        Claim.objects.bulk_create(rows, batch_size=500)
        return count


DEMO_DOCUMENT_FLAWS = ("no_patient", "no_date", "amount_differs", "no_provider")


def write_demo_documents(directory: Path, username: str = "alice") -> list[Path]:
    """Documents to try the receipt check with, for each of the member's claims that waits for a
    receipt: one that passes (a PDF, and a phone photo) and one that lacks something, named so.
    They are what a member would have on their phone; nothing is sent anywhere."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    claims = Claim.objects.filter(person__user__username=username, receipt_status__in=_NEEDS_RECEIPT)
    for n, claim in enumerate(claims.select_related("person").order_by("claim_number")):
        spec = ClaimSpec(
            claim.claim_status, claim.receipt_status, "FSA", claim.category or "", claim.expense_type or "",
            claim.provider_name or "", str(claim.claim_amount), 0,
        )  # fmt: skip
        slug = "-".join(f"{claim.provider_name} {claim.expense_type}".lower().replace("#", "").split())
        flaw = DEMO_DOCUMENT_FLAWS[n % len(DEMO_DOCUMENT_FLAWS)]
        for variant, flaws, name in (
            ("pdf", (), f"{slug}.pdf"),
            ("photo", (), f"{slug}-photo.jpg"),
            ("pdf", (flaw,), f"{slug}-{flaw.replace('_', '-')}.pdf"),
        ):
            data, _mime = _document(
                _document_kind(spec),
                variant,
                flaws,
                provider=spec.provider,
                patient=CHILD if claim.category == "Dependent Care" else str(claim.person),
                holder=str(claim.person),
                day=_service_day(claim),
                amount=claim.claim_amount,
            )
            path = directory / name
            path.write_bytes(data)
            written.append(path)
    return written


def _document_kind(spec: ClaimSpec) -> Kind:
    """The kind of document a member would have for such a claim."""
    if spec.category == "Pharmacy":
        return Kind.PHARMACY_RECEIPT
    if spec.category == "Medical Supplies" or spec.expense_type == "Contact Lenses":
        return Kind.SHOP_RECEIPT  # bought in a shop or online: the receipt names nobody
    if spec.category == "Dental":
        return Kind.DENTAL_INVOICE
    if spec.category == "Dependent Care":
        return Kind.DEPENDENT_CARE_INVOICE
    if spec.expense_type in ("Coinsurance", "Deductible", "Copay"):
        return Kind.EXPLANATION_OF_BENEFITS  # what the insurer paid and what is left to the member
    if spec.expense_type == "Physical Therapy":
        return Kind.STATEMENT_OF_ACCOUNT
    return Kind.MEDICAL_INVOICE


def _service_day(claim: Claim) -> date:
    """The seeded claim's day of service (every seeded claim has one)."""
    assert claim.start_date_of_service is not None
    return claim.start_date_of_service.date()


@functools.lru_cache(maxsize=64)
def _document(
    kind: Kind,
    variant: str,
    flaws: tuple[str, ...],
    *,
    provider: str,
    patient: str,
    holder: str,
    day: date,
    amount: Decimal,
) -> tuple[bytes, str]:
    """A generated document that fits the claim (kept per process: photos take a second to make)."""
    facts = Facts(provider=provider, patient=patient, holder=holder, service_day=day, amount=amount)
    data, mime, _truth = make_document(kind, flaws=flaws, variant=variant, seed=len(provider), turn=0, facts=facts)
    return data, mime


def _dt(day: date, at: time = time(0, 0)) -> datetime:
    return datetime.combine(day, at, tzinfo=timezone.get_fixed_timezone(0))


def _user(username: str, first: str, last: str):  # type: ignore[no-untyped-def]
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _wipe(employers) -> None:  # type: ignore[no-untyped-def]
    storage = receipt_storage()
    receipts = Receipt.objects.filter(person__employer__in=list(employers))
    for receipt in receipts:
        storage.delete(receipt.storage_name)
    receipts.delete()
    Claim.objects.filter(person__employer__in=list(employers)).delete()
    Payee.objects.filter(person__employer__in=list(employers)).delete()
