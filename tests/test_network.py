"""The network view of the graph: entities as nodes, claims as edges with their axes, literal claims as facts."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.rdf.namespaces import AXES, KG, KGR, KGS
from kg.view.axes import Axes, qualified_words
from kg.view.network import Network, NetworkEdge, build_network


@pytest.fixture(scope="module")
def network(graph: Graph) -> Network:
    return build_network(graph)


def edge(network: Network, subject: str, predicate: str, target: str) -> NetworkEdge:
    (found,) = [
        e
        for e in network.edges
        if (e.source, e.predicate, e.target) == (str(KGR[subject]), str(KG[predicate]), str(KGR[target]))
    ]
    return found


def test_every_entity_is_a_node_with_its_most_specific_class(network: Network) -> None:
    assert network.nodes[str(KGR.xiaomi)].cls == "Company"
    assert network.nodes[str(KGR["xiaomi-auto"])].cls == "BusinessUnit"
    assert network.nodes[str(KGR["lei-jun"])].label == "Lei Jun"
    assert network.class_counts()["Person"] == 1


def test_every_claim_carries_every_axis_of_its_statement(network: Network, graph: Graph) -> None:
    claims = [c for e in network.edges for c in e.claims] + [f.claim for n in network.nodes.values() for f in n.facts]
    assert len(claims) == len({c.statement for c in claims}) > 50
    for claim in claims:
        for axis, values in AXES.items():
            given = [str(v) for v in graph.objects(KGS[claim.statement.rsplit("/", 1)[1]], KG[axis])]
            assert getattr(claim.axes, axis) == (given[0].rsplit("#", 1)[1] if given else ""), (claim, axis)
            assert getattr(claim.axes, axis) in (*values, "")
        assert claim.axes.attribution and claim.axes.timing and claim.axes.likelihood and claim.axes.rank
        assert bool(claim.axes.outcome) or claim.axes.timing == "factual"


def test_a_claim_is_direct_exactly_when_it_gives_the_edge(network: Network, graph: Graph) -> None:
    backed = [e for e in network.edges if e.claims]
    assert all(e.direct == any(c.direct for c in e.claims) for e in backed)
    assert all((e.direct and e.leading is not None and e.leading.direct) or not e.direct for e in backed)


def test_possible_features_are_edges_without_a_direct_edge(network: Network) -> None:
    for target, hedge in (("lidar-sensor", "may be"), ("self-propelled-functions", "points to")):
        feature = edge(network, "xiaomi-first-car", "hasFeature", target)
        assert (feature.direct, feature.hidden_group) == (False, None)  # shown, but not as a fact
        (claim,) = feature.claims
        assert (claim.axes.likelihood, claim.hedge, claim.direct) == ("possible", hedge, False)


def test_the_borgward_reuse_is_an_unlikely_event_hidden_by_default(network: Network) -> None:
    about = edge(network, "borgward-name-reuse", "about", "borgward")
    (claim,) = about.claims
    assert (claim.axes.likelihood, claim.axes.timing, claim.hedge) == ("unlikely", "prospective", "it is unlikely that")
    assert (about.direct, about.hidden_group) == (False, "doubted")
    assert not [e for e in network.edges if e.predicate == str(KG.usesBrand)]


def test_the_2022_prototype_presentation_is_a_plan_that_did_not_happen(network: Network) -> None:
    event = str(KGR["prototype-presentation"])
    edges = [e for e in network.edges if event in (e.source, e.target)]
    assert len(edges) == 2
    for found in edges:
        assert (found.direct, found.hidden_group) == (False, "failed")
        assert {c.axes.outcome for c in found.claims} == {"didNotHappen"}


def test_the_sedan_in_the_beijing_factory_is_the_curators_inference(network: Network) -> None:
    plant = edge(network, "xiaomi-first-car", "assemblyPlant", "xiaomi-auto-factory")
    (claim,) = plant.claims
    assert (claim.axes.attribution, claim.direct, plant.direct) == ("curatorInference", False, False)
    assert claim.note and "no other plant" in claim.note


def test_an_edge_is_drawn_by_its_firmest_claim(network: Network) -> None:
    sedan = edge(network, "xiaomi-first-car", "bodyStyle", "sedan")
    assert sorted(c.axes.attribution for c in sedan.claims) == ["attributed", "ownVoice"]
    assert sedan.leading is not None and sedan.leading.statement == str(KGS["first-car-sedan"])
    spy = next(c for c in sedan.claims if c.axes.attribution == "attributed")
    assert spy.attributed_to == "Spy photos of Xiaomi's first car on Weibo"


def test_an_edge_is_hidden_only_when_every_claim_is() -> None:
    unlikely = Axes("ownVoice", "factual", "", "unlikely", "affirmed", "normalRank")
    certain = Axes("ownVoice", "factual", "", "certain", "affirmed", "normalRank")
    assert unlikely.hidden_group == "doubted" and certain.hidden_group is None
    assert Axes(polarity="negated").hidden_group == "doubted"
    assert Axes(outcome="cancelled").hidden_group == "failed"
    assert Axes(rank="deprecatedRank").hidden_group == "deprecated"
    assert qualified_words(certain, None, direct=True) == []
    assert qualified_words(certain, None, direct=False) == ["outranked"]
    assert qualified_words(Axes("attributed", "prospective", "happened", "likely"), "Lei Jun", True) == [
        "per Lei Jun",
        "planned",
        "happened",
        "likely",
    ]


def test_quantities_and_periods_become_worded_facts(network: Network) -> None:
    car = {f.label: f.value for f in network.nodes[str(KGR["xiaomi-first-car"])].facts}
    assert car["price"] == "40,000 to 50,000 EUR"
    team = {f.label: f.value for f in network.nodes[str(KGR["xiaomi-auto"])].facts}
    assert team["research team size"] == "more than 2,300 people"
    start = {f.label: f.value for f in network.nodes[str(KGR["mass-production-start"])].facts}
    assert start["date"] == "between 2024-01 (month) and 2024-06 (month)"


def test_qualifiers_travel_with_the_claim(network: Network) -> None:
    (owns,) = [e for e in network.edges if e.predicate == str(KG.owns)]
    assert ("start date", "2022-11 (month)") in owns.claims[0].qualifiers
    (time_share,) = [e for e in network.edges if e.predicate == str(KG.devotesTimeTo)]
    assert ("quantity", "50 percent") in time_share.claims[0].qualifiers


def test_network_is_the_same_for_the_same_graph(graph: Graph, network: Network) -> None:
    assert build_network(Graph() + graph) == network
