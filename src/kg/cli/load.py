"""``kg load``: put the graph into an on-disk Oxigraph store, which later commands open without parsing."""

from __future__ import annotations

from pathlib import Path

import click

from kg.backends import store_path
from kg.backends.progress import Progress
from kg.cli import Settings
from kg.errors import UsageError


@click.command("load")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--store",
    "store",
    required=True,
    metavar="oxigraph:PATH",
    help="The store to fill: a folder that is new, empty, or a store kg load made before (it is replaced).",
)
@click.option(
    "--with-project",
    is_flag=True,
    help="Load the project's graph as well as FILES (without FILES it is loaded anyway).",
)
@click.pass_obj
def command(settings: Settings, files: tuple[Path, ...], store: str, with_project: bool) -> None:
    """Load the project's graph (ontology, sources and data), or FILES, into an Oxigraph store.

    The store is built beside the old one and takes its place only when every file has loaded, so a
    failed or interrupted load leaves the previous store as it was. Later commands given --store read
    it without parsing anything: kg query --store oxigraph:PATH ceo. Loads that take more than a second
    show progress on a terminal.

    Example: kg load --store oxigraph:store --with-project reference/wikidata-carmakers.nt
    """
    from kg.backends.oxigraph import load_store  # pyoxigraph and the engines load only when a store is used
    from kg.rdf.load import refuse_source_folder

    path = store_path(store)
    project = settings.project_if_any()
    if project is not None:  # a store is written, and kg never writes among the sources it reads
        refuse_source_folder(project, path, "a store folder")
    if with_project and not files:
        raise UsageError("--with-project adds the project's graph to FILES; without FILES it is loaded anyway")
    inputs = list(files)
    if with_project or not files:
        inputs = [*settings.project().graph_files(), *inputs]
    report = load_store(path, inputs, Progress.to_stderr())
    click.echo(report.summary())
