"""SHACL at scale: the `shacl` engine (Rust, PyPI ``shacl``) behind the same report as pySHACL.

pySHACL needs about 45 s for kg's shapes on 100,000 triples and many minutes on a million; `shacl`
0.3.4 needs a fraction of a second and a few seconds. Where pySHACL follows the spec the two give the
same results, and the parity tests prove it for every component kg lets `shacl` run (kg.shaclplan).
So the fast path is:

1. plan the shapes (kg.shaclplan): roots whose constraints are all verified run in `shacl`, the others
   in pySHACL, each with a logged reason;
2. run `shacl` on the data as N-Triples (the rdflib graph pySHACL would see, term by term, so both read
   rdflib's normalised literals);
3. hand pySHACL the few results `shacl` cannot give as pySHACL would: those about blank nodes (`shacl`
   renames them, so they could not be traced to the data) and those about nodes whose values under a
   range constraint the two engines compare differently (kg.shaclplan.comparable).

pySHACL runs everything when `shacl` is not installed or fails, and when the shapes graph is not
well-formed against SHACL's own shapes for shapes (pySHACL then raises the error kg reports, as before).
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef

from kg.report import ValidationResult
from kg.shaclplan import ShapesPlan, plan_shapes
from kg.terms import from_oxigraph, to_oxigraph

ENGINES = ("fast", "pyshacl")
DEFAULT_ENGINE = "fast"

log = logging.getLogger("kg.fastshacl")

# read(report): the top-level results of a W3C report graph; pyshacl(shapes): pySHACL's results for a
# shapes graph. kg.validate provides both, as it knows how to describe a result. (pySHACL's own
# use_shapes option is no help: it skips named property shapes, which kg's shapes all are.)
Read = Callable[[Graph], list[ValidationResult]]
Pyshacl = Callable[[Graph], list[ValidationResult]]


def fast_results(
    graph: Graph, shapes: Graph, read: Read, pyshacl: Pyshacl, *, store: ox.Store | None = None
) -> list[ValidationResult]:
    """The SHACL results for ``graph``: from `shacl` where the plan allows, from pySHACL for the rest.

    ``store`` may hold the same triples already (kg.validate shares it with the violation queries).
    """
    engine = load_engine()
    if engine is None:
        log.warning("kg: the fast SHACL engine (the shacl package) is not installed; validating with pySHACL")
        return pyshacl(shapes)
    plan = plan_shapes(shapes)
    if plan.unplannable is not None:
        log.warning("kg: validating with pySHACL: %s", plan.unplannable)
        return pyshacl(shapes)
    if not well_formed(engine, shapes):  # pySHACL says what is wrong with them, or validates as it would
        log.info("kg: the shapes break SHACL's rules for shapes; validating with pySHACL")
        return pyshacl(shapes)
    for reason in plan.reasons:
        log.warning("kg: pySHACL runs the shape %s", reason)
    results: list[ValidationResult] = []
    if plan.fast_roots:
        try:
            results = fast_part(engine, plan, graph, read, pyshacl, store)
        except Exception as exc:  # a young engine: its failures are kg's to absorb, not the user's
            log.warning("kg: the fast SHACL engine failed (%s: %s); validating with pySHACL", type(exc).__name__, exc)
            return pyshacl(shapes)
    if plan.slow_roots:
        results += pyshacl(plan.only(plan.slow_roots))
    return results


def fast_part(
    engine: ModuleType, plan: ShapesPlan, graph: Graph, read: Read, pyshacl: Pyshacl, store: ox.Store | None
) -> list[ValidationResult]:
    """The results of the fast roots, with pySHACL's in place of those `shacl` cannot give as it would."""
    report = run_engine(engine, plan.only(plan.fast_roots), ntriples(graph, store))
    unsafe = plan.unsafe_focus_nodes(graph)
    results = [r for r in read(report.graph) if not about_blank_node(r) and r.focus_node not in unsafe]
    blank_roots = plan.roots_reaching(shapes_of_blank_results(report))
    if blank_roots:  # `shacl` renamed those blank nodes; pySHACL names them as the data does
        results += [r for r in pyshacl(plan.only(blank_roots)) if about_blank_node(r) and r.focus_node not in unsafe]
    if unsafe:
        results += pyshacl(plan.targeting(graph, unsafe))
    return results


@cache
def load_engine() -> ModuleType | None:
    try:
        import shacl
    except ImportError:
        return None
    return shacl


def well_formed(engine: ModuleType, shapes: Graph) -> bool:
    """Whether the shapes graph passes SHACL's own shapes for shapes, which pySHACL ships."""
    return bool(meta_shapes(engine).validate_text(serialize_ntriples(shapes), format="ntriples").conforms)


@cache
def meta_shapes(engine: ModuleType) -> object:
    spec = importlib.util.find_spec("pyshacl")  # found, not imported: the import costs 0.3 s
    assert spec is not None and spec.submodule_search_locations, "pySHACL is a dependency of kg"
    path = Path(next(iter(spec.submodule_search_locations))) / "assets" / "shacl-shacl.ttl"
    return engine.Shapes.from_file(str(path))


@dataclass
class EngineReport:
    """What `shacl` returned: its W3C report graph and, per result, the named shape it belongs to."""

    graph: Graph
    shapes: list[tuple[str, str | None, str]]  # (focus, value, nearest named shape), in N-Triples


def run_engine(engine: ModuleType, shapes: Graph, data: str) -> EngineReport:
    compiled = engine.Shapes.from_text(serialize_ntriples(shapes), format="ntriples")
    report = compiled.validate_text(data, format="ntriples", allow_warnings=True)
    graph = parse_report(report.serialize("ntriples"))
    return EngineReport(graph, [(r.focus_node, r.value, r.root_shape) for r in report.results])


def ntriples(graph: Graph, store: ox.Store | None) -> str:
    """The data as N-Triples, through Oxigraph's writer: one pass, escaping done right."""
    if store is None:
        return serialize_ntriples(graph)
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode("utf-8")


def serialize_ntriples(graph: Graph) -> str:
    triples = (ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def parse_report(data: bytes) -> Graph:
    """The report as an rdflib graph; blank node labels are kept, so results and their paths stay linked."""
    graph = Graph()
    graph.addN(
        (from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object), graph)
        for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    )
    return graph


def shapes_of_blank_results(report: EngineReport) -> set[URIRef]:
    """The named shapes behind results whose focus node or value is a (renamed) blank node of the data."""
    named: set[URIRef] = set()
    for focus, value, shape in report.shapes:
        if is_blank(focus) or is_blank(value):
            if not shape.startswith("<"):
                raise ValueError("a result about a blank node comes from an unnamed shape")
            named.add(URIRef(shape[1:-1]))
    return named


def is_blank(term: str | None) -> bool:
    return term is not None and term.startswith("_:")


def about_blank_node(result: ValidationResult) -> bool:
    return isinstance(result.focus_node, BNode) or isinstance(result.value, BNode)
