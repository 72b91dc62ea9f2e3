"""The project's graph as validation needs it, from an Oxigraph store of the files instead of an rdflib graph.

kg.rdf.load gives validation three things: the merged graph, the file that first described each subject (for
the report's file names) and the direct edges that were derived rather than read (so that a mistake a derived
edge repeats is reported once, kg.validate.scope). ``StoreLoaded`` gives the same from an Oxigraph store of the
files and the direct layer (kg.validate.store_view.project_store): the graph is a view of the store, and the other
two come from one pass of pyoxigraph's parser over the files, made only when a result needs them, never for
a project that conforms.

The store holds the files' triples and the direct layer (kg.rdf.direct.DIRECT_EDGES_UPDATE); the derived
edges are those of its possible direct edges that no file holds, literals compared as rdflib reads them. What
the store's canonical form has lost stays apart: a hand-written edge to "1.50"^^xsd:decimal, which the store
holds as 1.5, counts as derived; that only matters to a result on such an edge whose statement has one too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import IdentifiedNode

from kg.guard import limits
from kg.project import Project
from kg.rdf.convert import from_oxigraph, rdflib_triples, to_oxigraph
from kg.rdf.formats import rdf_format_for_path
from kg.rdf.load import LoadedGraph, check_entity_expansion, located_error, read_input
from kg.validate.store_view import store_graph

# Every triple of the store that the direct layer could have added: a statement's subject with its predicate
# (or a period's bounds). The store holds the files' triples and the derived ones, so those of these that no
# file holds are the derived edges; a join, where the rule itself (kg.rdf.direct) costs seconds at 100k.
EDGE_CANDIDATES = """
PREFIX kg: <https://w3id.org/kg/ontology#>
SELECT DISTINCT ?subject ?property ?object
WHERE {
  { ?statement kg:subject ?subject ; kg:predicate ?property }
  UNION { ?statement kg:subject ?subject . VALUES ?property { kg:earliestDate kg:latestDate } }
  ?subject ?property ?object .
}
"""


class StoreLoaded(LoadedGraph):
    """A LoadedGraph whose graph is a view of a store of the project; origins and derived edges traced on demand."""

    def __init__(self, project: Project, store: ox.Store, dumped: bytes) -> None:
        super().__init__(graph=store_graph(store), files=project.graph_files())
        self.store = store
        self.dumped = dumped  # the store's default graph as N-Triples
        self.origins: dict[str, Path] | None = None  # IRI -> the file that first describes it

    def origin_of(self, node: IdentifiedNode) -> Path | None:
        origins = self.trace()
        return origins.get(str(node)) if isinstance(node, URIRef) else None

    def trace(self) -> dict[str, Path]:
        """Read the files once: the first file of each named subject, and the derived edges (``derived``)."""
        if self.origins is not None:
            return self.origins
        rows = cast("ox.QuerySolutions", self.store.query(EDGE_CANDIDATES))
        candidates = {ox.Triple(s, p, as_rdflib_reads(o)) for s, p, o in rows}  # the SELECT binds all three
        pairs = {(t.subject, t.predicate) for t in candidates}
        origins: dict[str, Path] = {}
        with limits.time_limit("tracing the results to the files"):
            for path in self.files:
                for quad in parsed(path):
                    subject = quad.subject
                    if isinstance(subject, ox.NamedNode):
                        origins.setdefault(subject.value, path)
                    if (subject, quad.predicate) in pairs:
                        candidates.discard(ox.Triple(subject, quad.predicate, as_rdflib_reads(quad.object)))
        self.derived.update(rdflib_triples(candidates))
        self.origins = origins
        return origins


OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def as_rdflib_reads(term: OxTerm) -> OxTerm:
    """A literal spelt as rdflib reads it, so that the store's canonical form and the file's spelling compare."""
    return to_oxigraph(from_oxigraph(term)) if isinstance(term, ox.Literal) else term


def parsed(path: Path) -> Iterator[ox.Quad]:
    """The quads of one graph file, read as kg.rdf.load reads it (the store was loaded from the same bytes)."""
    fmt = rdf_format_for_path(path)
    data = read_input(path)
    if fmt.name == "rdfxml":
        check_entity_expansion(data, str(path))
    try:
        yield from ox.parse(data, format=fmt.oxigraph, base_iri=path.resolve().as_uri(), rename_blank_nodes=True)
    except SyntaxError as exc:
        raise located_error(exc, fmt, str(path), data) from None
