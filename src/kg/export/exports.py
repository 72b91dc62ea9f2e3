"""One export pipeline for every backend: its named graphs, canonical blank-node labels, one writer per format.

``Exports(backend)`` asks the backend for what a format needs, once: its quads in Oxigraph's terms
(Backend.quads) for N-Triples, N-Quads, Turtle and TriG, which Oxigraph writes with no rdflib copy; the
named graphs (Backend.dataset) for RDF/XML and JSON-LD; the whole graph (Backend.graph) for the entity network.
Every RDF format is written from one canonical form (W3C RDFC-1.0 blank-node labels across all graphs,
everything sorted: kg.rdf.quads, kg.rdf.write), so the same graph gives the same bytes whichever backend
holds it. ``kg export`` and ``kg
build``'s dist/ (kg.export.bundle) both write through here.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.backends import Backend
from kg.errors import UsageError
from kg.export.inferred import check_marked, with_inferred
from kg.export.network_formats import NETWORK_FORMATS
from kg.export.owl import OWL_FORMAT, owl_export
from kg.rdf.formats import RDF12_FORMATS, RDF_FORMATS
from kg.rdf.jsonld import JsonLdContext
from kg.rdf.quads import lines_format, turtle_format, union_turtle
from kg.rdf.rdf12 import write_rdf12
from kg.rdf.write import canonical_dataset, union_graph, write_dataset, write_graph
from kg.view.network import Network, build_network


def export_format_names() -> list[str]:
    """Every format ``kg export`` writes: the RDF formats of kg.rdf.formats (RDF 1.2 after 1.1), the OWL
    export, then the network formats."""
    return [*RDF_FORMATS, *RDF12_FORMATS, OWL_FORMAT, *NETWORK_FORMATS]


def format_for_output(path: Path | None, format_name: str | None) -> str:
    """The format asked for, else the one ``path``'s extension names, else Turtle."""
    if format_name is not None:
        if format_name not in export_format_names():
            raise UsageError(f"unknown format {format_name!r} (known: {', '.join(export_format_names())})")
        return format_name
    if path is None:
        return "turtle"
    suffix = path.suffix.lower()
    if suffix == ".owl":  # a file for OWL tools: the export they accept (kg.export.owl), not plain RDF/XML
        return OWL_FORMAT
    if suffix == ".csv":
        raise UsageError(f"{path}: a .csv file holds one table: add --format csv-nodes or --format csv-edges")
    extensions = [(name, f.extensions) for name, f in RDF_FORMATS.items()]
    extensions += [(name, f.extensions) for name, f in NETWORK_FORMATS.items()]
    for name, suffixes in extensions:
        if suffix in suffixes:
            return name
    known = ", ".join(e for _, suffixes in extensions for e in suffixes)
    raise UsageError(f"{path}: cannot tell the format from the extension {suffix!r} (known: {known}); use --format")


class Exports:
    """A backend's graph prepared once for every export format; each part is fetched when first needed."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    @cached_property
    def graph(self) -> Graph:
        return self.backend.graph()

    @cached_property
    def dataset(self) -> Dataset:
        return self.backend.dataset()

    @cached_property
    def context(self) -> JsonLdContext | None:
        return self.backend.jsonld_context()

    @cached_property
    def prefixes(self) -> dict[str, str]:
        return self.backend.prefixes()  # from a store without copying it into rdflib

    @cached_property
    def canonical(self) -> Dataset:
        # Blank nodes are labelled once, for the whole dataset, and every format writes from that.
        return canonical_dataset(self.dataset)

    @cached_property
    def canonical_nquads(self) -> bytes:
        # The same labels as ``canonical``: both are RDFC-1.0 of the same quads.
        return self.backend.canonical_nquads()

    @cached_property
    def canonical_ntriples(self) -> bytes:
        kept = self.backend.canonical_ntriples()
        return kept if kept is not None else lines_format(self.canonical_nquads, "ntriples")

    @cached_property
    def canonical_quads(self) -> ox.Dataset:
        return ox.Dataset(ox.parse(self.canonical_nquads, format=ox.RdfFormat.N_QUADS))

    @cached_property
    def union(self) -> Graph:
        return union_graph(self.canonical)

    @cached_property
    def network(self) -> Network:
        return build_network(self.graph)

    def render(self, format_name: str) -> bytes:
        """The graph in ``format_name``; the same graph always gives the same bytes. Triples a reasoner
        inferred follow the asserted ones, marked as inferred (kg.export.inferred)."""
        format_name = format_for_output(None, format_name)
        inferred = self.backend.inferred()
        if inferred is None:
            return self.render_asserted(format_name)
        check_marked(format_name)
        return with_inferred(self.render_asserted(format_name), inferred, format_name, self.backend.reasoning or "")

    def render_asserted(self, format_name: str) -> bytes:
        if format_name in NETWORK_FORMATS:
            return NETWORK_FORMATS[format_name].write(self.network)
        if format_name == OWL_FORMAT:  # RDF/XML with every literal in OWL 2's datatype map (kg.export.owl)
            return owl_export(self.union)
        if format_name in RDF12_FORMATS:  # written by Oxigraph too: rdflib has no triple terms
            return write_rdf12(self.canonical_quads, format_name, self.prefixes)
        if format_name == "ntriples":  # written by Oxigraph, from the backend's own terms
            return self.canonical_ntriples
        if format_name == "nquads":
            return self.canonical_nquads
        if format_name == "turtle":  # by Oxigraph too, sorted, with the prefixes used (kg.rdf.quads)
            return union_turtle(self.canonical_ntriples, self.prefixes)
        if format_name == "trig":
            return turtle_format(self.canonical_nquads, format_name, self.prefixes)
        if RDF_FORMATS[format_name].holds_named_graphs:
            return write_dataset(self.canonical, format_name, context=self.context)
        return write_graph(self.union, format_name)
