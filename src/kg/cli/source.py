"""``kg source add``: start a new source: its text in seeds/, its manifest entry, its data file."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import Settings
from kg.errors import UsageError


@click.group("source")
def command() -> None:
    """Manage the project's source documents."""


@command.command("add")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--id", "source_id", required=True, help="The source's id, the local name of kgsrc:ID (lower case, hyphens)."
)
@click.option("--title", required=True, help="The document's title.")
@click.option("--publisher", help="Who published it: a known organization's name, or a new one.")
@click.option(
    "--publisher-unknown", is_flag=True, help="The document does not say who published it (instead of --publisher)."
)
@click.option("--published", metavar="DATE", help="When it was published: 2024, 2024-03 or 2024-03-28.")
@click.option("--url", help="Where it was published.")
@click.option("--language", default="en", show_default=True, help="The BCP 47 tag of the document's language.")
@click.option("--derived-from", metavar="ID_OR_URL", help="The source (id) or document (URL) this one is taken from.")
@click.pass_obj
def add(
    settings: Settings,
    path: Path,
    source_id: str,
    title: str,
    publisher: str | None,
    publisher_unknown: bool,
    published: str | None,
    url: str | None,
    language: str,
    derived_from: str | None,
) -> None:
    """Copy the text at PATH into seeds/, describe it in seeds/manifest.ttl and start data/sources/ID.ttl.

    The text is kept whole and must be UTF-8. An id, or a text, that the project has already is refused.
    A publisher the graph does not know becomes a new kg:Publisher in data/entities/ID.ttl. Then write the
    claims in a sheet and run kg import SHEET --source ID.

    Example: kg source add su7.txt --id xiaomi-su7-launch --title "Xiaomi SU7 goes on sale" --publisher Cnevpost
    """
    from kg.curate.sources import SourceRequest, add_source

    if (publisher is None) == (not publisher_unknown):
        raise UsageError("give the publisher (--publisher NAME), or say it is unknown (--publisher-unknown)")
    request = SourceRequest(path, source_id, title, publisher, language, published, url, derived_from)
    for written in add_source(settings.project(), request):
        click.echo(f"wrote {written}")
