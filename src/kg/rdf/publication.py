"""The graph as kg publishes it: kg's named graphs (kg.rdf.split) and, in ``kgg:void``, the dataset's
VoID description (kg.rdf.void), which lists the graphs and the files of the dist/ bundle.

``kg export`` and ``kg build`` write this dataset, and ``kg push`` uploads it; it lives here, below the
backends, so that the in-memory backend can offer it and push can send it without reaching up to kg.export.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from rdflib import Dataset, Graph, URIRef

from kg.rdf.load import LoadedGraph
from kg.rdf.namespaces import KG
from kg.rdf.split import VOID_GRAPH, add_description, source_graph_name, split_into_named_graphs
from kg.rdf.void import Distribution, Subset, describe_dataset
from kg.rdf.write import named_graphs

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


def publish(loaded: LoadedGraph, ontology_files: Collection[Path]) -> Publication:
    """Split the graph into named graphs, describe it, and add the description to the dataset."""
    dataset = split_into_named_graphs(loaded, ontology_files)
    void = describe_dataset(loaded.graph, subsets(loaded.graph, dataset), distributions())
    add_description(dataset, void)
    return Publication(dataset, void)


def subsets(graph: Graph, dataset: Dataset) -> list[Subset]:
    sources = {source_graph_name(s): s for s in graph.objects(None, KG.source)}
    found = [g for g in named_graphs(dataset) if g.identifier != VOID_GRAPH]
    names = [cast(URIRef, g.identifier) for g in found]  # kg names every graph with an IRI
    return [Subset(name, len(g), sources.get(name)) for name, g in zip(names, found, strict=True)]


def distributions() -> list[Distribution]:
    described = [(f.name, f.media_type, f.purpose) for f in BUNDLE_FILES] + [
        f for f in OTHER_FILES if f[0] == VOID_FILE
    ]
    return [Distribution(name, media_type, purpose) for name, media_type, purpose in described]
