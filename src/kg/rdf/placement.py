"""Which of kg's named graphs each triple of the merged graph goes to (kg.rdf.split names them), found in one
pass over the merged graph's sorted N-Triples lines (kg.rdf.merged_lines).

Sorted, a subject's lines are neighbours (a subject holds no space, so every line of ``S`` starts with
``S `` and no other line does), and each subject's graphs follow from its own lines: a statement (typed as
one, through subclasses too, or shaped like one: kg.rdf.summary.statement_nodes) goes to the graphs of its
``kg:source`` values, or to ``kgg:unsourced``; a subject the ontology files describe to ``kgg:ontology``; a source
document to ``kgg:sources``. Any other subject's triples go to ``kgg:entities``, but for a direct edge, which
goes to the graphs of the sources whose statements back it, and for a blank subject, which goes wherever
the triples that point at it go. So the pass needs no query over the whole graph: only the statement classes
and the backed edges, which the cache keeps.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import cast

import pyoxigraph as ox
from rdflib import RDF
from rdflib.term import Node

from kg.rdf.convert import from_oxigraph
from kg.rdf.namespaces import KG
from kg.rdf.quads import BLANK, serialized, without_graph
from kg.rdf.split import (
    ENTITIES_GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    SOURCES_GRAPH,
    UNSOURCED_GRAPH,
    Resource,
    Term,
    backed_edges,
    source_graph_node,
)
from kg.rdf.void import Tally

STATEMENT_CLASSES = PREFIXES + "SELECT ?class WHERE { ?class rdfs:subClassOf* kg:Statement }"


def text(term: object) -> bytes:
    """A term as N-Triples writes it: Oxigraph's ``str`` of a term is its N-Triples form."""
    return str(term).encode("utf-8")


def iri_text(iri: object) -> bytes:
    return b"<%s>" % str(iri).encode("utf-8")


UNSOURCED = [iri_text(UNSOURCED_GRAPH)]
ONTOLOGY = [iri_text(ONTOLOGY_GRAPH)]
SOURCES = [iri_text(SOURCES_GRAPH)]
ENTITIES = [iri_text(ENTITIES_GRAPH)]
TYPE = iri_text(RDF.type)
SOURCE = iri_text(KG.source)
SOURCE_DOCUMENT = iri_text(KG.SourceDocument)
STATEMENT_SHAPES = frozenset(iri_text(p) for p in (KG.subject, KG.evidence, KG.likelihood))
MARKS = STATEMENT_SHAPES | {TYPE, SOURCE}  # the predicates that tell a subject's graphs

Entry = tuple[bytes, bytes, bytes]  # a line, its predicate, its object
NOT_PLAIN = (BLANK, b"<<")  # how an object with a blank node starts: a blank node, or a triple term


class Placement:
    """What the pass needs besides the lines: the statement classes, the subjects the ontology files describe and
    the direct edges with the sources that back them, all as N-Triples text, the form the pass reads."""

    def __init__(self, store: ox.Store, ontology: Collection[Resource], backed: bytes | None = None) -> None:
        """``backed``: the N-Quads of kg.rdf.split.backed_edges, if the load kept them, else found in ``store``."""
        classes = cast(ox.QuerySolutions, store.query(STATEMENT_CLASSES))
        self.statement_classes = {text(solution[0]) for solution in classes}
        self.ontology = {text(node) for node in ontology}
        self.graph_sources: dict[bytes, Node] = {}  # each source's graph: the source it holds
        self.source_graphs: dict[bytes, bytes] = {}  # each source's text: its graph's
        if backed is None:
            backed = serialized(backed_edges(store), ox.RdfFormat.N_QUADS)
        backing: dict[bytes, set[bytes]] = defaultdict(set)
        for line in backed.split(b"\n"):
            edge = without_graph(line) if line else line
            if edge != line:  # an edge in a source's graph (one in the default graph has no source)
                backing[edge].add(line[len(edge) - 1 : -2])
        self.backing = {edge: sorted(names) for edge, names in backing.items()}

    def graphs_of(self, subject: bytes, entries: list[Entry]) -> list[bytes] | None:
        """The graphs of all of ``subject``'s triples, where its own lines decide them; None where each triple
        goes its own way (an entity's: to the entities, or as a backed direct edge)."""
        statement = is_document = False
        graphs: set[bytes] = set()
        for _, predicate, obj in entries:
            if predicate not in MARKS:
                continue
            if predicate == TYPE:
                statement = statement or obj in self.statement_classes
                is_document = is_document or obj == SOURCE_DOCUMENT
            elif predicate == SOURCE:
                graphs.add(self.source_graph(obj))
            else:
                statement = True
        if statement:
            return sorted(graphs) or UNSOURCED
        if subject in self.ontology:
            return ONTOLOGY
        if is_document and not subject.startswith(BLANK):  # a blank one goes with what points at it, as any
            return SOURCES
        return None

    def source_graph(self, source: bytes) -> bytes:
        graph = self.source_graphs.get(source)
        if graph is None:
            (triple,) = ox.parse(b"<s:> <p:> %s ." % source, format=ox.RdfFormat.N_TRIPLES)
            graph = self.source_graphs[source] = text(source_graph_node(cast(Term, triple.object)))
            self.graph_sources[graph] = from_oxigraph(cast(Term, triple.object))
        return graph


