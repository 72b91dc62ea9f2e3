"""``kg entities``: look entities up by name, to write them in a sheet."""

from __future__ import annotations

import click

from kg.cli import Settings


@click.command("entities")
@click.argument("text", required=False)
@click.option(
    "--class", "class_name", metavar="CLASS", help="Only entities of this class or below (Company, kg:Person)."
)
@click.pass_obj
def command(settings: Settings, text: str | None, class_name: str | None) -> None:
    """List the entities whose label, alias or IRI contains TEXT (any case), or all of them.

    Each with its label, IRI, most specific class, Wikidata id, the number of claims it is subject or
    object of, and the sources of those claims.

    Example: kg entities xiaomi --class Organization
    """
    from kg.curate.lookup import EntityRow, matching_entities, table
    from kg.curate.names import NameProblem
    from kg.errors import UsageError, printable
    from kg.rdf.load import load_project

    graph = load_project(settings.project()).graph
    try:
        rows = matching_entities(graph, text, class_name)
    except NameProblem as problem:
        raise UsageError(f"--class: {problem}") from None
    if not rows:
        click.echo(
            "no entity matches" + (f" {text!r}" if text else "") + (f" of class {class_name}" if class_name else "")
        )
        return
    cells = [tuple(printable(cell, one_line=True) for cell in row.cells()) for row in rows]  # labels are data
    click.echo(table(EntityRow.COLUMNS, cells), nl=False)
