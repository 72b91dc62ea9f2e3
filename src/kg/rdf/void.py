"""A VoID and DCAT description of the dataset, computed from the graph itself.

It holds no build time, so the same graph always gives the same description; the version is the
ontology's ``owl:versionInfo`` and the licence and creator are the ontology's too. All counts describe
the merged graph (ontology, sources and facts), not the description itself.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import cast

import pyoxigraph as ox
from rdflib import OWL, RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID, XSD
from rdflib.term import Node

from kg.rdf.convert import add_to_graph, from_oxigraph, oxigraph_quads
from kg.rdf.merged_lines import dumped_lines
from kg.rdf.namespaces import KG, KGR, PROV
from kg.rdf.write import sorted_nodes

DATASET = URIRef("https://w3id.org/kg/dataset")
DATASET_NS = Namespace(f"{DATASET}/")
CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")  # DCAT 3; rdflib's DCAT is version 2
MEDIA_TYPES = Namespace("https://www.iana.org/assignments/media-types/")
IANA_REGISTERED = {
    "application/ld+json",
    "application/n-quads",
    "application/n-triples",
    "application/rdf+xml",
    "application/trig",
    "text/csv",
    "text/html",
    "text/markdown",
    "text/turtle",
}

TITLE = "kg: a curated, provenance-first knowledge graph of companies, people and vehicles"
DESCRIPTION = (
    "Companies, people, vehicles and the claims news sources make about them. Every claim is a "
    "kg:Statement that names its source document, quotes its evidence verbatim and qualifies the claim "
    "on independent axes (attribution, timing, outcome, likelihood, polarity, rank); direct edges between "
    "entities mirror only the claims that are affirmed, certain or likely, not failed plans, not curator "
    "inferences and not outranked."
)


@dataclass(frozen=True)
class Subset:
    """One named graph of the exported dataset, as a VoID subset."""

    name: URIRef
    triples: int
    source: Node | None = None


@dataclass(frozen=True)
class Distribution:
    """One file of the bundle, as a DCAT distribution."""

    file_name: str
    media_type: str
    title: str


@dataclass(frozen=True)
class GraphFacts:
    """What the description says of the merged graph (``Tally.facts``)."""

    header: Graph  # the ontology's header (type, licence, creators, version) and the source documents' types
    triples: int
    entities: int
    subjects: int
    objects: int
    instances: dict[Node, int]  # class: its distinct instances
    uses: dict[Node, int]  # predicate: its triples
    prefixes: dict[str, str]


FACT_PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX kg: <https://w3id.org/kg/ontology#>
"""
HEADER = (
    FACT_PREFIXES
    + """CONSTRUCT { ?node ?property ?value } WHERE {
  { ?node a owl:Ontology ; ?property ?value .
    FILTER (?property IN (rdf:type, dcterms:license, dcterms:creator, owl:versionInfo)) }
  UNION { ?node a kg:SourceDocument . BIND (rdf:type AS ?property) BIND (kg:SourceDocument AS ?value) }
}"""
)
RDF_TYPE_TEXT = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
ENTITY_TEXT = b"<" + str(KGR).encode()


