"""The main job: load the curated graph, validate it, and write every output into dist/."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.backends.cache import CachedGraph, graph_in_memory
from kg.export.bundle import REPORT_FILE, TIMELINE_FILE, VIEW_FILE, BundleExports, bundle_files, store_exports
from kg.guard.files import replace_directory
from kg.project import Project
from kg.rdf.load import LoadedGraph, load_project
from kg.rdf.summary import GraphSummary, summarise
from kg.validate.conflicts import Conflict, find_conflicts
from kg.validate.report import ValidationReport
from kg.validate.runner import ensure_conforms, validate_project
from kg.view.page import RenderOptions, describe_classes, render_html
from kg.view.timeline_page import timeline_html


@dataclass(frozen=True)
class BuildResult:
    dist: Path
    files: list[str]
    summary: GraphSummary


def build(project: Project) -> BuildResult:
    """Load, check and write ``project``'s graph; on any failure the previous dist/ stays as it was."""
    loaded, cached, report = load_checked(project)
    exports = store_exports(loaded, project, cached)
    outputs = bundle_files(exports)
    engine = exports.backend.engine()  # Oxigraph over the store the validation read
    conflicts = find_conflicts(engine)  # flagged in both pages
    outputs[VIEW_FILE] = render_view(exports, conflicts)
    outputs[TIMELINE_FILE] = timeline_html(engine, conflicts=conflicts)  # as kg render --timeline
    outputs[REPORT_FILE] = report.to_turtle().encode("utf-8")
    replace_directory(project.dist_dir, lambda staging: write_outputs(staging, outputs))
    return BuildResult(project.dist_dir, sorted(outputs), summarise(loaded.graph))


def render_view(exports: BundleExports, conflicts: Sequence[Conflict]) -> bytes:
    """The page of the whole graph, drawn from the network the exports already built, its conflicting claims
    flagged side by side."""
    return render_html(exports.network, RenderOptions(classes=describe_classes(exports.graph), conflicts=conflicts))


def write_outputs(folder: Path, outputs: dict[str, bytes]) -> None:
    for name, data in outputs.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def load_checked(project: Project) -> tuple[LoadedGraph, CachedGraph, ValidationReport]:
    """The project's graph in rdflib and in an in-memory Oxigraph store, and its validation report; refused
    unless it conforms (evidence included).

    The rdflib graph first, so that a file that cannot be read is reported as every command reports it; the
    store is what kg validate checks (kg.validate.runner.validate_project), with no rdflib graph in the way."""
    loaded = load_project(project)
    cached = graph_in_memory(project)
    report = validate_project(project, store=cached.store, loaded=loaded)
    ensure_conforms(report)
    return loaded, cached, report