@dataclass
class Placed:
    """The merged graph in kg's named graphs, as N-Quads lines: those without a blank node, in the order of the
    lines they came from (a triple's graphs in order of name), and those with one, whose labels are not yet
    canonical; and the merged graph's own lines without a blank node, in their order."""

    plain: list[bytes] = field(default_factory=list)
    blank: list[bytes] = field(default_factory=list)
    plain_triples: list[bytes] = field(default_factory=list)

    def lines(self) -> list[bytes]:
        return self.plain + self.blank


def placed_lines(
    lines: Iterable[bytes], placement: Placement, counts: Counter[bytes] | None = None, tally: Tally | None = None
) -> Placed:
    """The merged graph, given as its sorted N-Triples ``lines``, in kg's named graphs, each triple once per
    graph it belongs to; ``counts`` receives each graph's number of triples, and ``tally`` the figures of the
    merged graph, for its description.

    A line is ``S P O .``, where neither S nor P holds a space, so its terms are found without parsing."""
    pass_ = Pass(placement, counts if counts is not None else Counter(), tally)
    entries: list[Entry] = []
    current = b""
    for line in lines:
        subject, predicate, rest = line.split(b" ", 2)
        if subject != current:
            if entries:
                pass_.place(current, entries)
            current, entries = subject, []
        entries.append((line, predicate, rest[:-2]))
    if entries:
        pass_.place(current, entries)
    return pass_.finish()


class Pass:
    """One pass over the merged graph, a subject at a time: the placed lines, the blank subjects left for last."""

    def __init__(self, placement: Placement, counts: Counter[bytes], tally: Tally | None) -> None:
        self.placement, self.counts, self.tally = placement, counts, tally
        self.placed = Placed()
        self.pending: dict[bytes, list[Entry]] = {}  # blank subject: its lines, placed once all are known
        self.homes: dict[bytes, set[bytes]] = defaultdict(set)  # blank node: the graphs that point at it
        self.pointed: set[bytes] = set()

    def place(self, subject: bytes, entries: list[Entry]) -> None:
        if self.tally is not None:
            self.tally.add_subject(subject, entries)
        names = self.placement.graphs_of(subject, entries)
        blank_subject = subject.startswith(BLANK)
        if names is None and blank_subject:
            self.pending[subject] = entries
            self.pointed.update(obj for _, _, obj in entries if obj.startswith(BLANK))
            return
        if not blank_subject and not any(obj[:2] in NOT_PLAIN for _, _, obj in entries):
            backing = self.placement.backing
            if names is None and not any(line in backing for line, _, _ in entries):
                names = ENTITIES
            if names is not None and len(names) == 1:  # most subjects: every line to one graph, none blank
                self.counts[names[0]] += len(entries)
                self.placed.plain_triples.extend([line for line, _, _ in entries])
                self.placed.plain.extend([line[:-1] + names[0] + b" ." for line, _, _ in entries])
                return
        self.place_each(entries, names, blank_subject)

    def place_each(self, entries: list[Entry], names: list[bytes] | None, blank_subject: bool) -> None:
        backing, counts, placed = self.placement.backing, self.counts, self.placed
        for line, _, obj in entries:
            graphs = names if names is not None else backing.get(line, ENTITIES)
            is_blank = obj.startswith(BLANK)
            if is_blank:
                self.pointed.add(obj)
                self.homes[obj].update(graphs)
            if is_blank or blank_subject or (obj.startswith(b"<<") and BLANK in obj):  # a triple term's too
                target = placed.blank
            else:
                target = placed.plain
                placed.plain_triples.append(line)
            for name in graphs:
                counts[name] += 1
                target.append(line[:-1] + name + b" .")

    def finish(self) -> Placed:
        blank, counts = self.placed.blank, self.counts
        for node, found in blank_node_homes(self.pending, self.homes, self.pointed).items():
            names = sorted(found)
            for line, _, _ in self.pending[node]:
                for name in names:
                    counts[name] += 1
                    blank.append(line[:-1] + name + b" .")
        return self.placed


def blank_node_homes(
    pending: dict[bytes, list[Entry]], homes: dict[bytes, set[bytes]], pointed: set[bytes]
) -> dict[bytes, set[bytes]]:
    """Each pending blank node's graphs: every graph whose triples point at it, directly or through other
    blank nodes; a blank node nothing points at describes none of ours, so it joins the entities."""
    for node in pending:
        if node not in pointed:
            homes[node].add(ENTITIES[0])
    # A node goes back on the work list only when its homes grow, which happens at most once per named graph,
    # so the work is linear in the triples (a fixed point over all nodes in turn was quadratic in the depth).
    work = deque(node for node in pending if homes[node])
    while work:
        node = work.popleft()
        for _, _, obj in pending[node]:
            if obj.startswith(BLANK) and not homes[node] <= homes[obj]:
                homes[obj] |= homes[node]
                if obj in pending:
                    work.append(obj)
    return {node: homes[node] or set(ENTITIES) for node in pending}
