"""The merged graph as N-Triples lines, sorted and distinct: the form kg's split reads (kg.rdf.placement).

A store can dump its graph as N-Triples, but an on-disk Oxigraph store takes seconds per million triples to do
it, so the cache (kg.backends.cache) keeps the lines it saw while it filled the store: ``LineCollector``
watches the quads on their way into the store and writes the default graph's to a file as N-Triples, a chunk
at a time (never the quads themselves all at once), sorted once the store is closed (``sort_lines_file``). A
store in memory dumps itself quickly, so a graph built in memory is read off its store (``dumped_lines``).
Kept sorted, the lines make the split's output nearly sorted too, so that its canonical order costs a merge
rather than a sort.

The lines are the store's terms: a store keeps some literals by their value and writes them in a canonical form
of its own (``"1.50"^^xsd:decimal`` as ``"1.5"``), and the lines spell them so too (``as_stored``), so that an
export from them is the export a dump of the store gave.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.guard.files import atomic_write_parts
from kg.rdf.quads import joined, ordered, serialized, without_graph

NT = ox.RdfFormat.N_TRIPLES
CHUNK = 100_000  # quads held at once before they are written out as text, and lines written at once


class LineCollector:
    """The default graph's triples of the quads it watches, as N-Triples lines written to ``spill`` as they come
    (unsorted), so that a million triples cost no memory while a store fills."""

    def __init__(self, spill: BinaryIO) -> None:
        self.spill = spill
        self.pending: list[ox.Quad] = []

    def watch(self, quads: Iterable[ox.Quad], *, only_default: bool = False) -> Iterator[ox.Quad]:
        """``quads``, passed on unchanged; those in the default graph are kept (all of them where
        ``only_default`` says every quad is in it)."""
        pending = self.pending
        for quad in quads:
            if only_default or isinstance(quad.graph_name, ox.DefaultGraph):
                pending.append(quad)
                if len(pending) >= CHUNK:
                    self.flush()
                    pending = self.pending
            yield quad

    def add(self, quads: Iterable[ox.Quad]) -> None:
        """Keep the triples of ``quads`` (in any graph) as lines of the default graph; then write what is held."""
        self.pending.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
        self.flush()

    def flush(self) -> None:
        if self.pending:
            # N-Quads of the default graph are N-Triples: a quad in it is written as its triple.
            self.spill.write(serialized(self.pending, ox.RdfFormat.N_QUADS))
            self.pending = []


def sorted_distinct(text: bytes) -> list[bytes]:
    """The lines of ``text`` with their literals as the store keeps them, sorted and each once."""
    return ordered(as_stored(text).split(b"\n"))


# An object that is a literal of an XML Schema datatype, at the end of its line: the literals a store may spell
# its own way (``"042"^^xsd:integer`` as ``"42"``, ``"1.50"^^xsd:decimal`` as ``"1.5"``). Within a string a quote
# is escaped, so a space and a quote start the object.
XSD_LITERAL = re.compile(rb' ("(?:[^"\\\n]|\\.)*"\^\^<http://www\.w3\.org/2001/XMLSchema#[A-Za-z]+>) \.$', re.M)


def as_stored(text: bytes) -> bytes:
    """N-Triples lines with each XML Schema literal spelled as Oxigraph's store spells it, so that the lines are
    what the store holds (a store keeps such a literal by its value, and two spellings of one value are one term).
    The store itself spells them: the few distinct ones go through an in-memory store."""
    written = sorted(set(XSD_LITERAL.findall(text)))
    if not written:
        return text
    probe = ox.Store()
    probe.load(input=b"".join(b"<urn:kg:%d> <urn:kg:v> %s .\n" % pair for pair in enumerate(written)), format=NT)
    stored = {written[int(q.subject.value[7:])]: str(q.object).encode("utf-8") for q in probe}
    respelled = {old: new for old, new in stored.items() if old != new}
    if not respelled:
        return text
    return XSD_LITERAL.sub(lambda found: b" %s ." % respelled.get(found[1], found[1]), text)


def sort_lines_file(path: Path, target: Path) -> None:
    """Write the lines of ``path`` to ``target``, sorted and each once."""
    lines = sorted_distinct(path.read_bytes())
    atomic_write_parts(target, chunked(lines))


def chunked(lines: list[bytes]) -> Iterator[bytes]:
    """``lines`` as text, a chunk at a time, each line ended by a line break."""
    for start in range(0, len(lines), CHUNK):
        yield b"\n".join(lines[start : start + CHUNK]) + b"\n"


def dumped_lines(store: ox.Store) -> list[bytes]:
    """The default graph of ``store`` as sorted N-Triples lines, from the store's own dump (its terms as it
    writes them)."""
    dumped = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    assert dumped is not None  # with no output given, dump returns the bytes
    return ordered(dumped.split(b"\n"))


@dataclass(frozen=True)
class UnionLines:
    """What gives the N-Triples of the union of a publication's graphs without reading its N-Quads again:
    ``plain_triples``, the merged graph's lines without a blank node (sorted), and ``others``, the publication's
    few other N-Quads lines (those with canonical blank nodes, the description)."""

    plain_triples: list[bytes]
    others: list[bytes]

    def text(self) -> bytes:
        """The union, sorted, each triple once (as kg.rdf.quads.union_lines gives it)."""
        extra = [without_graph(line) for line in self.others if line]
        kept = [line for line in extra if not holds(self.plain_triples, line)]
        return joined(ordered(self.plain_triples + kept))  # a sorted run and a few lines: a merge


def holds(ordered: list[bytes], line: bytes) -> bool:
    at = bisect_left(ordered, line)
    return at < len(ordered) and ordered[at] == line
