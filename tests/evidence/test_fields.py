"""The reading rules on plain rows of text: totals, dates, names, kinds."""

from datetime import date
from decimal import Decimal

import pytest

from evidence import fields
from evidence.layout import Row
from evidence.model import Kind
from evidence.reader import interpret
from evidence.sources import Source

from .helpers import rows


def read_rows(made: list[Row]):  # type: ignore[no-untyped-def]
    return interpret(Source(rows=made, pages=1))


def test_subtotal_tax_tendered_and_change_are_not_the_total() -> None:
    reading = read_rows(
        rows("""
        CORNER DRUG
        Ibuprofen 200mg                 8.99
        SUBTOTAL                        8.99
        TAX                             0.72
        TOTAL                           9.71
        CASH TENDERED                  20.00
        CHANGE                         10.29
    """)
    )
    assert reading.value("total") == Decimal("9.71")
    assert reading.value("amount") == Decimal("9.71")


def test_the_largest_labelled_total_wins_and_savings_are_not_totals() -> None:
    reading = read_rows(
        rows("""
        Total savings                  14.00
        Total items 3
        Total                          52.10
    """)
    )
    assert reading.value("total") == Decimal("52.10")


def test_previous_balance_is_not_the_total_and_amount_due_is_the_patients() -> None:
    reading = read_rows(
        rows("""
        STATEMENT OF ACCOUNT
        Previous balance                     120.00
        03/02/2025  Office visit 99213       150.00
        03/20/2025  Payment - thank you      -50.00
        Total new charges                    150.00
        Amount due                           220.00
    """)
    )
    assert reading.kind is Kind.STATEMENT_OF_ACCOUNT
    assert reading.value("total") == Decimal("150.00")
    assert reading.value("amount") == Decimal("220.00")
    assert reading.value("date_of_service") == date(2025, 3, 2)


def test_an_eob_table_gives_billed_plan_paid_and_patient_share_by_column() -> None:
    reading = read_rows(
        rows("""
        Explanation of Benefits
        Service                Billed    Allowed   Plan paid   You owe
        Office visit 99213     180.00    120.00    96.00       24.00
        Totals                 180.00    120.00    96.00       24.00
    """)
    )
    assert reading.kind is Kind.EXPLANATION_OF_BENEFITS
    assert (reading.value("total"), reading.value("insurer_paid"), reading.value("amount")) == (
        Decimal("180.00"),
        Decimal("96.00"),
        Decimal("24.00"),
    )


def test_birth_due_and_printed_dates_give_way_to_the_service_date() -> None:
    reading = read_rows(
        rows("""
        Invoice date: 04/02/2025
        Patient: Ana Ruiz     DOB: 01/30/1980
        Date of service: 03/14/2025
        Payment due 05/01/2025
        Total charges     $95.00
    """)
    )
    assert reading.value("date_of_service") == date(2025, 3, 14)
    assert reading.value("patient") == "Ana Ruiz"
    assert reading.dates_of_service == (date(2025, 3, 14),)


def test_a_date_of_birth_alone_is_never_the_date_of_service() -> None:
    reading = read_rows(
        rows("""
        DOB: 01/30/1980
        Total   $95.00
    """)
    )
    assert reading.value("date_of_service") is None


def test_an_ambiguous_date_is_marked_uncertain() -> None:
    reading = read_rows(
        rows("""
        Visit date: 04/05/2025
        Total  12.00
    """)
    )
    found = reading.fields["date_of_service"]
    assert found.uncertain == "day_month_ambiguous"
    assert found.value == date(2025, 4, 5)


def test_an_ambiguous_date_settled_by_the_documents_other_dates() -> None:
    reading = read_rows(
        rows("""
        Visit date: 04/05/2025
        Printed 23/05/2025
        Total  RM 12.00
    """)
    )
    found = reading.fields["date_of_service"]
    assert (found.value, found.uncertain) == (date(2025, 5, 4), "")
    assert reading.currency == "MYR"


@pytest.mark.parametrize(
    "line",
    [
        "Patient: Maria Lopez",
        "Pt Name: Maria Lopez",
        "PATIENT NAME   Maria Lopez",
        "For: Maria Lopez",
        "Child's name: Maria Lopez",
    ],
)
def test_patient_labels(line: str) -> None:
    assert fields.patient_field(rows(line + "\nTotal 3.00")).value == "Maria Lopez"  # type: ignore[union-attr]


