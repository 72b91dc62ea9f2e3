"""SHACL at scale: the `shacl` engine (Rust, PyPI ``shacl``) behind the same report as pySHACL.

pySHACL needs about 45 s for kg's shapes on 100,000 triples and many minutes on a million; `shacl`
0.3.4 needs a fraction of a second and a few seconds. Where pySHACL follows the spec the two give the
same results, and the parity tests prove it for every component kg lets `shacl` run (kg.validate.fast_plan).
So the fast path is:

1. plan the shapes (kg.validate.fast_plan): roots whose constraints are all verified run in `shacl`, the others
   in pySHACL, each with a logged reason;
2. run `shacl` on the data as N-Triples: the graph pySHACL would see, written by Oxigraph with its typed
   literals spelt as rdflib reads them (kg.validate.store_view), so both read rdflib's normalised literals;
3. hand pySHACL the few results `shacl` cannot give as pySHACL would: those about blank nodes (`shacl`
   renames them, so they could not be traced to the data) and those about nodes whose values under a
   range constraint the two engines compare differently (kg.validate.fast_plan.comparable).

pySHACL runs everything when `shacl` is not installed or fails, and when the shapes graph is not
well-formed against SHACL's own shapes for shapes (pySHACL then raises the error kg reports, as before).

``store_results`` is the same path with no rdflib graph of the data (kg.validate.runner.validate_project): it
raises NeedsGraph wherever ``fast_results`` would hand something to pySHACL.
"""

from __future__ import annotations

import importlib.util
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.term import IdentifiedNode

from kg.guard import limits
from kg.rdf.convert import add_to_graph, oxigraph_quads
from kg.validate import store_view
from kg.validate.fast_plan import ShapesPlan, plan_shapes, targets, unsafe_nodes
from kg.validate.report import ValidationResult
from kg.validate.shapes_cache import FastShapes

if TYPE_CHECKING:
    import shacl

ENGINES = ("fast", "pyshacl")
DEFAULT_ENGINE = "fast"

log = logging.getLogger("kg.validate.fast_engine")
WELL_FORMED: dict[str, bool] = {}  # shapes (N-Triples) -> whether they pass SHACL's shapes for shapes

# read(report): the top-level results of a W3C report graph; pyshacl(shapes): pySHACL's results for a
# shapes graph. kg.validate.shapes provides both, as it knows how to describe a result. (pySHACL's own
# use_shapes option is no help: it skips named property shapes, which kg's shapes all are.)
Read = Callable[[Graph], list[ValidationResult]]
Pyshacl = Callable[[Graph], list[ValidationResult]]


class NeedsGraph(Exception):
    """The store alone cannot give the report the rdflib graph gives (pySHACL must run some shapes or nodes)."""


def fast_results(
    graph: Graph, shapes: Graph, read: Read, pyshacl: Pyshacl, *, store: ox.Store | None = None
) -> list[ValidationResult]:
    """The SHACL results for ``graph``: from `shacl` where the plan allows, from pySHACL for the rest.

    ``store`` may hold the same triples already (kg.validate.runner shares it with the violation queries).
    """
    prepared = prepare(shapes)
    if isinstance(prepared, str):
        log.log(logging.INFO if "SHACL's rules" in prepared else logging.WARNING, "kg: %s", prepared)
        return pyshacl(shapes)
    engine, plan, _ = prepared
    for reason in plan.reasons:
        log.warning("kg: pySHACL runs the shape %s", reason)
    results: list[ValidationResult] = []
    if plan.fast_roots:
        try:
            report = limits.call_with_deadline(  # native code, which no signal interrupts: a child process
                "validating against the shapes (fast engine)",
                lambda: run_engine(engine, serialize_ntriples(plan.only(plan.fast_roots)), ntriples(graph, store)),
            )
            handed_over = plan.unsafe_focus_nodes(graph) | nodes_behind_blank_results(report, plan, graph)
        except limits.LimitExceeded:
            raise
        except Exception as exc:  # a young engine: its failures (a crash, a panic) are kg's to absorb
            log.warning("kg: the fast SHACL engine failed (%s: %s); validating with pySHACL", type(exc).__name__, exc)
            return pyshacl(shapes)
        results = [r for r in read(report.graph) if r.focus_node not in handed_over and not about_blank_node(r)]
        if handed_over:  # pySHACL checks them against every fast root that targets them, and only them
            results += pyshacl(plan.targeting(graph, handed_over))
    if plan.slow_roots:
        results += pyshacl(plan.only(plan.slow_roots))
    return results


