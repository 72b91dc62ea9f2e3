"""Benchmark: load, the whole query library, export and a focused render, on each place the graph can live.

For each size (default 10k, 100k and 1M triples) a synthetic project is generated (benchmarks/generate.py)
and measured, each system in processes of its own so that peak memory is its own:

- ``rdflib (bare)``: rdflib alone parses the files, runs every library query, writes Turtle.
- ``pyoxigraph (bare)``: pyoxigraph alone bulk-loads the files into a store, runs every query, dumps Turtle.
- ``kg memory``: kg's default, in one process: load_project, the rdflib engine, kg's export and render.
- ``kg oxigraph (CLI)``: ``kg load --store`` once, then every library query as its own ``kg query --store``
  run (start-up included), an export and a focused render, each a separate process.
- ``kg virtuoso (CLI)`` (with --virtuoso): ``kg push`` to a private Virtuoso, then the same kg runs with --endpoint.

Library queries run with their default bindings (the curated graph is part of every generated project).
Times are wall-clock seconds; peak memory is the largest resident set of the processes of that system.
The table is printed and written, with every per-query time, to benchmarks/results/.

    nice python benchmarks/run.py --sizes 10k,100k,1M
    nice python benchmarks/run.py --sizes 100k --virtuoso
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
FOCUS = "https://w3id.org/kg/id/xiaomi"
QUERY_CAP = 120  # seconds one query may take in the rdflib systems; slower ones are stopped and marked
PHASE_CAP = 300  # the same for a whole load, export or view


@dataclass
class Run:
    """One process: its wall time, peak resident memory, exit status and what it printed."""

    seconds: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str


def run(command: list[str], cwd: Path | None = None) -> Run:
    """Run ``command`` and measure it; os.wait4 gives this child's own peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(seconds, usage.ru_maxrss / 1024, process.returncode, out.read().decode(), err.read().decode())


def checked(command: list[str], answers_ask: bool = False) -> Run:
    """``command``'s run; any failure stops the benchmark (an ASK answered no exits 1, by design)."""
    result = run(command)
    if result.returncode != 0 and not (answers_ask and result.returncode == 1 and result.stdout.strip() == "no"):
        raise SystemExit(f"benchmark step failed ({result.returncode}): {' '.join(command)}\n{result.stderr[-3000:]}")
    return result


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
    return [sys.executable, str(Path(__file__).resolve()), "worker", *arguments]


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


def kg_command(project: Path) -> list[str]:
    return [sys.executable, "-m", "kg", "--project", str(project), "--timeout", "0"]


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


def measure_size(label: str, triples: int, work: Path, with_virtuoso: bool, skip: set[str]) -> dict:
    from generate import count_triples, generate_project  # a neighbour, by plain name (see __init__.py)

    from kg.project import Project

    project_dir = work / f"project-{label}"
    if not project_dir.exists():
        generate_project(project_dir, triples, seed=1)
    # A project kept from an earlier run has that run's queries: measure the repository's.
    shutil.rmtree(project_dir / "queries")
    shutil.copytree(REPO / "queries", project_dir / "queries")
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


# Workers: each runs in a process of its own and prints its phase times as JSON.


def library(project: Path):
    from kg.query.library import library_queries

    return library_queries(project / "queries")


def timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def capped(seconds: int, function) -> float:
    """The time ``function`` took, or minus ``seconds`` if kg's time limit stopped it after that long."""
    from kg.guard import limits

    try:
        with limits.time_limit("a benchmark step", seconds):
            return timed(function)[0]
    except limits.LimitExceeded:
        return -float(seconds)


def worker_rdflib(project: Path, scratch: Path) -> dict:
    from rdflib import Graph, Variable

    from kg.project import Project

    graph = Graph()
    load = capped(PHASE_CAP, lambda: [graph.parse(p, format="turtle") for p in Project(project).graph_files()])
    queries: dict[str, float] = {}
    for query in library(project):
        bindings = {Variable(k): v for k, v in query.bindings({}).items()}
        queries[query.name] = capped(
            QUERY_CAP, lambda q=query, b=bindings: materialise(graph.query(q.text, initBindings=b))
        )
    export = capped(PHASE_CAP, lambda: graph.serialize(destination=str(scratch / "rdflib.ttl"), format="turtle"))
    return {"load": load, "queries": queries, "export": export}


