"""Fault injection: hostile and broken SPARQL servers, run in threads on 127.0.0.1.

Each server here misbehaves in one way: it drips bytes, streams without end, answers in a shape the
protocol does not promise, or lists a graph name built to break out of an update. kg must end each
exchange with exit 3 and a line that says what happened, never hang, grow, crash (exit 70), answer
wrongly or send an update it did not mean. Runs that could hang on a broken kg run as processes with a
generous timeout as a safety net; the assertions are on exit codes, messages and bytes.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.backends.http import Endpoint, EndpointError, SparqlClient
from kg.errors import KgError
from kg.project import Project
from support.cli import run_kg
from support.paths import REPO
from support.servers import QuietHandler, serving

SAFETY_NET_SECONDS = 120  # only so that a broken kg cannot hang the suite; no assertion depends on it
INJECTED_NAME = "urn:x-old> ; DROP ALL ; DROP SILENT GRAPH <urn:x-old2"
EMPTY_LISTING = {"head": {"vars": ["graph", "triples"]}, "results": {"bindings": []}}


@dataclass
class Request:
    method: str
    path: str
    form: dict[str, list[str]]

    @property
    def text(self) -> str:
        return (self.form.get("query") or self.form.get("update") or [""])[0]

    @property
    def is_listing(self) -> bool:
        return "SELECT ?graph ?triples" in self.text


Behaviour = Callable[[BaseHTTPRequestHandler, Request], None]


@dataclass
class FakeServer:
    url: str = ""
    behave: Behaviour = lambda handler, request: None
    requests: list[Request] = field(default_factory=list)
    bytes_sent: int = 0

    @property
    def sparql(self) -> str:
        return f"{self.url}/sparql"


@pytest.fixture
def server() -> Iterator[FakeServer]:
    state = FakeServer()

    class Handler(QuietHandler):
        protocol_version = "HTTP/1.1"

        def handle_any(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            form = urllib.parse.parse_qs(body.decode() if self.command == "POST" else parts.query)
            request = Request(self.command, parts.path, form)
            state.requests.append(request)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client hung up, as it should
                state.behave(self, request)
            self.close_connection = True

    with serving(Handler) as state.url:
        yield state


def send(handler: BaseHTTPRequestHandler, body: bytes, media_type: str = "application/sparql-results+json") -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", media_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def answer_json(listing: object, answer: object = None) -> Behaviour:
    """Answers the graph listing with ``listing`` and every other request with ``answer``."""

    def behave(handler: BaseHTTPRequestHandler, request: Request) -> None:
        document = listing if request.is_listing or answer is None else answer
        send(handler, json.dumps(document).encode())

    return behave


def kg_process(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """kg as a process, as a user runs it; killed by the safety net only if it hangs."""
    try:
        return subprocess.run(
            [sys.executable, "-m", "kg", *args], cwd=cwd, capture_output=True, text=True, timeout=SAFETY_NET_SECONDS
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"kg {' '.join(args)} did not end: the exchange is not bounded")


def invoke(*args: str) -> tuple[int, str]:
    result = run_kg(*args, project=REPO)
    return result.exit_code, result.output


# A server that never finishes


def drip_body(state: FakeServer) -> Behaviour:
    def behave(handler: BaseHTTPRequestHandler, request: Request) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.send_header("Content-Length", "1000000")
        handler.end_headers()
        while True:  # one byte every 50 ms: each read is quick, the whole never ends
            handler.wfile.write(b" ")
            handler.wfile.flush()
            state.bytes_sent += 1
            time.sleep(0.05)

    return behave


def drip_headers(state: FakeServer) -> Behaviour:
    def behave(handler: BaseHTTPRequestHandler, request: Request) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        while True:
            handler.wfile.write(b"X")  # a header line that never ends
            handler.wfile.flush()
            state.bytes_sent += 1
            time.sleep(0.05)

    return behave


def endless_stream(state: FakeServer, most: int) -> Behaviour:
    """A body without a length, sent as fast as it is read; up to ``most`` bytes so a broken kg cannot
    take the machine's memory."""

    def behave(handler: BaseHTTPRequestHandler, request: Request) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.send_header("Connection", "close")
        handler.end_headers()
        chunk = b" " * 65536
        while state.bytes_sent < most:
            handler.wfile.write(chunk)
            state.bytes_sent += len(chunk)

    return behave


