"""``kg export``: the graph in one format, to a file or to standard output."""

from __future__ import annotations

from pathlib import Path

import click

from kg.bundle import export_format_names, format_for_output, prepare_exports
from kg.cli import Settings
from kg.errors import InputError
from kg.fsio import atomic_write
from kg.load import check_output_path, load_project


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
@click.pass_obj
def command(settings: Settings, format_name: str | None, out: Path | None) -> None:
    """Write the graph in an RDF format, or its entity network for network tools.

    \b
    RDF, the whole graph:       turtle, ntriples, rdfxml
    RDF, in named graphs:       nquads, trig, jsonld
    Entity network:             graphml, gexf, csv-nodes, csv-edges

    The named graphs keep the ontology, the sources, each source's facts, the entities and the
    dataset description apart. Every RDF export includes the dataset's VoID description, and the
    same input always gives the same bytes. The graph is written as its files say; kg build and
    kg validate check it.

    Example: kg export --out graph.nq
    """
    fmt = format_for_output(out, format_name)
    project = settings.project()
    if out is not None:
        check_output_path(project, out)
    data = prepare_exports(load_project(project), project).render(fmt)
    if out is None:
        click.get_binary_stream("stdout").write(data)
        return
    try:
        atomic_write(out, data)
    except OSError as exc:
        raise InputError(f"cannot write the export: {exc.strerror or exc}", path=str(out)) from exc