def materialise(answer) -> int:
    if getattr(answer, "type", None) == "ASK":
        return int(bool(answer.askAnswer))
    return sum(1 for _ in answer)


def worker_oxigraph(project: Path, scratch: Path) -> dict:
    import pyoxigraph as ox

    from kg.project import Project
    from kg.query.engines import QUERY_PREFIXES
    from kg.rdf.convert import to_oxigraph

    store = ox.Store(str(scratch / "bare-oxigraph"))
    load, _ = timed(lambda: [store.bulk_load(path=str(p)) for p in Project(project).graph_files()])
    queries: dict[str, float] = {}
    for query in library(project):
        values = {ox.Variable(k): to_oxigraph(v) for k, v in query.bindings({}).items()}

        def answer(q=query, values=values) -> int:
            result = store.query(q.text, prefixes=QUERY_PREFIXES, substitutions=values)
            if isinstance(result, ox.QueryBoolean):
                return int(bool(result))
            if isinstance(result, ox.QueryTriples):
                return sum(1 for _ in result)
            width = len(result.variables)
            return sum(1 for solution in result for _ in [[solution[i] for i in range(width)]])

        queries[query.name], _ = timed(answer)
    export, _ = timed(
        lambda: store.dump(str(scratch / "oxigraph.ttl"), ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
    )
    return {"load": load, "queries": queries, "export": export}


def worker_kg_memory(project_dir: Path, scratch: Path) -> dict:
    from kg.backends.memory import MemoryBackend
    from kg.export.exports import Exports
    from kg.guard import limits
    from kg.project import Project
    from kg.query.engines import RdflibEngine
    from kg.rdf.load import load_project
    from kg.view.scope import ViewRequest, view_of

    limits.set_limits(limits.Limits(timeout=QUERY_CAP, max_input_bytes=None))  # stops a query, as capped() does
    project = Project(project_dir)
    load, loaded = timed(lambda: load_project(project))
    engine = RdflibEngine(loaded.graph)
    queries: dict[str, float] = {}
    for query in library(project_dir):
        try:
            queries[query.name], _ = timed(lambda q=query: engine.run(q.text, q.bindings({}), source=q.name))
        except limits.LimitExceeded:
            queries[query.name] = -float(QUERY_CAP)
    limits.set_limits(limits.Limits(timeout=None, max_input_bytes=None))
    export = capped(
        PHASE_CAP,
        lambda: (scratch / "kg-memory.ttl").write_bytes(Exports(MemoryBackend(loaded, project)).render("turtle")),
    )

    def view() -> bytes:
        return page(view_of(MemoryBackend(loaded, project), ViewRequest(FOCUS)))

    render = capped(PHASE_CAP, lambda: (scratch / "kg-memory.html").write_bytes(view()))
    return {"load": load, "queries": queries, "export": export, "render": render}


def page(view) -> bytes:
    from kg.view.page import RenderOptions, describe_classes, render_html

    options = RenderOptions(title=view.title, classes=describe_classes(view.graph), notes=view.notes)
    return render_html(view.network, options)


def worker(arguments: list[str]) -> None:
    kind, project = arguments[0], Path(arguments[1])
    jobs = {"rdflib": worker_rdflib, "oxigraph": worker_oxigraph, "kg-memory": worker_kg_memory}
    print(json.dumps(jobs[kind](project, Path(arguments[2]))))


# Report


def table(results: list[dict]) -> str:
    lines = [
        "| size | system | load s | all queries s | slowest query s | export s | focused view s | peak MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size in results:
        for system in size["systems"]:
            queries = system["queries"]
            timed_out = sum(1 for v in queries.values() if v < 0)
            total = sum(abs(v) for v in queries.values())
            slowest = max((abs(v) for v in queries.values()), default=0)
            cells = [
                f"{size['size']} ({size['triples']:,})",
                system["name"],
                seconds(system["load"]),
                (">" if timed_out else "")
                + f"{total:.2f}"
                + (f" ({timed_out} stopped at {QUERY_CAP} s)" if timed_out else ""),
                seconds(slowest if not timed_out else -slowest),
                seconds(system["export"]),
                seconds(system["render"]),
                f"{system['peak_mb']:.0f}",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def seconds(value: float | None) -> str:
    """A phase time for the table; a negative time is a cap the phase was stopped at."""
    if value is None:
        return "-"
    return f"> {-value:.0f}" if value < 0 else f"{value:.2f}"


def ratios(size: dict) -> list[str]:
    by_name = {s["name"]: s for s in size["systems"]}
    cli = by_name.get("kg oxigraph (CLI)")
    if cli is None:
        return []

    def load_and_queries(system: dict) -> float:
        """Load and all queries; a stopped query counts as its cap, so slow systems are flattered, never kg."""
        return abs(system["load"]) + sum(abs(v) for v in system["queries"].values())

    out = []
    kg_total = load_and_queries(cli)
    if "pyoxigraph (bare)" in by_name:
        ratio = kg_total / load_and_queries(by_name["pyoxigraph (bare)"])
        runs = f"kg load + {len(cli['queries'])} kg query runs = {kg_total:.1f} s"
        out.append(f"{size['size']}: {runs}, {ratio:.2f} x bare pyoxigraph (target <= 2)")
    for name in ("kg memory", "rdflib (bare)"):
        if name in by_name:
            other = by_name[name]
            factor = load_and_queries(other) / kg_total
            out.append(
                f"{size['size']}: {name} load + queries = {load_and_queries(other):.1f} s, "
                f"{factor:.1f} x kg oxigraph (target >= 10)"
            )
    per_query = sorted(cli["queries"].values())
    under = sum(1 for v in per_query if v < 0.5)
    out.append(
        f"{size['size']}: one kg query on the store, start-up included: median {per_query[len(per_query) // 2]:.2f} s, "
        f"slowest {per_query[-1]:.2f} s, {under} of {len(per_query)} under 0.5 s; "
        f"peak {cli['peak_mb']:.0f} MB (target < 1024)"
    )
    bare = by_name.get("pyoxigraph (bare)")
    if bare is not None:
        added = sorted(cli["queries"][name] - bare["queries"][name] for name in cli["queries"])
        out.append(
            f"{size['size']}: what a kg query run adds to bare pyoxigraph's time for the same query (start-up, "
            f"worker process, formatting): median {added[len(added) // 2]:.2f} s, largest {added[-1]:.2f} s"
        )
        for name, seconds_taken in sorted(cli["queries"].items()):
            if seconds_taken >= 0.5:
                out.append(
                    f"{size['size']}:   {name}: kg {seconds_taken:.2f} s, bare pyoxigraph {bare['queries'][name]:.2f} s"
                )
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["worker"]:
        worker(argv[1:])
        return 0
    parser = argparse.ArgumentParser(description="Benchmark kg's backends beside bare rdflib and pyoxigraph.")
    parser.add_argument("--sizes", default="10k,100k,1M", help="comma-separated: 10k, 100k, 1M (default all)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-benchmark")
    parser.add_argument("--virtuoso", action="store_true", help="also measure a private Virtuoso (virtuoso-t)")
    parser.add_argument("--skip", default="", help="comma-separated systems to leave out: rdflib, oxigraph, kg-memory")
    parser.add_argument("--out", type=Path, default=None, help="the JSON file (default benchmarks/results/…)")
    args = parser.parse_args(argv)
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in labels if s not in SIZES]
    if unknown:
        parser.error(f"unknown sizes {unknown}; choose from {list(SIZES)}")
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for label in labels:
        print(f"measuring {label} …", file=sys.stderr, flush=True)
        results.append(
            measure_size(label, SIZES[label], args.work, args.virtuoso, set(filter(None, args.skip.split(","))))
        )
    report = {
        "measured": time.strftime("%Y-%m-%d"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "versions": versions(),
        "results": results,
    }
    out = args.out or RESULTS / f"benchmark-{'-'.join(labels)}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print()
    for size in results:
        for line in ratios(size):
            print(line)
    print(f"\nwritten to {out}")
    return 0


def versions() -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in ("rdflib", "pyoxigraph", "pyshacl")}


if __name__ == "__main__":
    sys.exit(main())