def test_patient_value_below_its_label_and_not_patient_responsibility() -> None:
    made = rows("""
        Patient responsibility    20.00
        Patient
        Maria Lopez
    """)
    assert fields.patient_field(made).value == "Maria Lopez"  # type: ignore[union-attr]


def test_the_patient_wins_over_the_member() -> None:
    made = rows("Member: John Lopez\nMember ID: W123456\nPatient: Maria Lopez")
    assert fields.patient_field(made).value == "Maria Lopez"  # type: ignore[union-attr]


def test_provider_by_label_else_the_largest_print_at_the_top() -> None:
    labelled = rows("Acme Health Plan\nRendering provider:   Dr. Ana Ruiz, MD")
    assert fields.provider_field(labelled, Kind.EXPLANATION_OF_BENEFITS).value == "Dr. Ana Ruiz, MD"  # type: ignore[union-attr]
    header = rows("RECEIPT\nSunrise Pharmacy\n1200 Harbor Blvd\nTotal  3.00")
    assert fields.provider_field(header, Kind.PHARMACY_RECEIPT).value == "Sunrise Pharmacy"  # type: ignore[union-attr]


def test_npi_and_tax_id() -> None:
    found = fields.id_fields(rows("NPI: 1234567893    Tax ID: 12-3456789"))
    assert (found["npi"].value, found["tax_id"].value) == ("1234567893", "12-3456789")
    # Ten digits whose check digit is wrong are no NPI (misread, or a misprint): not offered as one.
    misread = fields.id_fields(rows("NPI: 1234567890    Tax ID: 12-3456789"))
    assert "npi" not in misread and misread["tax_id"].value == "12-3456789"
    later = fields.id_fields(rows("NPI: 1234567890\nBilling NPI: 1760854442"))
    assert later["npi"].value == "1760854442"  # a valid one further down is


def test_line_items_with_codes_dates_and_amounts() -> None:
    [item] = fields.line_items(rows("03/14/2025   D1110   Prophylaxis - adult    $95.00"), "mdy")
    assert (item.service_date, item.codes, item.description, item.amount) == (
        date(2025, 3, 14),
        ("D1110",),
        "Prophylaxis - adult",
        Decimal("95.00"),
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("EXPLANATION OF BENEFITS  THIS IS NOT A BILL  Plan paid", Kind.EXPLANATION_OF_BENEFITS),
        ("Statement date  Previous balance  Amount due", Kind.STATEMENT_OF_ACCOUNT),
        ("Little Acorns Child Care  Tuition  week of", Kind.DEPENDENT_CARE_INVOICE),
        ("Riverside Dental  D1110 prophylaxis  DDS", Kind.DENTAL_INVOICE),
        ("Lakeside Clinic  INVOICE  CPT 99213  Date of service", Kind.MEDICAL_INVOICE),
        ("CVS pharmacy  Rx# 1234  RECEIPT  Change  Thank you", Kind.PHARMACY_RECEIPT),
        ("TARGET  Subtotal  Cash tendered  Change  Thank you", Kind.SHOP_RECEIPT),
        ("lorem ipsum", Kind.UNKNOWN),
    ],
)
def test_kind_from_the_words_printed(text: str, kind: Kind) -> None:
    assert fields.classify_kind(text)[0] is kind


def test_ocr_misspelt_keywords_still_tell_total_from_subtotal() -> None:
    reading = read_rows(
        rows("""
        SUBT0TAL         10.00
        TAX               0.80
        T0TAL            10.80
    """)
    )
    assert reading.value("total") == Decimal("10.80")


def test_a_zero_balance_after_payment_is_not_what_was_paid() -> None:
    reading = read_rows(
        rows("""
        TOTAL            25.40
        VISA             25.40
        BALANCE           0.00
    """)
    )
    assert reading.value("amount") == Decimal("25.40")


def test_you_owe_nothing_on_an_eob_is_read_as_nothing() -> None:
    reading = read_rows(
        rows("""
        Explanation of Benefits
        Total billed         120.00
        Plan paid            120.00
        You owe                0.00
    """)
    )
    assert (reading.value("amount"), reading.value("insurer_paid")) == (Decimal("0.00"), Decimal("120.00"))


def test_misspelt_table_headings_are_matched_to_known_ones() -> None:
    reading = read_rows(
        rows("""
        Service          BIilled    Alowed    Plan pald    You owe
        Office visit     180.00     120.00    96.00        24.00
        Totals           180.00     120.00    96.00        24.00
    """)
    )
    assert (reading.value("total"), reading.value("insurer_paid")) == (Decimal("180.00"), Decimal("96.00"))


