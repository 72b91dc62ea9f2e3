"""Which results of ``kg validate FILE...`` concern the files asked about, and which only repeat another.

``kg validate FILE`` loads the whole project with the files (kg.validate.runner.load_for_validation) so
that a new source's entities and manifest entry are known; these decide what of the whole is reported:
results about what the files describe, and about direct edges their statements give to entities described
elsewhere. A result on a derived direct edge that repeats its statement's own result is left out, so that
one mistake (a mistyped object) is reported once, where the curator wrote it.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.term import IdentifiedNode, Node

from kg.rdf.load import LoadedGraph
from kg.rdf.namespaces import KG
from kg.validate.describe import Describer
from kg.validate.report import ValidationResult


def echoes(result: ValidationResult, results: list[ValidationResult], loaded: LoadedGraph) -> bool:
    """Whether ``result`` only repeats a statement's own result through the direct layer derived from it: a
    derived edge with a mistyped object, or a mistyped subject that nothing but derived edges describe. The
    mistake is reported once, on the statement, where the curator wrote it."""
    graph, focus = loaded.graph, result.focus_node
    if not isinstance(focus, IdentifiedNode) or not loaded.derived:
        return False
    edges: list[tuple[Node, Node | None, Node | None]]
    if (focus, result.path, result.value) in loaded.derived:
        edges = [(focus, result.path, result.value)]
    elif loaded.origin_of(focus) is None and all(t in loaded.derived for t in graph.triples((focus, None, None))):
        edges = list(graph.triples((focus, None, None)))
    else:
        return False
    reported = {r.focus_node for r in results}
    return any(backing_statements(graph, edge) & reported for edge in edges)


def backing_statements(graph: Graph, edge: tuple[Node, Node | None, Node | None]) -> set[Node]:
    subject, predicate, value = edge
    return {
        statement
        for statement in graph.subjects(KG.subject, subject)
        if (statement, KG.predicate, predicate) in graph
        and ((statement, KG.object, value) in graph or (statement, KG.value, value) in graph)
    }


def concerns_the_files(result: ValidationResult, describe: Describer, background: set[Path]) -> bool:
    """Whether a result is about what the files asked about (those not in ``background``) describe: a node
    they describe or that nothing describes (a typo), or a direct edge derived from one of their statements
    (a second headquarters that a new source gives an entity described elsewhere)."""
    if not background or not describe.comes_from(result.focus_node, background):
        return True
    graph = describe.graph
    return any(
        not describe.comes_from(statement, background)
        for statement in graph.subjects(KG.subject, result.focus_node)
        if result.path is None or (statement, KG.predicate, result.path) in graph
    )
