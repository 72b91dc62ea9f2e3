"""Graphs and datasets to bytes in the RDF formats of kg.rdf.formats, deterministically.

The same graph always gives the same bytes: blank nodes get canonical labels (in exports W3C RDFC-1.0,
computed by Oxigraph once for the whole dataset; in a single graph rdflib.compare's), triples and quads
are written in sorted order, named graphs by name, JSON keys and arrays sorted, and nothing records when
or where the file was written. Turtle and TriG are written by Oxigraph (kg.rdf.quads), as are N-Triples
and N-Quads exports; RDF/XML by our own writer and JSON-LD by rdflib's, from rdflib graphs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal
from rdflib.compare import to_canonical_graph
from rdflib.term import IdentifiedNode, Identifier, Node

from kg.errors import InputError, UsageError
from kg.guard import limits
from kg.rdf.canonical import tree_canonical_graph
from kg.rdf.convert import from_oxigraph
from kg.rdf.formats import RDF_FORMATS, RdfFormat
from kg.rdf.jsonld import JsonLdContext, jsonld, prefix_context
from kg.rdf.lexical import lexical_form, refuse_outside_xml, schema_numbers_in_line
from kg.rdf.quads import canonical_quads, oxigraph_dataset, rdflib_triple, write_turtle


def serialize(graph: Graph, format_name: str = "turtle", *, context: JsonLdContext | None = None) -> bytes:
    """The graph in ``format_name``; the same graph always gives the same bytes.

    In a format that holds named graphs the triples go into the default graph. ``context`` is the
    JSON-LD context object that JSON-LD output embeds (default: one built from the graph's prefixes).
    """
    fmt = rdf_format(format_name)
    if fmt.holds_named_graphs:
        dataset = Dataset()
        for prefix, namespace in graph.namespaces():
            dataset.bind(prefix, namespace, override=True, replace=True)
        dataset.default_graph += graph
        return write_dataset(canonical_dataset(dataset), fmt.name, context=context)
    return write_graph(canonical_graph(graph), fmt.name)


def serialize_dataset(dataset: Dataset, format_name: str, *, context: JsonLdContext | None = None) -> bytes:
    """The dataset in ``format_name``, named graphs kept apart; a triple-only format gets their union."""
    fmt = rdf_format(format_name)
    canonical = canonical_dataset(dataset)
    if fmt.holds_named_graphs:
        return write_dataset(canonical, fmt.name, context=context)
    return write_graph(union_graph(canonical), fmt.name)


def write_graph(canonical: Graph, format_name: str) -> bytes:
    """A graph whose blank nodes are canonical already (canonical_graph, canonical_dataset) in a triple format.

    Every writer here sorts what it writes, so the store's order never shows in the bytes. The graph
    must be the caller's own copy: writers bind prefixes on it.
    """
    if format_name == "turtle":  # written by Oxigraph, sorted, with the prefixes the graph binds
        return write_turtle(oxigraph_dataset([canonical], None), format_name, prefixes_of(canonical))
    if format_name == "ntriples":
        return sorted_lines(ntriples_lines(canonical))
    if format_name == "rdfxml":
        # Our own writer: rdflib's walks the store's subject set, whose order changes from run to run.
        return rdfxml(canonical)
    raise NotImplementedError(format_name)


def write_dataset(canonical: Dataset, format_name: str, *, context: JsonLdContext | None = None) -> bytes:
    """A dataset from canonical_dataset in a format that keeps named graphs apart."""
    if format_name == "nquads":
        return sorted_lines(nquads_lines(canonical))
    if format_name == "trig":
        quads = oxigraph_dataset(canonical.graphs(), canonical.default_graph.identifier)
        return write_turtle(quads, format_name, prefixes_of(canonical))
    if format_name == "jsonld":
        return jsonld(canonical, context if context is not None else prefix_context(canonical))
    raise NotImplementedError(format_name)


def rdf_format(format_name: str) -> RdfFormat:
    if format_name not in RDF_FORMATS:
        raise UsageError(f"unknown RDF format {format_name!r} (known: {', '.join(RDF_FORMATS)})")
    return RDF_FORMATS[format_name]


def canonical_graph(graph: Graph) -> Graph:
    """A copy with canonical blank-node labels and the graph's prefixes; writers may bind more on it."""
    canonical = Graph(bind_namespaces="core")
    for prefix, namespace in graph.namespaces():
        canonical.bind(prefix, namespace, override=True, replace=True)
    canonical += canonical_labels(graph) if has_blank_nodes(graph) else graph
    return canonical


def canonical_labels(graph: Graph) -> Graph:
    """rdflib's canonical relabelling, within the time limit: on blank nodes that look alike (a few small
    identical cycles) its search for the canonical form grows exponentially. Used for single graphs (a
    validation report, a CONSTRUCT answer); exports label by RDFC-1.0 (canonical_dataset)."""
    with limits.time_limit("giving the blank nodes canonical labels (many blank nodes that look alike?)"):
        return tree_canonical_graph(graph) or to_canonical_graph(graph)  # the first in n log n, for trees


def prefixes_of(graph: Graph) -> dict[str, str]:
    return {name: str(namespace) for name, namespace in graph.namespaces()}


def canonical_dataset(dataset: Dataset) -> Dataset:
    """The dataset with canonical blank-node labels shared across its graphs (itself, if it has none)."""
    if not any(has_blank_nodes(graph) for graph in dataset.graphs()):
        return dataset
    default = dataset.default_graph.identifier
    quads = [
        (
            *rdflib_triple(quad),
            default if isinstance(quad.graph_name, ox.DefaultGraph) else from_oxigraph(quad.graph_name),
        )
        for quad in canonical_quads(oxigraph_dataset(dataset.graphs(), default))
    ]
    canonical = Dataset()
    for prefix, namespace in dataset.namespaces():
        canonical.bind(prefix, namespace, override=True, replace=True)
    for s, p, o, name in sorted(quads, key=lambda q: (q[3].n3(), *sort_key(q[:3]))):
        target = canonical.default_graph if name == default else canonical.graph(cast(IdentifiedNode, name))
        target.add((s, p, o))
    return canonical


def has_blank_nodes(graph: Graph) -> bool:
    return any(isinstance(s, BNode) or isinstance(o, BNode) for s, _, o in graph)


def ntriples_lines(graph: Graph) -> list[str]:
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return [schema_numbers_in_line(line) for line in text.split("\n") if line]


def nquads_lines(dataset: Dataset) -> list[str]:
    lines = ntriples_lines(dataset.default_graph)
    for graph in named_graphs(dataset):
        # every N-Triples line ends in " ." (the writer escapes all line breaks inside literals)
        lines += [f"{line[:-2]} {graph.identifier.n3()} ." for line in ntriples_lines(graph)]
    return lines


def sorted_lines(lines: list[str]) -> bytes:
    return "".join(f"{line}\n" for line in sorted(set(lines))).encode("utf-8")


def rdfxml(graph: Graph) -> bytes:
    """Flat RDF/XML: one rdf:Description per subject, subjects, properties and values in sorted order."""
    names = graph.namespace_manager
    qnames: dict[Node, str] = {}
    for predicate in sorted(set(graph.predicates()), key=lambda p: p.n3()):
        try:
            prefix, _, local = names.compute_qname_strict(str(predicate))
        except ValueError as exc:
            raise InputError(f"cannot write the property <{predicate}> in RDF/XML: its IRI has no XML name") from exc
        qnames[predicate] = f"{prefix}:{local}"
    used = {qname.split(":", 1)[0] for qname in qnames.values()} | {"rdf"}
    bindings = sorted((prefix, str(ns)) for prefix, ns in names.namespaces() if prefix in used)
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    out += [f"   xmlns:{prefix}={quoteattr(ns)}" for prefix, ns in bindings]
    out.append(">")
    for subject in sorted(set(graph.subjects()), key=lambda n: n.n3()):
        out.append(f"  <rdf:Description {xml_node_attribute(subject, 'about')}>")
        for predicate, obj in sorted(graph.predicate_objects(subject), key=lambda po: (po[0].n3(), po[1].n3())):
            out.append(f"    {xml_property(qnames[predicate], obj)}")
        out.append("  </rdf:Description>")
    out.append("</rdf:RDF>")
    return ("\n".join(out) + "\n").encode("utf-8")


# Besides &, < and >: a carriage return would come back as a line feed, so it travels as a reference.
XML_TEXT = {"\r": "&#13;"}


def xml_property(qname: str, obj: Node) -> str:
    if isinstance(obj, Literal):
        refuse_outside_xml(str(obj), f"the literal {obj.n3()} in RDF/XML")
        attributes = f" xml:lang={quoteattr(obj.language)}" if obj.language else ""
        attributes += f" rdf:datatype={quoteattr(str(obj.datatype))}" if obj.datatype else ""
        return f"<{qname}{attributes}>{escape(lexical_form(obj), XML_TEXT)}</{qname}>"
    return f"<{qname} {xml_node_attribute(obj, 'resource')}/>"


def xml_node_attribute(node: Node, iri_attribute: str) -> str:
    if isinstance(node, BNode):
        return f"rdf:nodeID={quoteattr(str(node))}"
    return f"rdf:{iri_attribute}={quoteattr(str(node))}"


def union_graph(dataset: Dataset) -> Graph:
    """Every triple of every graph of ``dataset`` in one graph, with the dataset's prefixes."""
    union = Graph(bind_namespaces="core")
    for prefix, namespace in dataset.namespaces():
        union.bind(prefix, namespace, override=True, replace=True)
    for graph in dataset.graphs():
        union += graph
    return union


def named_graphs(dataset: Dataset) -> list[Graph]:
    """The dataset's non-empty named graphs, in order of their names."""
    default = dataset.default_graph.identifier
    found = [g for g in dataset.graphs() if g.identifier != default and len(g)]
    return sorted(found, key=lambda g: str(g.identifier))


def sorted_nodes(nodes: Iterable[Node]) -> list[Identifier]:
    """Terms in rdflib's order (by kind, then by text); every term rdflib makes is an Identifier, which has one."""
    return sorted(cast("Iterable[Identifier]", nodes))


def sort_key(triple: tuple[Node, Node, Node]) -> tuple[str, str, str]:
    return (triple[0].n3(), triple[1].n3(), triple[2].n3())
