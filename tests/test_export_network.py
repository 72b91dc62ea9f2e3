"""GraphML, GEXF and CSV: the entity network opens in networkx with its labels, classes and claims."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from kg.export.network_formats import EDGE_COLUMNS, NETWORK_FORMATS, NODE_COLUMNS, edges_csv, gexf, graphml, nodes_csv
from kg.rdf.namespaces import KG, KGR
from kg.view.network import Claim, Network, NetworkEdge, NetworkNode, build_network


@pytest.fixture(scope="module")
def network(graph: Graph) -> Network:
    return build_network(graph)


def read(path: Path, data: bytes, reader) -> nx.MultiDiGraph:
    path.write_bytes(data)
    return reader(path)


@pytest.mark.parametrize(("name", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_files_open_in_networkx_with_counts_labels_and_classes(
    name: str, reader, network: Network, tmp_path: Path
) -> None:
    opened = read(tmp_path / f"graph.{name}", NETWORK_FORMATS[name].write(network), reader)
    assert opened.number_of_nodes() == len(network.nodes) > 20
    assert opened.number_of_edges() == len(network.edges) > 20
    assert opened.is_directed() and opened.is_multigraph()
    xiaomi = opened.nodes[str(KGR.xiaomi)]
    assert (xiaomi["label"], xiaomi["class"]) == ("Xiaomi", "Company")
    assert xiaomi["wikidata"] == "http://www.wikidata.org/entity/Q1636958"
    assert all(data["label"] and data["class"] for _, data in opened.nodes(data=True))
    ceo = [
        d for _, t, d in opened.out_edges(str(KGR.xiaomi), data=True) if d["predicate"] == str(KG.chiefExecutiveOfficer)
    ]
    assert len(ceo) == 1
    assert (ceo[0]["label"], ceo[0]["status"], ceo[0]["direct"], ceo[0]["claims"]) == (
        "chief executive officer",
        "stated",
        True,
        1,
    )


def test_parallel_claims_between_two_entities_stay_separate_edges(network: Network, tmp_path: Path) -> None:
    opened = read(tmp_path / "graph.graphml", graphml(network), nx.read_graphml)
    between = opened.get_edge_data(str(KGR.xiaomi), str(KGR["lei-jun"]))
    assert {d["label"] for d in between.values()} >= {"founder", "chairperson", "chief executive officer"}


def test_speculative_claims_are_edges_without_a_direct_edge(network: Network, tmp_path: Path) -> None:
    opened = read(tmp_path / "graph.gexf", gexf(network), nx.read_gexf)
    speculative = [d for _, _, d in opened.edges(data=True) if d["status"] == "speculative"]
    assert speculative and not any(d["direct"] for d in speculative)


def test_gexf_records_no_date_and_no_tool_version(network: Network) -> None:
    data = gexf(network)
    assert b"lastmodifieddate" not in data
    assert b"<creator>kg</creator>" in data
    assert b"NetworkX" not in data


def test_csv_tables_have_one_row_per_node_and_edge(network: Network) -> None:
    nodes = list(csv.DictReader(io.StringIO(nodes_csv(network).decode("utf-8"))))
    edges = list(csv.DictReader(io.StringIO(edges_csv(network).decode("utf-8"))))
    assert tuple(nodes[0]) == NODE_COLUMNS and tuple(edges[0]) == EDGE_COLUMNS
    assert len(nodes) == len(network.nodes) and len(edges) == len(network.edges)
    assert {n["id"] for n in nodes} >= {e["source"] for e in edges} | {e["target"] for e in edges}
    assert {e["direct"] for e in edges} == {"true", "false"}
    assert [e["id"] for e in edges] == [f"e{i}" for i in range(len(edges))]


def test_awkward_text_survives_every_network_format(tmp_path: Path) -> None:
    awkward = 'Comma, "quote" <tag> & new\nline'
    claim = Claim("https://w3id.org/kg/statement/s", "reported", None, None, awkward, None, None, ())
    network = Network(
        nodes={
            "https://w3id.org/kg/id/a": NetworkNode("https://w3id.org/kg/id/a", awkward, "Company", ("Company",)),
            "https://w3id.org/kg/id/b": NetworkNode("https://w3id.org/kg/id/b", "B", "Person", ("Person",)),
        },
        edges=[
            NetworkEdge(
                "https://w3id.org/kg/id/a", "https://w3id.org/kg/id/b", str(KG.founder), awkward, False, [claim]
            )
        ],
    )
    node_row, _ = csv.DictReader(io.StringIO(nodes_csv(network).decode("utf-8")))
    (edge_row,) = csv.DictReader(io.StringIO(edges_csv(network).decode("utf-8")))
    assert node_row["label"] == awkward and node_row["wikidata"] == ""
    assert (edge_row["label"], edge_row["sources"], edge_row["claims"]) == (awkward, "", "1")
    for name, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        opened = read(tmp_path / f"awkward.{name}", NETWORK_FORMATS[name].write(network), reader)
        assert opened.nodes["https://w3id.org/kg/id/a"]["label"] == awkward
        assert opened.nodes["https://w3id.org/kg/id/a"]["wikidata"] == ""
