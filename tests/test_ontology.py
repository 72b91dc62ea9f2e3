"""The ontology is self-describing: a proper header, and a label and comment on every term."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.project import Project
from kg.rdf.load import parse_file
from kg.rdf.namespaces import KG

ONTOLOGY_IRI = URIRef("https://w3id.org/kg/ontology")


def ontology(repo_project: Project) -> Graph:
    return parse_file(repo_project.ontology_dir / "kg.ttl")


def kg_terms(graph: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef) and s.startswith(str(KG)))


def test_header_has_iri_version_licence_label_comment(repo_project: Project) -> None:
    graph = ontology(repo_project)
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    for prop in (OWL.versionIRI, OWL.versionInfo, DCTERMS.license, RDFS.label, RDFS.comment):
        assert graph.value(ONTOLOGY_IRI, prop) is not None, prop


def test_every_class_and_property_has_english_label_and_comment(repo_project: Project) -> None:
    graph = ontology(repo_project)
    terms = [
        *kg_terms(graph, OWL.Class),
        *kg_terms(graph, OWL.ObjectProperty),
        *kg_terms(graph, OWL.DatatypeProperty),
        *kg_terms(graph, OWL.AnnotationProperty),
    ]
    assert len(terms) > 60
    for term in terms:
        for prop in (RDFS.label, RDFS.comment):
            values = list(graph.objects(term, prop))
            assert values, f"{term} has no {prop}"
            assert all(getattr(v, "language", None) == "en" for v in values), term


def test_classes_align_with_external_vocabularies(repo_project: Project) -> None:
    graph = ontology(repo_project)
    external = ("https://schema.org/", "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#")
    for cls in (KG.Organization, KG.Person, KG.Factory, KG.Event, KG.Statement):
        parents = {str(p) for p in graph.objects(cls, RDFS.subClassOf)}
        assert any(p.startswith(external) for p in parents), cls
    assert (KG.Person, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q5")) in graph
    assert (
        KG.chiefExecutiveOfficer,
        OWL.equivalentProperty,
        URIRef("http://www.wikidata.org/prop/direct/P169"),
    ) in graph


def test_claim_properties_state_domain_and_range(repo_project: Project) -> None:
    graph = ontology(repo_project)
    for prop in graph.subjects(RDF.type, KG.ClaimProperty):
        if (prop, RDF.type, OWL.ObjectProperty) in graph:
            assert graph.value(prop, RDFS.range) is not None, prop


def test_data_uses_only_terms_the_ontology_defines(repo_project: Project, graph: Graph) -> None:
    defined = set(ontology(repo_project).subjects())
    used = {p for p in graph.predicates() if str(p).startswith(str(KG))}
    used |= {o for o in graph.objects(None, RDF.type) if str(o).startswith(str(KG))}
    assert used - defined == set()
