"""The SHACL shapes: refusing shapes that reach outside, running them (fast engine or pySHACL), reading the report.

The shapes run without inference, so that what is checked is what was written: in the fast engine
(kg.validate.fast_engine, the `shacl` package), or in pySHACL where it cannot, or when asked to.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import RDF, BNode, Graph, URIRef
from rdflib.namespace import OWL, SH
from rdflib.term import Node

from kg.errors import InputError
from kg.guard import limits
from kg.project import Project
from kg.rdf.load import parse_file
from kg.validate.describe import Describer
from kg.validate.fast_engine import DEFAULT_ENGINE, fast_results, fast_shapes, store_results
from kg.validate.report import Severity, ValidationResult, compact
from kg.validate.shapes_cache import cached_verdict, keep_verdict, verdict_path

if TYPE_CHECKING:
    import pyoxigraph

SHAPES_FILE = "shapes.ttl"
# Where SHACL-SPARQL (and SHACL-AF, which kg does not run) keep query text that pySHACL would evaluate.
SPARQL_TEXT = (SH.select, SH.ask, SH.construct, SH.update)


def load_shapes(path: Path) -> Graph:
    """The shapes in ``path``, refused (InputError) if they would reach beyond the graphs kg gives them."""
    shapes = parse_file(path)
    check_shapes(shapes, str(path))
    return shapes


def check_shapes(shapes: Graph, source: str) -> None:
    """Refuse shapes that would reach beyond the graphs kg gives pySHACL, before pySHACL sees them.

    pySHACL's own ban on SERVICE in sh:sparql is a regular expression that ``\\u0053ERVICE`` gets past,
    and owl:imports would pull in shapes from elsewhere (kg never follows it: the shapes are this file).
    """
    from kg.guard import netguard
    from kg.guard.sparql import find_problem

    for imported in sorted(map(str, shapes.objects(None, OWL.imports))):
        raise InputError(
            f"owl:imports <{imported}> is not followed: kg validates against the shapes in this file only; "
            "copy the shapes you need into it and remove the import",
            path=source,
        )
    for predicate in SPARQL_TEXT:
        for node, text in sorted(shapes.subject_objects(predicate)):
            problem = find_problem(str(text), allow_service=netguard.network_allowed())
            if problem is not None:
                owner = f" of {compact(node)}" if isinstance(node, URIRef) else ""
                raise InputError(
                    f"the {compact(predicate)} query{owner}, at its line {problem.line} column {problem.column}: "
                    f"{problem.reason}",
                    path=source,
                )


def shacl_results(
    graph: Graph,
    shapes: Graph,
    describe: Describer,
    *,
    source: str = "shapes",
    engine: str = DEFAULT_ENGINE,
    store: pyoxigraph.Store | None = None,
) -> list[ValidationResult]:
    """Every top-level result of the shapes on ``graph`` (``store``: the same triples in Oxigraph, if at hand)."""
    if engine == "fast":

        def read(report: Graph) -> list[ValidationResult]:
            return report_results(report, describe)

        def slow(some_shapes: Graph) -> list[ValidationResult]:
            return pyshacl_results(graph, some_shapes, describe, source)

        return fast_results(graph, shapes, read, slow, store=store)
    return pyshacl_results(graph, shapes, describe, source)


def store_shacl_results(
    view: Graph, store: pyoxigraph.Store, project: Project, shapes_path: Path, describe: Describer, dumped: bytes
) -> list[ValidationResult]:
    """Every top-level result of the shapes in ``shapes_path`` from the fast engine alone, on the graph in
    ``store`` (``view``: it as an rdflib graph, ``dumped``: as N-Triples); NeedsGraph (kg.validate.fast_engine)
    where pySHACL would have to run some. The verdict on shapes that pass is kept (kg.validate.shapes_cache)."""
    verdict = verdict_path(project, shapes_path)
    shapes = cached_verdict(verdict) or fast_shapes(load_shapes(shapes_path))
    results = store_results(view, store, shapes, lambda report: report_results(report, describe), dumped)
    if shapes.well_formed is None:  # it passed: store_results raises otherwise
        keep_verdict(verdict, shapes)
    return results


def pyshacl_results(graph: Graph, shapes: Graph, describe: Describer, source: str) -> list[ValidationResult]:
    """Every top-level result of pySHACL, run in a child process that the time limit can stop: shapes
    run regular expressions (sh:pattern, REGEX in sh:sparql) with Python's re, which no signal interrupts."""
    import pyshacl  # noqa: F401 - imported here, once, rather than in every child (0.3 s each)

    from kg.query.engines import rdflib_sparql

    rdflib_sparql()  # pySHACL evaluates sh:sparql constraints with rdflib: never loading what FROM names

    return limits.call_with_deadline(
        f"validating against the shapes in {source}", lambda: run_pyshacl(graph, shapes, describe, source)
    )


def run_pyshacl(graph: Graph, shapes: Graph, describe: Describer, source: str) -> list[ValidationResult]:
    import pyshacl  # 0.3 s to import; only validation needs it
    from pyshacl.errors import ReportableRuntimeError

    try:
        _, report, _ = pyshacl.validate(
            graph,
            shacl_graph=shapes,
            inference="none",
            abort_on_first=False,
            allow_infos=True,
            allow_warnings=True,
            meta_shacl=False,
            advanced=False,
            js=False,
            do_owl_imports=False,
            inplace=True,  # no inference, so nothing is written to the data graph; a copy would cost memory
        )
    except ReportableRuntimeError as exc:  # a malformed shape: sh:minCount on a node shape, a missing sh:node
        reason = " ".join(str(exc).split("For reference, see")[0].split())
        raise InputError(f"invalid shapes: {reason}", path=source) from None
    return report_results(report, describe)


def report_results(report: Graph, describe: Describer) -> list[ValidationResult]:
    """The results of a W3C report graph. Only the report's own: those nested under sh:detail (inside
    sh:node) explain them, no more."""
    top = [
        node
        for report_node in report.subjects(RDF.type, SH.ValidationReport)
        for node in report.objects(report_node, SH.result)
    ]
    return [shacl_result(report, node, describe) for node in top]


def shacl_result(report: Graph, node: Node, describe: Describer) -> ValidationResult:
    path = report.value(node, SH.resultPath)
    messages = sorted(report.objects(node, SH.resultMessage), key=english_first)
    component = report.value(node, SH.sourceConstraintComponent)
    focus = report.value(node, SH.focusNode)
    if focus is None:
        raise InputError("the SHACL engine reported a result without a focus node (sh:focusNode)")
    return describe.result(
        Severity.from_iri(report.value(node, SH.resultSeverity)),
        focus,
        str(messages[0]) if messages else f"fails {compact(component)}",
        component if isinstance(component, URIRef) else SH.ConstraintComponent,
        source_shape=report.value(node, SH.sourceShape),
        path=path,
        value=report.value(node, SH.value),
        path_triples=tuple(blank_description(report, path)),
    )


def english_first(message: Node) -> tuple[bool, str, str]:
    """English first; then as rdflib orders literals: untagged before tagged, by language tag, by text."""
    language = getattr(message, "language", None) or ""
    return language != "en", language, str(message)


def blank_description(graph: Graph, node: Node | None) -> Iterator[tuple[Node, Node, Node]]:
    """The triples of a blank node and the blank nodes below it (a complex SHACL path, an RDF list)."""
    if not isinstance(node, BNode):
        return
    for _, predicate, value in graph.triples((node, None, None)):
        yield node, predicate, value
        yield from blank_description(graph, value)
