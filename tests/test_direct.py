"""The direct layer is derived from the statements (kg.rdf.direct), the same way in memory and in a store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, XSD, Graph, Literal
from rdflib.term import Node

from kg.backends.oxigraph import load_store, open_store
from kg.project import Project
from kg.rdf.convert import from_oxigraph, to_oxigraph
from kg.rdf.direct import ADMITTED_STATEMENT_PATTERN, DIRECT_EDGES_UPDATE, derive_direct_edges, direct_edges
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


# What the axes (issue 15) changed against the edges once written by hand: the 2022 presentation did not
# happen and the first car's plant is the curator's inference, so their edges went; the first half of
# 2024 now bounds the start of mass production in the direct layer too.
LEFT_OUT = {
    (KGR["prototype-presentation"], KG.about, KGR["xiaomi-first-car"]),
    (KGR["prototype-presentation"], KG.date, Literal("2022", datatype=XSD.gYear)),
    (KGR["prototype-presentation"], KG.participant, KGR.xiaomi),
    (KGR["xiaomi-first-car"], KG.assemblyPlant, KGR["xiaomi-auto-factory"]),
}
PERIOD_BOUNDS = {
    (KGR["mass-production-start"], KG.earliestDate, Literal("2024-01", datatype=XSD.gYearMonth)),
    (KGR["mass-production-start"], KG.latestDate, Literal("2024-06", datatype=XSD.gYearMonth)),
}


def expected_direct_layer() -> set[Triple]:
    handwritten = set(parse_file(HANDWRITTEN))
    assert len(handwritten) == 46 and handwritten >= LEFT_OUT
    return (handwritten - LEFT_OUT) | PERIOD_BOUNDS


def test_the_derived_layer_is_the_hand_written_one_less_what_the_axes_leave_out(project: Project) -> None:
    written = statements_only(project)
    assert claim_edges(written) == set(), "data/ holds hand-written direct edges again"
    assert set(direct_edges(written)) == expected_direct_layer()


def test_the_project_loader_adds_the_derived_edges_and_records_them(project: Project) -> None:
    loaded = load_project(project)
    assert (KGR.xiaomi, KG.chiefExecutiveOfficer, KGR["lei-jun"]) in loaded.graph
    assert loaded.derived == expected_direct_layer()
    assert derive_direct_edges(loaded.graph) == [], "a second derivation adds nothing"


def test_hedged_failed_inferred_and_quantity_statements_give_no_edge(project: Project) -> None:
    graph = load_project(project).graph
    assert (KGR["xiaomi-first-car"], KG.hasFeature, KGR["lidar-sensor"]) not in graph  # "may be"
    assert not any(graph.triples((KGR["borgward-name-reuse"], None, KGR.borgward)))  # "unlikely"
    assert not any(graph.triples((KGR.xiaomi, KG.usesBrand, None)))
    assert not any(graph.triples((KGR["prototype-presentation"], KG.date, None)))  # did not happen
    assert not any(graph.triples((KGR["prototype-presentation"], KG.participant, None)))
    assert (KGR["xiaomi-first-car"], KG.assemblyPlant, KGR["xiaomi-auto-factory"]) not in graph  # inference
    assert not any(graph.triples((KGR["xiaomi-first-car"], KG.price, None)))  # a quantity statement
    assert not any(graph.triples((KGR["mass-production-start"], KG.date, None)))  # a period: bounds only


AXES = {
    KG.attribution: KG.ownVoice,
    KG.timing: KG.factual,
    KG.likelihood: KG.certain,
    KG.polarity: KG.affirmed,
    KG.rank: KG.normalRank,
}


def claim(graph: Graph, name: str, value: Node, **axes: Node) -> Node:
    """A statement that Xiaomi's country is ``value``, with the default axes unless ``axes`` says otherwise."""
    statement = KGS[name]
    graph.add((statement, KG.subject, KGR.xiaomi))
    graph.add((statement, KG.predicate, KG.country))
    graph.add((statement, KG.object, value))
    for axis, default in AXES.items():
        graph.add((statement, axis, axes.get(str(axis).rsplit("#", 1)[1], default)))
    if "outcome" in axes:
        graph.add((statement, KG.outcome, axes["outcome"]))
    return statement


