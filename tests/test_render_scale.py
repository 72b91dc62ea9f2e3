"""The whole-graph view at size: read from the store without an rdflib graph of the files, answering as rdflib
does, and with work that grows in proportion to the graph."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from benchmarks import generate
from rdflib import RDF, Graph

from kg.backends.cache import CacheBackend
from kg.backends.oxigraph import OxigraphBackend
from kg.project import Project, open_project
from kg.rdf.direct import is_admitted
from kg.rdf.load import load_files, load_project
from kg.rdf.summary import entity_classes, most_specific_classes, statement_nodes
from kg.view.looks import standing
from kg.view.network import Claim, build_network, network_of
from kg.view.scope import ViewRequest, view_of
from kg.view.styles import describe_classes
from kg.view.triples import Triples
from kg.view.vis_data import claim_data, without_empty
from support.paths import CURATED, FIXTURES

VIEW_CODE = str(Path(__file__).resolve().parents[1] / "src" / "kg" / "view")


def refuse_rdflib_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any parse of the project's files into rdflib fail the test."""

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the whole view parsed the files into rdflib")

    monkeypatch.setattr("kg.rdf.load.load_files", refused)
    monkeypatch.setattr("kg.backends.cache.load_project", refused)


def test_the_whole_view_of_the_cache_reads_the_store_and_not_the_files(
    tmp_project: Project, graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = build_network(graph)
    refuse_rdflib_load(monkeypatch)
    view = view_of(CacheBackend(tmp_project), ViewRequest())
    assert view.network == expected and len(expected.nodes) > 30 and len(expected.edges) > 40
    assert describe_classes(view.graph) == describe_classes(graph)


def test_the_whole_view_of_a_store_is_the_network_of_its_graph(curated_store: Path, graph: Graph) -> None:
    view = view_of(OxigraphBackend(curated_store), ViewRequest())
    assert view.network == build_network(graph)
    assert describe_classes(view.graph) == describe_classes(graph)


def fixture_graphs(project: Project) -> list[Graph]:
    ontology = project.ontology_files()
    extra = [FIXTURES / "render" / "hostile.ttl", FIXTURES / "render" / "second-source.ttl"]
    return [load_project(project).graph, *(load_files([*ontology, path]).graph for path in extra)]


@pytest.mark.parametrize("which", [0, 1, 2], ids=["curated", "hostile", "second-source"])
def test_the_index_answers_as_rdflib_and_the_direct_rule_do(project: Project, which: int) -> None:
    graph = fixture_graphs(project)[which]
    triples = Triples.of_graph(graph)
    statements = statement_nodes(graph)
    assert triples.statement_nodes() == statements and statements
    assert [triples.admitted(s) for s in statements] == [is_admitted(graph, s) for s in statements]
    classes = entity_classes(graph)
    assert triples.entity_classes == classes
    typed = set(graph.subjects(RDF.type, None))
    assert set(triples.typed()) == typed
    assert all(triples.most_specific_classes(s) == most_specific_classes(graph, s, classes) for s in typed)


def test_claim_data_holds_every_field_of_the_claim(graph: Graph) -> None:
    network = build_network(graph)
    claims = [c for e in network.edges for c in e.claims] + [f.claim for n in network.nodes.values() for f in n.facts]

    def deep_copied(claim: Claim) -> dict[str, Any]:  # what the page carried when claim_data used asdict
        data = {**asdict(claim), "standing": standing(claim)}
        data["axes"] = without_empty(data["axes"])
        return without_empty(data)

    assert claims and all(claim_data(c) == deep_copied(c) for c in claims)


def traced_lines(triples: Triples) -> int:
    """How many lines of kg.view's code building the network runs: a count of its work that does not depend
    on the machine, its load or the clock."""
    count = 0

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if not frame.f_code.co_filename.startswith(VIEW_CODE):
            return None
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        network_of(triples)
    finally:
        sys.settrace(None)
    return count


def test_building_the_network_is_linear_in_the_statements(tmp_path: Path) -> None:
    work = []
    for triples in (6_000, 24_000):
        root = tmp_path / f"project-{triples}"
        generate.generate_project(root, triples, seed=5, repo=CURATED)
        index = Triples.of_graph(load_project(open_project(root)).graph)
        work.append((len(index.statement_nodes()), traced_lines(index)))
    (small, small_work), (large, large_work) = work
    assert large > 3 * small
    # Work per statement stays flat: a lookup that walked all statements for each one would multiply it.
    assert large_work / large < 1.2 * small_work / small
