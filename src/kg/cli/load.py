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

    Example: kg load --store oxigraph:store

    Example: kg load --store oxigraph:store dist/graph.nq (the dump kg build writes)
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
    if not (with_project or not files) and lacks_the_ontology(path):
        click.echo(
            "kg: warning: the files use the kg ontology's terms but the store does not hold the ontology, so "
            "queries that follow its class hierarchy (timeline, prices) find nothing; "
            "add --with-project, or give ontology/kg.ttl too",
            err=True,
        )


# Whether a store holds data in kg's terms (a property or class of the ontology's namespace) but not the
# ontology itself. ASK stops at the first kg term, which in kg's own data is one of the first triples.
ONTOLOGY_MISSING = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
ASK {
  FILTER NOT EXISTS { <https://w3id.org/kg/ontology> a owl:Ontology }
  { ?s ?p ?o . FILTER(STRSTARTS(STR(?p), "https://w3id.org/kg/ontology#")) }
  UNION { ?s a ?class . FILTER(STRSTARTS(STR(?class), "https://w3id.org/kg/ontology#")) }
}
"""


def lacks_the_ontology(path: Path) -> bool:
    from kg.backends.oxigraph import open_store

    return bool(open_store(path).query(ONTOLOGY_MISSING))
