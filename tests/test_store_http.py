"""The SPARQL HTTP client: how requests look on the wire, credentials, redirects, timeouts and errors.

A small HTTP server on loopback records every request and answers as each test tells it to.
"""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kg.backends.http import Credentials, Endpoint, EndpointError, SparqlClient, credentials_for
from kg.errors import UsageError
from support.servers import QuietHandler, serving

ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class Answer:
    status: int = 200
    body: bytes = ASK_TRUE
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/sparql-results+json"})
    hold: threading.Event | None = None  # answer only once this is set


@dataclass
class FakeServer:
    """Answers every request with ``respond(seen)``; ``requests`` keeps what arrived."""

    url: str
    requests: list[Seen]
    respond: Callable[[Seen], Answer]


@pytest.fixture
def server() -> Iterator[FakeServer]:
    requests: list[Seen] = []
    state = FakeServer("", requests, lambda seen: Answer())

    class Handler(QuietHandler):
        def handle_any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            parts = urllib.parse.urlsplit(self.path)
            seen = Seen(
                self.command,
                parts.path,
                urllib.parse.parse_qs(parts.query),
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length),
            )
            requests.append(seen)
            answer = state.respond(seen)
            if answer.hold is not None:
                answer.hold.wait(timeout=60)
            try:
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first, as the timeout test means it to

    with serving(Handler) as state.url:
        yield state


def client_for(server: FakeServer, *, timeout: float = 5, credentials: Credentials | None = None) -> SparqlClient:
    endpoint = Endpoint(f"{server.url}/sparql", graph_store_url=f"{server.url}/store", timeout=timeout)
    return SparqlClient(endpoint, credentials)


def test_a_short_query_is_a_get_with_the_protocol_parameters(server: FakeServer) -> None:
    client = client_for(server)
    assert client.select("ASK {}", default_graphs=["http://g/1", "http://g/2"]) == {"head": {}, "boolean": True}
    (seen,) = server.requests
    assert (seen.method, seen.path) == ("GET", "/sparql")
    assert seen.query == {"query": ["ASK {}"], "default-graph-uri": ["http://g/1", "http://g/2"]}
    assert seen.headers["accept"] == "application/sparql-results+json"


def test_a_long_query_is_a_form_post_never_a_sparql_query_body(server: FakeServer) -> None:
    query = "ASK { " + " ".join(f"<http://example.org/{i}> a ?t ." for i in range(200)) + " }"
    client_for(server).select(query)
    (seen,) = server.requests
    assert seen.method == "POST"
    assert seen.headers["content-type"] == "application/x-www-form-urlencoded"
    assert urllib.parse.parse_qs(seen.body.decode()) == {"query": [query]}


def test_updates_go_as_a_form_post(server: FakeServer) -> None:
    client_for(server).update("CLEAR SILENT GRAPH <http://g>")
    (seen,) = server.requests
    assert (seen.method, seen.headers["content-type"]) == ("POST", "application/x-www-form-urlencoded")
    assert urllib.parse.parse_qs(seen.body.decode()) == {"update": ["CLEAR SILENT GRAPH <http://g>"]}


def test_graph_store_requests_name_the_graph_and_the_media_type(server: FakeServer) -> None:
    client = client_for(server)
    client.put_graph("http://g/a?b", b"<http://s> <http://p> <http://o> .\n")
    client.post_graph("http://g/a?b", b"", "text/turtle")
    client.delete_graph("http://g/a?b")
    put, post, delete = server.requests
    assert [r.method for r in (put, post, delete)] == ["PUT", "POST", "DELETE"]
    assert all(r.path == "/store" and r.query == {"graph": ["http://g/a?b"]} for r in (put, post, delete))
    assert put.headers["content-type"] == "application/n-triples"
    assert put.body == b"<http://s> <http://p> <http://o> .\n"
    assert post.headers["content-type"] == "text/turtle"


def test_a_missing_graph_is_none_and_deleting_it_is_no_error(server: FakeServer) -> None:
    server.respond = lambda seen: Answer(404, b"Not found", {"Content-Type": "text/plain"})
    client = client_for(server)
    assert client.get_graph("http://g/none") is None
    client.delete_graph("http://g/none")


def test_credentials_go_only_where_the_server_asks_and_never_into_the_url(server: FakeServer) -> None:
    expected = "Basic " + base64.b64encode(b"analyst:s3cret").decode()

    def respond(seen: Seen) -> Answer:
        if seen.headers.get("authorization") != expected:
            return Answer(401, b"login", {"WWW-Authenticate": 'Basic realm="kg"', "Content-Type": "text/plain"})
        return Answer()

    server.respond = respond
    assert client_for(server, credentials=Credentials("analyst", "s3cret")).select("ASK {}")["boolean"] is True
    first, second = server.requests
    assert "authorization" not in first.headers
    assert second.headers["authorization"] == expected
    assert all("s3cret" not in r.path + json.dumps(r.query) for r in server.requests)


