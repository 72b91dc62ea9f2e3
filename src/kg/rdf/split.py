"""The merged graph split into named graphs, so that a store can drop or replace one part.

The split, and why:

- ``kgg:ontology``: what the ontology files say (classes, properties, axis values, units). It changes with
  the ontology's version, not with the data.
- ``kgg:sources``: the description of every source document (the manifest).
- ``kgg:source/{slug}``: one graph per source document, holding that source's statement nodes and the
  direct edges they back. Dropping this graph removes exactly what that source contributed. A direct
  edge backed by two sources is in both graphs; a store's union of graphs still holds it once.
- ``kgg:entities``: the curators' descriptions of entities (types, labels, Wikidata links), which no
  single source owns, and any direct edge that no statement backs (``kg validate`` reports those).
- ``kgg:unsourced``: statements without a ``kg:source``; only present in a graph ``kg build`` refuses.
- ``kgg:void``: the dataset's own VoID/DCAT description.

A blank node goes wherever the triples that point at it go, so each named graph is self-contained.
The union of all graphs but ``kgg:void`` is exactly the merged graph.

The split is computed in a pyoxigraph store (``placed_quads``): a few queries find the statements, their
sources, the source documents and which sources back each direct edge, then one pass over the merged graph
places every triple. It never needs an rdflib graph, so the default backend splits a million triples
straight from its cached store; ``split_into_named_graphs`` is the same split of an rdflib graph.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict, deque
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.term import Node

from kg.rdf.convert import add_to_graph, from_oxigraph, oxigraph_quads, to_oxigraph
from kg.rdf.direct import ADMITTED_STATEMENT_PATTERN, STATEMENT_VALUE_PATTERN
from kg.rdf.load import LoadedGraph
from kg.rdf.namespaces import KGSRC
from kg.rdf.write import sort_key

KGG = Namespace("https://w3id.org/kg/graph/")

ONTOLOGY_GRAPH = KGG.ontology
SOURCES_GRAPH = KGG.sources
ENTITIES_GRAPH = KGG.entities
UNSOURCED_GRAPH = KGG.unsourced
VOID_GRAPH = KGG.void

Triple = tuple[Node, Node, Node]
Resource = ox.NamedNode | ox.BlankNode
Term = ox.NamedNode | ox.BlankNode | ox.Literal

PREFIXES = """PREFIX kg: <https://w3id.org/kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
# Everything typed as a statement (through subclasses too) or shaped like one (kg.rdf.summary.statement_nodes).
STATEMENTS = (
    PREFIXES
    + """SELECT DISTINCT ?node WHERE {
  { ?class rdfs:subClassOf* kg:Statement . ?node a ?class } UNION { ?node kg:subject|kg:evidence|kg:likelihood [] }
  FILTER (!isLiteral(?node))
}"""
)
SOURCE_OF = PREFIXES + "SELECT ?node ?source WHERE { ?node kg:source ?source }"
DOCUMENTS = PREFIXES + "SELECT DISTINCT ?document WHERE { ?document a kg:SourceDocument }"
# Each direct edge an admitted statement backs, with that statement's sources (kg.rdf.direct's rule).
BACKED_EDGES = f"""{PREFIXES}SELECT ?subject ?property ?object ?source WHERE {{
  {ADMITTED_STATEMENT_PATTERN}
  {STATEMENT_VALUE_PATTERN}
  FILTER (isIRI(?property) && !isLiteral(?subject))
  ?statement kg:source ?source .
}}"""


def source_graph_name(source: Node) -> URIRef:
    """The named graph holding one source document's facts: ``kgg:source/{the source's slug}``."""
    text = str(source)
    slug = text[len(KGSRC) :] if text.startswith(str(KGSRC)) else ""
    if not slug or not all(c.isalnum() or c in "-._~" for c in slug):
        # A source outside kgsrc: (or with an awkward name) still gets a stable, readable-enough name.
        slug = "iri-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return KGG[f"source/{slug}"]


def graph_node(name: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(name))


def source_graph_node(source: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.NamedNode:
    return graph_node(source_graph_name(from_oxigraph(source)))


class Placement:
    """What the pass over the merged graph needs to know of each subject, found by a few queries."""

    def __init__(self, store: ox.Store, ontology: Collection[Resource]) -> None:
        self.ontology = set(ontology)
        self.statements = {row[0] for row in select(store, STATEMENTS)}
        sources: dict[ox.NamedNode | ox.BlankNode | ox.Literal, set[ox.NamedNode]] = defaultdict(set)
        self.graph_sources: dict[ox.NamedNode, Node] = {}  # each source's graph: the source it holds
        for node, source in select(store, SOURCE_OF):
            name = source_graph_node(source)
            sources[node].add(name)
            self.graph_sources[name] = from_oxigraph(source)
        unsourced = [graph_node(UNSOURCED_GRAPH)]
        self.statement_graphs = {s: sorted(sources.get(s, ()), key=str) or unsourced for s in self.statements}
        self.documents = {row[0] for row in select(store, DOCUMENTS)}
        self.backing: dict[ox.Triple, set[ox.NamedNode]] = defaultdict(set)
        for subject, prop, obj, source in select(store, BACKED_EDGES):
            edge = ox.Triple(cast(Resource, subject), cast(ox.NamedNode, prop), obj)
            self.backing[edge].add(source_graph_node(source))

    def graphs_for(self, triple: ox.Triple) -> Iterable[ox.NamedNode]:
        subject = triple.subject
        if subject in self.statements:
            return self.statement_graphs[cast(Resource, subject)]
        if subject in self.ontology:
            return ONTOLOGY
        if subject in self.documents:
            return SOURCES
        backers = self.backing.get(triple)
        return sorted(backers, key=str) if backers else ENTITIES

    def is_pending(self, subject: object) -> bool:
        """A blank node that is neither a statement nor the ontology's goes where what points at it goes."""
        return isinstance(subject, ox.BlankNode) and subject not in self.statements and subject not in self.ontology


ONTOLOGY = [graph_node(ONTOLOGY_GRAPH)]
SOURCES = [graph_node(SOURCES_GRAPH)]
ENTITIES = [graph_node(ENTITIES_GRAPH)]


def select(store: ox.Store, query: str) -> Iterator[tuple[Term, ...]]:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)  # every query above is a SELECT
    for solution in solutions:
        yield tuple(cast(Term, solution[i]) for i in range(len(solutions.variables)))


