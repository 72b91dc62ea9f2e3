"""The VoID/DCAT description: counts that match the graph, licence, version, sources, no build time."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import OWL, RDF, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID, XSD

from kg.export.bundle import BUNDLE_FILES, Exports
from kg.rdf.namespaces import KG, KGR, KGSRC, PROV
from kg.rdf.split import VOID_GRAPH
from kg.rdf.void import CC_BY_4, DATASET, describe_dataset, term_slug
from kg.rdf.write import named_graphs


@pytest.fixture(scope="module")
def exports(curated_exports: Exports) -> Exports:
    return curated_exports


def count(void: Graph, subject: URIRef, prop: URIRef) -> int:
    value = void.value(subject, prop)
    assert isinstance(value, Literal) and value.datatype == XSD.integer
    return int(value)


def partition(void: Graph, link: URIRef, key: URIRef, term: URIRef) -> URIRef:
    (found,) = [p for p in void.objects(DATASET, link) if (p, key, term) in void]
    return found


def test_dataset_counts_match_the_graph(exports: Exports) -> None:
    void, graph = exports.void, exports.graph
    assert count(void, DATASET, VOID.triples) == len(graph)
    assert count(void, DATASET, VOID.properties) == len(set(graph.predicates()))
    assert count(void, DATASET, VOID.distinctSubjects) == len(set(graph.subjects()))
    assert count(void, DATASET, VOID.entities) == len({s for s in graph.subjects() if str(s).startswith(str(KGR))})


def test_every_class_has_a_partition_with_its_instance_count(exports: Exports) -> None:
    void, graph = exports.void, exports.graph
    instances = Counter(cls for _, cls in set(graph.subject_objects(RDF.type)))
    assert len(list(void.objects(DATASET, VOID.classPartition))) == len(instances)
    company = partition(void, VOID.classPartition, VOID["class"], KG.Company)
    assert count(void, company, VOID.entities) == instances[KG.Company] >= 2
    assert company == URIRef(f"{DATASET}/class/kg-Company")


def test_every_property_has_a_partition_with_its_triple_count(exports: Exports) -> None:
    void, graph = exports.void, exports.graph
    evidence = partition(void, VOID.propertyPartition, VOID.property, KG.evidence)
    assert count(void, evidence, VOID.triples) == len(list(graph.triples((None, KG.evidence, None)))) > 10


def test_identity_licence_version_and_sources(exports: Exports) -> None:
    void, graph = exports.void, exports.graph
    assert (DATASET, RDF.type, VOID.Dataset) in void and (DATASET, RDF.type, DCAT.Dataset) in void
    assert void.value(DATASET, DCTERMS.license) == CC_BY_4
    ontology_version = graph.value(URIRef("https://w3id.org/kg/ontology"), OWL.versionInfo)
    assert void.value(DATASET, OWL.versionInfo) == Literal(str(ontology_version))
    assert "provenance-first" in str(void.value(DATASET, DCTERMS.title))
    assert (DATASET, DCTERMS.source, KGSRC["xiaomi-car-project-2024"]) in void
    assert (DATASET, PROV.wasDerivedFrom, KGSRC["xiaomi-car-project-2024"]) in void
    assert (DATASET, VOID.vocabulary, URIRef(str(KG))) in void


def test_no_time_of_building_is_recorded(exports: Exports) -> None:
    datatypes = {o.datatype for o in exports.void.objects() if isinstance(o, Literal)}
    assert not datatypes & {XSD.dateTime, XSD.date, XSD.dateTimeStamp}
    for prop in (DCTERMS.modified, DCTERMS.issued, DCTERMS.created, DCTERMS.date):
        assert (None, prop, None) not in exports.void


def test_subsets_are_the_named_graphs_with_their_sizes(exports: Exports) -> None:
    void = exports.void
    sizes = {g.identifier: len(g) for g in named_graphs(exports.dataset) if g.identifier != VOID_GRAPH}
    assert set(void.objects(DATASET, VOID.subset)) == set(sizes)
    for name, size in sizes.items():
        assert count(void, name, VOID.triples) == size
    source_graph = URIRef("https://w3id.org/kg/graph/source/xiaomi-car-project-2024")
    assert void.value(source_graph, DCTERMS.source) == KGSRC["xiaomi-car-project-2024"]


def test_every_bundle_file_is_a_distribution(exports: Exports) -> None:
    void = exports.void
    titles = {str(void.value(d, DCTERMS.title)) for d in void.objects(DATASET, DCAT.distribution)}
    assert {f.name for f in BUNDLE_FILES} | {"void.ttl"} == titles
    turtle = URIRef(f"{DATASET}/distribution/graph.ttl")
    assert void.value(turtle, DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/text/turtle")
    gexf = URIRef(f"{DATASET}/distribution/graph.gexf")
    assert void.value(gexf, DCTERMS["format"]) == Literal("application/gexf+xml")


def test_a_graph_without_an_ontology_still_gets_a_licence_and_counts() -> None:
    graph = Graph()
    graph.add((URIRef("https://w3id.org/kg/id/x"), RDF.type, KG.Company))
    void = describe_dataset(graph)
    assert void.value(DATASET, DCTERMS.license) == CC_BY_4
    assert count(void, DATASET, VOID.triples) == 1
    assert count(void, DATASET, VOID.entities) == 1
    assert (DATASET, OWL.versionInfo, None) not in void


def test_term_slugs_use_prefixes_and_fall_back_to_a_hash() -> None:
    prefixes = {"kg": str(KG)}
    assert term_slug(KG.Company, prefixes) == "kg-Company"
    odd = term_slug(URIRef("http://example.org/a?b=c"), prefixes)
    assert odd.startswith("iri-") and odd == term_slug(URIRef("http://example.org/a?b=c"), prefixes)
