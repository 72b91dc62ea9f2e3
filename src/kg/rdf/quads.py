"""The graph in Oxigraph's terms: RDFC-1.0 canonical blank-node labels, and N-Triples and N-Quads written
by Oxigraph, which is what every export of those formats uses (kg.export.exports): no rdflib copy of a
store's triples on the way.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from kg.guard import limits
from kg.rdf.convert import from_oxigraph, to_oxigraph


def canonical_quads(dataset: ox.Dataset) -> ox.Dataset:
    """``dataset`` with RDFC-1.0 blank-node labels (``_:c14n0``, …), itself if it has no blank nodes.

    The canonicalisation runs in a worker killed at the time limit: on blank nodes that look alike (a few
    small identical cycles) its search grows exponentially, in native code that no signal interrupts.
    """
    if not any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in dataset):
        return dataset

    def canonical_nquads() -> bytes:
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        return serialized(dataset, ox.RdfFormat.N_QUADS)

    what = "giving the blank nodes canonical labels (many blank nodes that look alike?)"
    data = limits.call_with_deadline(what, canonical_nquads)
    return ox.Dataset(ox.parse(data, format=ox.RdfFormat.N_QUADS))


def write_quads(dataset: ox.Dataset, format_name: str) -> bytes:
    """N-Quads (every graph) or N-Triples (their union) of a dataset from canonical_quads, sorted lines."""
    if format_name == "nquads":
        text = serialized(dataset, ox.RdfFormat.N_QUADS)
    elif format_name == "ntriples":
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in dataset)
        text = serialized(triples, ox.RdfFormat.N_TRIPLES)
    else:
        raise NotImplementedError(format_name)
    lines = sorted(set(text.split(b"\n")) - {b""})
    return b"".join(line + b"\n" for line in lines)


def oxigraph_dataset(graphs: Iterable[Graph], default: Node | None) -> ox.Dataset:
    """rdflib graphs as one pyoxigraph dataset: the graph named ``default`` (or each unnamed graph, when
    ``default`` is None) in its default graph, each other graph under its name."""
    dataset = ox.Dataset()
    for graph in graphs:
        name = graph.identifier
        is_default = default is None or name == default
        graph_name = ox.DefaultGraph() if is_default else to_oxigraph(name)
        for s, p, o in graph:
            dataset.add(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), graph_name))  # type: ignore[arg-type]
    return dataset


def rdflib_triple(quad: ox.Quad) -> tuple[Node, Node, Node]:
    return from_oxigraph(quad.subject), from_oxigraph(quad.predicate), from_oxigraph(quad.object)


def serialized(statements: Iterable[ox.Quad] | Iterable[ox.Triple], format: ox.RdfFormat) -> bytes:
    data = ox.serialize(statements, format=format)
    assert data is not None  # with no output given, serialize returns the bytes
    return data
