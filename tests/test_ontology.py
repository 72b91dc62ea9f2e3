"""The ontology is self-describing: a proper header, and a label and comment on every term."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, XSD, Graph, Namespace, URIRef
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


ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")


def test_posts_memberships_and_roles_follow_w3c_org(repo_project: Project) -> None:
    graph = ontology(repo_project)
    for ours, theirs in ((KG.Post, ORG.Post), (KG.Membership, ORG.Membership), (KG.Role, ORG.Role)):
        assert (ours, RDFS.subClassOf, theirs) in graph
    for ours, theirs in ((KG.postIn, ORG.postIn), (KG.heldBy, ORG.heldBy), (KG.role, ORG.role)):
        assert (ours, RDFS.subPropertyOf, theirs) in graph
    assert (KG.member, RDFS.subPropertyOf, ORG.member) in graph
    assert (KG.memberOrganization, RDFS.subPropertyOf, ORG.organization) in graph
    for claim in (KG.postIn, KG.heldBy, KG.member, KG.memberOrganization):
        assert (claim, RDF.type, KG.ClaimProperty) in graph, claim
    # The post's kind is part of what it is, not a claim; every role is in the scheme, and the shortcuts
    # (kg:chiefExecutiveOfficer, kg:chairperson) are named from the roles they stand for.
    assert (KG.role, RDF.type, KG.ClaimProperty) not in graph
    roles = set(graph.subjects(RDF.type, KG.Role))
    assert roles == set(graph.objects(KG.roleScheme, SKOS.hasTopConcept))
    shortcuts = {graph.value(role, KG.shortcutProperty) for role in roles} - {None}
    assert shortcuts == {KG.chiefExecutiveOfficer, KG.chairperson}
    assert all((s, RDF.type, KG.ClaimProperty) in graph for s in shortcuts)


def test_an_event_has_a_place_and_a_launch_is_an_event(repo_project: Project) -> None:
    graph = ontology(repo_project)
    assert (KG.eventLocation, OWL.equivalentProperty, WDT.P276) in graph
    assert (KG.eventLocation, RDFS.domain, KG.Event) in graph
    assert (KG.eventLocation, RDFS.range, KG.Place) in graph
    assert (KG.eventLocation, RDF.type, KG.ClaimProperty) in graph
    assert (KG.MarketLaunch, RDFS.subClassOf, KG.Event) in graph
    assert (KG.Project, RDFS.subClassOf, KG.Event) in graph


def test_a_name_is_a_sourced_claim_with_a_language(repo_project: Project) -> None:
    graph = ontology(repo_project)
    assert {(KG.name, RDF.type, t) for t in (OWL.DatatypeProperty, KG.ClaimProperty)} <= set(graph)
    assert (KG.name, RDFS.subPropertyOf, SCHEMA.name) in graph
    assert (KG.name, RDFS.range, RDF.PlainLiteral) in graph


def test_a_condition_qualifies_a_statement_and_is_no_claim(repo_project: Project) -> None:
    graph = ontology(repo_project)
    assert (KG.condition, RDFS.domain, KG.Statement) in graph
    assert (KG.condition, RDF.type, KG.ClaimProperty) not in graph


def test_every_external_term_the_ontology_builds_on_is_declared(repo_project: Project) -> None:
    """OWL 2 DL wants each class and property declared where it is used: the declarations section holds them."""
    graph = ontology(repo_project)
    links = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentProperty, RDFS.domain, RDFS.range)
    used = {o for link in links for o in graph.objects(None, link) if isinstance(o, URIRef)}
    external = {t for t in used if not t.startswith(str(KG)) and t != RDF.PlainLiteral and not t.startswith(str(XSD))}
    undeclared = sorted(t for t in external if graph.value(t, RDF.type) is None)
    assert undeclared == []
