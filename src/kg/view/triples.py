"""The graph's triples in plain dictionaries, which kg.view.network reads to build the network.

Building the network asks a few dozen questions of every statement (its subject, axes, source, quote …).
Asked of an rdflib graph, each goes through rdflib's generic pattern matching: at 20,000 entities that was
millions of calls and most of a minute. Here the triples are grouped once by subject and predicate, so
each question is two dictionary lookups. The index is made from an rdflib graph (the curated graph, a
focused part, a CONSTRUCT result) or read straight from an Oxigraph store (a whole view of the cache or of
``--store``), which needs no rdflib graph of the files at all. Either way its terms are rdflib's, converted
as every other path converts them (kg.rdf.convert), so the network is the same from both.

What the network needs of rdflib's reading of a graph is answered here the same way: the kg classes of
an entity (kg.rdf.summary), which nodes are statements, and whether the direct-layer rule admits a
statement (kg.rdf.direct), whose tests check each answer against those modules on the fixtures.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cached_property
from types import MappingProxyType

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.term import IdentifiedNode, Node

from kg.rdf.convert import OxigraphTerm, from_oxigraph
from kg.rdf.direct import ADMITTED_LIKELIHOODS, FAILED_OUTCOMES
from kg.rdf.namespaces import KG as KG_NAMESPACE

# Terms of these vocabularies are looked up for every statement. Each is kept as one object, so that a
# dictionary finds it by identity, without calling rdflib's __eq__ (Python code, a million calls at 10,000
# entities); the table holds only terms of the vocabularies, so it stays as small as they are.
VOCABULARIES = (str(KG_NAMESPACE), str(RDF), str(RDFS))
_VOCABULARY: dict[URIRef, URIRef] = {}


def vocabulary_term(term: URIRef) -> URIRef:
    """The one object kept for ``term`` of kg's, RDF's or RDFS's vocabulary."""
    return _VOCABULARY.setdefault(term, term)


class Terms:
    """A namespace's terms, each made once (rdflib's Namespace builds a new URIRef, and checks it, on every
    attribute read) and kept as the vocabulary's one object."""

    def __init__(self, namespace: Namespace) -> None:
        self.namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):  # not a term: what copy, pickle and the like probe for
            raise AttributeError(name)
        term = vocabulary_term(self.namespace[name])
        setattr(self, name, term)  # found as a plain attribute from now on
        return term

    def __getitem__(self, name: str) -> URIRef:
        return getattr(self, name)  # type: ignore[no-any-return]


KG = Terms(KG_NAMESPACE)
TYPE, LABEL, SUBCLASS_OF = (vocabulary_term(t) for t in (RDF.type, RDFS.label, RDFS.subClassOf))
ADMITTED = frozenset(vocabulary_term(t) for t in ADMITTED_LIKELIHOODS)
FAILED = frozenset(vocabulary_term(t) for t in FAILED_OUTCOMES)
NOTHING: tuple[Node, ...] = ()
NO_PROPERTIES: Mapping[Node, list[Node]] = MappingProxyType({})
STATEMENT_MARKERS = (KG.subject, KG.evidence, KG.likelihood)  # as kg.rdf.summary.statement_nodes finds them
Properties = Mapping[Node, Sequence[Node]]  # a subject's objects by predicate


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while an index and its network are built: they allocate a container
    for every subject and property, and the collector would walk all of them again and again for garbage
    that is not there (a fifth of the time of the index)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def node_order(node: Node) -> tuple[bool, str]:
    """The order rdflib's comparison puts IRIs and blank nodes in (blank nodes first, each kind by its text),
    without its comparison, which is Python code called a million times in a sort of 40,000 statements."""
    return isinstance(node, URIRef), str(node)


def one(properties: Properties, predicate: Node) -> Node | None:
    """One object of ``predicate``; where there are several, the least in N3, so that the order the triples
    were read in (the files', a store's) never changes what is drawn."""
    found = properties.get(predicate)
    if not found:
        return None
    return found[0] if len(found) == 1 else min(found, key=lambda term: term.n3())


