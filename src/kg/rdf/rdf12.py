"""RDF 1.2: every statement node a reifier of the triple it states, written as Turtle 1.2 or TriG 1.2.

A statement node ``kgs:x`` with kg:subject S, kg:predicate P and kg:object (or kg:value) O gains the
triple ``kgs:x rdf:reifies <<( S P O )>>``; everything else it says (the axes, the source, the evidence)
stays on it, so the reifier carries the claim's whole description. A period statement reifies the triples
its bounds give, ``<<( S kg:earliestDate E )>>`` and ``<<( S kg:latestDate L )>>``: those the direct layer
derives from it. A quantity statement states no single RDF term (an amount or bounds, with a unit), so it
reifies nothing and stays a plain statement node.

Reifying a triple does not assert it: the triple term of an unlikely claim is named and described, and only
the direct layer (kg.rdf.direct) asserts the triples that pass the rule. An engine that speaks SPARQL 1.2
finds the claims with ``<< ?s ?p ?o ~ ?r >>`` and the asserted ones with ``?s ?p ?o ~ ?r``.

rdflib reads no triple terms, so these formats are written by Oxigraph from the canonical quads
(kg.rdf.quads): the version announcement ``@version "1.2" .``, one ``@prefix`` line per prefix the data
uses in order of prefix, then the quads in sorted order.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox

from kg.rdf.namespaces import KG

RDF_REIFIES = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies")
SUBJECT, PREDICATE = ox.NamedNode(str(KG.subject)), ox.NamedNode(str(KG.predicate))
VALUES = (ox.NamedNode(str(KG.object)), ox.NamedNode(str(KG.value)))
BOUNDS = (ox.NamedNode(str(KG.earliestDate)), ox.NamedNode(str(KG.latestDate)))

# RDF 1.2's version announcement: the file uses triple terms (a "1.2-basic" file would not).
VERSION = '@version "1.2" .\n'

GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


def reifications(dataset: ox.Dataset) -> set[ox.Quad]:
    """One ``rdf:reifies`` quad per triple a statement node states, in the graph that holds its kg:predicate."""
    found: set[ox.Quad] = set()
    for quad in dataset.quads_for_predicate(PREDICATE):
        statement, graph = quad.subject, quad.graph_name
        if isinstance(statement, ox.Triple):  # a triple term as a statement node: no kg statement
            continue
        for triple in stated_triples(dataset, statement, graph):
            found.add(ox.Quad(statement, RDF_REIFIES, triple, graph))
    return found


def stated_triples(dataset: ox.Dataset, statement: ox.NamedNode | ox.BlankNode, graph: GraphName) -> list[ox.Triple]:
    """The triples ``statement`` states, read from ``graph``: S P O for each value and S bound D for each
    bound of its period, as kg.rdf.direct.statement_edges gives them (an RDF triple, or none)."""
    parts: dict[ox.NamedNode, list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]] = {}
    for quad in dataset.quads_for_subject(statement):
        if quad.graph_name == graph:
            parts.setdefault(quad.predicate, []).append(quad.object)
    subjects = [s for s in parts.get(SUBJECT, []) if isinstance(s, ox.NamedNode | ox.BlankNode)]
    predicates = [p for p in parts.get(PREDICATE, []) if isinstance(p, ox.NamedNode)]
    values = [v for name in VALUES for v in parts.get(name, [])]
    bounds = [(bound, date) for bound in BOUNDS for date in parts.get(bound, [])]
    triples = [ox.Triple(s, p, v) for s in subjects for p in predicates for v in values]
    return triples + [ox.Triple(s, bound, date) for s in subjects for bound, date in bounds]


def write_rdf12(dataset: ox.Dataset, format_name: str, prefixes: Mapping[str, str]) -> bytes:
    """``dataset`` (canonical blank-node labels, kg.rdf.quads) with its statements' reifications, as
    ``turtle12`` (the union of its graphs) or ``trig12`` (each graph a block, in order of name)."""
    quads = {*dataset, *reifications(dataset)}
    if format_name == "turtle12":
        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=triple_key)
        return with_prefixes(triples, ox.RdfFormat.TURTLE, prefixes)
    if format_name == "trig12":
        return with_prefixes(sorted(quads, key=quad_key), ox.RdfFormat.TRIG, prefixes)
    raise NotImplementedError(format_name)


def with_prefixes(
    statements: list[ox.Triple] | list[ox.Quad], rdf_format: ox.RdfFormat, prefixes: Mapping[str, str]
) -> bytes:
    """Oxigraph's Turtle or TriG of ``statements`` (already sorted), headed by the version and the prefixes
    they use in order of prefix: Oxigraph orders its own prefix lines as it likes, so they are replaced."""
    used = used_prefixes(statements, prefixes)
    data = ox.serialize(statements, format=rdf_format, prefixes=used)
    assert data is not None  # with no output given, serialize returns the bytes
    lines = data.split(b"\n")
    own = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix ")), len(lines))
    body = b"\n".join(lines[own:])
    head = VERSION + "".join(f"@prefix {name}: <{namespace}> .\n" for name, namespace in sorted(used.items()))
    return head.encode("utf-8") + b"\n" + body


def used_prefixes(statements: Iterable[ox.Triple] | Iterable[ox.Quad], prefixes: Mapping[str, str]) -> dict[str, str]:
    """The prefixes some IRI of ``statements`` starts with; of two names for one namespace, the first in order."""
    found = sorted({iri for statement in statements for iri in iris(statement)})
    chosen: dict[str, str] = {}
    for name, namespace in sorted(prefixes.items()):
        # The first IRI not before the namespace in sorted order is the one that starts with it, if any does.
        at = bisect_left(found, namespace)
        if namespace and namespace not in chosen.values() and at < len(found) and found[at].startswith(namespace):
            chosen[name] = namespace
    return chosen


def iris(term: object) -> Iterator[str]:
    """Every IRI in a quad, triple or term, datatypes and the parts of triple terms included."""
    if isinstance(term, ox.NamedNode):
        yield term.value
    elif isinstance(term, ox.Literal):
        yield term.datatype.value
    elif isinstance(term, ox.Quad):
        yield from iris(term.triple)
        yield from iris(term.graph_name)
    elif isinstance(term, ox.Triple):
        for part in term:
            yield from iris(part)


def triple_key(triple: ox.Triple) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))


def quad_key(quad: ox.Quad) -> tuple[bool, str, str, str, str]:
    graph = quad.graph_name
    return (not isinstance(graph, ox.DefaultGraph), str(graph), *triple_key(quad.triple))
