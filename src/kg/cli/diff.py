"""``kg diff``: which claims changed between two versions of the graph."""

from __future__ import annotations

import click

from kg.cli import Settings
from kg.errors import printable


@click.command("diff")
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option(
    "--format",
    "format_name",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for machines.",
)
@click.pass_obj
def command(settings: Settings, old: str | None, new: str | None, format_name: str) -> None:
    """Show the claims added, removed and changed from OLD to NEW, grouped by source and entity.

    OLD and NEW are each a git revision, a project folder or a built dump (dist/graph.nq); OLD defaults
    to the last commit (HEAD), NEW to the working tree. Claims are statement nodes compared by content:
    axes, value, quote and qualifiers; an axis that changed is named with its labels ("likelihood: possible
    → unlikely"). Exit 0 when the claims are the same, 1 when they differ.

    Example: kg diff

    Example: kg diff HEAD~3 --format json
    """
    from kg.curate.diff import claims_of, compare, labels, render_json, render_text
    from kg.curate.versions import load_version, working_tree

    project = settings.project()
    before = load_version(project, old or "HEAD")
    after = load_version(project, new) if new is not None else working_tree(project)
    diff = compare(claims_of(before.graph), claims_of(after.graph))
    if format_name == "json":
        click.echo(render_json(diff, before.label, after.label), nl=False)
    else:
        names = labels([after.graph, before.graph])
        click.echo(printable(render_text(diff, before.label, after.label, names)), nl=False)
    if not diff.same:
        raise click.exceptions.Exit(1)
