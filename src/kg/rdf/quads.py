"""The graph in Oxigraph's terms: RDFC-1.0 canonical blank-node labels, and N-Triples, N-Quads, Turtle and
TriG written by Oxigraph, which is what every export of those formats uses (kg.export.exports): no rdflib
copy of a store's triples on the way, and no rdflib writer.

Every writer here sorts: N-Triples and N-Quads are sorted lines; Turtle and TriG are Oxigraph's layout of
the same sorted statements (TriG graph by graph, the default graph first, then by name), headed by one
``@prefix`` line per prefix the body uses, in order of prefix. ``@prefix``, never SPARQL's ``PREFIX``:
the OWL API inside Protégé and HermiT reads only the first (owlcs/owlapi#1149).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from kg.guard import limits
from kg.rdf.convert import from_oxigraph, to_oxigraph


def canonical_quads(dataset: ox.Dataset) -> ox.Dataset:
    """``dataset`` with RDFC-1.0 blank-node labels (``_:c14n0``, …), itself if it has no blank nodes."""
    if not any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in dataset):
        return dataset
    return ox.Dataset(ox.parse(canonical_nquads(serialized(dataset, ox.RdfFormat.N_QUADS)), format=N_QUADS))


N_QUADS = ox.RdfFormat.N_QUADS
BLANK = b"_:"


def canonical_nquads(nquads: bytes) -> bytes:
    """N-Quads as sorted, distinct lines with RDFC-1.0 blank-node labels (``_:c14n0``, …).

    Only the lines that mention a blank node are canonicalised: RDFC-1.0 labels a blank node by the quads
    it is in and by the blank nodes those lead to, never by a quad without one, so a million triples with a
    few blank nodes cost a sort, not a canonicalisation of a million quads. (A literal that happens to hold
    ``_:`` only takes its line along, unchanged.)
    """
    lines = nquads.split(b"\n")
    blank = [line for line in lines if BLANK in line]
    plain = [line for line in lines if BLANK not in line] if blank else lines
    return joined(ordered(plain + canonical_blank_lines(blank)))


def canonical_blank_lines(blank: list[bytes]) -> list[bytes]:
    """N-Quads lines with RDFC-1.0 blank-node labels, in no order. The canonicalisation runs in a worker killed
    at the time limit: on blank nodes that look alike (a few small identical cycles) its search grows
    exponentially, in native code that no signal interrupts."""
    if not any(blank):
        return []

    def canonical_text() -> bytes:
        dataset = ox.Dataset(ox.parse(b"\n".join(blank), format=N_QUADS))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        return serialized(dataset, N_QUADS)

    what = "giving the blank nodes canonical labels (many blank nodes that look alike?)"
    return limits.call_with_deadline(what, canonical_text).split(b"\n")


def ordered(lines: list[bytes]) -> list[bytes]:
    """``lines`` sorted (in place), each once and none empty. Lines already in order, or a sorted run and a few
    others, cost a merge, not a sort: Python's sort finds the runs."""
    lines.sort()
    return distinct(lines)


def distinct(lines: list[bytes]) -> list[bytes]:
    """Sorted lines, each once and none empty."""
    following = islice(lines, 1, None)
    kept = [line for line, after in zip(lines, following, strict=False) if line != after] + lines[-1:]
    return kept[1:] if kept and kept[0] == b"" else kept  # the empty line sorts first


def joined(lines: list[bytes]) -> bytes:
    """Lines as one text, each ended by a line break."""
    return b"\n".join(lines) + b"\n" if lines else b""


def sorted_lines(lines: list[bytes]) -> bytes:
    """Distinct non-empty lines, sorted, each ended by a line break."""
    return joined(ordered(list(lines)))


def write_quads(dataset: ox.Dataset, format_name: str) -> bytes:
    """N-Quads (every graph) or N-Triples (their union) of a dataset from canonical_quads, sorted lines."""
    nquads = sorted_lines(serialized(dataset, N_QUADS).split(b"\n"))
    return nquads if format_name == "nquads" else lines_format(nquads, format_name)


