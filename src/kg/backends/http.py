"""A small client for SPARQL 1.1 servers: the Protocol for queries and updates, the Graph Store HTTP
Protocol for whole graphs.

Built on urllib so that kg needs nothing more at run time. Every request has one deadline for all of it
and a ceiling on the bytes of its answer (kg.backends.transport), and every answer is checked for the
shape the protocol promises before use. Only http and https are spoken; a redirect to another origin is
refused; credentials come from the environment (KG_ENDPOINT_USER, KG_ENDPOINT_PASSWORD) or a netrc
file, are sent only to the endpoint's own origin and only when the server asks, and never appear in a
URL or on the command line. Queries go as GET, or as a form POST when long: a POST with
``Content-Type: application/sparql-query`` never answers on Virtuoso.
"""

from __future__ import annotations

import contextlib
import http.client
import netrc
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.backends.transport import ENV_PASSWORD as ENV_PASSWORD
from kg.backends.transport import ENV_USER as ENV_USER
from kg.backends.transport import (
    AnswerTooLarge,
    ExchangeDeadline,
    SameOriginRedirects,
    WatchedHTTPHandler,
    WatchedHTTPSHandler,
    http_failure,
    origin_of,
    read_bounded,
    transport_failure,
)
from kg.backends.transport import EndpointError as EndpointError
from kg.backends.transport import MissingGraph as MissingGraph
from kg.errors import InputError, UsageError, one_line, shorten
from kg.guard import limits
from kg.query.json_answers import results_document

DEFAULT_TIMEOUT = 120.0
LONGEST_GET_URL = 2000  # longer queries go as a form POST; proxies and servers cut long URLs
RESULTS_JSON = "application/sparql-results+json"
GRAPH_MEDIA_TYPES = "application/n-triples, text/turtle;q=0.9"
USER_AGENT = "kg (https://w3id.org/kg)"
COUNT_LEXICAL = re.compile(r"[0-9]+")  # ASCII digits only: int() also takes "٣", and str.isdigit() takes "²"
LITERAL_TYPES = ("literal", "typed-literal")  # typed-literal: the 2008 JSON note's spelling, which Virtuoso sends


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
        if self.timeout is not None and not 0 < self.timeout <= limits.MAX_TIMEOUT_SECONDS:
            raise UsageError(
                f"the timeout must be a positive number of seconds up to {limits.MAX_TIMEOUT_SECONDS:g}, "
                f"not {self.timeout:g}"
            )

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


def build_opener(endpoint: Endpoint, credentials: Credentials | None) -> urllib.request.OpenerDirector:
    """An opener for http(s) only: urllib's default one also reads file: and ftp: URLs."""
    handlers: list[urllib.request.BaseHandler] = [
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        WatchedHTTPHandler(),  # each connection shut down at the request's deadline (kg.backends.transport)
        WatchedHTTPSHandler(),
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
            return results_document(response.body, self.endpoint.query_url)  # checked for shape before any use
        except InputError as exc:
            raise EndpointError(str(exc)) from None

    def count(self, query: str, default_graphs: Sequence[str] = ()) -> int:
        """The integer in the first binding of the first row, as a COUNT query returns it."""
        rows = self.select(query, default_graphs).get("results", {}).get("bindings", [])
        terms = list(rows[0].values()) if rows else []
        if not terms or terms[0]["type"] not in LITERAL_TYPES or not COUNT_LEXICAL.fullmatch(terms[0]["value"]):
            sent = repr(shorten(terms[0]["value"], 40)) if terms else "nothing"
            raise EndpointError(f"{self.endpoint.query_url} sent {sent} where a count was due, for: {one_line(query)}")
        return int(terms[0]["value"])

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
        """One exchange, all of it (connect, headers, every byte) within the endpoint's timeout."""
        request = urllib.request.Request(url, data=body, method=method, headers={"User-Agent": USER_AGENT, **headers})
        timeout = self.endpoint.timeout
        failure: EndpointError | None = None
        with ExchangeDeadline(timeout) as deadline:
            try:
                response = self.exchange(request, deadline.remaining(), what)
            except urllib.error.HTTPError as exc:
                failure = http_failure(exc, what, url)
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                failure = transport_failure(exc, what, url, timeout)
        if deadline.expired:  # whatever the cut-off exchange looked like: a short answer, a broken connection
            raise EndpointError(f"{origin_of(url)} did not answer the {what} within {timeout or 0:g} s")
        if failure is not None:
            raise failure
        return response

    def exchange(self, request: urllib.request.Request, timeout: float | None, what: str) -> Response:
        with self.opener.open(request, timeout=timeout) as answer:
            try:
                data = read_bounded(answer, limits.current().max_input_bytes)
            except AnswerTooLarge as exc:
                raise EndpointError(
                    f"{origin_of(request.full_url)} sent an answer to the {what} of {exc}; "
                    "raise the limit with --max-input-size"
                ) from None
            status, content_type = answer.status, answer.headers.get("Content-Type", "")
            partial = answer.headers.get("X-SQL-State") == "S1TAT"
        if partial:
            # Virtuoso's own time limit: HTTP 200 with a partial answer, marked only by this header.
            raise EndpointError(
                f"{origin_of(request.full_url)} stopped the {what} at its time limit and sent a partial answer"
            )
        return Response(status, content_type, data)


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