class Tally:
    """The figures of a graph, counted from its N-Triples lines a subject at a time as one pass over them reads
    them (the terms as their N-Triples text): triples, distinct subjects and objects, entities, triples per
    predicate, instances per class."""

    def __init__(self) -> None:
        self.triples = 0
        self.subjects: set[bytes] = set()
        self.objects: set[bytes] = set()
        self.uses: Counter[bytes] = Counter()
        self.instances: Counter[bytes] = Counter()  # each (subject, rdf:type, class) line is distinct

    def add_subject(self, subject: bytes, entries: list[tuple[bytes, bytes, bytes]]) -> None:
        """All of one subject's lines, each with its predicate and object (kg.rdf.placement's pass)."""
        self.triples += len(entries)
        self.subjects.add(subject)
        self.objects.update([obj for _, _, obj in entries])
        predicates = [predicate for _, predicate, _ in entries]
        self.uses.update(predicates)  # counted in C, not a line at a time
        if RDF_TYPE_TEXT in predicates:
            self.instances.update([obj for _, predicate, obj in entries if predicate == RDF_TYPE_TEXT])

    def facts(self, store: ox.Store, prefixes: Mapping[str, str]) -> GraphFacts:
        """The figures, with the header ``store`` gives (the ontology's and the source documents' types)."""
        header = Graph()
        add_to_graph(header, cast("Iterable[ox.Triple]", store.query(HEADER)))
        return GraphFacts(
            header,
            self.triples,
            sum(1 for s in self.subjects if s.startswith(ENTITY_TEXT)),
            len(self.subjects),
            len(self.objects),
            {term_of(c): n for c, n in self.instances.items()},
            {term_of(p): n for p, n in self.uses.items()},
            dict(prefixes),
        )


def term_of(text: bytes) -> Node:
    """The rdflib term of a term's N-Triples text."""
    if text.startswith(b"<") and b"\\" not in text:
        return URIRef(text[1:-1].decode("utf-8"))
    (triple,) = ox.parse(b"<s:> <p:> %s ." % text, format=ox.RdfFormat.N_TRIPLES)
    return from_oxigraph(triple.object)


def describe_facts(
    facts: GraphFacts, subsets: Iterable[Subset] = (), distributions: Iterable[Distribution] = ()
) -> Graph:
    """The VoID/DCAT description of a graph with these facts, with its named graphs and files if given."""
    void = Graph(bind_namespaces="core")
    for prefix, namespace in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS), ("prov", PROV)):
        void.bind(prefix, namespace)
    void.bind("kgd", DATASET_NS)
    add_identity(void, facts.header)
    add_statistics(void, facts)
    add_partitions(void, facts)
    add_sources(void, facts.header)
    for subset in subsets:
        add_subset(void, subset)
    for distribution in distributions:
        add_distribution(void, distribution)
    return void


def describe_dataset(graph: Graph, subsets: Iterable[Subset] = (), distributions: Iterable[Distribution] = ()) -> Graph:
    """The VoID/DCAT description of an rdflib ``graph``, with its named graphs and files if given."""
    store = ox.Store()
    store.bulk_extend(oxigraph_quads(graph))
    prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespaces()}
    return describe_facts(tally_of(store).facts(store, prefixes), subsets, distributions)


def tally_of(store: ox.Store) -> Tally:
    """The figures of the store's default graph, from its N-Triples."""
    tally = Tally()
    for line in dumped_lines(store):
        subject, predicate, rest = line.split(b" ", 2)
        tally.add_subject(subject, [(line, predicate, rest[:-2])])
    return tally


