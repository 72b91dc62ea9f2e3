"""The network view of the graph: entities as nodes, claims as edges, literal claims as facts."""

from __future__ import annotations

from rdflib import Graph

from kg.rdf.namespaces import KG, KGR
from kg.view.network import build_network


def test_every_entity_is_a_node_with_its_most_specific_class(graph: Graph) -> None:
    network = build_network(graph)
    assert network.nodes[str(KGR.xiaomi)].cls == "Company"
    assert network.nodes[str(KGR["xiaomi-auto"])].cls == "BusinessUnit"
    assert network.nodes[str(KGR["lei-jun"])].label == "Lei Jun"
    assert network.class_counts()["Person"] == 1


def test_speculative_claims_are_edges_without_a_direct_edge(graph: Graph) -> None:
    network = build_network(graph)
    lidar = [e for e in network.edges if e.target == str(KGR["lidar-sensor"])]
    assert len(lidar) == 1
    assert (lidar[0].status, lidar[0].direct) == ("speculative", False)
    assert lidar[0].claims[0].hedge == "may be"


def test_edge_status_is_the_firmest_of_its_claims(graph: Graph) -> None:
    network = build_network(graph)
    (sedan,) = [e for e in network.edges if e.predicate == str(KG.bodyStyle)]
    assert sorted(c.status for c in sedan.claims) == ["reported", "stated"]
    assert sedan.status == "stated"


def test_quantities_and_periods_become_worded_facts(graph: Graph) -> None:
    network = build_network(graph)
    car = {f.label: f.value for f in network.nodes[str(KGR["xiaomi-first-car"])].facts}
    assert car["price"] == "40,000 to 50,000 EUR"
    team = {f.label: f.value for f in network.nodes[str(KGR["xiaomi-auto"])].facts}
    assert team["research team size"] == "more than 2,300 people"
    start = {f.label: f.value for f in network.nodes[str(KGR["mass-production-start"])].facts}
    assert start["date"] == "between 2024-01 (month) and 2024-06 (month)"


def test_qualifiers_travel_with_the_claim(graph: Graph) -> None:
    network = build_network(graph)
    (owns,) = [e for e in network.edges if e.predicate == str(KG.owns)]
    assert ("start date", "2022-11 (month)") in owns.claims[0].qualifiers
    (time_share,) = [e for e in network.edges if e.predicate == str(KG.devotesTimeTo)]
    assert ("quantity", "50 percent") in time_share.claims[0].qualifiers


def test_network_is_the_same_for_the_same_graph(graph: Graph) -> None:
    assert build_network(graph) == build_network(Graph() + graph)
