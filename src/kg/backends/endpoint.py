"""Any SPARQL 1.1 server as a backend: queries travel over the SPARQL Protocol.

Which graph is "the graph" on a server: after ``kg push``, the named graphs that its dataset description
(``kgg:void``) lists as subsets, which together hold the merged graph; every query names them as
default graphs (``default-graph-uri``), so that nothing else on the server (other datasets, a server's
own system graphs, kg's staging graphs) leaks into answers. Without a kg push, the graphs given with
``--graph``, or else whatever the server calls its default graph.

Bindings (``--bind``) go to the server as a VALUES block at the start of the query's WHERE clause: the
SPARQL Protocol has no other way to pass them, and terms are written by kg.guard.sparql_terms, never
pasted as text a user typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import VOID
from rdflib.term import Node

from kg.backends import Backend, constructed_graph
from kg.backends.http import COUNT_LEXICAL, LITERAL_TYPES, RESULTS_JSON, Endpoint, EndpointError, SparqlClient
from kg.errors import UsageError
from kg.guard import netguard
from kg.guard.sparql_reader import with_prefix_declarations
from kg.guard.sparql_reader import with_values as values_opening_where
from kg.guard.sparql_terms import sparql_iri
from kg.query.engines import (
    QUERY_PREFIXES,
    QueryResult,
    columns_by_name,
    refuse_remote_access,
    result_graph,
)
from kg.query.engines import rdflib_parse as parse_query
from kg.query.results import parse_json_results
from kg.rdf.formats import RDF_FORMATS
from kg.rdf.load import parse_bytes
from kg.rdf.split import KGG, VOID_GRAPH
from kg.rdf.void import DATASET

if TYPE_CHECKING:
    from pathlib import Path

LISTED_GRAPHS = f"""SELECT ?graph ?triples WHERE {{
  GRAPH <{VOID_GRAPH}> {{ <{DATASET}> <{VOID.subset}> ?graph . OPTIONAL {{ ?graph <{VOID.triples}> ?triples }} }}
}} ORDER BY ?graph"""
ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def allow_endpoint(endpoint: Endpoint) -> None:
    """Let kg's network guard through to the hosts the user named, and only those."""
    for url in (endpoint.query_url, endpoint.update_url, endpoint.graph_store_url):
        if url is not None:
            netguard.allow_host(urlsplit(url).hostname or "")


def listed_graphs(client: SparqlClient) -> dict[str, int | None]:
    """The named graphs the server's kg dataset description lists, with their triple counts: {} if none.

    Each row is checked before use: a name goes into SPARQL text later (kg push drops old graphs by name),
    so it must be an IRI that sparql_iri can write, and a count must be ASCII digits."""
    source = client.endpoint.query_url
    answer = client.select(LISTED_GRAPHS)
    if "boolean" in answer:
        raise EndpointError(f"{source} answered the SELECT that lists kg's graphs with a boolean")
    return dict(listed_graph(row, source) for row in answer["results"]["bindings"])


def listed_graph(row: Mapping[str, Mapping[str, str]], source: str) -> tuple[str, int | None]:
    graph, triples = row.get("graph"), row.get("triples")
    if graph is None or graph["type"] != "uri":
        sent = f"{graph['type']} {graph['value']!r}" if graph else "no ?graph"
        raise EndpointError(f"{source} listed a graph of kg's dataset as {sent}, not an IRI")
    sparql_iri(graph["value"], f"the graph name {source} listed")  # refused here, before anything is sent
    if triples is not None and not (triples["type"] in LITERAL_TYPES and COUNT_LEXICAL.fullmatch(triples["value"])):
        raise EndpointError(f"{source} listed {triples['value']!r} as the triple count of <{graph['value']}>")
    return graph["value"], int(triples["value"]) if triples is not None else None