class Triples:
    """A read-only index of a graph's triples: each subject's objects by predicate, and the subjects of a
    few predicates by object (types, subclasses, ranks), which is all the network asks in reverse."""

    REVERSED = (TYPE, SUBCLASS_OF, KG.rank)

    def __init__(self) -> None:
        self.out: dict[Node, dict[Node, list[Node]]] = {}
        self.back: dict[Node, dict[Node, list[Node]]] = {p: {} for p in self.REVERSED}
        self.having: dict[Node, list[Node]] = {}  # the subjects of each predicate
        self.labels: dict[Node, str] = {}  # each node's label as the view shows it (kg.view.network.label_of)

    @classmethod
    def of_graph(cls, graph: Graph) -> Triples:
        triples = cls()
        for s, p, o in graph:
            triples.add(s, p, o)
        return triples

    @classmethod
    def of_store(cls, store: ox.Store) -> Triples:
        """The default graph of ``store``: the merged graph, as OxigraphBackend.graph() would copy it."""
        triples = cls()
        converted: dict[OxigraphTerm, Node] = {}  # a term recurs (kg:certain on every statement): convert it once
        add = triples.add
        for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            terms = []
            for term in (quad.subject, quad.predicate, quad.object):
                found = converted.get(term)
                if found is None:
                    found = from_oxigraph(term)
                    if isinstance(found, URIRef) and str.startswith(found, VOCABULARIES):
                        found = vocabulary_term(found)
                    converted[term] = found
                terms.append(found)
            add(*terms)
        return triples

    def add(self, subject: Node, predicate: Node, obj: Node) -> None:
        properties = self.out.get(subject)
        if properties is None:
            properties = self.out[subject] = {}
        objects = properties.get(predicate)
        if objects is None:
            properties[predicate] = [obj]
            self.having.setdefault(predicate, []).append(subject)
        else:
            objects.append(obj)
        back = self.back.get(predicate)
        if back is not None:
            back.setdefault(obj, []).append(subject)

    def about(self, subject: Node) -> Mapping[Node, list[Node]]:
        """The subject's objects by predicate."""
        return self.out.get(subject, NO_PROPERTIES)

    def objects(self, subject: Node, predicate: Node) -> Sequence[Node]:
        return self.about(subject).get(predicate, NOTHING)

    def value(self, subject: Node, predicate: Node) -> Node | None:
        return one(self.about(subject), predicate)

    def subjects(self, predicate: Node, obj: Node) -> Sequence[Node]:
        """The subjects of ``predicate obj``; only for the predicates in REVERSED."""
        return self.back[predicate].get(obj, NOTHING)

    def typed(self) -> list[Node]:
        """Every subject with an rdf:type."""
        return self.with_property(TYPE)

    def with_property(self, predicate: Node) -> list[Node]:
        """Every subject of ``predicate``."""
        return self.having.get(predicate, [])

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        for subject in self.with_property(predicate):
            for obj in self.out[subject][predicate]:
                yield subject, obj

    def below(self, top: Node) -> set[Node]:
        """``top`` and everything rdfs:subClassOf it, at any depth (rdflib's transitive_subjects)."""
        found, todo = {top}, [top]
        while todo:
            for sub in self.subjects(SUBCLASS_OF, todo.pop()):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        return found

    def above(self, cls: Node) -> set[URIRef]:
        """``cls`` and everything it is rdfs:subClassOf, at any depth: its IRIs (kg.rdf.summary.superclasses)."""
        found, todo = {cls}, [cls]
        while todo:
            for parent in self.objects(todo.pop(), SUBCLASS_OF):
                if parent not in found:
                    found.add(parent)
                    todo.append(parent)
        return {c for c in found if isinstance(c, URIRef)}

    @cached_property
    def entity_classes(self) -> set[URIRef]:
        return {c for c in self.below(KG.Entity) if isinstance(c, URIRef)}

    def most_specific_classes(self, entity: Node) -> list[URIRef]:
        """As kg.rdf.summary.most_specific_classes: the entity's kg classes that none of its others is below."""
        classes = self.entity_classes
        asserted = {c for c in self.objects(entity, TYPE) if isinstance(c, URIRef) and c in classes}
        if len(asserted) < 2:
            return sorted(asserted)
        return sorted(c for c in asserted if not any(o != c and c in self.above(o) for o in asserted))

    def statement_nodes(self) -> list[IdentifiedNode]:
        """As kg.rdf.summary.statement_nodes: typed as a statement (or a subclass), or shaped like one."""
        nodes: set[Node] = set()
        for cls in self.below(KG.Statement):
            nodes.update(self.subjects(TYPE, cls))
        for marker in STATEMENT_MARKERS:
            nodes.update(self.with_property(marker))
        return sorted((n for n in nodes if isinstance(n, IdentifiedNode)), key=node_order)

    @cached_property
    def preferred(self) -> set[tuple[Node, Node]]:
        """Each subject and predicate that a preferred statement is about."""
        return {
            (subject, predicate)
            for rival in self.subjects(KG.rank, KG.preferredRank)
            for subject in self.objects(rival, KG.subject)
            for predicate in self.objects(rival, KG.predicate)
        }

    def admitted(self, statement: Node) -> bool:
        """Whether the direct-layer rule lets ``statement`` give its direct edges (kg.rdf.direct.is_admitted)."""
        about = self.about(statement)
        if KG.affirmed not in about.get(KG.polarity, NOTHING):
            return False
        likelihoods = set(about.get(KG.likelihood, NOTHING))
        if not likelihoods or not likelihoods <= ADMITTED:
            return False
        if FAILED.intersection(about.get(KG.outcome, NOTHING)):
            return False
        attributions = about.get(KG.attribution, NOTHING)
        if not attributions or KG.curatorInference in attributions:
            return False
        ranks = about.get(KG.rank, NOTHING)
        if not ranks or KG.deprecatedRank in ranks:
            return False
        return KG.preferredRank in ranks or not self.outranked(about)

    def outranked(self, about: Properties) -> bool:
        """Whether a preferred statement is about the same subject and predicate."""
        pairs = self.preferred
        predicates = about.get(KG.predicate, NOTHING)
        return any((s, p) in pairs for s in about.get(KG.subject, NOTHING) for p in predicates)

    def class_graph(self) -> Graph:
        """The subclass tree with the labels of its classes: what kg.view.styles names and groups classes by."""
        graph = Graph()
        for sub, parent in self.subject_objects(SUBCLASS_OF):
            graph.add((sub, SUBCLASS_OF, parent))
            for cls in (sub, parent):
                for label in self.objects(cls, LABEL):
                    graph.add((cls, LABEL, label))
        return graph
