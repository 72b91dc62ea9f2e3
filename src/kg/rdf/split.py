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
"""

from __future__ import annotations

import hashlib
from collections import defaultdict, deque
from collections.abc import Collection, Iterable
from pathlib import Path

from rdflib import RDF, BNode, Dataset, Graph, Namespace, URIRef
from rdflib.term import IdentifiedNode, Node

from kg.rdf.direct import is_admitted, statement_edges
from kg.rdf.load import LoadedGraph
from kg.rdf.namespaces import KG, KGSRC
from kg.rdf.summary import statement_nodes
from kg.rdf.write import sort_key, sorted_nodes

KGG = Namespace("https://w3id.org/kg/graph/")

ONTOLOGY_GRAPH = KGG.ontology
SOURCES_GRAPH = KGG.sources
ENTITIES_GRAPH = KGG.entities
UNSOURCED_GRAPH = KGG.unsourced
VOID_GRAPH = KGG.void

Triple = tuple[Node, Node, Node]


def source_graph_name(source: Node) -> URIRef:
    """The named graph holding one source document's facts: ``kgg:source/{the source's slug}``."""
    text = str(source)
    slug = text[len(KGSRC) :] if text.startswith(str(KGSRC)) else ""
    if not slug or not all(c.isalnum() or c in "-._~" for c in slug):
        # A source outside kgsrc: (or with an awkward name) still gets a stable, readable-enough name.
        slug = "iri-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return KGG[f"source/{slug}"]


def split_into_named_graphs(
    loaded: LoadedGraph, ontology_files: Collection[Path], void: Graph | None = None
) -> Dataset:
    """The merged graph of ``loaded`` as a dataset of named graphs (see the module's docstring).

    ``ontology_files`` are the files whose subjects belong to the ontology graph; ``void``, if given,
    becomes the ``kgg:void`` graph.
    """
    graph = loaded.graph
    ontology = {path.resolve() for path in ontology_files}
    placement = place_triples(graph, ontology_subjects(loaded, ontology))
    dataset = Dataset()
    for prefix, namespace in graph.namespaces():
        dataset.bind(prefix, namespace, override=True, replace=True)
    dataset.bind("kgg", KGG)
    for name in sorted(placement):
        target = dataset.graph(name)
        for triple in sorted(placement[name], key=sort_key):
            target.add(triple)
    if void is not None:
        add_description(dataset, void)
    return dataset


def add_description(dataset: Dataset, void: Graph) -> None:
    """Put the dataset's VoID description into its own graph, ``kgg:void``."""
    target = dataset.graph(VOID_GRAPH)
    for triple in sorted(void, key=sort_key):
        target.add(triple)
    for prefix, namespace in void.namespaces():
        dataset.bind(prefix, namespace, override=False)


def ontology_subjects(loaded: LoadedGraph, ontology: set[Path]) -> set[IdentifiedNode]:
    return {node for node, path in loaded.subject_files.items() if path.resolve() in ontology}


def place_triples(graph: Graph, ontology: set[IdentifiedNode]) -> dict[URIRef, set[Triple]]:
    """Each named graph's triples: subjects first, then blank nodes follow whatever points at them."""
    statements = set(statement_nodes(graph))
    backing = backing_sources(graph, statements)
    documents = set(graph.subjects(RDF.type, KG.SourceDocument))
    placement: dict[URIRef, set[Triple]] = defaultdict(set)
    pending: list[BNode] = []
    for subject in sorted(set(graph.subjects()), key=lambda n: n.n3()):
        if isinstance(subject, BNode) and subject not in statements and subject not in ontology:
            pending.append(subject)
            continue
        for triple in graph.triples((subject, None, None)):
            for name in graphs_for(triple, statements, ontology, documents, backing, graph):
                placement[name].add(triple)
    place_blank_nodes(graph, pending, placement)
    return placement


def graphs_for(
    triple: Triple,
    statements: set[IdentifiedNode],
    ontology: set[IdentifiedNode],
    documents: set[Node],
    backing: dict[Triple, set[URIRef]],
    graph: Graph,
) -> Iterable[URIRef]:
    subject = triple[0]
    if subject in statements:
        sources = sorted_nodes(graph.objects(subject, KG.source))
        return [source_graph_name(s) for s in sources] or [UNSOURCED_GRAPH]
    if subject in ontology:
        return [ONTOLOGY_GRAPH]
    if subject in documents:
        return [SOURCES_GRAPH]
    return sorted(backing.get(triple, ())) or [ENTITIES_GRAPH]


def backing_sources(graph: Graph, statements: Iterable[IdentifiedNode]) -> dict[Triple, set[URIRef]]:
    """For each direct edge a statement backs, the source graphs of the statements that back it.

    A statement that the direct-layer rule leaves out (kg.rdf.direct) backs nothing.
    """
    backing: dict[Triple, set[URIRef]] = defaultdict(set)
    for statement in statements:
        if not is_admitted(graph, statement):
            continue
        names = {source_graph_name(s) for s in graph.objects(statement, KG.source)}
        for edge in statement_edges(graph, statement):
            backing[edge] |= names
    return backing


def place_blank_nodes(graph: Graph, pending: list[BNode], placement: dict[URIRef, set[Triple]]) -> None:
    """Put each blank node's triples into every graph whose triples point at it, directly or through
    other blank nodes; a blank node nothing points at describes none of ours, so it joins the entities."""
    homes: dict[Node, set[URIRef]] = defaultdict(set)
    for name, triples in placement.items():
        for _, _, obj in triples:
            if isinstance(obj, BNode):
                homes[obj].add(name)
    for node in pending:
        if next(graph.subjects(None, node), None) is None:
            homes[node].add(ENTITIES_GRAPH)
    # Nested blank nodes follow their parents: a node goes back on the work list only when its homes
    # grow, which happens at most once per named graph, so the work is linear in the triples (a fixed
    # point over all nodes in turn was quadratic in the depth of nesting).
    waiting = set(pending)
    work = deque(node for node in pending if homes[node])
    while work:
        node = work.popleft()
        for obj in graph.objects(node, None):
            if isinstance(obj, BNode) and not homes[node] <= homes[obj]:
                homes[obj] |= homes[node]
                if obj in waiting:
                    work.append(obj)
    for node in pending:
        for name in homes[node] or {ENTITIES_GRAPH}:
            placement[name].update(graph.triples((node, None, None)))
