"""Graphs to bytes in the RDF formats of kg.formats, deterministically."""

from __future__ import annotations

from rdflib import Graph

from kg.formats import RDF_FORMATS


def serialize(graph: Graph, format_name: str = "turtle") -> bytes:
    """The graph in ``format_name``; the same graph always gives the same bytes."""
    fmt = RDF_FORMATS[format_name]
    if fmt.name == "turtle":
        # longturtle sorts subjects and predicates and, with canon, names blank nodes canonically.
        return graph.serialize(format="longturtle", canon=True, encoding="utf-8")
    raise NotImplementedError(fmt.name)
