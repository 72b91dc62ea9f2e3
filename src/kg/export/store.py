"""A store's graph in kg export's formats, written by Oxigraph: seconds where rdflib takes minutes at scale.

The bytes depend only on what the store holds: lines are sorted, and blank nodes, whose labels a store
makes up at load time, are first given canonical labels (W3C RDF Dataset Canonicalization, RDFC-1.0).
Triple formats hold the default graph (the merged graph); N-Quads, TriG and JSON-LD hold the named graphs
as well. Unlike an export from the project's files, nothing is added: no VoID description and no split
into one named graph per source; export from the files (or from a server kg push filled) for those.
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
from rdflib import Graph

from kg.query.engines import QUERY_PREFIXES
from kg.rdf.formats import RDF_FORMATS


def export_store(store: ox.Store, format_name: str, rdflib_graph: Callable[[], Graph]) -> bytes:
    """The store in ``format_name``; network formats are built from ``rdflib_graph()``, the whole graph."""
    from kg.export.bundle import format_for_output
    from kg.export.network_formats import NETWORK_FORMATS, network_bytes

    format_name = format_for_output(None, format_name)  # an unknown name is a usage error
    if format_name in NETWORK_FORMATS:
        return network_bytes(rdflib_graph(), format_name)
    with_graphs = RDF_FORMATS[format_name].holds_named_graphs
    lines_format = ox.RdfFormat.N_QUADS if with_graphs else ox.RdfFormat.N_TRIPLES
    dumped = (
        store.dump(format=lines_format)
        if with_graphs
        else store.dump(format=lines_format, from_graph=ox.DefaultGraph())
    )
    data = sorted_lines(canonical_blank_nodes(dumped, lines_format))
    if format_name in ("ntriples", "nquads"):
        return data
    return ox.serialize(
        ox.parse(data, format=lines_format), format=RDF_FORMATS[format_name].oxigraph, prefixes=QUERY_PREFIXES
    )


def canonical_blank_nodes(data: bytes, lines_format: ox.RdfFormat) -> bytes:
    """``data`` with canonical blank node labels; as it is when it has no blank nodes."""
    if b"_:" not in data:  # also true of a literal that contains "_:"; canonicalising then changes nothing
        return data
    dataset = ox.Dataset(ox.parse(data, format=lines_format))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return ox.serialize(dataset, format=lines_format)


def sorted_lines(data: bytes) -> bytes:
    """One statement a line, sorted; UTF-8 byte order is code point order, as kg.rdf.write sorts."""
    return b"".join(sorted(set(data.splitlines(keepends=True))))
