"""Comparing validation results from two engines (the fast `shacl` one and pySHACL) as the same results."""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from kg.validate.report import ValidationResult

Key = tuple[Node, str, URIRef, URIRef]


def path_key(result: ValidationResult) -> str:
    """The result path in SPARQL syntax, built from its RDF structure (blank node labels differ)."""
    graph = Graph()
    for triple in result.path_triples:
        graph.add(triple)
    return render_path(graph, result.path)


def render_path(graph: Graph, path: Node | None) -> str:
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return f"<{path}>"
    if (path, RDF.first, None) in graph:
        return "(" + "/".join(render_path(graph, step) for step in Collection(graph, path)) + ")"
    for predicate, form in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "({})*"),
        (SH.oneOrMorePath, "({})+"),
        (SH.zeroOrOnePath, "({})?"),
    ):
        inner = graph.value(path, predicate)
        if inner is not None:
            return form.format(render_path(graph, inner))
    alternatives = graph.value(path, SH.alternativePath)
    assert alternatives is not None, f"unknown path structure at {path}"
    return "(" + "|".join(render_path(graph, step) for step in Collection(graph, alternatives)) + ")"


def keys(results: list[ValidationResult]) -> Counter[Key]:
    """(focus node, path, constraint component, severity): what the issue asks to be identical."""
    return Counter((r.focus_node, path_key(r), r.component, r.severity.iri) for r in results)


def details(results: list[ValidationResult], *, messages: bool = False) -> Counter[tuple[object, ...]]:
    """Beyond the key: the value, the named source shape and, if asked, the message a reader sees.

    Messages agree only where the shape declares sh:message, as all of kg's do: without one, pySHACL
    writes its own sentence and `shacl` none, and kg says "fails <component>"."""
    return Counter(
        (
            r.focus_node,
            path_key(r),
            r.component,
            r.severity,
            r.value,
            r.source_shape if isinstance(r.source_shape, URIRef) else None,
            r.message if messages else None,
        )
        for r in results
    )


def assert_same(fast: list[ValidationResult], slow: list[ValidationResult], *, messages: bool = False) -> None:
    assert keys(fast) == keys(slow)
    assert details(fast, messages=messages) == details(slow, messages=messages)
