"""``kg render``: write the graph, or a part of it, as one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import Settings
from kg.errors import InputError, UsageError
from kg.focus import DEFAULT_MAX_NODES, focus_on, query_view_graph, read_query, run_construct
from kg.fsio import atomic_write
from kg.load import check_output_path, load_files, load_project
from kg.network import build_network
from kg.render import RenderOptions, describe_classes, render_html

DEFAULT_DEPTH = 1


@click.command("render")
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="The HTML file to write (default: dist/graph.html in the project; - for standard output).",
)
@click.option("--focus", metavar="ENTITY", help="Show one entity's neighbourhood: an IRI, kgr:name, or a label.")
@click.option(
    "--depth", type=click.IntRange(min=0), help=f"How many edges from --focus to show [default: {DEFAULT_DEPTH}]."
)
@click.option(
    "--query",
    "query_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Show the graph this SPARQL CONSTRUCT query returns, with the provenance of its claims.",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_NODES,
    show_default=True,
    help="Above this many entities, draw only the best-connected ones, with a banner saying what was left out.",
)
@click.pass_obj
def command(
    settings: Settings, out: Path | None, focus: str | None, depth: int | None, query_file: Path | None, max_nodes: int
) -> None:
    """Write an interactive view of the graph that opens offline from the file.

    Entities are coloured and shaped by class; claims are edges styled by status (speculative dotted,
    planned dashed); hovering shows each claim's source and evidence quote. The page loads nothing from
    the network and is safe to share.

    Example: kg render --focus "Lei Jun" --depth 2 --out lei-jun.html
    """
    if depth is not None and focus is None:
        raise UsageError("--depth needs --focus: it counts edges out from the focused entity")
    project = settings.project()
    if out is not None and str(out) != "-":
        check_output_path(project, out)
    graph = load_project(project).graph
    title, notes = "kg graph", []
    if query_file is not None:
        result = run_construct(graph, read_query(query_file), str(query_file))
        graph = query_view_graph(result, graph, load_files(project.ontology_files()).graph)
        title, notes = f"kg graph: {query_file.name}", [f"The graph that {query_file.name} constructs."]
    network = build_network(graph)
    if focus is not None:
        view = focus_on(network, focus, DEFAULT_DEPTH if depth is None else depth, dict(graph.namespaces()))
        network, title, notes = view.network, view.title, [*notes, view.note]
    options = RenderOptions(title=title, max_nodes=max_nodes, classes=describe_classes(graph), notes=tuple(notes))
    html = render_html(network, options)
    if out is not None and str(out) == "-":
        click.get_binary_stream("stdout").write(html)
        return
    target = out or project.dist_dir / "graph.html"
    try:
        atomic_write(target, html)
    except OSError as exc:
        raise InputError(f"cannot write the page: {exc.strerror or exc}", path=str(target)) from exc
    click.echo(f"wrote {target} ({len(network.nodes)} entities, {len(network.edges)} claims)")
