"""kg push and the endpoint backend, against a small SPARQL 1.1 server run in the test over an Oxigraph store.

The server speaks the Protocol (GET and form POST queries, form updates) and the Graph Store HTTP
Protocol, and can be told to fail, so that what a failed push leaves behind can be checked exactly.
tests/test_virtuoso.py runs the same push against a real Virtuoso.
"""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.backends import push as push_module
from kg.backends.endpoint import EndpointBackend, listed_graphs
from kg.backends.http import Endpoint, EndpointError, SparqlClient
from kg.backends.push import STAGING_PREFIX, push_dataset
from kg.export.bundle import BundleExports
from kg.export.exports import Exports
from kg.project import Project
from kg.query.engines import RdflibEngine
from kg.rdf.split import VOID_GRAPH
from support.answers import LIBRARY, assert_same_answer
from support.cli import run_kg


@dataclass
class OxigraphServer:
    """A SPARQL server over an in-memory Oxigraph store; ``fail`` may turn any request into an error."""

    url: str
    store: ox.Store
    requests: list[tuple[str, str]] = field(default_factory=list)
    fail: Callable[[str, str, bytes], int | None] = lambda method, path, body: None
    mangle: Callable[[str, str, bytes], bytes] = lambda method, graph, body: body

    @property
    def endpoint(self) -> Endpoint:
        return Endpoint(f"{self.url}/sparql", graph_store_url=f"{self.url}/store", timeout=30)

    def count(self, graph: str) -> int:
        return len(list(self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))

    def graph_names(self) -> set[str]:
        return {
            g.value for g in self.store.named_graphs() if len(list(self.store.quads_for_pattern(None, None, None, g)))
        }


def answer_query(store: ox.Store, query: str, default_graphs: list[str]) -> tuple[bytes, str]:
    graphs = [ox.NamedNode(g) for g in default_graphs] or None
    result = store.query(query, default_graph=graphs)
    if isinstance(result, ox.QueryTriples):
        return ox.serialize(result, format=ox.RdfFormat.N_TRIPLES), "application/n-triples"
    return result.serialize(format=ox.QueryResultsFormat.JSON), "application/sparql-results+json"


def graph_store(store: ox.Store, method: str, graph: str, body: bytes) -> tuple[int, bytes]:
    name = ox.NamedNode(graph)
    if method == "GET":
        if not store.contains_named_graph(name):
            return 404, b""
        return 200, store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
    if method in ("PUT", "DELETE"):
        existed = store.contains_named_graph(name)
        store.remove_graph(name) if existed else None
        if method == "DELETE":
            return (200 if existed else 404), b""
    store.load(body, format=ox.RdfFormat.N_TRIPLES, to_graph=name)
    return 201, b""


