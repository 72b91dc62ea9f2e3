"""Where the graph lives, behind one small interface: in memory, in an Oxigraph store, or on a SPARQL server.

- ``MemoryBackend`` (kg.backends.memory), the default: the project's files parsed into an rdflib graph on
  every run. Right for the curated graph and anything up to some hundred thousand triples.
- ``OxigraphBackend`` (kg.backends.oxigraph): an on-disk Oxigraph store that ``kg load --store
  oxigraph:PATH`` fills once; later commands open it without parsing anything. Millions of triples.
- ``EndpointBackend`` (kg.backends.endpoint): any SPARQL 1.1 server, through the Protocol for queries;
  ``kg push`` publishes to it through the Graph Store HTTP Protocol (kg.backends.push).

Every backend answers the same queries with the same QueryResult, so formatting, golden comparisons
and the commands on top do not care where the graph lives. This module imports neither rdflib nor
pyoxigraph: the backend modules load what they need, when they are used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kg.errors import UsageError

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.query.engines import QueryEngine

STORE_KINDS = ("oxigraph",)


class Backend(Protocol):
    """What kg needs of a place that holds the graph."""

    def describe(self) -> str:
        """Where the graph is, in words for messages: ``Oxigraph store data/store``."""
        ...

    def engine(self) -> QueryEngine:
        """The SPARQL engine that answers queries over the whole graph."""
        ...

    def triple_count(self) -> int:
        """How many triples the graph holds (its default graph, as queries see it)."""
        ...

    def export(self, format_name: str) -> bytes:
        """The graph in one of kg export's formats; the same graph always gives the same bytes."""
        ...

    def construct(self, query: str, source: str = "<query>") -> Graph:
        """The graph a CONSTRUCT (or DESCRIBE) query returns, for views of part of the graph."""
        ...

    def graph(self) -> Graph:
        """The whole graph as an rdflib graph, for validation and whole-graph views.

        Free in memory; on a store it copies every triple, which at millions of triples takes a while.
        """
        ...


def store_path(spec: str) -> Path:
    """The folder of a ``--store`` value: ``oxigraph:PATH``."""
    kind, colon, path = spec.partition(":")
    if not colon or kind not in STORE_KINDS or not path:
        raise UsageError(f"--store {spec!r}: write oxigraph:PATH, the folder of an Oxigraph store")
    return Path(path)


def constructed_graph(result: object, source: str) -> Graph:
    """The graph of a CONSTRUCT or DESCRIBE answer; any other kind of query is a usage error."""
    kind = getattr(result, "kind", None)
    graph = getattr(result, "graph", None)
    if kind != "graph" or graph is None:
        raise UsageError(f"{source}: expected a CONSTRUCT or DESCRIBE query, which returns a graph, not {kind} results")
    return graph
