"""What a query may not do: update, fetch (SERVICE, FROM), nest without end, or run past the time limit.

kg.guard.sparql reads the query's tokens before any engine does; these cases are the ways a keyword
hides from a text search (escapes, glued keywords, comment look-alikes) and the ways an innocent query
mentions one without using it, which must still run.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
import rdflib.plugins.sparql
from rdflib import Graph

from kg.errors import InputError
from kg.guard import limits, netguard
from kg.guard.sparql import MAX_NESTING, check_query, find_problem
from kg.query.engines import ENGINES, engine_for
from support.cpu import cpu_used
from support.paths import REPO

REFUSED = [
    ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", "SERVICE", (1, 18)),
    ("SELECT * WHERE {\n  service silent <http://x/> { ?s ?p ?o } }", "SERVICE", (2, 3)),
    ("SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }", "SERVICE", (1, 18)),
    ("SELECT * WHERE { \\U00000053ERVICE <http://x/> { ?s ?p ?o } }", "SERVICE", (1, 18)),
    ("SELECT * WHERE { ?s ?p trueSERVICE<http://x/>{ ?s ?p ?o } }", "SERVICE", (1, 24)),
    ("SELECT * WHERE { SERVICESILENT<http://x/>{ ?s ?p ?o } }", "SERVICE", (1, 18)),
    ("PREFIX ex: <http://x/>\nSELECT * WHERE { SERVICEex:y { ?s ?p ?o } }", "SERVICE", (2, 18)),
    ("PREFIX ex: <http://x/>\nSELECT * { ?s ex:a\\#b ?o . SERVICE <http://x/> { ?s ?p ?o } }", "SERVICE", (2, 28)),
    ("PREFIX ex: <http://x/>\nSELECT * { ?s ex:a\\'b ?o . SERVICE <http://x/> { ?s ?p ?o } } # '", "SERVICE", (2, 28)),
    ("SELECT * { ?s ?p ?o FILTER(?o<?s)SERVICE<http://x/>{?a ?b ?c} }", "SERVICE", (1, 34)),
    ("SELECT * { ?s ?p ?o # comment\rSERVICE <http://x/> { ?a ?b ?c } }", "SERVICE", (1, 31)),
    ('SELECT * { ?s ?p "a\\"" . SERVICE <http://x/> { ?a ?b ?c } }', "SERVICE", (1, 26)),
    ("SELECT * FROM <http://x/data.ttl> WHERE { ?s ?p ?o }", "FROM", (1, 10)),
    ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM", (1, 10)),
    ("LOAD <http://x/data.ttl>", "LOAD", (1, 1)),
    ("PREFIX ex: <http://x/>\nINSERT DATA { ex:a ex:b ex:c }", "INSERT", (2, 1)),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE", (1, 1)),
    ("CLEAR DEFAULT", "CLEAR", (1, 1)),
    ("WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH", (1, 1)),
    ("COPY DEFAULT TO <http://x/g>", "COPY", (1, 1)),
]

ALLOWED = [
    'SELECT ?s WHERE { ?s ?p "customer SERVICE; FROM the shop, LOAD and DROP" }',
    "SELECT ?s WHERE { ?s ?p ?o } # SERVICE <http://x/> { } and FROM <http://x/>",
    "SELECT ?s WHERE { ?s <http://schema.org/serviceType> ?o }",
    "PREFIX schema: <http://schema.org/>\nSELECT ?service WHERE { ?service schema:availableService ?from }",
    "PREFIX addr: <http://x/address#>\nSELECT ?s WHERE { ?s addr:country ?o }",
    "SELECT ?s WHERE { ?s ?p ?o FILTER(LANG(?o) = 'en' && CONTAINS(?o, 'load')) } ORDER BY DESC(?s)",
    "SELECT ?s WHERE { ?s ?p '''FROM\n SERVICE''' }",
    "SELECT ?s WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
    'ASK { ?s ?p "\\u0053ERVICE" }',
]


@pytest.mark.parametrize(("query", "keyword", "position"), REFUSED)
def test_refused_with_the_place_of_the_keyword(query: str, keyword: str, position: tuple[int, int]) -> None:
    with pytest.raises(InputError) as raised:
        check_query(query, "q.rq")
    assert str(raised.value).startswith(f"q.rq:{position[0]}:{position[1]}: {keyword} ")


@pytest.mark.parametrize("query", ALLOWED)
def test_keywords_in_strings_comments_iris_and_names_are_no_keywords(query: str) -> None:
    assert find_problem(query) is None


def test_every_library_and_check_query_passes() -> None:
    queries = sorted((REPO / "queries").rglob("*.rq"))
    assert len(queries) > 20
    for path in queries:
        assert find_problem(path.read_text(encoding="utf-8")) is None, path


def test_allow_network_lets_service_through_but_not_updates_or_from() -> None:
    assert find_problem("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", allow_service=True) is None
    assert "FROM" in find_problem("SELECT * FROM <http://x/> { ?s ?p ?o }", allow_service=True).reason
    assert "LOAD" in find_problem("LOAD <http://x/>", allow_service=True).reason


def test_nesting_is_bounded() -> None:
    deep = "SELECT * WHERE " + "{" * (MAX_NESTING + 1) + "}" * (MAX_NESTING + 1)
    problem = find_problem(deep)
    assert problem is not None and problem.column == len("SELECT * WHERE ") + MAX_NESTING + 1
    assert find_problem("SELECT * WHERE " + "{" * MAX_NESTING + "}" * MAX_NESTING) is None


# (start, unit repeated, repeats): texts on which a backtracking or rescanning tokenizer goes quadratic
# (at these sizes, one once took 12 s). The test scans half and an eighth of each.
PATHOLOGICAL = {
    "dotted-word": ("", "a.", 500_000),
    "iri-openings": ("", "<a", 500_000),
    "escaped-quotes": ("", "'\\'", 300_000),
    "unclosed-long-string": ("'''", "a''", 300_000),
}


def scan_cpu_seconds(text: str) -> float:
    """The least CPU time of two scans of ``text``."""
    seconds = []
    for _ in range(2):
        with cpu_used() as used:
            find_problem(text)
        seconds.append(used.cpu_seconds)
    return min(seconds)


@pytest.mark.parametrize("case", PATHOLOGICAL)
def test_the_scan_is_linear_on_pathological_text(case: str) -> None:
    """Four times the text costs about four times the CPU; a quadratic scan, sixteen. CPU, not wall time,
    so that a busy machine cannot fail it; 50 ms of slack, since the shortest scans take a few ms."""
    start, unit, repeats = PATHOLOGICAL[case]
    quarter = scan_cpu_seconds(start + unit * (repeats // 8))
    whole = scan_cpu_seconds(start + unit * (repeats // 2))
    assert whole < 8 * quarter + 0.05, f"CPU seconds: {quarter:.3f} for a quarter of the text, {whole:.3f} for all"


def test_rdflib_never_loads_the_graphs_a_query_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rdflib.plugins.sparql, "SPARQL_LOAD_GRAPHS", True)
    engine_for("rdflib", Graph())
    assert rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS is False


# --- the engines with the network allowed: SERVICE runs, within the time limit ------------------------------


@pytest.fixture
def network_allowed() -> Iterator[None]:
    netguard.activate(allow_network=True)
    yield
    netguard.deactivate()


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_service_runs_when_the_network_is_allowed(engine: str, network_allowed: None, recording_server) -> None:
    query = f"SELECT ?name WHERE {{ SERVICE <{recording_server.url}/sparql> {{ ?s ?p ?name }} }}"
    with pytest.raises(InputError):  # the server answers with a JSON-LD context, which is no SPARQL result
        engine_for(engine, Graph()).run(query)
    assert recording_server.requests and all(r.startswith("/sparql") for r in recording_server.requests)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_silent_service_is_stopped_by_the_time_limit(engine: str, network_allowed: None, silent_server: str) -> None:
    # The server never answers: only the 1 s limit (as kg's deadline, or as the timeout netguard gives the
    # socket) can end the query, so the error itself shows the limit worked; no clock needed.
    token = limits.set_limits(limits.Limits(timeout=1))
    try:
        with pytest.raises(InputError, match=r"took longer than 1 s|timed out"):
            engine_for(engine, Graph()).run(f"SELECT * WHERE {{ SERVICE <{silent_server}> {{ ?s ?p ?o }} }}")
    finally:
        limits.reset_limits(token)
