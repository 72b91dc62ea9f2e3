"""What ``kg render`` draws: the whole graph, one entity's neighbourhood, or a CONSTRUCT query's result.

Only the part to draw is fetched from the backend (kg.view.fetch, through Backend.construct), whether the
graph is the project's files in memory, a store or a server: a focused view of a million-triple store
costs a few small queries, and the page is the same from all three. The whole graph of a store (the cache of
the files, or --store) is read from the store into kg.view.triples, with no rdflib graph of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from rdflib import Graph

from kg.backends import Backend
from kg.view.network import Network, build_network

DEFAULT_DEPTH = 1


@dataclass(frozen=True)
class ViewRequest:
    """The part of the graph to draw; everything when neither a focus nor a query is given."""

    focus: str | None = None
    depth: int = DEFAULT_DEPTH
    query: str | None = None  # the text of a CONSTRUCT query
    query_name: str = "<query>"  # its file, as errors name it


@dataclass(frozen=True)
class PageView:
    """A network to draw, the graph its class names come from, and the words above it."""

    network: Network
    graph: Graph
    title: str
    notes: tuple[str, ...]


def view_of(backend: Backend, request: ViewRequest) -> PageView:
    """The view of ``request``, fetching from the backend only what it shows (the whole graph when neither
    a focus nor a query narrows it down); the same for the files, a store and a server."""
    from kg.query.engines import QUERY_PREFIXES
    from kg.view.fetch import focus_graph, query_view, resolve_focus
    from kg.view.selection import require_construct

    if request.query is not None:
        require_construct(request.query, request.query_name)
        graph = query_view(backend, backend.construct(request.query, source=request.query_name))
        return focused(graph, request, QUERY_PREFIXES)
    if request.focus is not None:
        centre = resolve_focus(backend, request.focus)
        graph = focus_graph(backend, centre, request.depth)
        return focused(graph, ViewRequest(centre, request.depth), QUERY_PREFIXES)
    return whole(backend)


def whole(backend: Backend) -> PageView:
    """The whole graph. A store (the cache of the files, or --store) is read straight into the network, which
    at 20,000 entities takes seconds where parsing the files into rdflib and walking that graph took minutes;
    any other backend (a server, a graph with inferences) hands over its rdflib graph."""
    from kg.backends.oxigraph import OxigraphBackend
    from kg.view.network import store_network

    if isinstance(backend, OxigraphBackend):
        network, triples = store_network(backend.store)
        return PageView(network, triples.class_graph(), "kg graph", ())
    graph = backend.graph()
    return PageView(build_network(graph), graph, "kg graph", ())


def focused(graph: Graph, request: ViewRequest, prefixes: dict[str, str]) -> PageView:
    """The network of ``graph``, or its part around ``request.focus`` when there is one; titled after the
    query that made it, if any."""
    from kg.view.selection import focus_on

    network = build_network(graph)
    title, notes = "kg graph", []
    if request.query is not None:
        name = PurePath(request.query_name).name
        title, notes = f"kg graph: {name}", [f"The graph that {name} constructs."]
    if request.focus is not None:
        view = focus_on(network, request.focus, request.depth, prefixes)
        network, title, notes = view.network, view.title, [*notes, view.note]
    return PageView(network, graph, title, tuple(notes))