def test_a_server_dripping_the_body_is_stopped_at_the_timeout(server: FakeServer) -> None:
    server.behave = drip_body(server)
    done = kg_process("--timeout", "1", "query", "--endpoint", server.sparql, "-e", "ASK {}")
    assert done.returncode == 3, done.stderr
    assert f"kg: error: {server.url} did not answer the query within 1 s" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_server_dripping_the_headers_is_stopped_at_the_timeout(server: FakeServer) -> None:
    server.behave = drip_headers(server)
    done = kg_process("--timeout", "1", "query", "--endpoint", server.sparql, "-e", "ASK {}")
    assert done.returncode == 3, done.stderr
    assert "did not answer the query within 1 s" in done.stderr


def test_kg_push_is_bounded_by_its_request_timeout_too(server: FakeServer) -> None:
    server.behave = drip_body(server)
    done = kg_process("push", "--endpoint", server.sparql, "--request-timeout", "1", "--no-validate")
    assert done.returncode == 3, done.stderr
    assert "did not answer the query within 1 s" in done.stderr


def test_an_endless_answer_is_cut_at_the_input_size_limit(server: FakeServer) -> None:
    most = 64 * 1024 * 1024
    server.behave = endless_stream(server, most)
    done = kg_process("--max-input-size", "102400", "query", "--endpoint", server.sparql, "-e", "ASK {}")
    assert done.returncode == 3, done.stderr
    assert "over the limit of 102,400; raise the limit with --max-input-size" in done.stderr
    assert server.bytes_sent < most  # kg hung up long before the end


def test_kg_push_answers_count_against_the_input_size_limit(server: FakeServer) -> None:
    server.behave = endless_stream(server, 64 * 1024 * 1024)
    done = kg_process("--max-input-size", "1048576", "push", "--endpoint", server.sparql, "--no-validate")
    assert done.returncode == 3, done.stderr
    assert "over the limit of 1,048,576" in done.stderr


def test_a_redirect_with_an_endless_page_is_not_read_to_the_end(server: FakeServer) -> None:
    def behave(handler: BaseHTTPRequestHandler, request: Request) -> None:
        handler.send_response(302)
        handler.send_header("Location", f"{server.url}/elsewhere")
        handler.send_header("Content-Length", str(32 * 1024 * 1024))
        handler.end_headers()
        for _ in range(512):
            handler.wfile.write(b" " * 65536)
            server.bytes_sent += 65536

    server.behave = behave
    done = kg_process("query", "--endpoint", server.sparql, "-e", "ASK {}")
    assert done.returncode == 3, done.stderr
    assert "sent a redirect with a page of" in done.stderr
    assert [r.path for r in server.requests] == ["/sparql"]  # not followed


# Malformed answers


def test_a_json_array_for_an_answer_is_an_input_error(server: FakeServer) -> None:
    server.behave = answer_json([])
    code, output = invoke("query", "--endpoint", server.sparql, "-e", "ASK {}")
    assert code == 3, output
    assert "not SPARQL results JSON: the answer is an array [], not an object" in output


def test_a_boolean_that_is_a_string_is_no_yes(server: FakeServer) -> None:
    server.behave = answer_json(EMPTY_LISTING, {"head": {}, "boolean": "false"})
    code, output = invoke("query", "--endpoint", server.sparql, "-e", "ASK { ?s ?p ?o }")
    assert code == 3, output
    assert "yes" not in output.splitlines()
    assert '"boolean" is a string "false", not true or false' in output


