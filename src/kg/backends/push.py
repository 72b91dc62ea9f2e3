"""Publishing the graph to a SPARQL 1.1 server, one named graph per part of kg's split, each replaced whole.

A plain Graph Store PUT is not atomic on every server (on Virtuoso a reader saw the graph empty, then
partly loaded), so a push goes in three steps, and a failure in any of them is an error that says what
the server now holds:

1. Stage: each graph is uploaded into its own staging graph (``urn:x-kg-staging:`` + its name) — a
   Graph Store PUT, then POSTs of further chunks, or INSERT DATA without a Graph Store — and the
   staging graph's triples are counted. Nothing readers use has changed yet; a push that fails or is
   killed here leaves the previous version whole.
2. Switch: one SPARQL Update request moves every staging graph onto its target, drops the graphs the
   previous push made that this one no longer has, and replaces ``kgg:void`` (the list of graphs that
   make up the dataset) last. Whether a reader can see the switch half done depends on the server; see
   docs/stores.md for what each tested server guarantees.
3. Verify: every target graph is counted again; a count that differs from what was sent is an error.

Blank nodes are scoped to one request, so every triple that mentions one goes in the first chunk.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph
from rdflib.term import Node

from kg.backends.endpoint import listed_graphs
from kg.backends.http import EndpointError, SparqlClient
from kg.backends.progress import Progress, Task
from kg.guard.sparql_terms import sparql_iri
from kg.rdf.convert import oxigraph_quads
from kg.rdf.split import VOID_GRAPH
from kg.rdf.write import named_graphs

STAGING_PREFIX = "urn:x-kg-staging:"
CHUNK_TRIPLES = 50_000
NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class PushReport:
    endpoint: str
    graphs: tuple[tuple[str, int], ...]
    removed: tuple[str, ...]
    seconds: float

    @property
    def triples(self) -> int:
        return sum(count for _, count in self.graphs)

    def summary(self) -> str:
        removed = f", removed {len(self.removed)} graphs no longer in the dataset" if self.removed else ""
        return (
            f"pushed {self.triples:,} triples in {len(self.graphs)} named graphs to {self.endpoint}"
            f"{removed} in {self.seconds:.1f} s; every graph's triple count verified"
        )


def staging_name(graph: str) -> str:
    return f"{STAGING_PREFIX}{graph}"


def graph_term(name: str) -> str:
    return sparql_iri(name, "the graph name")


def count_query(graph: str) -> str:
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph_term(graph)} {{ ?s ?p ?o }} }}"


def push_dataset(client: SparqlClient, dataset: Dataset, progress: Progress | None = None) -> PushReport:
    """Replace the server's kg graphs with the named graphs of ``dataset`` (see the module's docstring)."""
    started = time.monotonic()
    progress = progress or Progress.silent()
    graphs = ordered_graphs(dataset)
    previous = listed_graphs(client)
    expected = {str(g.identifier): len(g) for g in graphs}
    total = sum(expected.values())
    with progress.task(f"uploading to {client.endpoint.query_url}", total=total, unit="triples") as task:
        for graph in graphs:
            stage(client, graph, task)
    removed = sorted(set(previous) - set(expected))
    switch(client, list(expected), removed)
    verify(client, expected, "after the switch")
    return PushReport(client.endpoint.query_url, tuple(expected.items()), tuple(removed), time.monotonic() - started)


def ordered_graphs(dataset: Dataset) -> list[Graph]:
    """The dataset's named graphs by name, the dataset description (kgg:void) last: it is the commit record."""
    graphs = named_graphs(dataset)
    return sorted(graphs, key=lambda g: (g.identifier == VOID_GRAPH, str(g.identifier)))


def stage(client: SparqlClient, graph: Graph, task: Task) -> None:
    name = str(graph.identifier)
    staging = staging_name(name)
    for index, chunk in enumerate(chunks(graph, CHUNK_TRIPLES)):
        upload(client, staging, chunk, replace=index == 0)
        task.advance(chunk.count(b"\n"))
    verify(client, {staging: len(graph)}, f"while staging <{name}>")


def upload(client: SparqlClient, graph: str, body: bytes, *, replace: bool) -> None:
    """Send N-Triples into ``graph``: through the Graph Store if the server has one, else SPARQL Update."""
    if client.endpoint.graph_store_url is not None:
        if replace:
            client.put_graph(graph, body, NTRIPLES)
        else:
            client.post_graph(graph, body, NTRIPLES)
        return
    target = graph_term(graph)
    clear = f"DROP SILENT GRAPH {target} ;\n" if replace else ""
    client.update(f"{clear}INSERT DATA {{ GRAPH {target} {{\n{body.decode('utf-8')}}} }}")


def chunks(graph: Graph, size: int = CHUNK_TRIPLES) -> Iterator[bytes]:
    """The graph as N-Triples in chunks of about ``size`` triples; every blank-node triple in the first.

    Always at least one chunk, so that the first request creates (or empties) the staging graph.
    """
    batch = [t for t in graph if has_blank_node(t)]
    for triple in graph:
        if has_blank_node(triple):
            continue
        if len(batch) >= size:
            yield ntriples(batch)
            batch = []
        batch.append(triple)
    yield ntriples(batch)


def has_blank_node(triple: tuple[Node, Node, Node]) -> bool:
    return isinstance(triple[0], BNode) or isinstance(triple[2], BNode)


def ntriples(triples: list[tuple[Node, Node, Node]]) -> bytes:
    """N-Triples from pyoxigraph's writer, which is quick and exact about escapes."""
    return ox.serialize(oxigraph_quads(triples), format=ox.RdfFormat.N_TRIPLES) or b""


def switch(client: SparqlClient, names: list[str], removed: list[str]) -> None:
    """One update request: every staging graph onto its target, old graphs dropped, the description last."""
    # Every name is written by sparql_iri, so a name from the server's listing cannot add operations.
    operations = [f"DROP SILENT GRAPH {graph_term(name)}" for name in removed]
    operations += [f"MOVE SILENT GRAPH {graph_term(staging_name(name))} TO GRAPH {graph_term(name)}" for name in names]
    try:
        client.update(" ;\n".join(operations))
    except EndpointError as exc:
        raise EndpointError(
            f"the switch from the staging graphs failed, so the server may hold a mix of old and new graphs: {exc}; "
            "push again to finish"
        ) from exc


def verify(client: SparqlClient, expected: dict[str, int], when: str) -> None:
    for name, count in expected.items():
        found = client.count(count_query(name))
        if found != count:
            raise EndpointError(
                f"{when}, the server holds {found:,} triples in <{name}> where {count:,} were sent; "
                "it may have merged or dropped some (see docs/stores.md), or another push ran at the same time"
            )
