"""Whether a number or a date that a sheet row gives is one its quote says.

Numbers are read from the quote as people write them: "215,900", "215 900" and "215900" are one number,
"2.3 million" is 2300000, and "two" to "twenty" are numbers too ("a four-door sedan" says 4). A date's year
must stand in the quote; its month and day too where the quote names a month ("December 2023" says
2023-12, not 2023-11). Where the quote names no month, a month comes from words such as "the first half
of 2024", which the curator reads as a period; only the year is checked then.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?(?!\d)|(?<![\w,])\d+(?:\.\d+)?")
SCALE_WORDS = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
SCALED = re.compile(r"^\s*(thousand|million|billion|trillion)\b", re.IGNORECASE)
NUMBER_WORDS = {
    word: index
    for index, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
WORD = re.compile(r"[A-Za-z]+")
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def numbers_in(quote: str) -> set[Decimal]:
    """Every number the quote writes, in digits (scaled by a following "million") or as a word."""
    found: set[Decimal] = set()
    for match in NUMBER.finditer(quote):
        number = Decimal(re.sub(r"[,\u00a0\u202f ]", "", match.group()))
        found.add(number)
        scale = SCALED.match(quote[match.end() :])
        if scale:
            found.add(number * SCALE_WORDS[scale.group(1).lower()])
    for word in WORD.findall(quote):
        if word.lower() in NUMBER_WORDS:
            found.add(Decimal(NUMBER_WORDS[word.lower()]))
    return found


def as_number(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip().replace(",", "").replace("_", ""))
    except InvalidOperation:
        return None


def number_problem(text: str, quote: str) -> str | None:
    """Why the number ``text`` is not one the quote says, or None when it is."""
    number = as_number(text)
    if number is None:
        return f"{text!r} is not a number (write digits, such as 215900)"
    if number in numbers_in(quote):
        return None
    return f"{text} is not a number the quote says{numbers_seen(quote)}"


def date_problem(text: str, quote: str) -> str | None:
    """Why the date ``text`` (YYYY, YYYY-MM or YYYY-MM-DD) is not one the quote says, or None when it is."""
    match = ISO_DATE.match(text.strip())
    if match is None:
        return f"{text!r} is not a date (write 2023, 2023-12 or 2023-12-05)"
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        datetime.date(year or 0, month or 1, day or 1)
    except ValueError:
        return f"{text!r} is not a date (write 2023, 2023-12 or 2023-12-05)"
    if text.strip() in quote:
        return None
    numbers = numbers_in(quote)
    if Decimal(year or 0) not in numbers:
        return f"the year of {text} is not in the quote{numbers_seen(quote)}"
    named = months_in(quote)
    if month is not None and named and month not in named:
        return f"the month of {text} is not the one the quote names ({', '.join(sorted(named_words(quote)))})"
    if day is not None and named and Decimal(day) not in numbers:
        return f"the day of {text} is not in the quote"
    return None


def months_in(quote: str) -> set[int]:
    return {MONTHS[word.lower()] for word in named_words(quote)}


def named_words(quote: str) -> set[str]:
    # "may" is a month only when capitalised: "it may be" names no month.
    return {w for w in WORD.findall(quote) if w.lower() in MONTHS and (w.lower() != "may" or w == "May")}


def numbers_seen(quote: str) -> str:
    seen = sorted(numbers_in(quote))
    return f" (it says {', '.join(format(n, 'f') for n in seen)})" if seen else " (it has no numbers)"