def test_each_axis_of_the_rule_can_keep_a_statement_out() -> None:
    keep_out = {
        "negated": {"polarity": KG.negated},
        "possible": {"likelihood": KG.possible},
        "unlikely": {"likelihood": KG.unlikely},
        "did-not-happen": {"timing": KG.prospective, "outcome": KG.didNotHappen},
        "cancelled": {"timing": KG.prospective, "outcome": KG.cancelled},
        "inferred": {"attribution": KG.curatorInference},
        "deprecated": {"rank": KG.deprecatedRank},
    }
    for name, axes in keep_out.items():
        graph = Graph()
        claim(graph, name, KGR.china, **axes)
        assert direct_edges(graph) == [], name
    admitted = Graph()
    claim(admitted, "likely-plan", KGR.china, timing=KG.prospective, outcome=KG.outcomeUnknown, likelihood=KG.likely)
    claim(admitted, "reported", KGR.beijing, attribution=KG.attributed)
    assert direct_edges(admitted) == sorted(
        [(KGR.xiaomi, KG.country, KGR.beijing), (KGR.xiaomi, KG.country, KGR.china)], key=lambda e: e[2]
    )
    incomplete = Graph()
    claim(incomplete, "no-rank", KGR.china)
    incomplete.remove((KGS["no-rank"], KG.rank, None))
    assert direct_edges(incomplete) == [], "a statement without a rank is not admitted"


def test_a_preferred_statement_outranks_its_rivals_for_the_same_subject_and_predicate() -> None:
    graph = Graph()
    claim(graph, "china", KGR.china)
    claim(graph, "beijing", KGR.beijing, rank=KG.preferredRank)
    assert direct_edges(graph) == [(KGR.xiaomi, KG.country, KGR.beijing)]
    store = ox.Store()
    store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.DefaultGraph()) for s, p, o in graph)
    store.update(DIRECT_EDGES_UPDATE)
    assert ox.Quad(to_oxigraph(KGR.xiaomi), to_oxigraph(KG.country), to_oxigraph(KGR.china)) not in store
    assert ox.Quad(to_oxigraph(KGR.xiaomi), to_oxigraph(KG.country), to_oxigraph(KGR.beijing)) in store


def test_the_checks_that_mirror_the_rule_use_its_own_pattern(project: Project) -> None:
    pattern = " ".join(ADMITTED_STATEMENT_PATTERN.split())
    for name in ("missing-direct-edge-violation", "ineligible-direct-edge-violation"):
        text = (project.queries_dir / "checks" / f"{name}.rq").read_text(encoding="utf-8")
        assert pattern in " ".join(text.split()), name


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


def statements_of_one_predicate(count: int) -> ox.Store:
    """``count`` admitted statements, each about a subject of its own, all with the same predicate."""
    store = ox.Store()
    kg = "https://w3id.org/kg/ontology#"
    quads = []
    for i in range(count):
        statement = ox.NamedNode(f"https://w3id.org/kg/statement/s{i}")
        axes = {"polarity": "affirmed", "rank": "normalRank", "attribution": "ownVoice", "likelihood": "certain"}
        values = {
            "subject": ox.NamedNode(f"https://w3id.org/kg/id/c{i}"),
            "predicate": ox.NamedNode(f"{kg}country"),
            "object": ox.NamedNode("https://w3id.org/kg/id/china"),
            **{axis: ox.NamedNode(f"{kg}{value}") for axis, value in axes.items()},
        }
        quads += [ox.Quad(statement, ox.NamedNode(f"{kg}{p}"), o, ox.DefaultGraph()) for p, o in values.items()]
    store.extend(quads)
    return store


def update_cpu_seconds(count: int) -> float:
    import time

    best = float("inf")
    for _ in range(3):
        store = statements_of_one_predicate(count)
        started = time.process_time()
        store.update(DIRECT_EDGES_UPDATE)
        best = min(best, time.process_time() - started)
        assert len(store) == count * 8  # seven facets a statement, and its edge
    return best


def test_the_rule_in_sparql_grows_linearly_with_the_statements_of_a_predicate() -> None:
    # The best-rank rule once made Oxigraph compare every statement with every other of the same predicate:
    # four times the statements took sixteen times the CPU (and a million triples over seven minutes).
    small, large = update_cpu_seconds(2_000), update_cpu_seconds(8_000)
    assert large < 8 * max(small, 0.002)
