"""A small client for SPARQL 1.1 servers: the Protocol for queries and updates, the Graph Store HTTP
Protocol for whole graphs.

Built on urllib so that kg needs nothing more at run time. Every request has a timeout; only http and
https are spoken; a redirect to another host is refused; credentials come from the environment
(KG_ENDPOINT_USER, KG_ENDPOINT_PASSWORD) or a netrc file, are sent only to the endpoint's own origin and
only when the server asks, and never appear in a URL or on the command line. Queries go as GET, or as a
form POST when long: a POST with ``Content-Type: application/sparql-query`` never answers on Virtuoso.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import netrc
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import KgError, UsageError, one_line, shorten

ENV_USER = "KG_ENDPOINT_USER"
ENV_PASSWORD = "KG_ENDPOINT_PASSWORD"
DEFAULT_TIMEOUT = 120.0
LONGEST_GET_URL = 2000  # longer queries go as a form POST; proxies and servers cut long URLs
RESULTS_JSON = "application/sparql-results+json"
GRAPH_MEDIA_TYPES = "application/n-triples, text/turtle;q=0.9"
USER_AGENT = "kg (https://w3id.org/kg)"


class EndpointError(KgError):
    """The server could not be reached, did not answer in time, or refused or failed a request."""


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class Endpoint:
    """Where a server answers: its query URL, and where it takes updates and whole graphs."""

    query_url: str
    update_url: str | None = None
    graph_store_url: str | None = None
    timeout: float | None = DEFAULT_TIMEOUT  # seconds a request may take; None for no limit

    def __post_init__(self) -> None:
        for url in (self.query_url, self.update_url, self.graph_store_url):
            if url is not None:
                check_url(url)
        if self.timeout is not None and self.timeout <= 0:
            raise UsageError(f"the timeout must be a positive number of seconds, not {self.timeout:g}")

    @property
    def updates_at(self) -> str:
        return self.update_url or self.query_url


def check_url(url: str) -> None:
    """Refuse URLs kg must not use: other schemes than http(s), and credentials written into the URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{url!r} is not an http or https URL of a SPARQL server")
    if parts.username is not None or parts.password is not None:
        raise UsageError(
            f"do not put credentials in the endpoint URL; set {ENV_USER} and {ENV_PASSWORD} "
            "or add the host to your ~/.netrc"
        )


def origin_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def credentials_for(url: str, environ: Mapping[str, str] | None = None) -> Credentials | None:
    """The user and password for ``url``: from the environment, else from netrc ($NETRC or ~/.netrc)."""
    environ = os.environ if environ is None else environ
    user, password = environ.get(ENV_USER), environ.get(ENV_PASSWORD)
    if user or password:
        if not (user and password is not None):
            raise UsageError(f"set both {ENV_USER} and {ENV_PASSWORD}, or neither")
        return Credentials(user, password)
    path = Path(environ["NETRC"]) if environ.get("NETRC") else Path.home() / ".netrc"
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(urllib.parse.urlsplit(url).hostname or "")
    except (netrc.NetrcParseError, OSError) as exc:
        raise UsageError(f"{path}: cannot read the netrc file: {exc}") from exc
    if entry is None:
        return None
    login, _account, secret = entry
    return Credentials(login or "", secret or "")


class SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only within the origin it came from, so a request and its credentials stay there."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if origin_of(newurl) != origin_of(req.full_url):
            raise EndpointError(f"{req.full_url} redirected to another host ({newurl}); kg does not follow it")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def build_opener(endpoint: Endpoint, credentials: Credentials | None) -> urllib.request.OpenerDirector:
    """An opener for http(s) only: urllib's default one also reads file: and ftp: URLs."""
    handlers: list[urllib.request.BaseHandler] = [
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        SameOriginRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ]
    if credentials is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        for url in {endpoint.query_url, endpoint.updates_at, endpoint.graph_store_url} - {None}:
            passwords.add_password(None, origin_of(str(url)), credentials.user, credentials.password)
        handlers += [urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)]
    opener = urllib.request.OpenerDirector()
    for handler in handlers:
        opener.add_handler(handler)
    return opener


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes


