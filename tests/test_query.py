"""The query engines: one result model from rdflib and Oxigraph, located syntax errors, safe bindings."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pyoxigraph
import pytest
from rdflib import RDFS, XSD, Graph, Literal, URIRef

from kg.errors import EXIT_BAD_INPUT, InputError, UsageError
from kg.query.engines import (
    QUERY_PREFIXES,
    OxigraphEngine,
    QueryEngine,
    RdflibEngine,
    engine_for,
    orders_rows,
    oxigraph_store,
)
from kg.rdf.namespaces import KG, KGR

ENGINE_NAMES = ("rdflib", "oxigraph")


@pytest.fixture(scope="module")
def engines(graph: Graph) -> dict[str, QueryEngine]:
    return {name: engine_for(name, graph) for name in ENGINE_NAMES}


@pytest.fixture(params=ENGINE_NAMES)
def engine(request: pytest.FixtureRequest, engines: dict[str, QueryEngine]) -> QueryEngine:
    return engines[request.param]


def test_engine_for_builds_each_engine(graph: Graph) -> None:
    assert isinstance(engine_for("rdflib", graph), RdflibEngine)
    assert isinstance(engine_for("oxigraph", graph), OxigraphEngine)


def test_oxigraph_store_holds_every_triple(graph: Graph) -> None:
    store = oxigraph_store(graph)
    assert len(store) == len(graph)


def test_select_gives_variables_and_rdflib_terms(engine: QueryEngine) -> None:
    result = engine.run(
        "SELECT ?ceo ?name ?doors WHERE { kgr:xiaomi kg:chiefExecutiveOfficer ?ceo . ?ceo rdfs:label ?name ."
        " OPTIONAL { ?ceo kg:numberOfDoors ?doors } }"
    )
    assert result.kind == "select"
    assert result.variables == ("ceo", "name", "doors")
    assert result.rows == ((KGR["lei-jun"], Literal("Lei Jun", lang="en"), None),)


def test_plain_strings_come_back_without_a_datatype(engine: QueryEngine) -> None:
    result = engine.run('SELECT ?s WHERE { BIND(STR(kgr:xiaomi) AS ?s) BIND("x" AS ?unused) }')
    [[value]] = result.rows
    assert value == Literal(str(KGR.xiaomi))
    assert value.datatype is None


def test_ask_and_construct(engine: QueryEngine) -> None:
    assert engine.run("ASK { kgr:xiaomi kg:founder kgr:lei-jun }").boolean is True
    assert engine.run("ASK { kgr:xiaomi kg:founder kgr:bmw }").boolean is False
    result = engine.run("CONSTRUCT { ?p rdfs:label ?l } WHERE { kgr:xiaomi kg:founder ?p . ?p rdfs:label ?l }")
    assert result.kind == "graph"
    assert result.graph is not None
    assert set(result.graph) == {(KGR["lei-jun"], RDFS.label, Literal("Lei Jun", lang="en"))}
    assert dict(result.graph.namespaces()) == {k: URIRef(v) for k, v in QUERY_PREFIXES.items()}


def test_select_star_lists_variables_in_name_order(engine: QueryEngine) -> None:
    result = engine.run("SELECT * WHERE { ?zebra kg:founder ?aardvark . ?zebra kg:country ?mole }")
    assert result.variables == ("aardvark", "mole", "zebra")
    assert result.rows == ((KGR["lei-jun"], KGR.china, KGR.xiaomi),)


def test_bindings_are_values_not_text(engine: QueryEngine) -> None:
    query = "SELECT ?s ?label WHERE { ?s rdfs:label ?label }"
    assert engine.run(query, {"label": Literal("Xiaomi", lang="en")}).rows == (
        (KGR.xiaomi, Literal("Xiaomi", lang="en")),
    )
    hostile = Literal('Xiaomi"@en } UNION { ?s ?p ?label } #')
    assert engine.run(query, {"label": hostile}).rows == ()


def test_a_bound_literal_matches_typed_data(engine: QueryEngine) -> None:
    query = "SELECT ?model ?doors WHERE { ?model kg:numberOfDoors ?doors }"
    assert engine.run(query, {"doors": Literal(4)}).rows == ((KGR["xiaomi-first-car"], Literal(4)),)
    assert engine.run(query, {"doors": Literal("4")}).rows == ()


def test_ask_with_bindings(engine: QueryEngine) -> None:
    query = "ASK { ?org kg:chiefExecutiveOfficer ?person }"
    assert engine.run(query, {"org": KGR.xiaomi, "person": KGR["lei-jun"]}).boolean is True
    assert engine.run(query, {"org": KGR.bmw}).boolean is False


def test_oxigraph_binds_only_selected_variables(engines: dict[str, QueryEngine]) -> None:
    query = "SELECT ?person WHERE { ?org kg:chiefExecutiveOfficer ?person }"
    assert engines["rdflib"].run(query, {"org": KGR.xiaomi}).rows == ((KGR["lei-jun"],),)
    with pytest.raises(UsageError, match="select every variable you bind"):
        engines["oxigraph"].run(query, {"org": KGR.xiaomi})


def test_rdflib_syntax_error_names_line_and_column(engines: dict[str, QueryEngine]) -> None:
    query = "SELECT ?x\nWHERE {\n  ?x kg:founder ?y\n  ?x ?p\n}\n"
    with pytest.raises(InputError) as raised:
        engines["rdflib"].run(query, source="queries/broken.rq")
    error = raised.value
    assert (error.line, error.column, error.exit_code) == (4, 3, EXIT_BAD_INPUT)
    assert str(error) == "queries/broken.rq:4:3: invalid SPARQL: Expected SelectQuery, found '?'"


def test_oxigraph_syntax_error_names_line_and_column(engines: dict[str, QueryEngine]) -> None:
    with pytest.raises(InputError) as raised:
        engines["oxigraph"].run("SELECT ?x WHERE {\n ?x ?y }", source="q.rq")
    # Oxigraph points just past the token it could not use (here the closing brace, column 8).
    assert (raised.value.line, raised.value.column) == (2, 9)
    assert str(raised.value).startswith("q.rq:2:9: invalid SPARQL: expected ")


def test_an_undeclared_prefix_is_located(engine: QueryEngine) -> None:
    with pytest.raises(InputError) as raised:
        engine.run("SELECT ?x\nWHERE { ?x   nope:p ?y }")
    assert raised.value.line == 2
    if isinstance(engine, RdflibEngine):
        assert raised.value.column == 14
        assert "Unknown namespace prefix : nope" in str(raised.value)


def test_library_style_queries_need_no_default_prefixes(engine: QueryEngine) -> None:
    full = "PREFIX ex: <https://w3id.org/kg/ontology#> ASK { <https://w3id.org/kg/id/xiaomi> ex:founder ?p }"
    assert engine.run(full).boolean is True


class CountingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []  # noqa: RUF012 - shared on purpose: the test reads what the server saw

    def do_GET(self) -> None:
        CountingHandler.requests.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[str]:
    CountingHandler.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ service   silent <{url}> {{ ?s ?q ?r }} }} }}",
    ],
)
def test_service_is_refused_before_any_request(engine: QueryEngine, endpoint: str, template: str) -> None:
    with pytest.raises(InputError, match="SERVICE is refused"):
        engine.run(template.format(url=endpoint))
    assert CountingHandler.requests == []


def test_from_is_refused_by_rdflib_which_would_fetch_it(engines: dict[str, QueryEngine], endpoint: str) -> None:
    with pytest.raises(InputError, match="FROM is refused"):
        engines["rdflib"].run(f"SELECT * FROM <{endpoint}> WHERE {{ ?s ?p ?o }}")
    assert CountingHandler.requests == []


def test_service_in_a_string_or_a_name_is_no_service(engine: QueryEngine) -> None:
    query = 'SELECT ?service WHERE { BIND("SERVICE <x> {}" AS ?service) } # SERVICE'
    assert engine.run(query).rows == ((Literal("SERVICE <x> {}"),),)


def test_orders_rows() -> None:
    assert orders_rows("SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x")
    assert orders_rows("SELECT DISTINCT ?x WHERE { ?x ?p ?o } ORDER BY DESC(?x) LIMIT 2")
    assert not orders_rows("SELECT ?x WHERE { ?x ?p ?o }")
    assert not orders_rows("SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x } }")
    assert not orders_rows("ASK { ?x ?p ?o }")


def test_oxigraph_engine_over_a_store_given_directly() -> None:
    store = pyoxigraph.Store()
    store.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode(str(KGR.xiaomi)),
            pyoxigraph.NamedNode(str(KG.date)),
            pyoxigraph.Literal("2022-11", datatype=pyoxigraph.NamedNode(str(XSD.gYearMonth))),
        )
    )
    result = OxigraphEngine(store).run("SELECT ?d WHERE { kgr:xiaomi kg:date ?d }")
    assert result.rows == ((Literal("2022-11", datatype=XSD.gYearMonth),),)


def test_rdflib_evaluation_failures_are_input_errors_that_suggest_oxigraph(engines: dict[str, QueryEngine]) -> None:
    # A valid query that rdflib's evaluator cannot order: STR() of an unbound value in ORDER BY.
    query = "SELECT ?o ?q WHERE { ?s kg:productLine ?o OPTIONAL { ?o kg:wikidataEntity ?q } } ORDER BY STR(?q)"
    with pytest.raises(
        InputError, match=r"q\.rq: rdflib could not evaluate the query \(TypeError: .*try --engine oxigraph"
    ):
        engines["rdflib"].run(query, source="q.rq")
    rows = engines["oxigraph"].run(query).rows
    assert len(rows) == 4 and rows[0] == (KGR["electronic-devices"], None)


def test_describe_gives_a_graph(engine: QueryEngine) -> None:
    result = engine.run("DESCRIBE kgr:lei-jun")
    assert result.kind == "graph" and result.graph is not None
    assert (KGR["lei-jun"], RDFS.label, Literal("Lei Jun", lang="en")) in result.graph