def test_a_label_run_into_its_value_by_ocr() -> None:
    assert fields.patient_field(rows("Pt Name:Maria Lopez")).value == "Maria Lopez"  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["Patient name::     Ana Ruiz", "Patient     Name: Ana Ruiz"])
def test_labels_that_ocr_doubled_or_split(text: str) -> None:
    assert fields.patient_field(rows(text)).value == "Ana Ruiz"  # type: ignore[union-attr]


# --- From a probe with 20 documents no one here wrote (2026-12-04) ---------------------------------


@pytest.mark.parametrize(
    "balance_line",
    ["FSA REMAINING BALANCE        412.50", "Account balance              230.00",
     "Gift card balance            80.00", "TOTAL REWARDS EARNED          60.00",
     "TOTAL RETAIL VALUE            60.37"],
)  # fmt: skip
def test_a_balance_left_on_a_card_or_account_and_loyalty_figures_are_not_what_was_paid(balance_line: str) -> None:
    reading = read_rows(
        rows(f"""
        WALGREENS
        Patient: Priya Shah
        RX 4471 IBUPROFEN               20.00
        PATIENT PAY                     20.00
        TOTAL                           20.00
        {balance_line}
    """)
    )
    assert (reading.value("amount"), reading.value("total")) == (Decimal("20.00"), Decimal("20.00"))


def test_a_fee_line_is_an_item_when_the_total_says_due() -> None:
    reading = read_rows(
        rows("""
        Little Acorns Learning Center
        Child: Ethan Brown (Toddler Room)
        Full-time tuition, week of 03/03/2025    1,140.00
        Late pickup fee                            15.00
        Total due                               1,155.00
    """)
    )
    assert (reading.value("amount"), reading.value("total")) == (Decimal("1155.00"), Decimal("1155.00"))
    assert reading.value("patient") == "Ethan Brown"  # the note after the name is not the name


def test_money_handed_over_is_not_what_was_paid() -> None:
    reading = read_rows(
        rows("""
        Sunrise Pharmacy
        Bandages                         25.00
        TOTAL                            25.00
        AMOUNT PAID                      40.00
        CHANGE                           15.00
    """)
    )
    assert (reading.value("amount"), reading.value("total")) == (Decimal("25.00"), Decimal("25.00"))


def test_a_date_alone_does_not_take_an_amount_line_or_a_sentence_above_as_its_label() -> None:
    for above in ("CHANGE DUE                       0.00", "Returns accepted within 30 days"):
        reading = read_rows(rows(f"Sunrise Pharmacy\nTOTAL   18.30\n{above}\n03/28/2025\n"))
        assert reading.value("date_of_service") == date(2025, 3, 28), above


def test_a_patient_label_with_its_colon_mid_line() -> None:
    assert fields.patient_field(rows("RX 7781203 PT: NGUYEN, HANA\nTotal 3.00")).value == "NGUYEN, HANA"  # type: ignore[union-attr]


def test_the_business_name_is_at_the_top_of_the_document_not_of_the_photo() -> None:
    """A large photo with the receipt in its middle: its first line is well below the image's top."""
    from evidence.layout import Segment
    from evidence.model import Box

    def lower(box: Box) -> Box:
        return Box(box.page, box.left, 0.34 + box.top * 0.3, box.right, 0.34 + box.bottom * 0.3)

    made = rows("WALMART PHARMACY\n1200 Harbor Blvd\nPatient: Hana Nguyen\nTotal  18.30")
    shifted = [Row(page=r.page, segments=[Segment(s.text, lower(s.box)) for s in r.segments]) for r in made]
    assert fields.provider_field(shifted, Kind.PHARMACY_RECEIPT).value == "WALMART PHARMACY"  # type: ignore[union-attr]


def test_a_title_after_a_providers_credential_is_not_the_name() -> None:
    made = rows("Hannah Lee, PsyD - Licensed Psychologist\n1200 Harbor Blvd\nTotal  180.00")
    assert fields.provider_field(made, Kind.MEDICAL_INVOICE).value == "Hannah Lee, PsyD"  # type: ignore[union-attr]
    kept = rows("Portland - Family Medicine Clinic\n1200 Harbor Blvd\nTotal  180.00")
    assert fields.provider_field(kept, Kind.MEDICAL_INVOICE).value == "Portland - Family Medicine Clinic"  # type: ignore[union-attr]
