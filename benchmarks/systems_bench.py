"""The systems part of the benchmark: load, the whole query library, export and a focused render, on each place
the graph can live, each system in processes of its own so that peak memory is its own:

- ``rdflib (bare)``: rdflib alone parses the files, runs every library query, writes Turtle.
- ``pyoxigraph (bare)``: pyoxigraph alone bulk-loads the files into a store, runs every query, dumps Turtle.
- ``kg memory``: kg's in-memory backend, in one process: load_project, the rdflib engine, kg's export and render.
- ``kg oxigraph (CLI)``: ``kg load --store`` once, then every library query as its own ``kg query --store``
  run (start-up included), an export and a focused render, each a separate process.
- ``kg virtuoso (CLI)`` (with --virtuoso): ``kg push`` to a private Virtuoso, then the same kg runs with --endpoint.

Library queries run with their default bindings (the curated graph is part of every generated project).
Times are wall-clock seconds; peak memory is the largest resident set of the processes of that system.
"""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from harness import HERE, Run, checked, kg_command, library, project_for
from report import X, times, where
from systems_workers import FOCUS


@dataclass
class SystemResult:
    name: str
    load: float = 0.0
    queries: dict[str, float] = field(default_factory=dict)
    export: float | None = None
    render: float | None = None
    peak_mb: float = 0.0
    note: str = ""

    @property
    def query_total(self) -> float:
        return sum(v for v in self.queries.values() if v >= 0)

    def absorb(self, step: Run) -> Run:
        self.peak_mb = max(self.peak_mb, step.peak_mb)
        return step


def worker_command(*arguments: str) -> list[str]:
    """A worker of systems_workers.py, started through run.py's ``worker`` mode."""
    return [sys.executable, str(HERE / "run.py"), "worker", *arguments]


def measure_in_one_process(name: str, kind: str, project: Path, scratch: Path) -> SystemResult:
    """A baseline or kg's memory backend: one process reports its own phase times as JSON."""
    step = checked(worker_command(kind, str(project), str(scratch)))
    phases = json.loads(step.stdout)
    result = SystemResult(name, phases["load"], phases["queries"], phases.get("export"), phases.get("render"))
    result.peak_mb = step.peak_mb
    return result


def measure_kg_cli(
    name: str, kg: list[str], load: list[str], backend: list[str], scratch: Path, queries: list[str]
) -> SystemResult:
    """``load`` (kg load or kg push), then each library query, an export and a focused view, each a ``kg`` run
    of its own on ``backend`` (--store or --endpoint), start-up included."""
    result = SystemResult(name)
    result.load = result.absorb(checked(load)).seconds
    for query in queries:
        step = checked([*kg, "query", query, *backend], answers_ask=True)  # piped: CSV, or Turtle for a graph
        result.queries[query] = result.absorb(step).seconds
    export = [*kg, "export", *backend, "--format", "turtle", "--out", str(scratch / "export.ttl")]
    result.export = result.absorb(checked(export)).seconds
    render = [*kg, "render", *backend, "--focus", FOCUS, "--out", str(scratch / "focus.html")]
    result.render = result.absorb(checked(render)).seconds
    return result


def measure_oxigraph(project: Path, scratch: Path, queries: list[str]) -> SystemResult:
    kg = kg_command(project)
    backend = ["--store", f"oxigraph:{scratch / 'store'}"]
    return measure_kg_cli("kg oxigraph (CLI)", kg, [*kg, "load", *backend], backend, scratch, queries)


def measure_virtuoso(project: Path, scratch: Path, queries: list[str]) -> SystemResult:
    from virtuoso import VirtuosoServer  # benchmarks/virtuoso.py: a private server on free loopback ports

    server = VirtuosoServer.create(scratch / "virtuoso")
    server.start()
    try:
        kg = kg_command(project)
        push = [*kg, "push", "--no-validate", "--endpoint", server.sparql_url, "--graph-store", server.graph_store_url]
        result = measure_kg_cli("kg virtuoso (CLI)", kg, push, ["--endpoint", server.sparql_url], scratch, queries)
        result.note = "load is kg push (parse, split, upload, verify)"
        return result
    finally:
        server.stop()


def measure_size(label: str, work: Path, with_virtuoso: bool, skip: set[str]) -> dict:
    from generate import count_triples

    from kg.project import Project

    project_dir = project_for(label, work)
    queries = [query.name for query in library(project_dir)]
    scratch = work / f"scratch-{label}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    systems: list[SystemResult] = []
    for name, kind in (("rdflib (bare)", "rdflib"), ("pyoxigraph (bare)", "oxigraph"), ("kg memory", "kg-memory")):
        if kind not in skip:
            print(f"  {label}: {name} …", file=sys.stderr, flush=True)
            systems.append(measure_in_one_process(name, kind, project_dir, scratch))
    print(f"  {label}: kg oxigraph (CLI) …", file=sys.stderr, flush=True)
    systems.append(measure_oxigraph(project_dir, scratch, queries))
    if with_virtuoso:
        print(f"  {label}: kg virtuoso …", file=sys.stderr, flush=True)
        systems.append(measure_virtuoso(project_dir, scratch, queries))
    shutil.rmtree(scratch, ignore_errors=True)
    triples = count_triples(Project(project_dir).graph_files())
    return {"size": label, "triples": triples, "systems": [vars(s) for s in systems]}


# The systems' table, for run.py's summary and the README (report.markdown's extra tables)


def phase(value: float | None) -> str:
    """A phase time; a negative one is the cap the phase was stopped at."""
    if value is None:
        return "-"
    return f"> {-value:.0f}" if value < 0 else f"{value:.2f}"


def table(entries: list[dict]) -> list[str]:
    """Each place the graph can live, one row a system; a stopped query counts as its cap (never kg's favour)."""
    lines = [
        f"| systems | load s | all queries s | export s | view s | peak MB | load + queries, {X} bare pyoxigraph |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for entry in entries:
        by_name = {s["name"]: s for s in entry["systems"]}

        def total(system: dict) -> float:
            return abs(system["load"]) + sum(abs(v) for v in system["queries"].values())

        bare = by_name.get("pyoxigraph (bare)")
        for system in entry["systems"]:
            stopped = sum(1 for v in system["queries"].values() if v < 0)
            queries = f"{sum(abs(v) for v in system['queries'].values()):.2f}"
            cells = [
                f"{where(entry)}: {system['name']}",
                phase(system["load"]),
                f"> {queries} ({stopped} stopped)" if stopped else queries,
                phase(system["export"]),
                phase(system["render"]),
                f"{system['peak_mb']:,.0f}",
                times(total(system) / total(bare)) if bare else "-",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return lines
