"""The project's graph in an Oxigraph store, seen as a read-only rdflib graph and dumped as N-Triples for `shacl`.

``kg validate`` of the whole project loads the files into an in-memory Oxigraph store as the cache is filled
(kg.backends.cache), whose default graph is what kg.rdf.load builds in rdflib: the merged files plus the
derived direct layer. What validation looks up
one node at a time (labels, a statement's sources and quotes, the values under a range constraint) it asks
through ``store_graph``: an rdflib ``Graph`` whose triples come from the store on demand, in rdflib terms,
so that the code written for rdflib graphs runs on it unchanged and nothing is copied.

Oxigraph keeps typed literals in its own canonical form ("1"^^xsd:double); rdflib reads them in its own
("1.0"). pySHACL sees rdflib's, and the parity tests prove `shacl` equal to pySHACL on those, so
``ntriples`` hands `shacl` the store's literals as rdflib reads them: the few distinct typed literals whose
rdflib form differs are rewritten in the dump, the rest of the text is Oxigraph's, untouched.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, cast

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.store import Store
from rdflib.term import Node

from kg.project import Project
from kg.rdf.convert import XSD_STRING, from_oxigraph, to_oxigraph

Triple = tuple[Node, Node, Node]

# The typed literals of the default graph (no language, not xsd:string), each once.
TYPED_LITERALS = """
SELECT DISTINCT ?value WHERE {
  ?s ?p ?value .
  FILTER (isLiteral(?value) && lang(?value) = "" && datatype(?value) != <http://www.w3.org/2001/XMLSchema#string>)
}
"""


class OxigraphView(Store):
    """An rdflib store that answers every pattern from the default graph of a pyoxigraph store; read-only."""

    def __init__(self, store: ox.Store) -> None:
        super().__init__()
        self.store = store

    def triples(
        self, triple_pattern: tuple[Node | None, Node | None, Node | None], context: Any = None
    ) -> Iterator[tuple[Triple, Iterator[Any]]]:
        subject, predicate, value = (None if term is None else to_oxigraph(term) for term in triple_pattern)
        if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode | None):
            return  # no triple has a literal or a blank node there
        for quad in self.store.quads_for_pattern(subject, predicate, value, ox.DefaultGraph()):
            triple = (rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object))
            yield triple, iter(())

    def __len__(self, context: Any = None) -> int:
        answer = cast("ox.QuerySolutions", self.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        return int(cast("ox.Literal", next(iter(answer))[0]).value)

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        raise TypeError("the view of an Oxigraph store is read-only")

    def remove(self, triple: Any, context: Any = None) -> None:
        raise TypeError("the view of an Oxigraph store is read-only")


def rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """kg.rdf.convert.from_oxigraph, with IRIs made once each: rdflib checks every IRI it makes, which was
    most of the evidence check's time through the view."""
    return rdflib_iri(term.value) if type(term) is ox.NamedNode else from_oxigraph(term)


@lru_cache(maxsize=1 << 16)
def rdflib_iri(value: str) -> URIRef:
    return URIRef(value)


def store_graph(store: ox.Store) -> Graph:
    """The default graph of ``store`` as a read-only rdflib graph, answered from the store on demand."""
    return Graph(store=OxigraphView(store), bind_namespaces="none")


def project_store(project: Project) -> tuple[ox.Store, bytes]:
    """The project's graph (files and direct layer) in an in-memory store, and its N-Triples.

    Loaded from the files, as the cache is filled (kg.backends.cache.graph_in_memory): measured quicker than
    copying the cache's on-disk store (0.36 s against 0.62 s at 100k triples, 4.0 s at a million), and
    Oxigraph answers the checks a third faster from memory than from its on-disk database.
    """
    from kg.backends.cache import graph_in_memory

    store = graph_in_memory(project).store
    return store, dump(store)


def dump(store: ox.Store) -> bytes:
    written = io.BytesIO()
    store.dump(written, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return written.getvalue()


def ntriples(store: ox.Store, dumped: bytes | None = None) -> str:
    """The default graph (``dumped`` already, if given) as N-Triples, its typed literals as rdflib reads them
    (see the module's docstring)."""
    data = dump(store) if dumped is None else dumped
    changed = rewritten_literals(store)
    if changed:  # one pass; a literal is an object, the last term of its line (N-Triples escapes line breaks)
        objects = re.compile(b" (" + b"|".join(re.escape(k) for k in sorted(changed)) + b") \\.\n")
        data = objects.sub(lambda m: b" " + changed[m[1]] + b" .\n", data)
    return data.decode("utf-8")


def rewritten_literals(store: ox.Store) -> dict[bytes, bytes]:
    """Each typed literal of the store whose rdflib reading is spelt otherwise, in N-Triples, with that spelling."""
    changed: dict[bytes, bytes] = {}
    for row in cast("ox.QuerySolutions", store.query(TYPED_LITERALS)):
        stored = row[0]
        if not isinstance(stored, ox.Literal) or stored.datatype.value == XSD_STRING:
            continue
        as_rdflib = to_oxigraph(from_oxigraph(stored))
        if as_rdflib != stored:
            changed[str(stored).encode("utf-8")] = str(as_rdflib).encode("utf-8")
    return changed