def add_identity(void: Graph, graph: Graph) -> None:
    ontology = next(iter(sorted_nodes(graph.subjects(RDF.type, OWL.Ontology))), None)
    void.add((DATASET, RDF.type, VOID.Dataset))
    void.add((DATASET, RDF.type, DCAT.Dataset))
    void.add((DATASET, DCTERMS.title, Literal(TITLE, lang="en")))
    void.add((DATASET, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    # The data is published under the ontology's licence, CC BY 4.0 unless the ontology says otherwise.
    licence = graph.value(ontology, DCTERMS.license) if ontology is not None else None
    void.add((DATASET, DCTERMS.license, licence or CC_BY_4))
    void.add((DATASET, VOID.uriSpace, Literal(str(KGR))))
    if ontology is None:
        return
    void.add((DATASET, DCTERMS.conformsTo, ontology))
    for creator in sorted_nodes(graph.objects(ontology, DCTERMS.creator)):
        void.add((DATASET, DCTERMS.creator, creator))
    version = graph.value(ontology, OWL.versionInfo)
    if version is not None:
        void.add((DATASET, OWL.versionInfo, Literal(str(version))))
        void.add((DATASET, DCAT_VERSION, Literal(str(version))))


def add_statistics(void: Graph, facts: GraphFacts) -> None:
    counts = {
        VOID.triples: facts.triples,
        VOID.entities: facts.entities,
        VOID.classes: len(facts.instances),
        VOID.properties: len(facts.uses),
        VOID.distinctSubjects: facts.subjects,
        VOID.distinctObjects: facts.objects,
    }
    for prop, count in counts.items():
        void.add((DATASET, prop, integer(count)))
    for vocabulary in vocabularies(facts):
        void.add((DATASET, VOID.vocabulary, vocabulary))


def add_partitions(void: Graph, facts: GraphFacts) -> None:
    """One class partition per class used (its distinct instances), one property partition per predicate."""
    for cls, count in sorted(facts.instances.items(), key=lambda item: item[0]):  # type: ignore[arg-type,return-value]
        partition = DATASET_NS[f"class/{term_slug(cls, facts.prefixes)}"]
        void.add((DATASET, VOID.classPartition, partition))
        void.add((partition, VOID["class"], cls))
        void.add((partition, VOID.entities, integer(count)))
    for prop, count in sorted(facts.uses.items(), key=lambda item: item[0]):  # type: ignore[arg-type,return-value]
        partition = DATASET_NS[f"property/{term_slug(prop, facts.prefixes)}"]
        void.add((DATASET, VOID.propertyPartition, partition))
        void.add((partition, VOID.property, prop))
        void.add((partition, VOID.triples, integer(count)))


def add_sources(void: Graph, graph: Graph) -> None:
    for document in sorted_nodes(graph.subjects(RDF.type, KG.SourceDocument)):
        void.add((DATASET, DCTERMS.source, document))
        void.add((DATASET, PROV.wasDerivedFrom, document))


def add_subset(void: Graph, subset: Subset) -> None:
    void.add((DATASET, VOID.subset, subset.name))
    void.add((subset.name, RDF.type, VOID.Dataset))
    void.add((subset.name, VOID.triples, integer(subset.triples)))
    if subset.source is not None:
        void.add((subset.name, DCTERMS.source, subset.source))


def add_distribution(void: Graph, distribution: Distribution) -> None:
    node = DATASET_NS[f"distribution/{distribution.file_name}"]
    void.add((DATASET, DCAT.distribution, node))
    void.add((node, RDF.type, DCAT.Distribution))
    void.add((node, DCTERMS.title, Literal(distribution.file_name)))
    void.add((node, DCTERMS.description, Literal(distribution.title, lang="en")))
    if distribution.media_type in IANA_REGISTERED:
        void.add((node, DCAT.mediaType, MEDIA_TYPES[distribution.media_type]))
    else:  # DCAT wants IANA's IRIs in dcat:mediaType; GraphML's and GEXF's types are not registered there
        void.add((node, DCTERMS["format"], Literal(distribution.media_type)))


def vocabularies(facts: GraphFacts) -> list[URIRef]:
    """The bound namespaces that hold a property or a class the graph uses."""
    terms = {str(p) for p in facts.uses} | {str(c) for c in facts.instances}
    namespaces = set(facts.prefixes.values())
    return sorted(URIRef(ns) for ns in namespaces if any(term.startswith(ns) for term in terms))


def term_slug(iri: Node, prefixes: Mapping[str, str]) -> str:
    """``prefix-local`` for a term in a bound namespace (``kg-Company``), else a hash of its IRI."""
    text = str(iri)
    matches = sorted(((len(ns), p, ns) for p, ns in prefixes.items() if p and text.startswith(ns)), reverse=True)
    if matches:
        _, prefix, namespace = matches[0]
        local = text[len(namespace) :]
        if local and all(c.isalnum() or c in "-_." for c in local):
            return f"{prefix}-{local}"
    return "iri-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)
