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

This module names the graphs, finds the direct edges with the sources that back them (``backed_edges``, a query
of a pyoxigraph store) and turns N-Quads of the graphs into an rdflib dataset. kg.rdf.placement places each
triple, in one pass over the merged graph's lines with no rdflib graph, so that the default backend splits a
million triples straight from its cache; kg.rdf.publication adds the description.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
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
# Each direct edge an admitted statement gives, with that statement's sources if it has any (kg.rdf.direct's
# rule): the direct layer and, for the split, which sources back each edge.
BACKED_EDGES = f"""{PREFIXES}SELECT ?subject ?property ?object ?source WHERE {{
  {ADMITTED_STATEMENT_PATTERN}
  {STATEMENT_VALUE_PATTERN}
  FILTER (isIRI(?property) && !isLiteral(?subject))
  OPTIONAL {{ ?statement kg:source ?source }}
}}"""


def backed_edges(store: ox.Store) -> list[ox.Quad]:
    """Each direct edge the statements in ``store`` give, in the graph of each source that backs it, or in the
    default graph where no statement that gives it has a source."""
    found = []
    graphs: dict[Term, ox.NamedNode] = {}  # a source's graph, named once (sources are few, edges many)
    for subject, prop, obj, source in select(store, BACKED_EDGES):
        graph: ox.NamedNode | ox.DefaultGraph = ox.DefaultGraph()
        if source is not None:
            graph = graphs.get(source) or graphs.setdefault(source, source_graph_node(source))
        found.append(ox.Quad(cast(Resource, subject), cast(ox.NamedNode, prop), cast(Term, obj), graph))
    return found


def select(store: ox.Store, query: str) -> Iterator[tuple[Term | None, ...]]:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)  # every query above is a SELECT
    width = len(solutions.variables)
    for solution in solutions:
        yield tuple(cast(Term | None, solution[i]) for i in range(width))


def derive_direct_layer(store: ox.Store) -> list[ox.Quad]:
    """Add to the default graph of ``store`` the direct edges its statements give (as kg.rdf.direct's
    ``DIRECT_EDGES_UPDATE`` does); return ``backed_edges``, found on the way, for the split."""
    backed = backed_edges(store)
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in backed)
    return backed


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


def source_graph_node(source: Term | None) -> ox.NamedNode:
    return graph_node(source_graph_name(from_oxigraph(cast(Term, source))))


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


def published_dataset(namespaces: Iterable[tuple[str, Node | str]]) -> Dataset:
    """An empty dataset with the merged graph's prefixes bound, and ``kgg:``, as the split binds them."""
    dataset = Dataset()
    for prefix, namespace in namespaces:
        dataset.bind(prefix, URIRef(str(namespace)), override=True, replace=True)
    dataset.bind("kgg", KGG)
    return dataset


def dataset_of(nquads: bytes, namespaces: Iterable[tuple[str, Node | str]]) -> Dataset:
    """N-Quads of named graphs as an rdflib dataset, with ``namespaces`` bound as ``published_dataset`` binds them."""
    dataset = published_dataset(namespaces)
    by_graph: dict[ox.NamedNode, list[ox.Quad]] = defaultdict(list)
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        by_graph[quad.graph_name].append(quad)
    for name in sorted(by_graph, key=str):
        add_to_graph(dataset.graph(URIRef(name.value)), by_graph[name])
    return dataset


def add_description(dataset: Dataset, void: Graph) -> None:
    """Put the dataset's VoID description into its own graph, ``kgg:void``."""
    target = dataset.graph(VOID_GRAPH)
    for triple in sorted(void, key=sort_key):
        target.add(triple)
    for prefix, namespace in void.namespaces():
        dataset.bind(prefix, namespace, override=False)
