"""The main job: load the curated graph, check it, and write the outputs into dist/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.bundle import build_bundle
from kg.errors import CheckFailed
from kg.evidence import EvidenceProblem, check_evidence
from kg.fsio import replace_directory
from kg.load import LoadedGraph, load_project
from kg.project import Project
from kg.stats import GraphSummary, summarise

VIEW_FILE = "graph.html"


@dataclass(frozen=True)
class BuildResult:
    dist: Path
    files: list[str]
    summary: GraphSummary


def build(project: Project) -> BuildResult:
    """Load, check and write ``project``'s graph; on any failure the previous dist/ stays as it was."""
    loaded = load_checked(project)
    outputs = build_bundle(loaded, project)
    outputs[VIEW_FILE] = render_view(loaded)
    replace_directory(project.dist_dir, lambda staging: write_outputs(staging, outputs))
    return BuildResult(project.dist_dir, sorted(outputs), summarise(loaded.graph))


def render_view(loaded: LoadedGraph) -> bytes:
    from kg.render import render_graph  # pyvis is slow to import; only the build and render commands need it

    return render_graph(loaded.graph)


def write_outputs(folder: Path, outputs: dict[str, bytes]) -> None:
    for name, data in outputs.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def evidence_failure(problems: list[EvidenceProblem]) -> CheckFailed:
    lines = [f"{p.statement}: {p.message}" + (f" (source {p.source})" if p.source else "") for p in problems]
    return CheckFailed(f"evidence check failed for {len(problems)} statement problem(s); nothing was written", lines)


def load_checked(project: Project) -> LoadedGraph:
    """The project's graph, refused if any statement cannot show its evidence."""
    loaded = load_project(project)
    problems = check_evidence(loaded.graph, project.seeds_dir)
    if problems:
        raise evidence_failure(problems)
    return loaded
