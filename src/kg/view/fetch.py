"""The part of the graph that a focused view needs, fetched with CONSTRUCT queries instead of the whole graph.

Every backend is asked the same way (Backend.construct), so the page is the same from the files, a
store and a server; ``kg render --focus`` on a store must not copy millions of triples into memory to
draw twenty entities. ``focus_graph`` asks the backend for what kg.view.network needs around the focus,
and no more: the edges in and out of each entity within reach, the type, label and Wikidata link of
every entity it meets, every statement about them with its source's label, and the ontology's classes
and properties (for classes, labels and which properties make claims). kg.view.network and
kg.view.selection then work on that small graph exactly as on the whole one.
"""

from __future__ import annotations

from rdflib import Graph
from rdflib.term import Node

from kg.backends import Backend
from kg.errors import UsageError
from kg.guard.sparql_terms import iri_text, string_text, term_text

# CENTRE becomes the focus's IRI. ?node runs over the centre and everything one edge or one statement
# away; for each, everything said about it and every statement about it, with the labels a view shows.
# The nodes come from a subquery: Virtuoso 7.2 took 10 s at 100k triples without one, 0.15 s with it.
NEIGHBOURHOOD = """PREFIX kg:   <https://w3id.org/kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {
  ?node ?property ?object .
  ?statement ?facet ?value .
  ?source a kg:SourceDocument ; rdfs:label ?sourceLabel .
  ?attributed rdfs:label ?attributedLabel .
} WHERE {
  { SELECT DISTINCT ?node WHERE {
      { BIND(CENTRE AS ?node) }
      UNION { CENTRE ?edge ?node FILTER(isIRI(?node)) }
      UNION { ?node ?edge CENTRE }
      UNION { ?link kg:subject CENTRE ; kg:object ?node }
      UNION { ?link kg:object CENTRE ; kg:subject ?node }
  } }
  {
    ?node ?property ?object
  } UNION {
    ?statement kg:subject ?node ; ?facet ?value .
  } UNION {
    ?statement kg:subject ?node ; kg:source ?source .
    OPTIONAL { ?source rdfs:label ?sourceLabel }
  } UNION {
    ?statement kg:subject ?node ; kg:attributedTo ?attributed .
    OPTIONAL { ?attributed rdfs:label ?attributedLabel }
  }
}"""

ONTOLOGY_TERMS = """PREFIX kg:   <https://w3id.org/kg/ontology#>
PREFIX owl:  <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?term a ?kind ; rdfs:label ?label ; rdfs:subClassOf ?parent . }
WHERE {
  VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty kg:ClaimProperty kg:Unit }
  ?term a ?kind .
  OPTIONAL { ?term rdfs:label ?label }
  OPTIONAL { ?term rdfs:subClassOf ?parent }
}"""


def writable(*terms: Node) -> bool:
    """Whether the one term writer can put every term into a query (an IRI or literal it accepts)."""
    try:
        for term in terms:
            term_text(term)
    except UsageError:
        return False
    return True


def focus_graph(backend: Backend, centre: str, depth: int = 1) -> Graph:
    """What a view of the entities within ``depth`` edges of ``centre`` needs, as one small graph."""
    from kg.view.network import build_network
    from kg.view.selection import adjacency

    graph = backend.construct(ONTOLOGY_TERMS, source="<ontology terms>")
    reached: set[str] = set()
    frontier = {centre}
    for step in range(max(depth, 1)):
        for node in sorted(frontier):
            graph += neighbourhood(backend, node)
        reached |= frontier
        if step + 1 < depth:  # the last step's neighbours are in the graph; theirs are not needed
            adjacent = adjacency(build_network(graph))
            frontier = {n for node in reached for n in adjacent.get(node, ())} - reached
    return graph


def neighbourhood(backend: Backend, centre: str) -> Graph:
    """The edges, statements and descriptions around one entity. Its IRI is written into the query, not
    joined in from VALUES: engines evaluate a VALUES block after the UNION branches, over the whole graph."""
    query = NEIGHBOURHOOD.replace("CENTRE", iri_text(centre))
    return backend.construct(query, source=f"<neighbourhood of {centre}>")


