"""The named-graph split: each source's facts apart, nothing lost, blank nodes kept with their owners."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef

from kg.project import Project
from kg.rdf.load import LoadedGraph, load_files, load_project
from kg.rdf.namespaces import KG, KGR, KGS, KGSRC
from kg.rdf.publication import split_into_named_graphs
from kg.rdf.split import (
    ENTITIES_GRAPH,
    KGG,
    ONTOLOGY_GRAPH,
    SOURCES_GRAPH,
    UNSOURCED_GRAPH,
    VOID_GRAPH,
    source_graph_name,
)
from kg.rdf.write import named_graphs, union_graph

SOURCE_GRAPH = KGG["source/xiaomi-car-project-2024"]


@pytest.fixture(scope="module")
def loaded(project: Project) -> LoadedGraph:
    return load_project(project)


@pytest.fixture(scope="module")
def dataset(loaded: LoadedGraph, project: Project) -> Dataset:
    return split_into_named_graphs(loaded, project.ontology_files())


def graph_named(dataset: Dataset, name: URIRef) -> Graph:
    return next(g for g in named_graphs(dataset) if g.identifier == name)


def homes(dataset: Dataset, triple: tuple) -> set[URIRef]:
    return {g.identifier for g in named_graphs(dataset) if triple in g}


def test_union_of_the_named_graphs_is_the_merged_graph(dataset: Dataset, loaded: LoadedGraph) -> None:
    assert set(union_graph(dataset)) == set(loaded.graph)
    assert len(dataset.default_graph) == 0


def test_the_graphs_are_the_documented_ones(dataset: Dataset) -> None:
    assert [g.identifier for g in named_graphs(dataset)] == [
        ENTITIES_GRAPH,
        ONTOLOGY_GRAPH,
        SOURCE_GRAPH,
        SOURCES_GRAPH,
    ]


def test_a_statement_and_the_direct_edge_it_backs_live_in_its_source_graph(dataset: Dataset) -> None:
    statement = graph_named(dataset, SOURCE_GRAPH)
    assert (KGS["xiaomi-ceo"], KG.likelihood, KG.certain) in statement
    assert (KGR.xiaomi, KG.chiefExecutiveOfficer, KGR["lei-jun"]) in statement
    assert homes(dataset, (KGS["xiaomi-ceo"], KG.evidence, None)) == {SOURCE_GRAPH}
    assert homes(dataset, (KGR.xiaomi, KG.chiefExecutiveOfficer, KGR["lei-jun"])) == {SOURCE_GRAPH}


def test_terms_sources_and_entity_descriptions_have_their_own_graphs(dataset: Dataset) -> None:
    assert homes(dataset, (KG.Company, RDF.type, OWL.Class)) == {ONTOLOGY_GRAPH}
    assert homes(dataset, (KG.certain, RDF.type, KG.Likelihood)) == {ONTOLOGY_GRAPH}
    assert homes(dataset, (KGSRC["xiaomi-car-project-2024"], RDF.type, KG.SourceDocument)) == {SOURCES_GRAPH}
    assert homes(dataset, (KGR.xiaomi, RDFS.label, Literal("Xiaomi", lang="en"))) == {ENTITIES_GRAPH}
    assert homes(dataset, (KGR.xiaomi, RDF.type, KG.Company)) == {ENTITIES_GRAPH}


def test_the_void_description_gets_its_own_graph(loaded: LoadedGraph, project: Project) -> None:
    void = Graph()
    void.add((URIRef("https://w3id.org/kg/dataset"), RDF.type, URIRef("http://rdfs.org/ns/void#Dataset")))
    dataset = split_into_named_graphs(loaded, project.ontology_files(), void)
    assert set(graph_named(dataset, VOID_GRAPH)) == set(void)
    assert set(union_graph(dataset)) == set(loaded.graph) | set(void)


SECOND_SOURCE = """
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix kgr: <https://w3id.org/kg/id/> .
@prefix kgs: <https://w3id.org/kg/statement/> .
@prefix kgsrc: <https://w3id.org/kg/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

kgsrc:second-article a kg:SourceDocument ; rdfs:label "A second article"@en .

