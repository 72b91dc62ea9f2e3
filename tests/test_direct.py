"""The direct layer is derived from the statements (kg.rdf.direct), the same way in memory and in a store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal
from rdflib.term import Node

from kg.backends.oxigraph import load_store, open_store
from kg.project import Project
from kg.rdf.convert import from_oxigraph, to_oxigraph
from kg.rdf.direct import DIRECT_EDGES_UPDATE, derive_direct_edges, direct_edges
from kg.rdf.load import load_files, load_project, parse_file
from kg.rdf.namespaces import KG, KGR, KGS, KGSRC
from kg.validate.report import KGSH
from kg.validate.runner import validate

HANDWRITTEN = Path(__file__).resolve().parent / "fixtures" / "handwritten-direct-edges.nt"

Triple = tuple[Node, Node, Node]


def statements_only(project: Project) -> Graph:
    """The curated project as written: ontology, manifest and data, without any derived edge."""
    return load_files(project.graph_files()).graph


def claim_edges(graph: Graph) -> set[Triple]:
    """The triples in ``graph`` that have the shape of a direct edge: a claim property on a non-statement."""
    claim_properties = set(graph.subjects(RDF.type, KG.ClaimProperty))
    return {(s, p, o) for s, p, o in graph if p in claim_properties and (s, KG.subject, None) not in graph}


def test_the_derived_layer_is_exactly_the_one_written_by_hand_before(project: Project) -> None:
    handwritten = set(parse_file(HANDWRITTEN))
    assert len(handwritten) == 46
    written = statements_only(project)
    assert claim_edges(written) == set(), "data/ holds hand-written direct edges again"
    assert set(direct_edges(written)) == handwritten


def test_the_project_loader_adds_the_derived_edges_and_records_them(project: Project) -> None:
    loaded = load_project(project)
    assert (KGR.xiaomi, KG.chiefExecutiveOfficer, KGR["lei-jun"]) in loaded.graph
    assert loaded.derived == set(parse_file(HANDWRITTEN))
    assert derive_direct_edges(loaded.graph) == [], "a second derivation adds nothing"


def test_speculative_and_status_less_statements_and_quantities_give_no_edge(project: Project) -> None:
    graph = load_project(project).graph
    assert (KGR["xiaomi-first-car"], KG.hasFeature, KGR["lidar-sensor"]) not in graph  # "may be"
    assert (KGR.xiaomi, KG.usesBrand, KGR.borgward) not in graph  # "unlikely"
    assert not any(graph.triples((KGR["xiaomi-first-car"], KG.price, None)))  # a quantity statement
    assert not any(graph.triples((KGR["mass-production-start"], KG.date, None)))  # a period statement
    extra = Graph()
    extra.add((KGS.x, KG.subject, KGR.xiaomi))
    extra.add((KGS.x, KG.predicate, KG.country))
    extra.add((KGS.x, KG.object, KGR.beijing))
    assert direct_edges(extra) == [], "a statement without a status backs no edge"
    extra.add((KGS.x, KG.status, KG.planned))
    extra.add((KGS.y, KG.subject, KGR.xiaomi))
    extra.add((KGS.y, KG.predicate, KG.constructionStatus))
    extra.add((KGS.y, KG.value, Literal("open")))
    extra.add((KGS.y, KG.status, KG.stated))
    extra.add((KGS.y, KG.status, KG.speculative))
    assert direct_edges(extra) == [(KGR.xiaomi, KG.country, KGR.beijing)]


def test_the_sparql_rule_derives_what_the_python_rule_derives(project: Project) -> None:
    written = statements_only(project)
    store = ox.Store()
    default = ox.DefaultGraph()
    store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), default) for s, p, o in written)
    store.update(DIRECT_EDGES_UPDATE)
    in_store = {
        (from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object))
        for q in store.quads_for_pattern(None, None, None, default)
    }
    assert in_store - set(written) == set(direct_edges(written))


def test_kg_load_derives_the_direct_layer_into_the_store(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "store"
    report = load_store(path, project.graph_files())
    assert report.triples == len(load_project(project).graph)
    store = open_store(path)
    ceo = ox.Quad(
        ox.NamedNode(str(KGR.xiaomi)),
        ox.NamedNode(str(KG.chiefExecutiveOfficer)),
        ox.NamedNode(str(KGR["lei-jun"])),
        ox.DefaultGraph(),
    )
    assert ceo in store


def test_a_hand_written_edge_that_no_statement_backs_is_still_an_error(tmp_project: Project) -> None:
    extra = tmp_project.data_dir / "entities" / "stray.ttl"
    extra.write_text(
        "@prefix kg: <https://w3id.org/kg/ontology#> .\n@prefix kgr: <https://w3id.org/kg/id/> .\n"
        "kgr:xiaomi kg:headquarters kgr:china .\n",
        encoding="utf-8",
    )
    report = validate(load_project(tmp_project), tmp_project)
    assert (KGR.xiaomi, KGSH["unbacked-direct-edge-violation"]) in {
        (r.focus_node, r.source_shape) for r in report.results
    }


def test_a_source_cited_by_statements_is_in_the_manifest(project: Project) -> None:
    graph = load_project(project).graph
    cited = set(graph.objects(None, KG.source))
    assert cited == {KGSRC["xiaomi-car-project-2024"]}
    assert all((source, RDF.type, KG.SourceDocument) in graph for source in cited)