def lines_format(nquads: bytes, format_name: str) -> bytes:
    """From sorted canonical N-Quads: themselves, or N-Triples of the union of their graphs, sorted."""
    if format_name == "nquads":
        return nquads
    if format_name != "ntriples":
        raise NotImplementedError(format_name)
    return union_lines(nquads)


def union_lines(nquads: bytes) -> bytes:
    """The N-Triples of the union of the graphs of sorted N-Quads: each line without its graph, the same triple
    once. Read as text, in one pass, with no sort: in a sorted line ``S P O G .`` a space follows the object
    as in ``S P O .``, so lines stay in order with their graphs dropped, and copies of one triple are neighbours."""
    triples: list[bytes] = []
    previous = b""
    for line in nquads.split(b"\n"):
        if not line:
            continue
        triple = without_graph(line)
        if triple != previous:
            triples.append(triple)
            previous = triple
    return joined(triples)


def without_graph(line: bytes) -> bytes:
    """An N-Quads line as an N-Triples line. The last term before `` .`` is a graph name when it is an IRI or a
    blank node (a string's last word holds its closing quote) and more than the subject and the predicate come
    before it (neither holds a space)."""
    body = line[:-2]
    last = body.rfind(b" ")
    name = body[last + 1 :]
    is_name = (name.startswith(b"<") and name.endswith(b">")) or name.startswith(b"_:")
    if is_name and b'"' not in name and body.count(b" ", 0, last) >= 2:
        return body[:last] + b" ."
    return line


def write_turtle(dataset: ox.Dataset, format_name: str, prefixes: Mapping[str, str]) -> bytes:
    """Turtle (the union of the graphs) or TriG (each graph a block) of a dataset from canonical_quads."""
    return turtle_format(write_quads(dataset, "nquads"), format_name, prefixes)


def turtle_format(nquads: bytes, format_name: str, prefixes: Mapping[str, str]) -> bytes:
    """From sorted canonical N-Quads: Turtle (the union of the graphs) or TriG (each graph a block)."""
    if format_name == "turtle":
        return union_turtle(union_lines(nquads), prefixes)
    if format_name != "trig":
        raise NotImplementedError(format_name)
    offered = turtle_prefixes(prefixes)
    statements = by_graph(ox.parse(nquads, format=N_QUADS, lenient=True))  # kg's own lines: checked when written
    return with_used_prefixes(serialized(statements, ox.RdfFormat.TRIG, offered), offered)


def union_turtle(ntriples: bytes, prefixes: Mapping[str, str]) -> bytes:
    """Turtle of sorted canonical N-Triples (the union of a dataset's graphs, ``union_lines``)."""
    offered = turtle_prefixes(prefixes)
    statements = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES, lenient=True)  # kg's own lines, as above
    return with_used_prefixes(serialized(statements, ox.RdfFormat.TURTLE, offered), offered)


