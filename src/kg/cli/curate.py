"""``kg curate migrate``: an existing project's statements moved from kg:status to the axes."""

from __future__ import annotations

import click

from kg.cli import Settings
from kg.errors import printable


@click.group("curate")
def command() -> None:
    """Keep a project's curated data in step with the model."""


@command.command("migrate")
@click.option("--dry-run", is_flag=True, help="Say what would change, and write nothing.")
@click.pass_obj
def migrate(settings: Settings, dry_run: bool) -> None:
    """Rewrite the old kg:status of every statement in data/ as the axes, in place, comments kept.

    stated: own voice, factual, certain. reported: attributed (kg:attributedTo kept), factual, certain.
    planned: own voice, prospective, outcome unknown, likely. speculative: possible, or unlikely when the
    hedge says "unlikely". All affirmed, of normal rank. Each statement whose new axes are a guess is listed:
    check those. Running it again changes nothing.

    Example: kg curate migrate --dry-run
    """
    from kg.curate.migrate import migrate_project

    result = migrate_project(settings.project(), write=not dry_run)
    for written in result.written:
        click.echo(f"{'would write' if dry_run else 'wrote'} {written}")
    count = f"{result.statements} statement{'s' if result.statements != 1 else ''}"
    if not result.statements:
        click.echo("no statement has a kg:status; nothing to migrate")
        return
    guessed = len({g.statement for g in result.guesses})
    click.echo(f"{count} {'to migrate' if dry_run else 'migrated'}; {guessed} guessed, to check:")
    for guess in result.guesses:
        click.echo(printable(f"  {guess.line()}", one_line=True))
