"""``kg export --format turtle12`` and ``trig12``: each statement a reifier of its triple term (RDF 1.2).

The export of the frozen project is loaded into a fresh Oxigraph store and asked in SPARQL 1.2 for the
claims a reifier describes: an unlikely claim comes back as a reified triple that nothing asserts, a
certain one as a triple the direct layer asserts.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg.backends.oxigraph import OxigraphBackend
from kg.export.bundle import BundleExports
from kg.export.exports import Exports
from kg.project import Project
from kg.rdf.direct import direct_edges, is_edge, statement_edges
from kg.rdf.namespaces import KG as KG_NS
from kg.rdf.rdf12 import RDF_REIFIES, reifications, stated_triples
from support.cli import KG_PROCESS, run_kg

KG = "https://w3id.org/kg/ontology#"
KGR = "https://w3id.org/kg/id/"
KGS = "https://w3id.org/kg/statement/"
SOURCE_GRAPH = ox.NamedNode("https://w3id.org/kg/graph/source/xiaomi-car-project-2024")
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PREFIX = f"PREFIX rdf: <{RDF}> PREFIX kg: <{KG}> PREFIX kgr: <{KGR}> PREFIX kgs: <{KGS}>\n"


@pytest.fixture(scope="module")
def turtle12(curated_exports: BundleExports) -> bytes:
    return curated_exports.render("turtle12")


@pytest.fixture(scope="module")
def store(turtle12: bytes) -> ox.Store:
    fresh = ox.Store()
    fresh.load(turtle12, ox.RdfFormat.TURTLE)
    return fresh


def rows(store: ox.Store, query: str) -> set[tuple[str, ...]]:
    solutions = store.query(PREFIX + query)
    assert isinstance(solutions, ox.QuerySolutions)
    return {tuple(str(term) for term in solution) for solution in solutions}


def iri(namespace: str, name: str) -> str:
    return f"<{namespace}{name}>"


def test_the_unlikely_claims_answer_a_sparql_12_reifier_query(store: ox.Store) -> None:
    found = rows(store, "SELECT ?r ?s ?p ?o WHERE { << ?s ?p ?o ~ ?r >> kg:likelihood kg:unlikely }")
    borgward = (iri(KGS, "borgward-name-reuse-about"), iri(KGR, "borgward-name-reuse"), iri(KG, "about"))
    assert (*borgward, iri(KGR, "borgward")) in found
    unlikely = rows(store, "SELECT ?r WHERE { ?r kg:likelihood kg:unlikely ; kg:subject ?s }")
    assert {row[0] for row in found} == {row[0] for row in unlikely}
    certain = rows(store, "SELECT ?r WHERE { ?r kg:likelihood kg:certain }")
    assert certain, "the fixture has certain claims"
    assert not {row[0] for row in found} & {row[0] for row in certain}
    # Reified, not asserted: the graph does not say that the name is reused.
    assert not store.query(PREFIX + "ASK { kgr:borgward-name-reuse kg:about kgr:borgward }")


def test_the_asserted_claims_are_the_direct_layer(store: ox.Store, graph: Graph) -> None:
    asserted = rows(store, "SELECT ?r ?s ?p ?o WHERE { ?s ?p ?o ~ ?r }")
    ceo = (iri(KGS, "xiaomi-ceo"), iri(KGR, "xiaomi"), iri(KG, "chiefExecutiveOfficer"), iri(KGR, "lei-jun"))
    assert ceo in asserted
    assert {row[1:] for row in asserted} == {tuple(term.n3() for term in edge) for edge in direct_edges(graph)}
    hedged = "SELECT ?r WHERE { ?s ?p ?o ~ ?r . ?r kg:likelihood ?l FILTER (?l IN (kg:unlikely, kg:possible)) }"
    assert rows(store, hedged) == set()
    failed = rows(store, "SELECT ?r WHERE { ?s ?p ?o ~ ?r . ?r kg:outcome kg:didNotHappen }")
    assert failed == set()


def number(store: ox.Store, query: str) -> int:
    (solution,) = store.query(PREFIX + query)  # type: ignore[misc]
    return int(solution[0].value)


def test_every_statement_but_a_quantity_is_one_reifier(store: ox.Store) -> None:
    statements = number(store, "SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE { ?st kg:subject ?s ; kg:predicate ?p }")
    quantities = number(store, "SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE { ?st a kg:QuantityStatement }")
    reifiers = number(store, "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r rdf:reifies ?t }")
    assert quantities > 0
    assert reifiers == statements - quantities > 40
    outside = rows(store, "SELECT ?r WHERE { ?r rdf:reifies ?t FILTER NOT EXISTS { ?r kg:predicate ?p } }")
    assert outside == set()


def test_a_reifier_names_its_own_parts(store: ox.Store) -> None:
    checked = rows(
        store,
        """SELECT ?r ?same WHERE {
             ?r rdf:reifies <<( ?s ?p ?o )>> ; kg:subject ?subject ; kg:predicate ?predicate .
             { ?r kg:object ?value } UNION { ?r kg:value ?value }
             BIND (?s = ?subject && ?p = ?predicate && ?o = ?value AS ?same)
           }""",
    )
    assert len(checked) > 40
    assert {same for _, same in checked} == {'"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'}


def test_each_statement_reifies_the_edges_the_direct_layer_would_take_from_it(store: ox.Store, graph: Graph) -> None:
    reified = rows(store, "SELECT ?r ?s ?p ?o WHERE { ?r rdf:reifies <<( ?s ?p ?o )>> }")
    would = {
        (statement.n3(), *(term.n3() for term in edge))
        for statement in set(graph.subjects(KG_NS.predicate, None))
        for edge in statement_edges(graph, statement)
        if is_edge(edge)
    }
    assert reified == would


def test_a_period_reifies_its_bounds_and_a_quantity_nothing(store: ox.Store) -> None:
    query = (
        "SELECT ?p ?o WHERE { kgs:mass-production-start-period rdf:reifies <<( kgr:mass-production-start ?p ?o )>> }"
    )
    period = rows(store, query)
    assert period == {
        (iri(KG, "earliestDate"), '"2024-01"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'),
        (iri(KG, "latestDate"), '"2024-06"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'),
    }
    assert rows(store, "SELECT ?t WHERE { kgs:factory-capacity rdf:reifies ?t }") == set()
    assert rows(store, "SELECT ?a WHERE { kgs:factory-capacity kg:unit ?a }") != set()


def test_the_export_is_the_turtle_graph_and_the_reifications(curated_exports: BundleExports, turtle12: bytes) -> None:
    back = {q.triple for q in ox.parse(turtle12, ox.RdfFormat.TURTLE)}
    plain = {q.triple for q in ox.parse(curated_exports.render("ntriples"), ox.RdfFormat.N_TRIPLES)}
    reified = {t for t in back if t.predicate == RDF_REIFIES}
    assert back - reified == plain
    assert len(reified) > 40


def test_a_store_exports_the_same_reifiers_as_the_files(curated_store: Path, turtle12: bytes) -> None:
    from_store = Exports(OxigraphBackend(curated_store)).render("turtle12")
    reified = [
        {q.triple for q in ox.parse(data, ox.RdfFormat.TURTLE) if q.predicate == RDF_REIFIES}
        for data in (from_store, turtle12)
    ]
    assert reified[0] == reified[1]
    assert from_store.startswith(b'@version "1.2" .\n@prefix ')


def test_trig12_keeps_each_reifier_in_its_source_graph(curated_exports: BundleExports) -> None:
    back = set(ox.parse(curated_exports.render("trig12"), ox.RdfFormat.TRIG))
    plain = set(ox.parse(curated_exports.render("nquads"), ox.RdfFormat.N_QUADS))
    reified = {q for q in back if q.predicate == RDF_REIFIES}
    assert back - reified == plain
    assert {q.graph_name for q in reified} == {SOURCE_GRAPH}
    statement = ox.NamedNode(KGS + "xiaomi-ceo")
    assert {q.graph_name for q in plain if q.subject == statement} == {SOURCE_GRAPH}


def answers(store: ox.Store, query: str) -> object:
    result = store.query(query)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    return sorted(tuple(str(term) for term in row) for row in result)  # type: ignore[union-attr]


def test_the_library_queries_answer_over_it_as_over_turtle(
    project: Project, curated_exports: BundleExports, store: ox.Store
) -> None:
    plain = ox.Store()
    plain.load(curated_exports.render("turtle"), ox.RdfFormat.TURTLE)
    queries = sorted(project.root.glob("queries/*.rq"))
    assert len(queries) > 10
    for path in queries:
        query = path.read_text(encoding="utf-8")
        same = answers(plain, query) == answers(store, query)
        assert same == (path.stem != "neighbourhood"), path.name  # it lists every triple near a node


def test_the_version_and_the_prefixes_head_the_file_in_order(turtle12: bytes) -> None:
    top, body = turtle12.decode("utf-8").split("\n\n", 1)
    version, *head = top.split("\n")
    assert version == '@version "1.2" .'
    assert head == sorted(head) and all(line.startswith("@prefix ") for line in head)
    names = [line.split()[1] for line in head]
    assert [name for name in names if name not in body] == []  # only the prefixes the data uses
    assert "@prefix kgs: <https://w3id.org/kg/statement/> ." in head
    assert b"kgs:xiaomi-ceo rdf:reifies <<( kgr:xiaomi kg:chiefExecutiveOfficer kgr:lei-jun )>> ;" in turtle12


@pytest.mark.parametrize("format_name", ["turtle12", "trig12"])
def test_the_same_graph_gives_the_same_bytes_in_every_process(
    project: Project, curated_exports: BundleExports, format_name: str
) -> None:
    outputs = [
        subprocess.run(
            [*KG_PROCESS, "--project", str(project.root), "export", "--format", format_name],
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1] == curated_exports.render(format_name)


def test_the_cli_writes_turtle12_to_a_ttl_file_only_when_asked(project: Project, tmp_path: Path) -> None:
    asked, plain = tmp_path / "graph12.ttl", tmp_path / "graph.ttl"
    assert run_kg("export", "--format", "turtle12", "--out", str(asked), project=project).exit_code == 0
    assert run_kg("export", "--out", str(plain), project=project).exit_code == 0
    assert b"rdf:reifies <<(" in asked.read_bytes()
    assert b"rdf:reifies" not in plain.read_bytes()


def test_inferred_triples_are_refused_in_rdf12(project: Project) -> None:
    result = run_kg("export", "--format", "trig12", "--reason", "rdfs", project=project)
    assert result.exit_code == 2
    assert result.stderr.startswith("kg: error: --reason cannot mark inferred triples in trig12")


def test_a_statement_whose_parts_are_no_triple_reifies_nothing() -> None:
    statement, graph = ox.NamedNode(KGS + "odd"), ox.DefaultGraph()
    parts = [
        (ox.NamedNode(KG + "subject"), ox.Literal("not a node")),
        (ox.NamedNode(KG + "subject"), ox.NamedNode(KGR + "a")),
        (ox.NamedNode(KG + "predicate"), ox.Literal("not a property")),
        (ox.NamedNode(KG + "object"), ox.NamedNode(KGR + "b")),
    ]
    dataset = ox.Dataset(ox.Quad(statement, p, o, graph) for p, o in parts)
    assert stated_triples(dataset, statement, graph) == []
    assert reifications(dataset) == set()
    dataset.add(ox.Quad(statement, ox.NamedNode(KG + "predicate"), ox.NamedNode(KG + "p"), graph))
    expected = ox.Triple(ox.NamedNode(KGR + "a"), ox.NamedNode(KG + "p"), ox.NamedNode(KGR + "b"))
    assert stated_triples(dataset, statement, graph) == [expected]
