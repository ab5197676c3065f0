"""Money and dates as printed anywhere, to Decimal and date."""

from datetime import date
from decimal import Decimal

import pytest

from evidence.text import find_dates, find_money, in_order, settle_day_month


@pytest.mark.parametrize(
    ("printed", "value", "currency"),
    [
        ("$1,234.56", "1234.56", "USD"),
        ("1234.56", "1234.56", ""),
        ("USD 12.00", "12.00", "USD"),
        ("RM 9.00", "9.00", "MYR"),
        ("RM9.00", "9.00", "MYR"),
        ("1.234,56 €", "1234.56", "EUR"),
        ("€ 12,50", "12.50", "EUR"),
        ("£7.20", "7.20", "GBP"),
        ("EUR 1 234,50", "1234.50", "EUR"),
        ("$12", "12.00", "USD"),
        ("(12.50)", "-12.50", ""),
        ("-7.66", "-7.66", ""),
        ("12.50 CR", "-12.50", ""),
    ],
)
def test_money_in_every_style(printed: str, value: str, currency: str) -> None:
    [money] = find_money(f"Total  {printed}")
    assert money.value == Decimal(value)
    assert money.currency == currency


@pytest.mark.parametrize("text", ["Qty 30", "Tel (555) 201-3344", "Rx# 6154832", "03/15/2025", "NDC 12345-6789-01"])
def test_numbers_that_are_not_money(text: str) -> None:
    assert find_money(text) == []


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("03/15/2025", date(2025, 3, 15)),
        ("2025-03-15", date(2025, 3, 15)),
        ("Mar 15, 2025", date(2025, 3, 15)),
        ("March 15th 2025", date(2025, 3, 15)),
        ("15-MAR-25", date(2025, 3, 15)),
        ("15 Mar 2025", date(2025, 3, 15)),
        ("15/03/2025", date(2025, 3, 15)),
        ("15.03.2025", date(2025, 3, 15)),
        ("3/15/25", date(2025, 3, 15)),
        ("15/03/202514:32", date(2025, 3, 15)),  # OCR ran the time into the date
        ("May15, 2025", date(2025, 5, 15)),
        ("15 de marzo de 2025", date(2025, 3, 15)),
        ("15. März 2025", date(2025, 3, 15)),
    ],
)
def test_dates_in_every_common_style(printed: str, expected: date) -> None:
    [found] = find_dates(f"Date {printed}")
    assert found.value == expected


def test_an_ambiguous_date_carries_its_other_reading() -> None:
    [found] = find_dates("04/05/2025")
    assert (found.value, found.other) == (date(2025, 4, 5), date(2025, 5, 4))


def test_the_documents_other_dates_settle_day_and_month() -> None:
    dates = find_dates("04/05/2025 and 23/05/2025")
    order, proved = settle_day_month(dates)
    assert (order, proved) == ("dmy", True)
    assert in_order(dates[0], order) == date(2025, 5, 4)


def test_unproved_order_follows_the_currency_and_says_it_is_a_guess() -> None:
    dates = find_dates("04/05/2025")
    assert settle_day_month(dates, "USD") == ("mdy", False)
    assert settle_day_month(dates, "MYR") == ("dmy", False)
