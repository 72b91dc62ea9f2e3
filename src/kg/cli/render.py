"""``kg render``: write the graph, or a part of it, as one self-contained HTML page."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.backends.reasoning import inference_notes, with_reasoning
from kg.cli import Settings
from kg.cli.options import BackendChoice
from kg.cli.reason import graph_options
from kg.errors import UsageError
from kg.guard.files import write_output
from kg.project import Project
from kg.rdf.load import check_output_path, read_text_input
from kg.validate.conflicts import find_conflicts
from kg.view.page import RenderOptions, describe_classes, render_html
from kg.view.scope import DEFAULT_DEPTH, ViewRequest, view_of
from kg.view.selection import DEFAULT_MAX_NODES


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
@click.option(
    "--timeline",
    is_flag=True,
    help="Draw the dated claims on a time axis instead, with their axes and sources (default: dist/timeline.html).",
)
@graph_options
@click.pass_obj
def command(
    settings: Settings,
    backend: BackendChoice,
    out: Path | None,
    focus: str | None,
    depth: int | None,
    query_file: Path | None,
    max_nodes: int,
    timeline: bool,
    reason: str | None,
) -> None:
    """Write an interactive view of the graph that opens offline from the file.

    Entities are coloured and shaped by class; claims are edges styled by their axes (dots for a possible
    claim, dashes for a plan; unlikely, negated, failed and deprecated claims hidden behind toggles that
    name them); hovering shows every axis, the source and the evidence quote, and conflicting claims are
    flagged side by side. The page loads nothing from
    the network and is safe to share. --focus and --query fetch only the part of the graph they show, so
    a focused view of a big --store or --endpoint costs a few small queries.

    Example: kg render --focus "Lei Jun" --depth 2 --out lei-jun.html

    Example: kg render --store oxigraph:store --focus kgr:xiaomi --out xiaomi.html

    Example: kg render --timeline --out timeline.html
    """
    if depth is not None and focus is None:
        raise UsageError("--depth needs --focus: it counts edges out from the focused entity")
    if timeline:
        write_timeline(settings, backend, out, focus is not None or query_file is not None, reason)
        return
    project = settings.project() if out is None else backend.project(settings)  # the default page goes to dist/
    if out is not None and str(out) != "-" and project is not None:
        check_output_path(project, out, standard_output="with -o -")
    request = ViewRequest(
        focus,
        DEFAULT_DEPTH if depth is None else depth,
        read_text_input(query_file) if query_file is not None else None,
        str(query_file) if query_file is not None else "<query>",
    )
    source = with_reasoning(backend.open(settings), reason)
    view = view_of(source, request)
    notes = (*view.notes, *inference_notes(reason))
    classes = describe_classes(view.graph)
    conflicts = find_conflicts(source.engine())
    options = RenderOptions(title=view.title, max_nodes=max_nodes, classes=classes, notes=notes, conflicts=conflicts)
    html = render_html(view.network, options)
    if out is not None and str(out) == "-":
        sys.stdout.buffer.write(html)
        return
    target = out if out is not None else default_page(project)
    write_output(target, html, "page")
    click.echo(f"wrote {target} ({len(view.network.nodes)} entities, {len(view.network.edges)} claims)")


def default_page(project: Project | None) -> Path:
    """dist/graph.html in the project, which the command found before drawing anything."""
    if project is None:
        raise UsageError("kg render needs --out outside a project")
    return project.dist_dir / "graph.html"


def write_timeline(
    settings: Settings, backend: BackendChoice, out: Path | None, narrowed: bool, reason: str | None
) -> None:
    """``kg render --timeline``: every dated claim on a time axis, by default in dist/timeline.html."""
    from kg.view.timeline_page import render_timeline
    from kg.view.timeline_rows import load_timeline

    if narrowed:
        raise UsageError("--timeline draws every dated claim: it takes neither --focus nor --query")
    project = settings.project() if out is None else backend.project(settings)
    if out is not None and str(out) != "-" and project is not None:
        check_output_path(project, out, standard_output="with -o -")
    timeline = load_timeline(with_reasoning(backend.open(settings), reason).engine())
    html = render_timeline(timeline)
    if out is not None and str(out) == "-":
        sys.stdout.buffer.write(html)
        return
    target = out if out is not None else settings.project().dist_dir / "timeline.html"
    write_output(target, html, "page")
    click.echo(f"wrote {target} ({len(timeline.rows)} dated claims, {len(timeline.conflicts)} conflicting pairs)")