def placed_quads(
    store: ox.Store, placement: Placement, counts: Counter[ox.NamedNode] | None = None
) -> Iterator[ox.Quad]:
    """The default graph of ``store`` (the merged graph) as kg's named graphs, each triple once per graph it
    belongs to, in no particular order; ``counts`` receives each graph's number of triples."""
    counts = counts if counts is not None else Counter()
    pending: dict[ox.BlankNode, list[ox.Triple]] = defaultdict(list)
    homes: dict[ox.BlankNode, set[ox.NamedNode]] = defaultdict(set)
    pointed: set[ox.BlankNode] = set()
    for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        triple, obj = quad.triple, quad.object
        if isinstance(obj, ox.BlankNode):
            pointed.add(obj)
        if placement.is_pending(quad.subject):
            pending[quad.subject].append(triple)  # type: ignore[index]
            continue
        for name in placement.graphs_for(triple):
            if isinstance(obj, ox.BlankNode):
                homes[obj].add(name)
            counts[name] += 1
            yield ox.Quad(triple.subject, triple.predicate, triple.object, name)
    for node, names in blank_node_homes(pending, homes, pointed).items():
        for triple in pending[node]:
            for name in sorted(names, key=str):
                counts[name] += 1
                yield ox.Quad(triple.subject, triple.predicate, triple.object, name)


def blank_node_homes(
    pending: dict[ox.BlankNode, list[ox.Triple]],
    homes: dict[ox.BlankNode, set[ox.NamedNode]],
    pointed: set[ox.BlankNode],
) -> dict[ox.BlankNode, set[ox.NamedNode]]:
    """Each pending blank node's graphs: every graph whose triples point at it, directly or through other
    blank nodes; a blank node nothing points at describes none of ours, so it joins the entities."""
    for node in pending:
        if node not in pointed:
            homes[node].add(ENTITIES[0])
    # A node goes back on the work list only when its homes grow, which happens at most once per named graph,
    # so the work is linear in the triples (a fixed point over all nodes in turn was quadratic in the depth).
    work = deque(node for node in pending if homes[node])
    while work:
        node = work.popleft()
        for triple in pending[node]:
            obj = triple.object
            if isinstance(obj, ox.BlankNode) and not homes[node] <= homes[obj]:
                homes[obj] |= homes[node]
                if obj in pending:
                    work.append(obj)
    return {node: homes[node] or set(ENTITIES) for node in pending}


def store_of(graph: Graph) -> ox.Store:
    """An rdflib graph in an in-memory pyoxigraph store's default graph."""
    store = ox.Store()
    store.bulk_extend(oxigraph_quads(graph))
    return store


def ontology_subjects(loaded: LoadedGraph, ontology_files: Collection[Path]) -> list[Resource]:
    """The subjects first described by one of ``ontology_files``, as pyoxigraph terms."""
    ontology = {path.resolve() for path in ontology_files}
    found = [node for node, path in loaded.subject_files.items() if path.resolve() in ontology]
    return [to_oxigraph(node) for node in found]  # type: ignore[misc]


def split_into_named_graphs(
    loaded: LoadedGraph, ontology_files: Collection[Path], void: Graph | None = None
) -> Dataset:
    """The merged graph of ``loaded`` as an rdflib dataset of named graphs (see the module's docstring).

    ``ontology_files`` are the files whose subjects belong to the ontology graph; ``void``, if given,
    becomes the ``kgg:void`` graph.
    """
    store = store_of(loaded.graph)
    quads = list(placed_quads(store, Placement(store, ontology_subjects(loaded, ontology_files))))
    dataset = published_dataset(loaded.graph.namespaces())
    fill_dataset(dataset, quads)
    if void is not None:
        add_description(dataset, void)
    return dataset


def published_dataset(namespaces: Iterable[tuple[str, Node | str]]) -> Dataset:
    """An empty dataset with the merged graph's prefixes bound, and ``kgg:``, as the split binds them."""
    dataset = Dataset()
    for prefix, namespace in namespaces:
        dataset.bind(prefix, URIRef(str(namespace)), override=True, replace=True)
    dataset.bind("kgg", KGG)
    return dataset


def fill_dataset(dataset: Dataset, quads: Iterable[ox.Quad]) -> None:
    """Add pyoxigraph quads in named graphs to an rdflib dataset, graph by graph."""
    by_graph: dict[ox.NamedNode, list[ox.Quad]] = defaultdict(list)
    for quad in quads:
        by_graph[quad.graph_name].append(quad)  # type: ignore[index]
    for name in sorted(by_graph, key=str):
        add_to_graph(dataset.graph(URIRef(name.value)), by_graph[name])


def add_description(dataset: Dataset, void: Graph) -> None:
    """Put the dataset's VoID description into its own graph, ``kgg:void``."""
    target = dataset.graph(VOID_GRAPH)
    for triple in sorted(void, key=sort_key):
        target.add(triple)
    for prefix, namespace in void.namespaces():
        dataset.bind(prefix, namespace, override=False)
