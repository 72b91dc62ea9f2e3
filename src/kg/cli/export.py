"""``kg export``: the graph in one format, to a file or to standard output."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.backends.reasoning import with_reasoning
from kg.cli import Settings
from kg.cli.options import BackendChoice
from kg.cli.reason import graph_options
from kg.export.exports import Exports, export_format_names, format_for_output
from kg.guard.files import write_output
from kg.rdf.load import check_output_path


@click.command("export")
@click.option(
    "--format",
    "format_name",
    type=click.Choice(export_format_names()),
    help="The format (default: from the --out file's extension, else turtle).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The file to write (default: standard output).",
)
@graph_options
@click.pass_obj
def command(
    settings: Settings, backend: BackendChoice, format_name: str | None, out: Path | None, reason: str | None
) -> None:
    """Write the graph in an RDF format, or its entity network for network tools.

    \b
    RDF, the whole graph:       turtle, ntriples, rdfxml
    RDF, in named graphs:       nquads, trig, jsonld
    OWL tools (Protégé):        owl (RDF/XML; year and month dates as annotated strings)
    RDF 1.2, with reifiers:     turtle12, trig12 (each statement reifies its triple)
    Entity network:             graphml, gexf, csv-nodes, csv-edges

    The named graphs keep the ontology, the sources, each source's facts, the entities and the
    dataset description apart. Every RDF export includes the dataset's VoID description, and the
    same input always gives the same bytes. The graph is written as its files say; kg build and
    kg validate check it.

    Every backend is written the same way, from the named graphs it holds: the files and a server kg
    push filled give kg's split with its VoID description; an Oxigraph store gives its merged graph
    (and the named graphs of files loaded into it), without the split and the VoID description.

    Example: kg export --out graph.nq

    Example: kg export --store oxigraph:store --out big.nt
    """
    fmt = format_for_output(out, format_name)
    project = backend.project(settings)
    if out is not None and project is not None:
        check_output_path(project, out)
    data = Exports(with_reasoning(backend.open(settings), reason)).render(fmt)
    if out is None:
        sys.stdout.buffer.write(data)
        return
    write_output(out, data, "export")
