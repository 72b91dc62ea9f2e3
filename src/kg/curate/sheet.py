"""Claims sheets: CSV or TSV with a header row, one claim per row, as people write them in a spreadsheet.

Column names are case-insensitive and may use spaces for underscores ("attributed to"). Rows are numbered
as a spreadsheet numbers them: the header is row 1, the first claim row 2.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.rdf.load import read_text_input

# Every column a sheet may have, in the order of `kg import --template`, with what it holds (docs/curation.md).
COLUMNS = {
    "subject": "the entity the claim is about: a label, alias, prefixed name (kgr:xiaomi) or IRI",
    "property": "the claim property: local name (founder) or label (chief executive officer)",
    "object": "the entity the claim links to (a relation), named as subject is",
    "value": "a literal value: a date (2023, 2023-12, 2023-12-05), a number or words",
    "quote": "the source's words, copied verbatim (kg quote SOURCE TEXT finds them)",
    "hedge": "the words that hedge the claim, part of the quote (is expected to)",
    "attribution": "who says it: own voice (the default), attributed or curator inference",
    "attributed_to": "with attribution attributed: the entity the source names as saying it",
    "timing": "factual (the default: is or was so) or prospective (planned or expected)",
    "outcome": "unknown (the default when prospective), happened, did not happen or cancelled",
    "likelihood": "certain (the default), likely, possible or unlikely",
    "polarity": "affirmed (the default) or negated",
    "rank": "normal (the default), preferred or deprecated, to settle a conflict",
    "rank_reason": "why a claim is preferred or deprecated (required with those ranks)",
    "date": "when the claim holds or the event happens (a qualifier)",
    "start": "from when a relation holds; with end and no object or value: the earliest date of a period",
    "end": "with start and no object or value: the latest date of a period",
    "amount": "an exact quantity",
    "min": "the least value of a quantity (between 40,000 and ...)",
    "max": "the greatest value of a quantity (... and 50,000)",
    "more_than": "a value the quantity exceeds (more than 2,300)",
    "less_than": "a value the quantity stays below (fewer than 10)",
    "unit": "the unit of a quantity: people, percent, variants, vehicles per year",
    "currency": "the ISO 4217 code of a money quantity: EUR, USD, CNY",
    "aspect": "for compared with: in what respect (size, roofline)",
    "subject_class": "a class, to create the subject as a new entity labelled as written (Company, Person)",
    "object_class": "a class, to create the object as a new entity labelled as written",
    "note": "a curator's note, not from the source (required with attribution curator inference)",
}
REQUIRED = ("subject", "property", "quote")
# Columns of earlier sheets, and what took their place.
RETIRED = {
    "status": "the status column is gone: a claim's axes have a column each (attribution, timing, outcome, "
    "likelihood, polarity, rank), whose empty cells take the defaults; see docs/curation.md",
}
NUMBER_COLUMNS = ("amount", "min", "max", "more_than", "less_than")
DATE_COLUMNS = ("date", "start", "end")


@dataclass(frozen=True)
class Row:
    """One claim row: its spreadsheet row number and its non-empty cells by column."""

    number: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Sheet:
    path: Path
    rows: list[Row]

    def where(self, row: int, column: str) -> str:
        return f"{self.path}:{row}:{column}"


def template(delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerow(COLUMNS)
    return buffer.getvalue()


def column_name(header: str) -> str:
    return "_".join(header.strip().casefold().replace("-", " ").split())


def read_sheet(path: Path) -> Sheet:
    """The sheet's rows; a missing or unknown column is an InputError naming it."""
    text = read_text_input(path).removeprefix("\ufeff")  # spreadsheets often save UTF-8 with a byte-order mark
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if path.suffix.lower() == ".tsv" or ("\t" in first_line and "," not in first_line) else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not records:
        raise InputError("the sheet is empty: it needs a header row (kg import --template prints one)", path=str(path))
    header = [column_name(cell) for cell in records[0]]
    for index, name in enumerate(header, start=1):
        if name in RETIRED:
            raise InputError(RETIRED[name], path=str(path), line=1)
        if name and name not in COLUMNS:
            raise InputError(
                f"unknown column {records[0][index - 1]!r} (known: {', '.join(COLUMNS)})", path=str(path), line=1
            )
    missing = [c for c in REQUIRED if c not in header] + ([] if {"object", "value"} & set(header) else ["object"])
    if missing:
        raise InputError(f"the header lacks the column {missing[0]!r}", path=str(path), line=1)
    rows = []
    for number, record in enumerate(records[1:], start=2):
        cells = {name: cell.strip() for name, cell in zip(header, record, strict=False) if name and cell.strip()}
        if cells:
            rows.append(Row(number, cells))
    return Sheet(path, rows)