def test_bindings_that_are_not_term_objects_are_refused(server: FakeServer) -> None:
    answer = {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": "http://example.org/a"}]}}
    server.behave = answer_json(EMPTY_LISTING, answer)
    code, output = invoke("query", "--endpoint", server.sparql, "-e", "SELECT ?x WHERE { ?x ?p ?o }")
    assert code == 3, output
    assert 'row 1, ?x: the term is a string "http://example.org/a", not an object' in output


def test_a_listing_row_without_a_graph_is_refused(server: FakeServer) -> None:
    listing = {"head": {"vars": ["graph", "triples"]}, "results": {"bindings": [{}]}}
    server.behave = answer_json(listing)
    code, output = invoke("query", "--endpoint", server.sparql, "-e", "ASK {}")
    assert code == 3, output
    assert "listed a graph of kg's dataset as no ?graph, not an IRI" in output


def test_a_listing_row_with_a_literal_for_a_graph_is_refused(server: FakeServer) -> None:
    row = {"graph": {"type": "literal", "value": "urn:x-g"}}
    server.behave = answer_json({"head": {"vars": ["graph"]}, "results": {"bindings": [row]}})
    code, output = invoke("query", "--endpoint", server.sparql, "-e", "ASK {}")
    assert code == 3, output
    assert "as literal 'urn:x-g', not an IRI" in output


def test_a_triple_count_that_is_no_ascii_number_is_refused(server: FakeServer) -> None:
    row = {"graph": {"type": "uri", "value": "urn:x-g"}, "triples": {"type": "literal", "value": "²"}}
    server.behave = answer_json({"head": {"vars": ["graph", "triples"]}, "results": {"bindings": [row]}})
    code, output = invoke("query", "--endpoint", server.sparql, "-e", "ASK {}")
    assert code == 3, output
    assert "listed '²' as the triple count of <urn:x-g>" in output


@pytest.mark.parametrize("value", ["²", "٣", "-1", "1.5", ""])
def test_a_count_must_be_ascii_digits(server: FakeServer, value: str) -> None:
    answer = {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": value}}]}}
    server.behave = answer_json(answer)
    client = SparqlClient(Endpoint(server.sparql, timeout=30))
    with pytest.raises(EndpointError, match="where a count was due"):
        client.count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ({"head": {"vars": "xy"}, "results": {"bindings": []}}, '"head" is an object {"vars": "xy"}'),
        ({"head": {"vars": ["x"]}, "results": {"bindings": {}}}, '"results" is an object {"bindings": {}}'),
        ({"head": {}, "boolean": 1}, '"boolean" is a number 1, not true or false'),
    ],
)
def test_answers_that_would_read_as_another_answer_are_refused(server: FakeServer, answer: object, said: str) -> None:
    server.behave = answer_json(EMPTY_LISTING, answer)
    code, output = invoke("query", "--endpoint", server.sparql, "-e", "SELECT ?x WHERE { ?x ?p ?o }")
    assert code == 3, output
    assert said in output


# Injection into an update


def store_backed(store: ox.Store, listing: object) -> Behaviour:
    """A working SPARQL server over ``store``, whose listing of kg's graphs is ``listing``."""

    def behave(handler: BaseHTTPRequestHandler, request: Request) -> None:
        if request.is_listing:
            return send(handler, json.dumps(listing).encode())
        if "update" in request.form:
            store.update(request.form["update"][0])
            return send(handler, b"", "text/plain")
        graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
            ox.NamedNode(g) for g in request.form.get("default-graph-uri", [])
        ]
        result = store.query(request.text, default_graph=graphs or None)
        assert isinstance(result, ox.QuerySolutions | ox.QueryBoolean)
        send(handler, result.serialize(format=ox.QueryResultsFormat.JSON) or b"")

    return behave


def test_a_graph_name_from_the_listing_cannot_add_operations_to_an_update(
    server: FakeServer, tmp_project: Project
) -> None:
    store = ox.Store()
    bystander = ox.Quad(ox.NamedNode("urn:x-s"), ox.NamedNode("urn:x-p"), ox.Literal("kept"), ox.NamedNode("urn:x-b"))
    store.add(bystander)
    row = {"graph": {"type": "uri", "value": INJECTED_NAME}}
    server.behave = store_backed(store, {"head": {"vars": ["graph"]}, "results": {"bindings": [row]}})
    result = run_kg("push", "--endpoint", server.sparql, "--no-validate", project=tmp_project)
    assert result.exit_code == 3, result.output
    assert "holds '>', which an IRI in SPARQL cannot hold" in result.output
    assert not [r for r in server.requests if "DROP ALL" in r.text]
    assert bystander in store


@pytest.mark.parametrize(
    "name",
    [INJECTED_NAME, "urn:x a", 'urn:x"', "urn:x{", "urn:x\\u003E", "urn:x\n", "relative/name", "", "urn:x`"],
)
def test_sparql_iri_refuses_what_iriref_cannot_hold(name: str) -> None:
    from kg.guard.sparql_terms import UnsafeTerm, sparql_iri

    with pytest.raises(UnsafeTerm) as caught:
        sparql_iri(name)
    assert isinstance(caught.value, KgError) and caught.value.exit_code == 3


def test_sparql_iri_writes_an_absolute_iri_as_it_is() -> None:
    from kg.guard.sparql_terms import sparql_iri

    assert sparql_iri("urn:x-kg-staging:https://w3id.org/kg/graph/entities") == (
        "<urn:x-kg-staging:https://w3id.org/kg/graph/entities>"
    )
    assert sparql_iri("http://example.org/ünïcode#x") == "<http://example.org/ünïcode#x>"