@pytest.fixture
def oxigraph_server() -> Iterator[OxigraphServer]:
    server = OxigraphServer("", ox.Store())

    class Handler(BaseHTTPRequestHandler):
        def handle_any(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            params = urllib.parse.parse_qs(parts.query)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            server.requests.append((self.command, parts.path))
            failure = server.fail(self.command, parts.path, body)
            if failure is not None:
                return self.reply(failure, b"injected failure", "text/plain")
            try:
                if parts.path == "/store":
                    name = params["graph"][0]
                    status, data = graph_store(
                        server.store, self.command, name, server.mangle(self.command, name, body)
                    )
                    return self.reply(status, data, "application/n-triples")
                form = urllib.parse.parse_qs(body.decode()) if self.command == "POST" else params
                if "update" in form:
                    server.store.update(form["update"][0])
                    return self.reply(200, b"", "text/plain")
                data, media_type = answer_query(server.store, form["query"][0], form.get("default-graph-uri", []))
                return self.reply(200, data, media_type)
            except (SyntaxError, OSError, ValueError) as exc:
                return self.reply(400, str(exc).encode(), "text/plain")

        def reply(self, status: int, data: bytes, media_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = handle_any

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def curated_dataset(curated_exports: BundleExports) -> Dataset:
    return curated_exports.dataset


def graph_counts(dataset: Dataset) -> dict[str, int]:
    return {str(g.identifier): len(g) for g in dataset.graphs() if len(g) and str(g.identifier).startswith("http")}


def test_a_push_publishes_every_named_graph_and_lists_them(oxigraph_server: OxigraphServer, curated_dataset) -> None:
    client = SparqlClient(oxigraph_server.endpoint)
    report = push_dataset(client, curated_dataset)
    expected = graph_counts(curated_dataset)
    assert dict(report.graphs) == expected
    assert {name: oxigraph_server.count(name) for name in expected} == expected
    assert oxigraph_server.graph_names() == set(expected)  # no staging graph is left
    assert set(listed_graphs(client)) == set(expected) - {str(VOID_GRAPH)}
    assert "every graph's triple count verified" in report.summary()


def test_a_push_stages_first_and_switches_in_one_update(oxigraph_server: OxigraphServer, curated_dataset) -> None:
    push_dataset(SparqlClient(oxigraph_server.endpoint), curated_dataset)
    methods = [method for method, path in oxigraph_server.requests if path == "/store"]
    assert set(methods) == {"PUT"}  # the curated graphs are small: one chunk each
    updates = [m for m, path in oxigraph_server.requests if m == "POST" and path == "/sparql"]
    assert len(updates) == 1


@pytest.mark.parametrize("query", LIBRARY, ids=[q.name for q in LIBRARY])
def test_library_queries_answer_on_the_server_as_in_memory(
    query, oxigraph_server: OxigraphServer, curated_dataset, graph: Graph
) -> None:
    push_dataset(SparqlClient(oxigraph_server.endpoint), curated_dataset)
    bindings = query.bindings({})
    expected = RdflibEngine(graph).run(query.text, bindings, source=str(query.path))
    found = EndpointBackend(oxigraph_server.endpoint).engine().run(query.text, bindings, source=str(query.path))
    assert_same_answer(found, expected, query.text)


def test_the_server_graph_and_exports_match_the_project(
    oxigraph_server, curated_dataset, curated_exports, graph
) -> None:
    push_dataset(SparqlClient(oxigraph_server.endpoint), curated_dataset)
    backend = EndpointBackend(oxigraph_server.endpoint)
    assert backend.triple_count() == len(graph)
    assert isomorphic(backend.graph(), graph)
    from_files = curated_exports
    for format_name in ("nquads", "ntriples"):
        assert Exports(backend).render(format_name) == from_files.render(format_name), format_name


def test_a_push_without_a_graph_store_uses_insert_data(oxigraph_server: OxigraphServer, curated_dataset) -> None:
    endpoint = Endpoint(f"{oxigraph_server.url}/sparql", timeout=30)
    push_dataset(SparqlClient(endpoint), curated_dataset)
    expected = graph_counts(curated_dataset)
    assert {name: oxigraph_server.count(name) for name in expected} == expected
    assert not any(path == "/store" for _, path in oxigraph_server.requests)


def test_large_graphs_go_in_chunks_with_blank_nodes_together(oxigraph_server, monkeypatch) -> None:
    monkeypatch.setattr(push_module, "CHUNK_TRIPLES", 10)
    dataset = Dataset()
    part = dataset.graph(URIRef("https://w3id.org/kg/graph/test"))
    for i in range(45):
        part.add((URIRef(f"http://ex/s{i}"), URIRef("http://ex/p"), Literal(i)))
    part.parse(data="<http://ex/a> <http://ex/q> [ <http://ex/r> [ <http://ex/t> 1 ] ] .", format="turtle")
    push_dataset(SparqlClient(oxigraph_server.endpoint), dataset)
    methods = [m for m, path in oxigraph_server.requests if path == "/store"]
    assert methods[0] == "PUT" and methods.count("POST") == 4
    assert oxigraph_server.count("https://w3id.org/kg/graph/test") == 48
    linked = "SELECT ?x WHERE { GRAPH ?g { <http://ex/a> <http://ex/q>/<http://ex/r>/<http://ex/t> ?x } }"
    assert len(list(oxigraph_server.store.query(linked))) == 1


def test_graphs_no_longer_in_the_dataset_are_removed(oxigraph_server: OxigraphServer, curated_dataset) -> None:
    client = SparqlClient(oxigraph_server.endpoint)
    bigger = Dataset()
    for graph in curated_dataset.graphs():
        bigger.graph(graph.identifier).__iadd__(graph)
    extra = "https://w3id.org/kg/graph/source/retracted"
    bigger.graph(URIRef(extra)).add((URIRef("http://ex/s"), URIRef("http://ex/p"), Literal("gone soon")))
    void = bigger.graph(VOID_GRAPH)
    void.add((URIRef("https://w3id.org/kg/dataset"), URIRef("http://rdfs.org/ns/void#subset"), URIRef(extra)))
    push_dataset(client, bigger)
    assert extra in oxigraph_server.graph_names()
    report = push_dataset(client, curated_dataset)
    assert report.removed == (extra,)
    assert extra not in oxigraph_server.graph_names()


def test_a_failed_upload_leaves_the_previous_version(oxigraph_server: OxigraphServer, curated_dataset) -> None:
    client = SparqlClient(oxigraph_server.endpoint)
    push_dataset(client, curated_dataset)
    before = {name: oxigraph_server.count(name) for name in oxigraph_server.graph_names()}
    changed = Dataset()
    for graph in curated_dataset.graphs():
        changed.graph(graph.identifier).__iadd__(graph)
    entities = changed.graph(URIRef("https://w3id.org/kg/graph/entities"))
    entities.add((URIRef("http://ex/new"), URIRef("http://ex/p"), Literal("new")))
    puts = iter(range(100))
    oxigraph_server.fail = lambda method, path, body: 500 if method == "PUT" and next(puts) == 2 else None
    with pytest.raises(EndpointError, match="refused the PUT of graph <urn:x-kg-staging:"):
        push_dataset(client, changed)
    after = {name: oxigraph_server.count(name) for name in before}
    assert after == before


def test_a_server_that_drops_triples_is_caught(oxigraph_server: OxigraphServer, curated_dataset) -> None:
    def lossy(method: str, graph: str, body: bytes) -> bytes:
        # loses the first triple of the entities graph, and answers 201 all the same
        return b"\n".join(body.split(b"\n")[1:]) if graph.endswith("/graph/entities") else body

    oxigraph_server.mangle = lossy
    with pytest.raises(EndpointError) as caught:
        push_dataset(SparqlClient(oxigraph_server.endpoint), curated_dataset)
    expected = graph_counts(curated_dataset)["https://w3id.org/kg/graph/entities"]
    assert f"while staging <https://w3id.org/kg/graph/entities>, the server holds {expected - 1:,} triples" in str(
        caught.value
    )
    assert not any(name.startswith("https://") for name in oxigraph_server.graph_names())  # nothing switched


def test_the_switch_failing_says_the_server_may_hold_a_mix(oxigraph_server: OxigraphServer, curated_dataset) -> None:
    oxigraph_server.fail = lambda method, path, body: 500 if b"MOVE" in body else None
    with pytest.raises(EndpointError, match="the switch from the staging graphs failed"):
        push_dataset(SparqlClient(oxigraph_server.endpoint), curated_dataset)
    assert all(name.startswith(STAGING_PREFIX) for name in oxigraph_server.graph_names())


def test_kg_push_on_the_command_line(oxigraph_server: OxigraphServer, tmp_project: Project) -> None:
    url = oxigraph_server.url
    result = run_kg("push", "--endpoint", f"{url}/sparql", "--graph-store", f"{url}/store", project=tmp_project)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("pushed ") and f"named graphs to {url}/sparql" in result.output


def test_kg_push_to_nothing_fails_before_loading(tmp_project: Project) -> None:
    result = run_kg("push", "--endpoint", "http://127.0.0.1:9/sparql", project=tmp_project)
    assert result.exit_code == 3
    assert (
        "kg: error: cannot connect to http://127.0.0.1:9: connection refused (is the server running?)" in result.output
    )