class EndpointEngine:
    """Runs queries on a SPARQL server over the kg graphs; answers come back as kg's QueryResult."""

    def __init__(self, client: SparqlClient, default_graphs: Sequence[str]) -> None:
        self.client = client
        self.default_graphs = list(default_graphs)

    def run(self, query: str, bindings: Mapping[str, Node] | None = None, *, source: str = "<query>") -> QueryResult:
        # Parsed here first: a mistake is reported with its line and column, as on the other backends,
        # and SERVICE and FROM are refused, as there: kg queries only the graph.
        parsed, star = parse_query(query, source)
        refuse_remote_access(parsed, source)
        text = with_prefixes(with_values(query, bindings or {}, source))
        if parsed.algebra.name in ("ConstructQuery", "DescribeQuery"):
            answer = self.client.construct(text, self.default_graphs)
            graph = parse_bytes(answer.body, RDF_FORMATS["turtle"], source=self.client.endpoint.query_url)
            return QueryResult("graph", graph=result_graph(graph))
        answer = self.client.query(text, RESULTS_JSON, self.default_graphs)
        result = parse_json_results(answer.body, self.client.endpoint.query_url)
        return columns_by_name(result) if star and result.kind == "select" else result


def with_prefixes(query: str) -> str:
    """``query`` with a PREFIX line for each of kg's prefixes it does not declare itself: the local
    engines know them, a server does not."""
    return with_prefix_declarations(query, QUERY_PREFIXES)


def with_values(query: str, bindings: Mapping[str, Node], source: str) -> str:
    """``query`` with a VALUES block for ``bindings`` opening its WHERE clause; unchanged without bindings."""
    if not bindings:
        return query
    for name, term in bindings.items():
        if isinstance(term, BNode):
            raise UsageError(f"--bind {name}: a blank node cannot be sent to a server; give an IRI or a literal")
    sent = values_opening_where(query, bindings)
    if sent is None:
        raise UsageError(f"{source}: --bind needs a WHERE clause to give the values to")
    return sent


class EndpointBackend(Backend):
    """The graph on a SPARQL 1.1 server; ``graphs`` overrides the graphs kg push listed there."""

    def __init__(
        self,
        endpoint: Endpoint,
        graphs: Sequence[str] = (),
        client: SparqlClient | None = None,
        context_file: Path | None = None,
    ) -> None:
        allow_endpoint(endpoint)
        self.endpoint = endpoint
        self.client = client or SparqlClient.from_environment(endpoint)
        self.given_graphs = list(graphs)
        self.context_file = context_file  # the project's JSON-LD context, for JSON-LD exports as from the files

    @cached_property
    def listed(self) -> dict[str, int | None]:
        return listed_graphs(self.client)

    @cached_property
    def graphs(self) -> list[str]:
        """The graphs queries run over: those given, else those kg push listed, else none (the server's default)."""
        if self.given_graphs:
            return self.given_graphs
        return sorted(self.listed)

    def describe(self) -> str:
        return f"the SPARQL endpoint {self.endpoint.query_url}"

    def make_engine(self) -> EndpointEngine:
        return EndpointEngine(self.client, self.graphs)

    def triple_count(self) -> int:
        return self.client.count(COUNT_TRIPLES, self.graphs)

    def graph(self) -> Graph:
        return self.construct(ALL_TRIPLES, source=self.endpoint.query_url)

    def dataset(self) -> Dataset:
        """The kg graphs and the dataset description as named graphs, as kg push published them; with
        ``--graph``, or on a server kg push has not filled, the graph queries see, as the default graph."""
        dataset = Dataset()
        for prefix, namespace in {**QUERY_PREFIXES, "kgg": str(KGG)}.items():
            dataset.bind(prefix, namespace)
        if self.given_graphs or not self.listed:
            dataset.default_graph += self.graph()
            return dataset
        whole_server = EndpointEngine(self.client, [])  # GRAPH <name> reaches only the dataset's named graphs
        for name in [*self.graphs, str(VOID_GRAPH)]:
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {sparql_iri(name, 'the graph name')} {{ ?s ?p ?o }} }}"
            part = constructed_graph(whole_server.run(query, source=name), name)
            target = dataset.graph(URIRef(name))
            for triple in part:
                target.add(triple)
        return dataset


def check_reachable(client: SparqlClient) -> None:
    """Ask the server the smallest question, so that a wrong URL fails before any work is done."""
    answer = client.select("ASK {}")
    if "boolean" not in answer:
        raise EndpointError(f"{client.endpoint.query_url} did not answer ASK {{}} as a SPARQL endpoint would")
