"""The workers of the systems part (systems_bench.py): each runs in a process of its own, does one system's
whole job (load, every library query, a Turtle export, for kg a focused view) and prints its phase times as
JSON, so that the parent reads one process's peak memory for the whole of it.

    python benchmarks/run.py worker rdflib|oxigraph|kg-memory PROJECT SCRATCH
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from harness import library

FOCUS = "https://w3id.org/kg/id/xiaomi"
QUERY_CAP = 120  # seconds one query may take in the rdflib systems; slower ones are stopped and marked
PHASE_CAP = 300  # the same for a whole load, export or view


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
