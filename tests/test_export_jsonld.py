"""JSON-LD: the project's context embedded, short keys, the same graph back, nothing fetched."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import OWL, RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.errors import InputError
from kg.export.bundle import BundleExports
from kg.project import CONTEXT_FILE, Project
from kg.rdf.formats import jsonld_remote_references
from kg.rdf.jsonld import load_context
from kg.rdf.namespaces import KG
from kg.rdf.write import serialize
from support.paths import REPO


@pytest.fixture(scope="module")
def exports(curated_exports: BundleExports) -> BundleExports:
    return curated_exports


@pytest.fixture(scope="module")
def document(exports: BundleExports) -> dict:
    return json.loads(exports.render("jsonld"))


@pytest.fixture(scope="module")
def context(project: Project) -> dict:
    found = load_context(project.ontology_dir / CONTEXT_FILE)
    assert found is not None
    return found


def nodes(document: dict) -> dict[str, dict]:
    """Every node object of every named graph, by id."""
    return {node["id"]: node for graph in document["@graph"] for node in graph.get("@graph", [])}


def test_export_embeds_the_project_context_and_refers_to_nothing_remote(document: dict, context: dict) -> None:
    assert document["@context"] == context
    assert jsonld_remote_references(document) == []


def test_statements_read_with_short_keys(document: dict) -> None:
    ceo = nodes(document)["kgs:xiaomi-ceo"]
    assert ceo["type"] == "RelationStatement"
    assert ceo["subject"] == "kgr:xiaomi"
    assert ceo["object"] == "kgr:lei-jun"
    assert (ceo["attribution"], ceo["timing"], ceo["likelihood"]) == ("ownVoice", "factual", "certain")
    assert (ceo["polarity"], ceo["rank"]) == ("affirmed", "normalRank")
    assert ceo["source"] == "kgsrc:xiaomi-car-project-2024"
    assert ceo["evidence"] == "Xiaomi founder, chairman and CEO Lei Jun"
    xiaomi = nodes(document)["kgr:xiaomi"]
    assert xiaomi["label"] == "Xiaomi"
    assert xiaomi["wikidataEntity"] == "wd:Q1636958"


def test_named_graphs_are_top_level_graph_objects(document: dict, exports: BundleExports) -> None:
    names = [graph["id"] for graph in document["@graph"]]
    assert names == sorted(names)
    assert "kgg:ontology" in names and "https://w3id.org/kg/graph/source/xiaomi-car-project-2024" in names


def expand(context: dict, value: str) -> str:
    prefix, _, local = value.partition(":")
    return context[prefix] + local if isinstance(context.get(prefix), str) and local else value


def kg_terms(ontology: Graph) -> set[URIRef]:
    """The ontology's classes and properties, and the values of its controlled lists: units, roles, and each
    axis's values (the instances of kg:Axis's subclasses)."""
    axes = set(ontology.subjects(RDFS.subClassOf, KG.Axis))
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, KG.Unit, KG.Role, *axes)
    return {t for kind in kinds for t in ontology.subjects(RDF.type, kind) if str(t).startswith(str(KG))}


def test_context_has_a_term_for_every_kg_term_and_no_stray_ones(context: dict, exports: BundleExports) -> None:
    terms = {
        expand(context, v if isinstance(v, str) else v["@id"]): k
        for k, v in context.items()
        if not k.startswith("@") and (not isinstance(v, str) or not v.endswith(("/", "#")))
    }
    ontology_terms = kg_terms(exports.graph)
    missing = sorted(str(t) for t in ontology_terms if str(t) not in terms)
    assert missing == [], f"add these to ontology/{CONTEXT_FILE}"
    stray = sorted(iri for iri in terms if iri.startswith(str(KG)) and URIRef(iri) not in ontology_terms)
    assert stray == [], "these terms name nothing in the ontology"


def test_context_coerces_every_object_property_to_iris(context: dict, exports: BundleExports) -> None:
    for prop in kg_terms(exports.graph) & set(exports.graph.subjects(RDF.type, OWL.ObjectProperty)):
        definition = context[str(prop).rsplit("#", 1)[1]]
        assert definition.get("@type") in ("@id", "@vocab"), prop


def test_language_defaults_never_change_a_literal() -> None:
    # "label" defaults to English; untagged and other-language labels must come back as they were.
    graph = Graph()
    thing = URIRef("https://w3id.org/kg/id/thing")
    for label in (Literal("English", lang="en"), Literal("untagged"), Literal("小米", lang="zh")):
        graph.add((thing, RDFS.label, label))
    graph.add((thing, KG.evidence, Literal("a quote", lang="en")))
    graph.add((thing, KG.date, Literal("2024-01", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYearMonth"))))
    context = load_context(REPO / "ontology" / CONTEXT_FILE)
    data = serialize(graph, "jsonld", context=context)
    assert isomorphic(Graph().parse(data=data, format="json-ld"), graph)
    assert len(list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.JSON_LD))) == len(graph)


def test_without_a_project_context_the_prefixes_make_one(exports: BundleExports) -> None:
    data = serialize(exports.graph, "jsonld")
    document = json.loads(data)
    assert document["@context"]["kg"] == str(KG)
    back = Dataset()
    back.parse(data=data, format="json-ld")
    assert isomorphic(back.default_graph, exports.graph)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"@context": "http://127.0.0.1:9/context.jsonld"}', 'expected an object {"@context": {...}}'),
        ('{"@context": {"@import": "http://127.0.0.1:9/x"}}', "refers to another document"),
        (
            '{"@context": {"a": {"@id": "http://x/a", "@context": "http://127.0.0.1:9/x"}}}',
            "refers to another document",
        ),
        ('{"@context": {"a": "http://x/a",}}', "invalid JSON"),
        ("[]", 'expected an object {"@context": {...}}'),
    ],
)
def test_a_context_file_must_be_local_and_well_formed(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / CONTEXT_FILE
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_context(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_missing_context_file_means_none(tmp_path: Path) -> None:
    assert load_context(tmp_path / CONTEXT_FILE) is None


def test_remote_references_are_found_wherever_they_hide() -> None:
    assert jsonld_remote_references({"@context": "http://x/c"}) == ['"http://x/c"']
    assert jsonld_remote_references({"@context": [{"a": "http://x/a"}, "http://x/c"]}) == ['"http://x/c"']
    assert jsonld_remote_references({"@graph": [{"@context": {"@import": "c.jsonld"}}]}) == ['"c.jsonld"']
    assert jsonld_remote_references({"@context": {"a": "http://x/a"}, "@graph": []}) == []