def fast_shapes(shapes: Graph) -> FastShapes:
    """``shapes`` ready for store_results; NeedsGraph unless every root of theirs runs in `shacl`."""
    prepared = prepare(shapes, check=False)
    if isinstance(prepared, str):
        raise NeedsGraph(prepared)
    _, plan, text = prepared
    if plan.slow_roots:  # else plan.only(plan.fast_roots) is the shapes graph itself: ``text``
        raise NeedsGraph("some shapes run in pySHACL")
    return FastShapes(text, plan.ranges, WELL_FORMED.get(text))


def store_results(
    view: Graph, store: ox.Store, shapes: FastShapes, read: Read, dumped: bytes | None = None
) -> list[ValidationResult]:
    """The SHACL results from `shacl` alone, fed from ``store`` (``view``: the same graph, kg.validate.store_view;
    ``dumped``: its N-Triples, if at hand).

    Raises NeedsGraph wherever fast_results would hand something to pySHACL, which needs the rdflib graph.
    One child process checks the shapes against SHACL's own (unless known) and then validates the data.
    """
    engine = load_engine()
    if engine is None or shapes.well_formed is False:
        raise NeedsGraph("the fast engine is missing, or the shapes break SHACL's rules for shapes")

    def work() -> EngineReport | None:
        if shapes.well_formed is None and not well_formed(engine, shapes.text):
            return None
        return run_engine(engine, shapes.text, store_view.ntriples(store, dumped))

    try:
        report = limits.call_with_deadline("validating against the shapes (fast engine)", work)
    except limits.LimitExceeded:
        raise
    except Exception as exc:  # fast_results absorbs it, and says so
        raise NeedsGraph(f"the fast SHACL engine failed ({type(exc).__name__})") from exc
    WELL_FORMED[shapes.text] = report is not None
    if report is None:
        raise NeedsGraph("the shapes break SHACL's rules for shapes")
    if any(is_blank(focus) or is_blank(value) for focus, value, _ in report.shapes):
        raise NeedsGraph("a result concerns a blank node")
    if unsafe_nodes(shapes.ranges, view):
        raise NeedsGraph("some values under a range constraint are for pySHACL to compare")
    return read(report.graph)


def prepare(shapes: Graph, *, check: bool = True) -> tuple[ModuleType, ShapesPlan, str] | str:
    """The engine, the plan and the shapes as N-Triples, or why pySHACL must run them all. ``check``: check
    the shapes against SHACL's own shapes for shapes here (else the caller does)."""
    engine = load_engine()
    if engine is None:
        return "the fast SHACL engine (the shacl package) is not installed; validating with pySHACL"
    plan = plan_shapes(shapes)
    if plan.unplannable is not None:
        return f"validating with pySHACL: {plan.unplannable}"
    text = serialize_ntriples(shapes)
    checked = WELL_FORMED.get(text)
    if checked is None and check:  # a command may plan the same shapes twice (kg.validate.runner)
        what = "checking the shapes against SHACL's own"
        checked = WELL_FORMED[text] = limits.call_with_deadline(what, lambda: well_formed(engine, text))
    if checked is False:  # pySHACL says what is wrong with them, or validates as it would
        return "the shapes break SHACL's rules for shapes; validating with pySHACL"
    return engine, plan, text


