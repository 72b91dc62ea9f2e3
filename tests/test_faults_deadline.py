"""CPU-heavy steps of the view run under the time limit (issue 16): building the network and laying it out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kg.guard import limits
from kg.rdf.namespaces import KG
from kg.view.layout import layout
from kg.view.network import build_network
from support.paths import REPO


@pytest.fixture
def tight_deadline() -> Iterator[None]:
    token = limits.set_limits(limits.Limits(timeout=0.005))
    yield
    limits.reset_limits(token)


def many_companies(count: int) -> Graph:
    graph = Graph().parse(REPO / "ontology" / "kg.ttl")
    for number in range(count):
        company = URIRef(f"https://w3id.org/kg/id/company-{number}")
        graph.add((company, RDF.type, KG.Company))
        graph.add((company, RDFS.label, Literal(f"Company {number}", lang="en")))
    return graph


def test_building_a_large_network_stops_at_the_deadline(tight_deadline: None) -> None:
    graph = many_companies(20_000)
    with pytest.raises(limits.LimitExceeded, match="building the network of entities and claims took longer"):
        build_network(graph)


def test_laying_out_a_large_view_stops_at_the_deadline(tight_deadline: None) -> None:
    links = [(n, (n * 7 + 1) % 20_000) for n in range(20_000)]
    with pytest.raises(limits.LimitExceeded, match="laying out the view took longer"):
        layout(20_000, links)


def test_without_a_deadline_the_same_work_completes() -> None:
    network = build_network(many_companies(200))
    assert len(network.nodes) >= 200
    assert len(layout(50, [(n, n + 1) for n in range(49)])) == 50
