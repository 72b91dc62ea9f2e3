"""``kg import``: a sheet of claims, one a row, into a source's data file."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import Settings
from kg.errors import UsageError


@click.command("import")
@click.argument("sheet", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--source", "source_id", metavar="ID", help="The source the claims come from (kg source add made it).")
@click.option("--template", is_flag=True, help="Print an empty sheet (the header row, every column) and stop.")
@click.option(
    "--replace", is_flag=True, help="Make the sheet the source's whole set of claims instead of adding to it."
)
@click.pass_obj
def command(settings: Settings, sheet: Path | None, source_id: str | None, template: bool, replace: bool) -> None:
    """Import the claims in SHEET (CSV, or TSV) as statements of source ID, into data/sources/ID.ttl.

    One claim a row; the columns are described in docs/curation.md. Entities are named by label, alias,
    prefixed name or IRI, properties by local name or label. Every quote must stand in the source, and
    every number and date of a row in its quote. All problems are reported together, as SHEET:ROW:COLUMN,
    and nothing is written unless the whole sheet is good. Importing the same sheet again changes nothing.

    Example: kg import --template > su7.csv

    Example: kg import su7.csv --source xiaomi-su7-launch
    """
    from kg.curate.sheet import template as empty_sheet

    if template:
        if sheet is not None or source_id is not None:
            raise UsageError("--template prints an empty sheet; it takes no SHEET or --source")
        click.echo(empty_sheet(), nl=False)
        return
    if sheet is None or source_id is None:
        raise UsageError("kg import needs a SHEET and --source ID (or --template for an empty sheet)")
    from kg.curate.importer import import_sheet

    result = import_sheet(settings.project(), sheet, source_id, replace=replace)
    for written in result.written:
        click.echo(f"wrote {written}")
    click.echo(
        f"{result.claims} claim{'s' if result.claims != 1 else ''} ({result.new_claims} new), "
        f"{result.new_entities} new entit{'ies' if result.new_entities != 1 else 'y'}"
        + ("" if result.written else "; nothing changed")
    )
