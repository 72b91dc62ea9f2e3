"""Converting RDF terms between pyoxigraph and rdflib, so both engines' results compare as equals."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.rdf.lexical import lexical_form

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


OxigraphTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def from_oxigraph(term: OxigraphTerm) -> Node:
    """The rdflib term for a pyoxigraph term; xsd:string literals become plain, as rdflib's parsers make them."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"no rdflib equivalent for {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:  # rdflib spells an infinite double "inf": XML Schema's INF instead
            return ox.Literal(lexical_form(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"no pyoxigraph equivalent for {term!r}")


def rdflib_triples(statements: Iterable[ox.Triple | ox.Quad]) -> Iterator[tuple[Node, Node, Node]]:
    """Each pyoxigraph triple or quad as an rdflib (subject, predicate, object); a quad's graph is dropped."""
    for statement in statements:
        yield from_oxigraph(statement.subject), from_oxigraph(statement.predicate), from_oxigraph(statement.object)


def add_to_graph(graph: Graph, statements: Iterable[ox.Triple | ox.Quad]) -> None:
    """Add pyoxigraph triples or quads to ``graph`` as rdflib triples."""
    graph.addN((s, p, o, graph) for s, p, o in rdflib_triples(statements))


def oxigraph_quads(triples: Iterable[tuple[Node, Node, Node]]) -> Iterator[ox.Quad]:
    """rdflib triples as pyoxigraph quads in the default graph, for a store or the N-Triples writer."""
    for s, p, o in triples:
        subject, predicate = to_oxigraph(s), to_oxigraph(p)
        if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
            raise TypeError(f"not an RDF triple: {s!r} {p!r} {o!r}")
        yield ox.Quad(subject, predicate, to_oxigraph(o))