class SparqlClient:
    """Requests to one server; every failure is an EndpointError that says what was being done."""

    def __init__(self, endpoint: Endpoint, credentials: Credentials | None = None) -> None:
        self.endpoint = endpoint
        self.opener = build_opener(endpoint, credentials)

    @classmethod
    def from_environment(cls, endpoint: Endpoint) -> SparqlClient:
        return cls(endpoint, credentials_for(endpoint.query_url))

    # SPARQL 1.1 Protocol

    def query(self, query: str, accept: str, default_graphs: Sequence[str] = ()) -> Response:
        params = [("query", query), *(("default-graph-uri", g) for g in default_graphs)]
        encoded = urllib.parse.urlencode(params)
        url = self.endpoint.query_url
        response = (
            self.send("GET", f"{url}{'&' if '?' in url else '?'}{encoded}", None, {"Accept": accept}, "query")
            if len(url) + len(encoded) < LONGEST_GET_URL
            else self.send("POST", url, encoded.encode("ascii"), {"Accept": accept, **FORM}, "query")
        )
        return response

    def select(self, query: str, default_graphs: Sequence[str] = ()) -> dict[str, Any]:
        """A SELECT or ASK answer as SPARQL 1.1 Query Results JSON."""
        response = self.query(query, RESULTS_JSON, default_graphs)
        try:
            answer: dict[str, Any] = json.loads(response.body)
        except ValueError as exc:
            raise EndpointError(
                f"{self.endpoint.query_url} answered a query with something that is not SPARQL results JSON "
                f"({response.content_type or 'no content type'})"
            ) from exc
        return answer

    def count(self, query: str, default_graphs: Sequence[str] = ()) -> int:
        """The integer in the first binding of the first row, as a COUNT query returns it."""
        rows = self.select(query, default_graphs).get("results", {}).get("bindings", [])
        try:
            return int(next(iter(rows[0].values()))["value"])
        except (IndexError, StopIteration, KeyError, ValueError) as exc:
            raise EndpointError(f"{self.endpoint.query_url} gave no count for: {one_line(query)}") from exc

    def construct(self, query: str, default_graphs: Sequence[str] = ()) -> Response:
        """A CONSTRUCT or DESCRIBE answer as N-Triples or Turtle (both parse as Turtle)."""
        return self.check_graph_type(self.query(query, GRAPH_MEDIA_TYPES, default_graphs))

    def update(self, update: str) -> None:
        body = urllib.parse.urlencode({"update": update}).encode("utf-8")
        self.send("POST", self.endpoint.updates_at, body, dict(FORM), "update")

    # SPARQL 1.1 Graph Store HTTP Protocol

    def put_graph(self, graph: str, body: bytes, media_type: str = "application/n-triples") -> None:
        """Replace ``graph`` with ``body``."""
        self.send("PUT", self.graph_url(graph), body, {"Content-Type": media_type}, f"PUT of graph <{graph}>")

    def post_graph(self, graph: str, body: bytes, media_type: str = "application/n-triples") -> None:
        """Add ``body`` to ``graph``."""
        self.send("POST", self.graph_url(graph), body, {"Content-Type": media_type}, f"POST to graph <{graph}>")

    def get_graph(self, graph: str) -> Response | None:
        """The graph as N-Triples or Turtle, or None if the server has no such graph."""
        try:
            response = self.send("GET", self.graph_url(graph), None, {"Accept": GRAPH_MEDIA_TYPES}, "graph GET")
        except MissingGraph:
            return None
        return self.check_graph_type(response)

    def delete_graph(self, graph: str) -> None:
        """Remove ``graph``; a graph that is not there is no error."""
        with contextlib.suppress(MissingGraph):
            self.send("DELETE", self.graph_url(graph), None, {}, f"DELETE of graph <{graph}>")

    def graph_url(self, graph: str) -> str:
        base = self.endpoint.graph_store_url
        if base is None:
            raise UsageError("this needs the server's Graph Store URL (--graph-store URL)")
        return f"{base}{'&' if '?' in base else '?'}{urllib.parse.urlencode({'graph': graph})}"

    def check_graph_type(self, response: Response) -> Response:
        if response.body and not any(t in response.content_type for t in ("n-triples", "turtle", "text/plain")):
            raise EndpointError(
                f"{self.endpoint.query_url} sent {response.content_type or 'no content type'}, not N-Triples or Turtle"
            )
        return response

    # Transport

    def send(self, method: str, url: str, body: bytes | None, headers: dict[str, str], what: str) -> Response:
        request = urllib.request.Request(url, data=body, method=method, headers={"User-Agent": USER_AGENT, **headers})
        try:
            with self.opener.open(request, timeout=self.endpoint.timeout) as answer:
                data = answer.read()
                status, content_type = answer.status, answer.headers.get("Content-Type", "")
                partial = answer.headers.get("X-SQL-State") == "S1TAT"
        except urllib.error.HTTPError as exc:
            raise http_failure(exc, what, url) from exc
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            raise transport_failure(exc, what, url, self.endpoint.timeout) from exc
        if partial:
            # Virtuoso's own time limit: HTTP 200 with a partial answer, marked only by this header.
            raise EndpointError(f"{origin_of(url)} stopped the {what} at its time limit and sent a partial answer")
        return Response(status, content_type, data)


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class MissingGraph(EndpointError):
    """The Graph Store has no graph of that name (HTTP 404)."""


def http_failure(exc: urllib.error.HTTPError, what: str, url: str) -> EndpointError:
    detail = readable_body(exc)
    if exc.code == 404 and ("graph" in what.lower()):
        return MissingGraph(f"{origin_of(url)} has no such graph ({what})")
    hint = ""
    if exc.code in (401, 403):
        hint = f"; check {ENV_USER}/{ENV_PASSWORD} or your netrc, and that the account may do this"
    return EndpointError(
        f"{origin_of(url)} refused the {what}: HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "") + hint
    )


def transport_failure(exc: BaseException, what: str, url: str, timeout: float | None) -> EndpointError:
    if isinstance(exc, EndpointError):
        return exc
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    origin = origin_of(url)
    if isinstance(reason, ConnectionRefusedError):
        return EndpointError(f"cannot connect to {origin}: connection refused (is the server running?)")
    if isinstance(reason, TimeoutError | socket.timeout):
        return EndpointError(f"{origin} did not answer the {what} within {timeout or 0:g} s")
    if isinstance(reason, socket.gaierror):
        return EndpointError(f"cannot connect to {origin}: unknown host")
    if isinstance(reason, ConnectionError | http.client.HTTPException):
        return EndpointError(f"the connection to {origin} broke off during the {what} ({type(reason).__name__})")
    return EndpointError(f"cannot reach {origin} for the {what}: {reason}")


TAGS = re.compile(r"<[^>]*>")


def readable_body(exc: urllib.error.HTTPError, limit: int = 300) -> str:
    """The first words of an error page: servers answer in plain text or HTML."""
    try:
        text = exc.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return ""
    return shorten(one_line(TAGS.sub(" ", text)), limit)
