"""The numbers and dates a sheet row gives must be ones its quote says, as people write them."""

from __future__ import annotations

from decimal import Decimal

from kg.curate.numbers import date_problem, number_problem, numbers_in


def test_thousands_separators_scales_and_number_words_are_read() -> None:
    found = numbers_in("more than 2,300 people, 2.3 million cars, 300 000 a year and two variants")
    assert {Decimal(2300), Decimal("2300000"), Decimal(300000), Decimal(2)} <= found
    assert Decimal(3) not in found


def test_a_number_must_stand_in_the_quote() -> None:
    quote = "The base version costs 215,900 yuan"
    assert number_problem("215900", quote) is None
    assert number_problem("251900", quote) == "251900 is not a number the quote says (it says 215900)"
    assert number_problem("lots", quote) == "'lots' is not a number (write digits, such as 215900)"


def test_words_inside_names_are_no_numbers() -> None:
    assert number_problem("4", "such as the BMW i4") == "4 is not a number the quote says (it has no numbers)"
    assert number_problem("4", "a four-door sedan") is None


def test_a_month_must_be_the_one_the_quote_names() -> None:
    assert date_problem("2023-12", "in December 2023") is None
    assert date_problem("2023-11", "in December 2023") == (
        "the month of 2023-11 is not the one the quote names (December)"
    )
    assert date_problem("2022", "in 2021") == "the year of 2022 is not in the quote (it says 2021)"


def test_a_period_read_from_words_needs_only_its_year() -> None:
    assert date_problem("2024-06", "mass production is expected to start in the first half of 2024") is None
    assert date_problem("2024-06", "it may be ready in 2024") is None  # "may" is no month


def test_a_day_must_stand_in_the_quote_beside_its_month() -> None:
    assert date_problem("2024-03-28", "on 28 March 2024") is None
    assert date_problem("2024-03-27", "on 28 March 2024") == "the day of 2024-03-27 is not in the quote"
    assert (
        date_problem("28.3.2024", "on 28 March 2024") == "'28.3.2024' is not a date (write 2023, 2023-12 or 2023-12-05)"
    )


def test_a_date_that_is_no_day_of_the_calendar_is_refused() -> None:
    assert date_problem("2024-13", "in 2024") == "'2024-13' is not a date (write 2023, 2023-12 or 2023-12-05)"
    assert date_problem("2023-02-29", "on 29 February 2023") == (
        "'2023-02-29' is not a date (write 2023, 2023-12 or 2023-12-05)"
    )
