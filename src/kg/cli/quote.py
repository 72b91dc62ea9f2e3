"""``kg quote``: the exact words of a source to copy into a sheet's quote column."""

from __future__ import annotations

import click

from kg.cli import Settings
from kg.errors import printable


@click.command("quote")
@click.argument("source_id", metavar="ID")
@click.argument("text")
@click.pass_obj
def command(settings: Settings, source_id: str, text: str) -> None:
    """Find TEXT in source ID and print its line and the words to copy; failing that, the nearest passages.

    The match is the evidence check's: line breaks and runs of spaces may differ, nothing else. Exit 0
    when TEXT stands in the source, 1 when only near passages were found.

    Example: kg quote xiaomi-car-project-2024 "production capacity of 300,000"
    """
    from kg.curate.layout import find_source
    from kg.curate.lookup import find_quote

    source = find_source(settings.project(), source_id)
    found, nearest = find_quote(source.text, text)
    if found is not None:
        click.echo(f"line {found.line}: {printable(found.words, one_line=True)}")
        return
    click.echo(f"not in source {source_id}; the nearest passages:")
    for passage in nearest:
        click.echo(f"line {passage.line} ({passage.likeness:.0%} alike): {printable(passage.words, one_line=True)}")
    raise click.exceptions.Exit(1)
