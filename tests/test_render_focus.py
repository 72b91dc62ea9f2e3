"""Choosing what the view shows: an entity's neighbourhood, a CONSTRUCT query's graph, the best-connected part."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDFS, Graph, Literal

from kg.backends.memory import MemoryBackend
from kg.errors import InputError, UsageError
from kg.project import Project
from kg.rdf.namespaces import KG, KGR
from kg.view.axes import Axes
from kg.view.network import Claim, Network, NetworkEdge, NetworkNode, build_network
from kg.view.scope import ViewRequest, view_of
from kg.view.selection import best_connected, focus_on, neighbourhood, resolve_entity

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "render"


@pytest.fixture(scope="module")
def network(graph: Graph) -> Network:
    return build_network(graph)


def labels(network: Network) -> set[str]:
    return {node.label for node in network.nodes.values()}


def test_an_entity_is_named_by_iri_prefixed_name_or_label(network: Network) -> None:
    xiaomi = str(KGR.xiaomi)
    assert resolve_entity(network, xiaomi) == xiaomi
    assert resolve_entity(network, f"<{xiaomi}>") == xiaomi
    assert resolve_entity(network, "kgr:xiaomi") == xiaomi
    assert resolve_entity(network, "  xIAOMI ") == xiaomi
    assert resolve_entity(network, "lei jun") == str(KGR["lei-jun"])


def test_an_unknown_entity_is_a_usage_error(network: Network) -> None:
    with pytest.raises(UsageError, match=r"--focus 'Xiaom' names no entity"):
        resolve_entity(network, "Xiaom")
    with pytest.raises(UsageError, match="--focus needs an entity"):
        resolve_entity(network, " ")


def test_a_shared_label_is_a_usage_error_listing_the_candidates() -> None:
    twins = Network(
        {
            "https://example.org/a": NetworkNode("https://example.org/a", "Apex", "Company", ("Company",)),
            "https://example.org/b": NetworkNode("https://example.org/b", "apex", "Brand", ("Brand",)),
        },
        [],
    )
    with pytest.raises(UsageError) as raised:
        resolve_entity(twins, "APEX")
    assert str(raised.value) == (
        "--focus 'APEX' is the label of 2 entities; give one IRI: https://example.org/a, https://example.org/b"
    )
    assert resolve_entity(twins, "https://example.org/b") == "https://example.org/b"


def test_depth_counts_edges_in_either_direction(network: Network) -> None:
    lei = str(KGR["lei-jun"])
    assert labels(neighbourhood(network, lei, 0)) == {"Lei Jun"}
    near = neighbourhood(network, lei, 1)
    # Lei Jun is the object of Xiaomi's edges and of the appeal's, and the subject of "devotes time to".
    assert labels(near) == {"Lei Jun", "Xiaomi", "Xiaomi Auto", "Lei Jun's call for a freer car-modification culture"}
    assert len(near.edges) == 6  # founder, chairperson, CEO, devotes time to, participant, parent organization
    wider = neighbourhood(network, lei, 2)
    assert {"China", "Foton Motor", "Chinese government"} <= labels(wider)
    assert "Mercedes-Benz" not in labels(wider)
    assert all(e.source in wider.nodes and e.target in wider.nodes for e in wider.edges)


def test_focus_titles_the_view_with_the_entity(network: Network) -> None:
    view = focus_on(network, "kgr:lei-jun", 1)
    assert view.title == "Lei Jun: neighbourhood"
    assert view.note.startswith("Entities within 1 edge of Lei Jun (https://w3id.org/kg/id/lei-jun)")
    with pytest.raises(UsageError, match="--depth must be 0 or more"):
        focus_on(network, "kgr:lei-jun", -1)


def hub_and_leaves() -> Network:
    claim = Claim("https://example.org/s", Axes(), None, None, "q", None, None, (), direct=True)
    iris = ["https://example.org/" + name for name in ("a", "b", "c", "d", "e")]
    nodes = {iri: NetworkNode(iri, iri[-1], "Company", ("Company",)) for iri in iris}
    a, b, c, d, e = iris
    pairs = [(a, b), (a, c), (a, d), (b, c), (d, e)]  # degrees: a 3, b 2, c 2, d 2, e 1
    return Network(nodes, [NetworkEdge(s, t, "https://example.org/p", "p", True, [claim]) for s, t in pairs])


def test_best_connected_keeps_the_highest_degrees_and_breaks_ties_by_iri() -> None:
    trimmed = best_connected(hub_and_leaves(), 3)
    assert list(trimmed.network.nodes) == ["https://example.org/a", "https://example.org/b", "https://example.org/c"]
    assert len(trimmed.network.edges) == 3
    assert (trimmed.left_out_nodes, trimmed.left_out_edges) == (2, 2)
    whole = best_connected(hub_and_leaves(), 5)
    assert (whole.left_out_nodes, len(whole.network.nodes)) == (0, 5)


@pytest.fixture(scope="module")
def in_memory(project: Project) -> MemoryBackend:
    return MemoryBackend.of_project(project)


def query_page(backend: MemoryBackend, text: str, name: str = "q.rq") -> Network:
    return view_of(backend, ViewRequest(query=text, query_name=name)).network


def test_construct_result_keeps_labels_classes_and_provenance(in_memory: MemoryBackend) -> None:
    text = (FIXTURES / "ownership.rq").read_text(encoding="utf-8")
    result = in_memory.construct(text, "ownership.rq")
    assert (KGR.xiaomi, KG.owns, KGR["foton-motor"]) in result
    assert (KGR.xiaomi, RDFS.label, Literal("Xiaomi", lang="en")) not in result  # why the view adds them
    view = query_page(in_memory, text, "ownership.rq")
    assert labels(view) == {"Xiaomi", "Foton Motor", "licence to build cars", "Borgward name rights"}
    assert view.nodes[str(KGR.xiaomi)].cls == "Company"
    (owns,) = [e for e in view.edges if e.predicate == str(KG.owns)]
    assert owns.leading is not None and owns.claims[0].evidence  # backed, not "unbacked"
    # The statement comes with its axes, so the direct-layer rule can be read from the fetched part alone.
    assert owns.claims[0].axes.likelihood == "certain" and owns.claims[0].direct
    assert owns.claims[0].source_label  # the source's title came along too


def test_only_construct_queries_are_accepted(in_memory: MemoryBackend) -> None:
    with pytest.raises(UsageError, match=r"^q.rq: --query takes a CONSTRUCT query, not SELECT$"):
        query_page(in_memory, "SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(UsageError, match=r"not ASK$"):
        query_page(in_memory, "ASK { ?s ?p ?o }")


@pytest.mark.parametrize(
    "query",
    [
        "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "CONSTRUCT { ?s ?p ?o } FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }",
    ],
)
def test_queries_that_would_fetch_are_refused(in_memory: MemoryBackend, query: str) -> None:
    with pytest.raises(InputError, match=r"^q.rq:1:\d+: (FROM|SERVICE) is refused"):
        query_page(in_memory, query)


def test_a_syntax_error_names_file_line_and_column(in_memory: MemoryBackend) -> None:
    with pytest.raises(InputError) as raised:
        query_page(in_memory, "CONSTRUCT { ?s ?p ?o }\nWHERE { ?s ?p }", "broken.rq")
    assert raised.value.path == "broken.rq" and raised.value.line == 2
    assert str(raised.value).startswith("broken.rq:2:")