@cache
def load_engine() -> ModuleType | None:
    try:
        import shacl
    except ImportError:
        return None
    return shacl


def well_formed(engine: ModuleType, shapes: str) -> bool:
    """Whether the shapes graph (N-Triples) passes SHACL's own shapes for shapes, which pySHACL ships."""
    return bool(meta_shapes(engine).validate_text(shapes, format="ntriples").conforms)


@cache
def meta_shapes(engine: ModuleType) -> shacl.Shapes:
    spec = importlib.util.find_spec("pyshacl")  # found, not imported: the import costs 0.3 s
    assert spec is not None and spec.submodule_search_locations, "pySHACL is a dependency of kg"
    path = Path(next(iter(spec.submodule_search_locations))) / "assets" / "shacl-shacl.ttl"
    compiled: shacl.Shapes = engine.Shapes.from_file(str(path))
    return compiled


@dataclass
class EngineReport:
    """What `shacl` returned: its W3C report as N-Triples and, per result, the named shape it belongs to."""

    ntriples: str
    shapes: list[tuple[str, str | None, str]]  # (focus, value, nearest named shape), in N-Triples

    @property
    def graph(self) -> Graph:
        return parse_report(self.ntriples)


def run_engine(engine: ModuleType, shapes: str, data: str) -> EngineReport:
    """`shacl`'s report on ``data`` against ``shapes``, both N-Triples."""
    try:
        compiled = engine.Shapes.from_text(shapes, format="ntriples")
        report = compiled.validate_text(data, format="ntriples", allow_warnings=True)
        found = [(r.focus_node, r.value, r.root_shape) for r in report.results]
        return EngineReport(report.serialize("ntriples"), found)
    except (Exception, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # pyo3 raises a Rust panic as PanicException, a BaseException
        raise RuntimeError(f"the engine panicked: {exc}") from None


def ntriples(graph: Graph, store: ox.Store | None) -> str:
    """The data as N-Triples through Oxigraph's writer (one pass, escaping done right), literals as rdflib has them."""
    return serialize_ntriples(graph) if store is None else store_view.ntriples(store)


def serialize_ntriples(graph: Graph) -> str:
    written = io.BytesIO()
    ox.serialize(oxigraph_quads(graph), written, format=ox.RdfFormat.N_TRIPLES)
    return written.getvalue().decode("utf-8")


def parse_report(data: str) -> Graph:
    """The report as an rdflib graph; blank node labels are kept, so results and their paths stay linked."""
    graph = Graph()
    add_to_graph(graph, ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    return graph


def nodes_behind_blank_results(report: EngineReport, plan: ShapesPlan, graph: Graph) -> set[IdentifiedNode]:
    """The focus nodes of results about a blank node, which `shacl` renames: named focus nodes as they
    are; for a blank focus node, every blank node of the data that a root behind such a result targets.
    pySHACL reports on them instead (it names blank nodes as the data does)."""
    named: set[IdentifiedNode] = set()
    shapes: set[URIRef] = set()
    for focus, value, shape in report.shapes:
        if is_blank(focus) and shape.startswith("<"):
            shapes.add(URIRef(shape[1:-1]))
        elif is_blank(focus):
            raise ValueError("a result about a blank node comes from an unnamed shape")
        elif is_blank(value):
            named.add(URIRef(focus[1:-1]))
    if not shapes:
        return named
    roots = plan.roots_reaching(shapes)
    blanks = {n for n in graph.all_nodes() if isinstance(n, BNode)}
    return named | {b for b in blanks if any(targets(plan.shapes, r, graph, b) for r in roots)}


def is_blank(term: str | None) -> bool:
    return term is not None and term.startswith("_:")


def about_blank_node(result: ValidationResult) -> bool:
    return isinstance(result.focus_node, BNode) or isinstance(result.value, BNode)
