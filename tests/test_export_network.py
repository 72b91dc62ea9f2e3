"""GraphML, GEXF and CSV: the entity network opens in networkx with its labels, classes and claims, and every
edge carries its statement's axes, hedge and source."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from kg.export.network_formats import EDGE_COLUMNS, NETWORK_FORMATS, NODE_COLUMNS, edges_csv, gexf, graphml, nodes_csv
from kg.rdf.namespaces import AXES, KG, KGR, KGS, KGSRC
from kg.view.axes import Axes
from kg.view.network import Claim, Network, NetworkEdge, NetworkNode, build_network


@pytest.fixture(scope="module")
def network(graph: Graph) -> Network:
    return build_network(graph)


def read(path: Path, data: bytes, reader) -> nx.MultiDiGraph:
    path.write_bytes(data)
    return reader(path)


def claim_count(network: Network) -> int:
    """Edges in the files: one per statement, and one for each edge no statement backs."""
    return sum(max(len(e.claims), 1) for e in network.edges)


@pytest.mark.parametrize(("name", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_files_open_in_networkx_with_counts_labels_and_classes(
    name: str, reader, network: Network, tmp_path: Path
) -> None:
    opened = read(tmp_path / f"graph.{name}", NETWORK_FORMATS[name].write(network), reader)
    assert opened.number_of_nodes() == len(network.nodes) > 20
    assert opened.number_of_edges() == claim_count(network) > len(network.edges) > 20
    assert opened.is_directed() and opened.is_multigraph()
    xiaomi = opened.nodes[str(KGR.xiaomi)]
    assert (xiaomi["label"], xiaomi["class"]) == ("Xiaomi", "Company")
    assert xiaomi["wikidata"] == "http://www.wikidata.org/entity/Q1636958"
    assert all(data["label"] and data["class"] for _, data in opened.nodes(data=True))
    ceo = [
        d for _, t, d in opened.out_edges(str(KGR.xiaomi), data=True) if d["predicate"] == str(KG.chiefExecutiveOfficer)
    ]
    assert len(ceo) == 1
    assert (ceo[0]["label"], ceo[0]["standing"], ceo[0]["direct"], ceo[0]["backs_direct"]) == (
        "chief executive officer",
        "current",
        True,
        True,
    )
    assert ceo[0]["backed_by"] == ceo[0]["statement"] == str(KGS["xiaomi-ceo"])
    assert ceo[0]["document_label"] == "Article on Xiaomi's first electric car, after Cnevpost"


@pytest.mark.parametrize(("name", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_every_edge_carries_every_axis_the_hedge_and_the_source(
    name: str, reader, network: Network, tmp_path: Path
) -> None:
    opened = read(tmp_path / f"graph.{name}", NETWORK_FORMATS[name].write(network), reader)
    edges = [d for _, _, d in opened.edges(data=True)]
    for data in edges:
        assert {*AXES, "standing", "hedge", "document", "statement", "backed_by", "backs_direct"} <= data.keys()
        assert all(data[axis] in (*AXES[axis], "none") for axis in AXES), data
        assert data["document"] == str(KGSRC["xiaomi-car-project-2024"])
    assert {d["standing"] for d in edges} >= {"current", "attributed", "possible", "unlikely", "failed", "inference"}
    by_statement = {d["statement"]: d for d in edges}
    lidar = by_statement[str(KGS["first-car-lidar"])]
    assert (lidar["likelihood"], lidar["hedge"], lidar["direct"], lidar["standing"]) == (
        "possible",
        "may be",
        False,
        "possible",
    )
    borgward = by_statement[str(KGS["borgward-name-reuse-about"])]
    assert (borgward["likelihood"], borgward["timing"], borgward["outcome"]) == (
        "unlikely",
        "prospective",
        "outcomeUnknown",
    )
    assert (borgward["hedge"], borgward["direct"], borgward["backed_by"]) == ("it is unlikely that", False, "")
    prototype = by_statement[str(KGS["prototype-presentation-by"])]
    assert (prototype["outcome"], prototype["standing"], prototype["direct"]) == ("didNotHappen", "failed", False)
    plant = by_statement[str(KGS["first-car-plant"])]
    assert (plant["attribution"], plant["standing"], plant["backs_direct"]) == ("curatorInference", "inference", False)
    spy = by_statement[str(KGS["first-car-sedan-spy-photos"])]
    assert (spy["attribution"], spy["attributed_to"]) == ("attributed", "Spy photos of Xiaomi's first car on Weibo")
    # The sedan has two statements: two parallel edges, and the direct edge names the one that gives it.
    assert (spy["direct"], spy["backs_direct"], spy["backed_by"]) == (True, True, " ".join(sorted(
        [str(KGS["first-car-sedan"]), str(KGS["first-car-sedan-spy-photos"])])))  # fmt: skip
    factual = by_statement[str(KGS["xiaomi-owns-foton"])]
    assert (factual["timing"], factual["outcome"], factual["rank"]) == ("factual", "none", "normalRank")


def test_parallel_claims_between_two_entities_stay_separate_edges(network: Network, tmp_path: Path) -> None:
    opened = read(tmp_path / "graph.graphml", graphml(network), nx.read_graphml)
    between = opened.get_edge_data(str(KGR.xiaomi), str(KGR["lei-jun"]))
    assert {d["label"] for d in between.values()} >= {"founder", "chairperson", "chief executive officer"}


def test_gexf_records_no_date_and_no_tool_version(network: Network) -> None:
    data = gexf(network)
    assert b"lastmodifieddate" not in data
    assert b"<creator>kg</creator>" in data
    assert b"NetworkX" not in data


def test_csv_tables_have_one_row_per_node_and_edge(network: Network) -> None:
    nodes = list(csv.DictReader(io.StringIO(nodes_csv(network).decode("utf-8"))))
    edges = list(csv.DictReader(io.StringIO(edges_csv(network).decode("utf-8"))))
    assert tuple(nodes[0]) == NODE_COLUMNS and tuple(edges[0]) == EDGE_COLUMNS
    assert len(nodes) == len(network.nodes) and len(edges) == claim_count(network)
    assert {n["id"] for n in nodes} >= {e["source"] for e in edges} | {e["target"] for e in edges}
    assert {e["direct"] for e in edges} == {"true", "false"}
    assert [e["id"] for e in edges] == [f"e{i}" for i in range(len(edges))]
    assert all(e[axis] for e in edges for axis in AXES) and all(e["standing"] for e in edges)
    (lidar,) = [e for e in edges if e["statement"] == str(KGS["first-car-lidar"])]
    assert (lidar["likelihood"], lidar["hedge"], lidar["backs_direct"]) == ("possible", "may be", "false")


def test_an_edge_no_statement_backs_is_one_unbacked_edge_without_axes() -> None:
    iris = ["https://w3id.org/kg/id/a", "https://w3id.org/kg/id/b"]
    nodes = {iri: NetworkNode(iri, iri[-1], "Company", ("Company",)) for iri in iris}
    network = Network(nodes, [NetworkEdge(iris[0], iris[1], str(KG.owns), "owns", True)])
    (row,) = csv.DictReader(io.StringIO(edges_csv(network).decode("utf-8")))
    assert (row["standing"], row["direct"], row["statement"], row["backed_by"]) == ("unbacked", "true", "", "")
    assert {row[axis] for axis in AXES} == {"none"}


def test_awkward_text_survives_every_network_format(tmp_path: Path) -> None:
    awkward = 'Comma, "quote" <tag> & new\nline'
    claim = Claim(
        "https://w3id.org/kg/statement/s", Axes(attribution="attributed"), None, None, awkward, awkward, None, ()
    )
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
    assert (edge_row["label"], edge_row["document"], edge_row["hedge"]) == (awkward, "", awkward)
    for name, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        opened = read(tmp_path / f"awkward.{name}", NETWORK_FORMATS[name].write(network), reader)
        assert opened.nodes["https://w3id.org/kg/id/a"]["label"] == awkward
        assert opened.nodes["https://w3id.org/kg/id/a"]["wikidata"] == ""
        ((_, _, edge),) = opened.edges(data=True)
        assert (edge["hedge"], edge["attribution"], edge["outcome"]) == (awkward, "attributed", "none")
