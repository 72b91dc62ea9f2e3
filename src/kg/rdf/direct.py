"""The direct ("truthy") layer, derived from the statements, as Wikidata derives its truthy edges.

Curators write statements only. The rule, one for every path that loads a graph (kg.rdf.load for the
in-memory graph, ``DIRECT_EDGES_UPDATE`` for an Oxigraph store), admits a statement when it is

- affirmed (kg:polarity kg:affirmed),
- put as certain or likely (kg:likelihood),
- not a plan that failed (kg:outcome neither kg:didNotHappen nor kg:cancelled),
- the source's claim or one it reports, not the curator's inference (kg:attribution),
- not deprecated, and ranked preferred wherever its subject has a preferred statement for its predicate.

An admitted statement with kg:subject S and kg:predicate P gives S P O for its kg:object O, S P V for its
kg:value V, and, for a period statement, S kg:earliestDate E and S kg:latestDate L. A quantity gives no
edge. A statement missing an axis the rule reads is not admitted (validation reports the gap).
The same rule is what queries/checks/missing-direct-edge-violation.rq and
ineligible-direct-edge-violation.rq check, so a derived graph always passes them; a hand-written edge that no
statement backs still fails unbacked-direct-edge-violation.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.rdf.namespaces import KG

Triple = tuple[Node, Node, Node]

ADMITTED_LIKELIHOODS = frozenset({KG.certain, KG.likely})
FAILED_OUTCOMES = frozenset({KG.didNotHappen, KG.cancelled})

# The rule's conditions on ?statement, shared by the store's update and the checks that mirror it. The
# subjects and predicates that have a preferred statement are found once, in a subquery that the engine joins
# by hash: a NOT EXISTS per statement made Oxigraph walk every statement of the same predicate for each one,
# which took 2.5 s of CPU at 100,000 triples and over 7 minutes at a million (0.06 s and 0.7 s this way).
ADMITTED_STATEMENT_PATTERN = """
  ?statement kg:subject ?subject ; kg:predicate ?predicate ;
             kg:polarity kg:affirmed ; kg:rank ?rank ; kg:attribution ?attribution ;
             kg:likelihood ?likelihood .
  FILTER (?likelihood IN (kg:certain, kg:likely))
  FILTER (?attribution != kg:curatorInference && ?rank != kg:deprecatedRank)
  FILTER NOT EXISTS { ?statement kg:outcome ?failed . FILTER (?failed IN (kg:didNotHappen, kg:cancelled)) }
  OPTIONAL { SELECT DISTINCT ?subject ?predicate (true AS ?outranked) WHERE {
    ?rival kg:rank kg:preferredRank ; kg:subject ?subject ; kg:predicate ?predicate } }
  FILTER (?rank = kg:preferredRank || !BOUND(?outranked))
"""

# What an admitted ?statement gives: ?property ?object for ?subject (its own predicate for an object or a
# value, the bound itself for a period's bounds).
STATEMENT_VALUE_PATTERN = """
  VALUES ?via { kg:object kg:value kg:earliestDate kg:latestDate }
  ?statement ?via ?object .
  BIND (IF(?via IN (kg:object, kg:value), ?predicate, ?via) AS ?property)
"""

# The same rule in SPARQL, for stores that are filled without an rdflib graph (kg load).
DIRECT_EDGES_UPDATE = f"""
PREFIX kg: <https://w3id.org/kg/ontology#>
INSERT {{ ?subject ?property ?object }}
WHERE {{
  {ADMITTED_STATEMENT_PATTERN}
  {STATEMENT_VALUE_PATTERN}
  FILTER (isIRI(?property) && !isLiteral(?subject))
}}
"""


def is_admitted(graph: Graph, statement: Node) -> bool:
    """Whether the direct-layer rule lets ``statement`` give its direct edges."""
    if KG.affirmed not in set(graph.objects(statement, KG.polarity)):
        return False
    likelihoods = set(graph.objects(statement, KG.likelihood))
    if not likelihoods or not likelihoods <= ADMITTED_LIKELIHOODS:
        return False
    if set(graph.objects(statement, KG.outcome)) & FAILED_OUTCOMES:
        return False
    attributions = set(graph.objects(statement, KG.attribution))
    if not attributions or KG.curatorInference in attributions:
        return False
    ranks = set(graph.objects(statement, KG.rank))
    if not ranks or KG.deprecatedRank in ranks:
        return False
    return KG.preferredRank in ranks or not _has_preferred_rival(graph, statement)


def _has_preferred_rival(graph: Graph, statement: Node) -> bool:
    for subject in graph.objects(statement, KG.subject):
        for predicate in graph.objects(statement, KG.predicate):
            for rival in graph.subjects(KG.subject, subject):
                if (rival, KG.predicate, predicate) in graph and (rival, KG.rank, KG.preferredRank) in graph:
                    return True
    return False


def statement_edges(graph: Graph, statement: Node) -> Iterator[Triple]:
    """The direct edges ``statement`` would give if the rule admits it."""
    for subject in graph.objects(statement, KG.subject):
        for predicate in graph.objects(statement, KG.predicate):
            for value in (*graph.objects(statement, KG.object), *graph.objects(statement, KG.value)):
                yield subject, predicate, value
        for bound in (KG.earliestDate, KG.latestDate):
            for value in graph.objects(statement, bound):
                yield subject, bound, value


def direct_edges(graph: Graph) -> list[Triple]:
    """The direct edges the statements in ``graph`` imply, sorted, whether or not the graph has them."""
    edges: set[Triple] = set()
    for statement in set(graph.subjects(KG.predicate, None)):
        if is_admitted(graph, statement):
            edges.update(statement_edges(graph, statement))
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
