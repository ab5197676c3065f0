"""Receipts written by hand in layouts the sample generator does not make (a US chain pharmacy,
a German pharmacy, a bilingual Malaysian clinic, a pediatric ledger): the rules are general."""

from datetime import date
from decimal import Decimal

import pytest

from evidence.model import Kind
from evidence.reader import interpret
from evidence.sources import Source

from .helpers import rows

DOCS = {
    "cvs": """
                 CVS pharmacy
          1234 MAIN ST  ANYTOWN, CA 90210
              (555) 123-4567
  STORE 1234  REG 2  TRN 5678  CSHR JANE
  RX 123456789   RX AMOXICILLIN           10.00
    PATIENT: DOE, JOHN
  1 CVS IBUPROFEN 200MG 100CT              8.99
  1 BANDAGE FLEX FABRIC                    4.49
                 SUBTOTAL                 23.48
              CA 7.25% TAX                 0.98
                    TOTAL                 24.46
                     VISA                 24.46
  VISA ACCT ************1234
  ExtraCare Card #: ************5678
  ExtraBucks Rewards saved             2.00
  03/15/2025 10:42 AM
  RETURNS WITH RECEIPT BY 05/14/2025
""",
    "de": """
   Apotheke am Rathaus
   Marktplatz 3, 10115 Berlin
   Tel. 030 1234567
   Ibuprofen 400 akut 20 St.        5,95 €
   Nasenspray 10ml                  4,50 €
   Summe                           10,45 €
   Gegeben BAR                     20,00 €
   Rückgeld                         9,55 €
   MwSt 19%  Netto 8,78  Steuer 1,67
   14.03.2025  16:05   Beleg-Nr. 4711
""",
    "my": """
   KLINIK KESIHATAN SEJAHTERA
   No. 12, Jalan Bukit Bintang, 55100 Kuala Lumpur
   RESIT / RECEIPT
   No: R-00123        Tarikh: 05/03/2025
   Nama Pesakit / Patient: AHMAD BIN ALI
   Consultation                        RM 35.00
   Medication                          RM 22.50
   Jumlah / Total                      RM 57.50
   Tunai / Cash                       RM 60.00
   Baki / Change                       RM 2.50
""",
    "clinic": """
   Greenwood Pediatrics, P.A.
   Statement date: 04/10/2025         Account #: 556677
   Responsible party: Laura Chen
   Patient: Emma Chen       DOB: 02/11/2019
   Date        Description                        Charges    Payments
   03/18/2025  Well child visit (99392)            210.00
   03/18/2025  Vaccine admin (90460)                45.00
   03/25/2025  Insurance payment - Aetna                      -170.00
   Previous balance                                 15.00
   Balance due                                      100.00
   Please pay by 05/10/2025
""",
}


EXPECTED = {
    "cvs": (Kind.PHARMACY_RECEIPT, date(2025, 3, 15), "CVS pharmacy", "DOE, JOHN", "24.46", "24.46", ""),
    "de": (Kind.PHARMACY_RECEIPT, date(2025, 3, 14), "Apotheke am Rathaus", None, "10.45", "10.45", "EUR"),
    "my": (
        Kind.MEDICAL_INVOICE,
        date(2025, 3, 5),
        "KLINIK KESIHATAN SEJAHTERA",
        "AHMAD BIN ALI",
        "57.50",
        "57.50",
        "MYR",
    ),
    "clinic": (
        Kind.STATEMENT_OF_ACCOUNT,
        date(2025, 3, 18),
        "Greenwood Pediatrics, P.A",
        "Emma Chen",
        "100.00",
        "100.00",
        "",
    ),
}


@pytest.mark.parametrize("name", sorted(DOCS))
def test_hand_written_documents(name: str) -> None:
    reading = interpret(Source(rows=rows(DOCS[name]), pages=1))
    kind, day, provider, patient, amount, total, currency = EXPECTED[name]
    assert reading.kind is kind
    assert reading.value("date_of_service") == day
    assert (reading.value("provider"), reading.value("patient")) == (provider, patient)
    assert (reading.value("amount"), reading.value("total")) == (Decimal(amount), Decimal(total))
    if currency:
        assert reading.currency == currency


def test_tendered_and_change_in_german_are_not_line_items() -> None:
    reading = interpret(Source(rows=rows(DOCS["de"]), pages=1))
    assert [item.description for item in reading.line_items] == ["Ibuprofen 400 akut 20 St.", "Nasenspray 10ml"]


def test_the_ledgers_insurance_payment_and_coded_lines() -> None:
    reading = interpret(Source(rows=rows(DOCS["clinic"]), pages=1))
    assert reading.value("insurer_paid") == Decimal("170.00")
    assert [(i.description, i.codes) for i in reading.line_items] == [
        ("Well child visit", ("99392",)),
        ("Vaccine admin", ("90460",)),
    ]