LABELLED = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?entity WHERE { ?entity a ?type ; rdfs:label ?label . FILTER(LCASE(STR(?label)) = LCASE(WANTED)) }
ORDER BY ?entity"""

DESCRIBED = """PREFIX kg:   <https://w3id.org/kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {
  ?resource a ?type ; rdfs:label ?label ; kg:wikidataEntity ?item .
  ?statement ?facet ?value .
  ?source a kg:SourceDocument ; rdfs:label ?sourceLabel .
  ?rival kg:subject ?subject ; kg:predicate ?predicate ; kg:rank kg:preferredRank .
} WHERE { BRANCHES }"""

RESOURCES_BRANCH = """{
    VALUES ?resource { RESOURCES }
    ?resource a ?type .
    OPTIONAL { ?resource rdfs:label ?label }
    OPTIONAL { ?resource kg:wikidataEntity ?item }
  }"""

CLAIMS_BRANCH = """{
    VALUES (?subject ?predicate ?object) { CLAIMS }
    ?statement kg:subject ?subject ; kg:predicate ?predicate .
    { ?statement kg:object ?object } UNION { ?statement kg:value ?object }
    { ?statement ?facet ?value } UNION { ?statement kg:source ?source . OPTIONAL { ?source rdfs:label ?sourceLabel } }
    UNION { ?rival kg:subject ?subject ; kg:predicate ?predicate ; kg:rank kg:preferredRank }
  }"""


def resolve_focus(backend: Backend, text: str) -> str:
    """The IRI that ``--focus`` names: an IRI, a prefixed name, or a label (case-insensitive, unique)."""
    from rdflib import URIRef

    from kg.query.engines import QUERY_PREFIXES
    from kg.view.selection import expand_name, single_match

    wanted = text.strip()
    if not wanted:
        raise UsageError("--focus needs an entity: an IRI, a prefixed name such as kgr:xiaomi, or a label")
    iri = expand_name(wanted.removeprefix("<").removesuffix(">"), QUERY_PREFIXES)
    if ":" in iri and writable(URIRef(iri)) and backend.engine().run(f"ASK {{ {iri_text(iri)} a ?type }}").boolean:
        return iri
    # The label is written into the query as a SPARQL string (by the one term writer), not bound: Oxigraph
    # binds only projected variables.
    rows = backend.engine().run(LABELLED.replace("WANTED", string_text(wanted)), source="<--focus>").rows
    matches = [str(row[0]) for row in rows]
    return single_match(wanted, matches)


def query_view(backend: Backend, result: Graph) -> Graph:
    """What ``kg render --query`` draws for a CONSTRUCT ``result``: the result, the ontology's terms, and the
    type, label and Wikidata link of every resource it mentions and the statements behind each of its
    claims with their sources (and the preferred statements they compete with, which decide whether the
    direct-layer rule admits them)."""
    from rdflib import Literal, URIRef

    view = backend.construct(ONTOLOGY_TERMS, source="<ontology terms>") + result
    iris = {t for triple in result for t in (triple[0], triple[2]) if isinstance(t, URIRef) and writable(t)}
    claims = {
        (s, p, o)
        for s, p, o in result
        if s in iris and writable(p) and (o in iris or (isinstance(o, Literal) and writable(o)))
    }
    branches = []
    if iris:
        branches.append(RESOURCES_BRANCH.replace("RESOURCES", " ".join(term_text(i) for i in sorted(iris))))
    if claims:
        rows = " ".join(f"({term_text(s)} {term_text(p)} {term_text(o)})" for s, p, o in sorted(claims))
        branches.append(CLAIMS_BRANCH.replace("CLAIMS", rows))
    if not branches:
        return view
    return view + backend.construct(DESCRIBED.replace("BRANCHES", " UNION ".join(branches)), source="<query view>")
