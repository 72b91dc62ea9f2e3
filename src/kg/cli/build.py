"""``kg build``: check the curated graph and write dist/."""

from __future__ import annotations

import click

from kg.build import build
from kg.cli import Settings


@click.command("build")
@click.pass_obj
def command(settings: Settings) -> None:
    """Load the ontology and data, check every evidence quote, and write dist/.

    Nothing in dist/ changes unless every step succeeds.

    Example: kg build
    """
    result = build(settings.project())
    for name in result.files:
        click.echo(f"wrote {result.dist / name}")
    for line in result.summary.lines():
        click.echo(line)