kgs:second-xiaomi-ceo a kg:RelationStatement ;
    kg:subject kgr:xiaomi ; kg:predicate kg:chiefExecutiveOfficer ; kg:object kgr:lei-jun ;
    kg:attribution kg:ownVoice ; kg:timing kg:factual ;
    kg:likelihood kg:certain ; kg:polarity kg:affirmed ; kg:rank kg:normalRank ;
    kg:source kgsrc:second-article ;
    kg:evidence "Lei Jun, Xiaomi's CEO"@en ;
    rdfs:seeAlso [ rdfs:label "a note on the quote" ; rdfs:seeAlso [ rdfs:label "nested" ] ] .

kgs:orphan a kg:RelationStatement ;
    kg:subject kgr:xiaomi ; kg:predicate kg:owns ; kg:object kgr:bmw ;
    kg:attribution kg:ownVoice ; kg:timing kg:factual ;
    kg:likelihood kg:certain ; kg:polarity kg:affirmed ; kg:rank kg:normalRank .

kgr:xiaomi kg:usesBrand kgr:borgward .
[] rdfs:label "about nothing of ours" .
"""


@pytest.fixture
def two_sources(project: Project, tmp_path: Path) -> Dataset:
    extra = tmp_path / "second.ttl"
    extra.write_text(SECOND_SOURCE, encoding="utf-8")
    return split_into_named_graphs(load_project(project, [extra]), project.ontology_files())


def test_an_edge_two_sources_back_is_in_both_and_survives_dropping_one(two_sources: Dataset) -> None:
    edge = (KGR.xiaomi, KG.chiefExecutiveOfficer, KGR["lei-jun"])
    second = source_graph_name(KGSRC["second-article"])
    assert homes(two_sources, edge) == {SOURCE_GRAPH, second}
    two_sources.remove_graph(two_sources.graph(second))
    assert edge in union_graph(two_sources)
    assert (KGS["second-xiaomi-ceo"], None, None) not in union_graph(two_sources)


def test_blank_nodes_follow_the_triples_that_point_at_them(two_sources: Dataset) -> None:
    second = graph_named(two_sources, source_graph_name(KGSRC["second-article"]))
    (note,) = second.objects(KGS["second-xiaomi-ceo"], RDFS.seeAlso)
    (nested,) = second.objects(note, RDFS.seeAlso)
    assert isinstance(note, BNode) and isinstance(nested, BNode)
    assert (nested, RDFS.label, Literal("nested")) in second
    assert homes(two_sources, (None, RDFS.label, Literal("about nothing of ours"))) == {ENTITIES_GRAPH}


def test_unsourced_statements_and_unbacked_edges_are_kept_not_lost(two_sources: Dataset) -> None:
    assert homes(two_sources, (KGS.orphan, KG.predicate, KG.owns)) == {UNSOURCED_GRAPH}
    # the orphan statement has no source, so the edge it describes has no source graph either
    assert homes(two_sources, (KGR.xiaomi, KG.usesBrand, KGR.borgward)) == {ENTITIES_GRAPH}


def test_ontology_blank_nodes_stay_in_the_ontology_graph(tmp_path: Path) -> None:
    ontology = tmp_path / "onto.ttl"
    ontology.write_text(
        """
        @prefix kg: <https://w3id.org/kg/ontology#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        kg:A a owl:Class ; rdfs:subClassOf [ a owl:Restriction ; owl:onProperty kg:p ; owl:someValuesFrom kg:B ] .
        [] a owl:AllDisjointClasses ; owl:members ( kg:A kg:B ) .
        """,
        encoding="utf-8",
    )
    loaded = load_files([ontology])
    dataset = split_into_named_graphs(loaded, [ontology])
    assert [g.identifier for g in named_graphs(dataset)] == [ONTOLOGY_GRAPH]
    assert len(graph_named(dataset, ONTOLOGY_GRAPH)) == len(loaded.graph)


def test_source_graph_names_are_readable_and_stable() -> None:
    assert source_graph_name(KGSRC["xiaomi-car-project-2024"]) == SOURCE_GRAPH
    odd = source_graph_name(URIRef("http://example.org/a source?x=1"))
    assert odd == source_graph_name(URIRef("http://example.org/a source?x=1"))
    assert str(odd).startswith(str(KGG["source/iri-"]))
