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

The split is computed in a pyoxigraph store (``placed_nquads``): a few queries find the statements, their
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
from kg.rdf.void import Tally
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
    for subject, prop, obj, source in select(store, BACKED_EDGES):
        graph = source_graph_node(source) if source is not None else ox.DefaultGraph()
        found.append(ox.Quad(cast(Resource, subject), cast(ox.NamedNode, prop), cast(Term, obj), graph))
    return found


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


class Placement:
    """What the pass over the merged graph needs to know of each subject, found by a few queries; terms are
    kept as the N-Triples text Oxigraph writes them in, the form the pass reads."""

    def __init__(
        self, store: ox.Store, ontology: Collection[Resource], backed: Iterable[ox.Quad] | None = None
    ) -> None:
        self.graph_sources: dict[bytes, Node] = {}  # each source's graph: the source it holds
        sources: dict[bytes, set[bytes]] = defaultdict(set)
        for node, source in select(store, SOURCE_OF):
            name = text(source_graph_node(source))
            sources[text(node)].add(name)
            self.graph_sources[name] = from_oxigraph(cast(Term, source))
        self.statements = {text(row[0]) for row in select(store, STATEMENTS)}
        self.ontology = {text(node) for node in ontology} - self.statements
        # A subject's graphs, wherever the subject alone decides them.
        self.fixed: dict[bytes, list[bytes]] = {s: sorted(sources.get(s, ())) or UNSOURCED for s in self.statements}
        for described in self.ontology:
            self.fixed[described] = ONTOLOGY
        for (document,) in select(store, DOCUMENTS):
            if not isinstance(document, ox.BlankNode):  # a blank one goes with what points at it, as any
                self.fixed.setdefault(text(document), SOURCES)
        backing: dict[bytes, set[bytes]] = defaultdict(set)
        for quad in backed_edges(store) if backed is None else backed:  # ``backed`` if the load kept them
            if isinstance(quad.graph_name, ox.NamedNode):
                backing[b"%s %s %s ." % (text(quad.subject), text(quad.predicate), text(quad.object))].add(
                    text(quad.graph_name)
                )
        self.backing = {edge: sorted(names) for edge, names in backing.items()}


def text(term: object) -> bytes:
    """A term as N-Triples writes it: Oxigraph's ``str`` of a term is its N-Triples form."""
    return str(term).encode("utf-8")


UNSOURCED = [b"<%s>" % str(UNSOURCED_GRAPH).encode()]
ONTOLOGY = [b"<%s>" % str(ONTOLOGY_GRAPH).encode()]
SOURCES = [b"<%s>" % str(SOURCES_GRAPH).encode()]
ENTITIES = [b"<%s>" % str(ENTITIES_GRAPH).encode()]


def select(store: ox.Store, query: str) -> Iterator[tuple[Term | None, ...]]:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)  # every query above is a SELECT
    for solution in solutions:
        yield tuple(cast(Term | None, solution[i]) for i in range(len(solutions.variables)))


def placed_nquads(
    store: ox.Store, placement: Placement, counts: Counter[bytes] | None = None, tally: Tally | None = None
) -> bytes:
    """The default graph of ``store`` (the merged graph) as N-Quads in kg's named graphs, each triple once per
    graph it belongs to, in no particular order; ``counts`` receives each graph's number of triples, and
    ``tally`` the figures of the merged graph, for its description.

    One pass over Oxigraph's N-Triples of the graph, line by line: a line is ``S P O .``, where neither S
    nor P holds a space, so the subject and the object are found without parsing."""
    counts = counts if counts is not None else Counter()
    dumped = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    assert dumped is not None  # with no output given, dump returns the bytes
    placed: list[bytes] = []
    pending: dict[bytes, list[tuple[bytes, bytes]]] = defaultdict(list)  # blank subject: its lines and objects
    homes: dict[bytes, set[bytes]] = defaultdict(set)
    pointed: set[bytes] = set()
    fixed, backing = placement.fixed, placement.backing
    for line in dumped.split(b"\n"):
        if not line:
            continue
        subject = line[: line.index(b" ")]
        predicate_end = line.index(b" ", len(subject) + 1)
        obj = line[predicate_end + 1 : -2]
        if tally is not None:
            tally.add(subject, line[len(subject) + 1 : predicate_end], obj)
        is_blank = obj.startswith(b"_:")
        if is_blank:
            pointed.add(obj)
        names = fixed.get(subject)
        if names is None:
            if subject.startswith(b"_:"):
                pending[subject].append((line, obj))
                continue
            names = backing.get(line, ENTITIES)
        for name in names:
            counts[name] += 1
            placed.append(b"%s%s ." % (line[:-1], name))
            if is_blank:
                homes[obj].add(name)
    for node, found in blank_node_homes(pending, homes, pointed).items():
        for line, _ in pending[node]:
            for name in sorted(found):
                counts[name] += 1
                placed.append(b"%s%s ." % (line[:-1], name))
    return b"\n".join(placed) + b"\n" if placed else b""


def blank_node_homes(
    pending: dict[bytes, list[tuple[bytes, bytes]]], homes: dict[bytes, set[bytes]], pointed: set[bytes]
) -> dict[bytes, set[bytes]]:
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
        for _, obj in pending[node]:
            if obj.startswith(b"_:") and not homes[node] <= homes[obj]:
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
    placed = placed_nquads(store, Placement(store, ontology_subjects(loaded, ontology_files)))
    dataset = dataset_of(placed, loaded.graph.namespaces())
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