def test_a_refused_login_says_where_credentials_come_from(server: FakeServer) -> None:
    server.respond = lambda seen: Answer(401, b"no", {"WWW-Authenticate": 'Basic realm="kg"'})
    with pytest.raises(EndpointError) as caught:
        client_for(server).select("ASK {}")
    assert "HTTP 401" in str(caught.value)
    assert "KG_ENDPOINT_USER/KG_ENDPOINT_PASSWORD" in str(caught.value)


def test_credentials_come_from_the_environment_first_then_netrc(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine db.example.org login curator password from-netrc\n", encoding="utf-8")
    netrc.chmod(0o600)
    url = "https://db.example.org/sparql"
    environment = {"KG_ENDPOINT_USER": "analyst", "KG_ENDPOINT_PASSWORD": "from-env", "NETRC": str(netrc)}
    assert credentials_for(url, environment) == Credentials("analyst", "from-env")
    assert credentials_for(url, {"NETRC": str(netrc)}) == Credentials("curator", "from-netrc")
    assert credentials_for("https://other.example.org/sparql", {"NETRC": str(netrc)}) is None
    assert "from-env" not in repr(Credentials("analyst", "from-env"))
    with pytest.raises(UsageError, match="set both"):
        credentials_for(url, {"KG_ENDPOINT_USER": "analyst"})


def test_credentials_in_the_url_and_other_schemes_are_refused() -> None:
    with pytest.raises(UsageError, match="do not put credentials in the endpoint URL"):
        Endpoint("https://analyst:s3cret@db.example.org/sparql")
    for url in ("file:///etc/passwd", "ftp://example.org/sparql", "localhost:8890/sparql"):
        with pytest.raises(UsageError, match="not an http or https URL"):
            Endpoint(url)


def test_a_redirect_to_another_host_is_refused(server: FakeServer) -> None:
    server.respond = lambda seen: Answer(302, b"", {"Location": "http://127.0.0.2:9/steal"})
    with pytest.raises(EndpointError, match="redirected to another host"):
        client_for(server).select("ASK {}")
    assert len(server.requests) == 1


def test_a_redirect_within_the_server_is_followed(server: FakeServer) -> None:
    def respond(seen: Seen) -> Answer:
        if seen.path == "/sparql":
            return Answer(302, b"", {"Location": f"{server.url}/moved?{urllib.parse.urlencode({'query': 'ASK {}'})}"})
        return Answer()

    server.respond = respond
    assert client_for(server).select("ASK {}")["boolean"] is True
    assert [r.path for r in server.requests] == ["/sparql", "/moved"]


def test_a_slow_server_times_out_with_a_clear_error(server: FakeServer) -> None:
    release = threading.Event()
    server.respond = lambda seen: Answer(hold=release)
    try:
        # The server answers only when released, after the call: the error can only be the client's own timeout.
        with pytest.raises(EndpointError, match=r"did not answer the query within 0.5 s"):
            client_for(server, timeout=0.5).select("ASK {}")
        assert len(server.requests) == 1  # asked once, and not again after giving up
    finally:
        release.set()


def test_nothing_listening_is_a_clear_error() -> None:
    endpoint = Endpoint("http://127.0.0.1:9/sparql", timeout=5)  # port 9 (discard) is closed on loopback
    with pytest.raises(EndpointError, match=r"cannot connect to http://127.0.0.1:9: connection refused"):
        SparqlClient(endpoint).select("ASK {}")


def test_server_errors_are_one_line_with_the_servers_words(server: FakeServer) -> None:
    page = b"<html><body><h1>Error</h1>\n<p>SP030: SPARQL compiler, line 1: syntax error at 'SELEC'</p></body></html>"
    server.respond = lambda seen: Answer(500, page, {"Content-Type": "text/html"})
    with pytest.raises(EndpointError) as caught:
        client_for(server).select("SELEC * {}")
    message = str(caught.value)
    assert message.startswith(f"{server.url} refused the query: HTTP 500 ")
    assert "SP030: SPARQL compiler, line 1: syntax error at 'SELEC'" in message
    assert "<" not in message and "\n" not in message


def test_a_partial_answer_marked_by_virtuoso_is_an_error(server: FakeServer) -> None:
    headers = {"Content-Type": "application/sparql-results+json", "X-SQL-State": "S1TAT"}
    server.respond = lambda seen: Answer(200, ASK_TRUE, headers)
    with pytest.raises(EndpointError, match="partial answer"):
        client_for(server).select("ASK {}")


def test_an_answer_that_is_not_results_json_is_an_error(server: FakeServer) -> None:
    server.respond = lambda seen: Answer(200, b"<html>login page</html>", {"Content-Type": "text/html"})
    with pytest.raises(EndpointError, match="not SPARQL results JSON"):
        client_for(server).select("ASK {}")