def by_graph(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Sorted quads grouped by graph, keeping their order within each: the default graph first, then by name
    (the order of TriG's blocks)."""
    groups: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, list[ox.Quad]] = {}
    for quad in quads:
        groups.setdefault(quad.graph_name, []).append(quad)
    for name in sorted(groups, key=graph_key):
        yield from groups[name]


# Turtle's PN_PREFIX, nearly: rdflib binds names Turtle cannot write (such as "1a"), which Oxigraph would write.
PREFIX_NAME = re.compile(r"(?:[^\W\d_][\w.-]*(?<!\.))?")


def turtle_prefixes(prefixes: Mapping[str, str]) -> dict[str, str]:
    """The prefixes a Turtle file can declare: names Turtle can write (Oxigraph writes any it is given) for
    absolute IRIs, one name a namespace (the first in order)."""
    chosen: dict[str, str] = {}
    for name, namespace in sorted(prefixes.items()):
        if PREFIX_NAME.fullmatch(name) and namespace not in chosen.values() and is_iri(namespace):
            chosen[name] = namespace
    return chosen


def is_iri(text: str) -> bool:
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def graph_key(name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> tuple[bool, str]:
    return (not isinstance(name, ox.DefaultGraph), str(name))


# A token of Oxigraph's Turtle and TriG: a string (never a long one: it escapes line breaks), an IRI, or a
# prefixed name at the start of a token (after a space, or a datatype's ^^): its prefix and local name.
TOKENS = re.compile(rb'"(?:[^"\\\n]|\\.)*"|<[^>\n]*>|(?:(?<=[\s^])|^)([^\s"<>:^]*):((?:[^\s\\]|\\\S)*)', re.M)
STRING = re.compile(rb'"(?:[^"\\\n]|\\.)*"')
ESCAPE = re.compile(rb"\\(.)")
# Where a prefixed name can start, each made a space, so that one search finds ``name:`` after any of them.
TOKEN_STARTS = bytes.maketrans(b"\t\n\r\x0b\x0c^", b"      ")


def with_used_prefixes(data: bytes, prefixes: Mapping[str, str]) -> bytes:
    """Oxigraph's Turtle or TriG, headed by the prefixes its body uses, in order of prefix (Oxigraph declares
    every prefix it was given, in an order of its own), and with every prefixed name whose local name holds
    an escape (``kgg:source\\/x``, Turtle's PN_LOCAL_ESC) written as a full IRI: the OWL API's Turtle
    parser stops at such names.

    A million triples make tens of megabytes of Turtle, so the body is not tokenised whole: only the lines
    that hold a backslash can hold an escaped name, and a prefix is used where ``name:`` starts a token
    outside a string."""
    start = 0
    while data.startswith(b"@prefix ", start):  # Oxigraph's own prefix lines, one a line
        start = data.index(b"\n", start) + 1
    body = without_escaped_names(data[start:], prefixes)
    starts = b" " + body.translate(TOKEN_STARTS)
    names = sorted(name for name in prefixes if starts_token(body, starts, name.encode("utf-8") + b":"))
    head = "".join(f"@prefix {name}: <{prefixes[name]}> .\n" for name in names).encode("utf-8")
    return head + (b"\n" if head else b"") + body


def without_escaped_names(body: bytes, prefixes: Mapping[str, str]) -> bytes:
    """``body`` with every prefixed name whose local name holds an escape written as a full IRI."""
    parts: list[bytes] = []
    done = 0
    found = body.find(b"\\")
    while found >= 0:
        line_start = body.rfind(b"\n", 0, found) + 1
        line_end = body.find(b"\n", found)
        line_end = len(body) if line_end < 0 else line_end
        parts += [body[done:line_start], full_iris(body[line_start:line_end], prefixes)]
        done = line_end
        found = body.find(b"\\", line_end)
    return b"".join([*parts, body[done:]]) if parts else body


def full_iris(line: bytes, prefixes: Mapping[str, str]) -> bytes:
    parts: list[bytes] = []
    done = 0
    for token in TOKENS.finditer(line):
        name, local = token[1], token[2]
        if name is not None and b"\\" in local and name.decode("utf-8") in prefixes:
            iri = prefixes[name.decode("utf-8")].encode("utf-8") + ESCAPE.sub(rb"\1", local)
            parts += [line[done : token.start()], b"<", iri, b">"]
            done = token.end()
    return b"".join([*parts, line[done:]])


def starts_token(body: bytes, starts: bytes, name: bytes) -> bool:
    """Whether ``name`` (``prefix:``) starts a token of ``body`` outside a string; ``starts`` is ``body``
    after a space with every place a token can start made a space (so offset by one)."""
    found = starts.find(b" " + name)
    while found >= 0:
        if not in_string(body, found):  # found + 1 in ``starts`` is ``found`` in ``body``
            return True
        found = starts.find(b" " + name, found + 1)
    return False


def in_string(body: bytes, offset: int) -> bool:
    line_start = body.rfind(b"\n", 0, offset) + 1
    line_end = body.find(b"\n", offset)
    line = body[line_start : len(body) if line_end < 0 else line_end]
    return any(s.start() < offset - line_start < s.end() for s in STRING.finditer(line))


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


def serialized(
    statements: Iterable[ox.Quad] | Iterable[ox.Triple], format: ox.RdfFormat, prefixes: Mapping[str, str] | None = None
) -> bytes:
    data = ox.serialize(statements, format=format, prefixes=dict(prefixes) if prefixes else None)
    assert data is not None  # with no output given, serialize returns the bytes
    return data
