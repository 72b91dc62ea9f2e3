"""Dates at their true precision, as the spans of time a timeline draws.

A date in the graph keeps the source's precision in its datatype (docs/modelling.md): "2021"^^xsd:gYear
is some time in 2021, so it is drawn as the whole year; "2022-11"^^xsd:gYearMonth as the month; an
xsd:date (or an xsd:dateTime) as its day. A period (a kg:PeriodStatement's kg:earliestDate and
kg:latestDate) runs from the start of its earliest date to the end of its latest: "the first half of
2024", 2024-01 to 2024-06, is 2024-01-01 up to (not including) 2024-07-01. Every span is half-open,
[start, end), so that two spans overlap exactly when each starts before the other ends.

A value that is none of these (another datatype, a month 13, a 30 February, a year before 1 or after
9998) is no span: the timeline lists it as not drawn rather than guess where it goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from rdflib import Literal
from rdflib.namespace import XSD
from rdflib.term import Node

EN_DASH = "\u2013"  # between a period's bounds, as typesetting has it
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ZONE = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"  # XML Schema allows a time zone on each of the three
TIME = r"(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?"
PATTERNS = {
    str(XSD.gYear): ("year", re.compile(rf"(\d{{4}}){ZONE}")),
    str(XSD.gYearMonth): ("month", re.compile(rf"(\d{{4}})-(\d{{2}}){ZONE}")),
    str(XSD.date): ("day", re.compile(rf"(\d{{4}})-(\d{{2}})-(\d{{2}}){ZONE}")),
    # an instant, drawn as its day (as queries/conflicts.rq compares it), its time of day kept in ``iso``
    str(XSD.dateTime): (
        "day",
        re.compile(rf"(\d{{4}})-(\d{{2}})-(\d{{2}})T{TIME}{ZONE}"),
    ),
}


@dataclass(frozen=True, order=True)
class Span:
    """Some time in [start, end): a year, a month, a day, or a period between two of them."""

    start: date
    end: date  # the first day after the span
    precision: str  # "year", "month", "day", or "period"
    text: str  # for people: "2021", "Nov 2022", "28 Mar 2024", "Jan 2024 to Jun 2024" with an en dash
    iso: str  # as the graph gives it: "2021", "2024-01/2024-06"

    def overlaps(self, other: Span) -> bool:
        """Whether the two can both hold: some day lies in each."""
        return self.start < other.end and other.start < self.end


def date_span(value: Node | None) -> Span | None:
    """The span a typed date covers at its precision; None for anything else."""
    if not isinstance(value, Literal) or value.datatype is None or str(value.datatype) not in PATTERNS:
        return None
    precision, pattern = PATTERNS[str(value.datatype)]
    match = pattern.fullmatch(str(value))
    if match is None:
        return None
    try:
        parts = [int(part) for part in match.groups()]
        if precision == "year":
            start, end = date(parts[0], 1, 1), date(parts[0] + 1, 1, 1)
        elif precision == "month":
            start = date(parts[0], parts[1], 1)
            end = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        else:
            start = date(parts[0], parts[1], parts[2])
            end = start + timedelta(days=1)
    except (ValueError, OverflowError):  # month 13, 30 February, year 0 or 9999's end
        return None
    return Span(start, end, precision, spoken(start, precision), str(value))


def period_span(earliest: Node | None, latest: Node | None) -> Span | None:
    """From the start of ``earliest`` to the end of ``latest``; None unless both are dates and in order."""
    first, last = date_span(earliest), date_span(latest)
    if first is None or last is None or last.end <= first.start:
        return None
    return Span(first.start, last.end, "period", f"{first.text} {EN_DASH} {last.text}", f"{first.iso}/{last.iso}")


def spoken(day: date, precision: str) -> str:
    """A date as people write it, in the same words whatever the machine's locale: 2021, Nov 2022, 28 Mar 2024."""
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{MONTHS[day.month - 1]} {day.year:04d}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year:04d}"
