"""The direct ("truthy") layer, derived from the statements, as Wikidata derives its truthy edges.

Curators write statements only. The rule, one for every path that loads a graph (kg.rdf.load for the
in-memory graph, ``DIRECT_EDGES_UPDATE`` for an Oxigraph store):

    a statement node with kg:subject S, kg:predicate P, a kg:status other than kg:speculative, and
    kg:object O (a relation) or kg:value V (a value) gives the direct edge S P O, or S P V.

Quantity and period statements (kg:amount, bounds, kg:earliestDate ...) have neither kg:object nor
kg:value, so they give no edge; a statement without a status gives none either (validation reports it),
nor does one that is also marked kg:speculative.
The rule is the one queries/checks/missing-direct-edge-violation.rq checks, so a derived graph always
passes that check; a hand-written edge that no statement backs still fails unbacked-direct-edge-violation.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.rdf.namespaces import KG

Triple = tuple[Node, Node, Node]

# The same rule in SPARQL, for stores that are filled without an rdflib graph (kg load).
DIRECT_EDGES_UPDATE = """
PREFIX kg: <https://w3id.org/kg/ontology#>
INSERT { ?subject ?predicate ?object }
WHERE {
  ?statement kg:subject ?subject ; kg:predicate ?predicate ; kg:status ?status .
  FILTER NOT EXISTS { ?statement kg:status kg:speculative }
  { ?statement kg:object ?object } UNION { ?statement kg:value ?object }
  FILTER (isIRI(?predicate) && !isLiteral(?subject))
}
"""


def direct_edges(graph: Graph) -> list[Triple]:
    """The direct edges the statements in ``graph`` imply, sorted, whether or not the graph has them."""
    edges: set[Triple] = set()
    for statement in set(graph.subjects(KG.predicate, None)):
        statuses = set(graph.objects(statement, KG.status))
        if not statuses or KG.speculative in statuses:
            continue
        values = [*graph.objects(statement, KG.object), *graph.objects(statement, KG.value)]
        for subject in graph.objects(statement, KG.subject):
            for predicate in graph.objects(statement, KG.predicate):
                edges.update((subject, predicate, value) for value in values)
    return sorted((e for e in edges if is_edge(e)), key=lambda e: tuple(t.n3() for t in e))


def is_edge(triple: Triple) -> bool:
    """A triple RDF can hold: a literal or blank predicate, or a literal subject, would be no triple at all."""
    subject, predicate, _ = triple
    return isinstance(predicate, URIRef) and not isinstance(subject, Literal)


def derive_direct_edges(graph: Graph) -> list[Triple]:
    """Add to ``graph`` the direct edges its statements imply; return those that were not there yet."""
    added = [edge for edge in direct_edges(graph) if edge not in graph]
    for edge in added:
        graph.add(edge)
    return added
