"""The graph as kg publishes it: kg's named graphs (kg.rdf.split) and, in ``kgg:void``, the dataset's
VoID description (kg.rdf.void), which lists the graphs and the files of the dist/ bundle.

``kg export`` and ``kg build`` write this dataset, and ``kg push`` uploads it; it lives here, below the
backends, so that the in-memory backend can offer it and push can send it without reaching up to kg.export.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from kg.rdf.convert import oxigraph_quads
from kg.rdf.load import LoadedGraph
from kg.rdf.merged_lines import UnionLines, dumped_lines
from kg.rdf.placement import Placement, placed_lines
from kg.rdf.quads import canonical_blank_lines, joined, ordered, serialized
from kg.rdf.split import (
    VOID_GRAPH,
    Resource,
    add_description,
    dataset_of,
    ontology_subjects,
    published_dataset,
    store_of,
)
from kg.rdf.void import Distribution, Subset, Tally, describe_facts

README_FILE = "README.md"
VOID_FILE = "void.ttl"
VIEW_FILE = "graph.html"
TIMELINE_FILE = "timeline.html"
REPORT_FILE = "validation-report.ttl"


@dataclass(frozen=True)
class BundleFile:
    """A file of dist/ that holds the graph in one export format."""

    name: str
    format_name: str
    media_type: str
    purpose: str


BUNDLE_FILES: tuple[BundleFile, ...] = (
    BundleFile("graph.ttl", "turtle", "text/turtle", "the whole graph in Turtle, for reading and for most RDF tools"),
    BundleFile("graph.nt", "ntriples", "application/n-triples", "the whole graph, one triple a line, sorted"),
    BundleFile("graph.nq", "nquads", "application/n-quads", "the named graphs, one quad a line, for stores"),
    BundleFile("graph.trig", "trig", "application/trig", "the named graphs in TriG, for stores and reading"),
    BundleFile("graph.jsonld", "jsonld", "application/ld+json", "the named graphs in JSON-LD, context embedded"),
    BundleFile("graph.rdf", "rdfxml", "application/rdf+xml", "the whole graph in RDF/XML"),
    BundleFile("graph.owl", "owl", "application/rdf+xml", "the whole graph for Protégé, HermiT, Pellet (owl.md)"),
    BundleFile("graph.graphml", "graphml", "application/graphml+xml", "the entity network in GraphML (yEd, Gephi)"),
    BundleFile("graph.gexf", "gexf", "application/gexf+xml", "the entity network in GEXF (Gephi)"),
    BundleFile("nodes.csv", "csv-nodes", "text/csv", "the entity network's nodes, one entity a row"),
    BundleFile("edges.csv", "csv-edges", "text/csv", "the entity network's edges, one claim a row"),
)
# Files that ``kg build`` writes beside those above, from other steps; the README describes them too.
OTHER_FILES: tuple[tuple[str, str, str], ...] = (
    (VOID_FILE, "text/turtle", "the dataset's VoID/DCAT description alone (also inside every RDF file above)"),
    (REPORT_FILE, "text/turtle", "the SHACL validation report of this build (`kg validate`)"),
    (VIEW_FILE, "text/html", "the interactive network view; opens offline in a browser (`kg render`)"),
    (TIMELINE_FILE, "text/html", "the dated claims on a time axis, with axes and sources (`kg render --timeline`)"),
    (README_FILE, "text/markdown", "this file"),
)


@dataclass(frozen=True)
class Publication:
    """kg's named graphs with the description in ``kgg:void``, and that description as a graph of its own."""

    dataset: Dataset
    void: Graph


@dataclass(frozen=True)
class PublishedQuads:
    """The publication as pyoxigraph writes it: kg's named graphs and ``kgg:void`` as sorted N-Quads lines with
    canonical blank-node labels, the description alone, the prefixes the dataset binds, and what gives the union
    of the graphs without reading the N-Quads again."""

    lines: list[bytes]
    void: Graph
    prefixes: dict[str, str]
    union: UnionLines

    @cached_property
    def nquads(self) -> bytes:
        return joined(self.lines)

    def dataset(self) -> Dataset:
        return dataset_of(self.nquads, self.prefixes.items())


def publish_store(
    store: ox.Store,
    ontology: Collection[Resource],
    namespaces: Iterable[tuple[str, Node | str]],
    backed: bytes | None = None,
    lines: list[bytes] | None = None,
) -> PublishedQuads:
    """Split the default graph of ``store`` (the merged graph) and describe it, without an rdflib graph of it.
    ``ontology`` names the subjects the ontology files describe; ``namespaces`` are the merged graph's. What the
    load kept, if it did (else the store gives it): ``backed``, the N-Quads of the direct edges in the graphs of
    the sources that back them, and ``lines``, the merged graph as sorted N-Triples lines."""
    bound = [(prefix, str(namespace)) for prefix, namespace in namespaces]
    placement = Placement(store, ontology, backed)
    counts: Counter[bytes] = Counter()
    tally = Tally()
    placed = placed_lines(dumped_lines(store) if lines is None else lines, placement, counts, tally)
    subsets = [
        Subset(URIRef(name[1:-1].decode("utf-8")), count, placement.graph_sources.get(name))
        for name, count in sorted(counts.items())
    ]
    void = describe_facts(tally.facts(store, dict(bound)), subsets, distributions())
    described = (ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(str(VOID_GRAPH))) for q in oxigraph_quads(void))
    # The description's lines join the blank ones: its blank nodes (an ontology's creator, say) take canonical
    # labels with the rest, and a line without one comes out as it went in.
    others = canonical_blank_lines(placed.blank + serialized(described, ox.RdfFormat.N_QUADS).split(b"\n"))
    lines = ordered(placed.plain + others)
    dataset = published_dataset(bound)
    for prefix, namespace in void.namespaces():
        dataset.bind(prefix, namespace, override=False)
    prefixes = {prefix: str(namespace) for prefix, namespace in dataset.namespaces()}
    return PublishedQuads(lines, void, prefixes, UnionLines(placed.plain_triples, others))


def publish(loaded: LoadedGraph, ontology_files: Collection[Path]) -> Publication:
    """Split the graph into named graphs, describe it, and add the description to the dataset."""
    store = store_of(loaded.graph)
    published = publish_store(store, ontology_subjects(loaded, ontology_files), loaded.graph.namespaces())
    return Publication(published.dataset(), published.void)


def split_into_named_graphs(
    loaded: LoadedGraph, ontology_files: Collection[Path], void: Graph | None = None
) -> Dataset:
    """The merged graph of ``loaded`` as an rdflib dataset of kg's named graphs (kg.rdf.split), without a
    description. ``ontology_files`` are the files whose subjects belong to the ontology graph; ``void``, if
    given, becomes the ``kgg:void`` graph."""
    store = store_of(loaded.graph)
    placed = placed_lines(dumped_lines(store), Placement(store, ontology_subjects(loaded, ontology_files)))
    dataset = dataset_of(joined(placed.lines()), loaded.graph.namespaces())
    if void is not None:
        add_description(dataset, void)
    return dataset


def distributions() -> list[Distribution]:
    described = [(f.name, f.media_type, f.purpose) for f in BUNDLE_FILES] + [
        f for f in OTHER_FILES if f[0] == VOID_FILE
    ]
    return [Distribution(name, media_type, purpose) for name, media_type, purpose in described]
