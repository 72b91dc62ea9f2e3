"""Opt-in inference (``--reason rdfs``, ``--reason owl-rl``): a backend whose graph also holds what a reasoner derives.

``ReasoningBackend`` wraps any backend. The inferred triples, and only those, are in the named graph
``kgg:inferred``; as in an Oxigraph store's layout they are in the default graph too, so a plain query finds a
company as a ``kg:Organization`` and ``GRAPH kgg:inferred { … }`` tells which triples were inferred.

- Files in memory (or a SPARQL server's graph): owlrl (PyPI) computes the closure on a copy of the rdflib graph.
- An Oxigraph store computes the closure itself: a backup of the store (hard links, no copying where it can),
  opened writable in a temporary folder, runs SPARQL INSERT rules until they derive nothing new. The triples
  never pass through Python. The rules are RDFS's (rdfs2, 3, 5, 7, 9, 11) and, for owl-rl, OWL RL's on
  equivalence, inverse, symmetric and transitive properties and on domains and ranges of sub-properties.

Kept are the triples that say something about the data; dropped, in both ways of reasoning, are reflexive
triples (``x owl:sameAs x``), triples about the RDF, RDFS, OWL and XSD vocabularies themselves, typings by
their classes (``x a rdfs:Resource``, ``owl:Thing``, ``rdf:Property``), and triples with a blank node, which
has no name by which the inferred part of an export could mean the node of the asserted part (owlrl also
stands a blank node in for each literal). docs/owl.md describes the outputs.
"""

from __future__ import annotations

import tempfile
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.backends import Backend
from kg.errors import KgError, UsageError
from kg.query.engines import QUERY_PREFIXES, OxigraphEngine, QueryEngine
from kg.rdf.convert import add_to_graph, oxigraph_quads

PROFILES = ("rdfs", "owl-rl")
INFERRED_GRAPH = URIRef("https://w3id.org/kg/graph/inferred")
VOCABULARIES = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
)
# A triple with one of these predicates whose object is a class of the vocabularies says nothing about the data.
TYPING = (
    URIRef(VOCABULARIES[0] + "type"),
    *(URIRef(VOCABULARIES[1] + name) for name in ("subClassOf", "domain", "range")),
)

# One rule a line: the triple it derives, then the pattern that derives it.
RDFS_RULES = (
    ("?s ?q ?o", "?s ?p ?o . ?p rdfs:subPropertyOf ?q ."),
    ("?s a ?c", "?s ?p ?o . ?p rdfs:domain ?c ."),
    ("?o a ?c", "?s ?p ?o . ?p rdfs:range ?c . FILTER (!isLiteral(?o))"),
    ("?s a ?d", "?s a ?c . ?c rdfs:subClassOf ?d ."),
    ("?a rdfs:subClassOf ?c", "?a rdfs:subClassOf ?b . ?b rdfs:subClassOf ?c ."),
    ("?a rdfs:subPropertyOf ?c", "?a rdfs:subPropertyOf ?b . ?b rdfs:subPropertyOf ?c ."),
)
OWL_RL_RULES = (
    *RDFS_RULES,
    ("?a rdfs:subClassOf ?b", "{ ?a owl:equivalentClass ?b } UNION { ?b owl:equivalentClass ?a }"),
    ("?a rdfs:subPropertyOf ?b", "{ ?a owl:equivalentProperty ?b } UNION { ?b owl:equivalentProperty ?a }"),
    ("?b owl:equivalentClass ?a", "?a owl:equivalentClass ?b ."),
    ("?a owl:equivalentClass ?c", "?a owl:equivalentClass ?b . ?b owl:equivalentClass ?c ."),
    ("?b owl:equivalentProperty ?a", "?a owl:equivalentProperty ?b ."),
    ("?a owl:equivalentProperty ?c", "?a owl:equivalentProperty ?b . ?b owl:equivalentProperty ?c ."),
    ("?o ?q ?s", "{ ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } ?s ?p ?o . FILTER (!isLiteral(?o))"),
    ("?o ?p ?s", "?p a owl:SymmetricProperty . ?s ?p ?o . FILTER (!isLiteral(?o))"),
    ("?s ?p ?o", "?p a owl:TransitiveProperty . ?s ?p ?x . ?x ?p ?o ."),
    (
        "?p rdfs:domain ?d",
        "{ ?p rdfs:domain ?c . ?c rdfs:subClassOf ?d } UNION { ?p rdfs:subPropertyOf ?q . ?q rdfs:domain ?d }",
    ),
    (
        "?p rdfs:range ?d",
        "{ ?p rdfs:range ?c . ?c rdfs:subClassOf ?d } UNION { ?p rdfs:subPropertyOf ?q . ?q rdfs:range ?d }",
    ),
)
RULES = {"rdfs": RDFS_RULES, "owl-rl": OWL_RL_RULES}
MAX_ROUNDS = 100  # each round at least one new triple; a closure this deep means a rule is wrong


def with_reasoning(backend: Backend, profile: str | None) -> Backend:
    """``backend`` itself without a profile, else a view of it with the profile's inferences added."""
    if profile is None:
        return backend
    if profile not in PROFILES:
        raise UsageError(f"--reason {profile!r}: choose one of {', '.join(PROFILES)}")
    return ReasoningBackend(backend, profile)


def inference_notes(profile: str | None) -> tuple[str, ...]:
    """What a page says about inferred triples it draws: nothing without a profile."""
    if profile is None:
        return ()
    return (f"With the triples that {profile} infers (kg --reason {profile}), the named graph <{INFERRED_GRAPH}>.",)


def kept(subject: Node, predicate: Node, obj: Node) -> bool:
    """Whether an inferred triple says something about the data (see the module's doc)."""
    if subject == obj or isinstance(subject, Literal) or str(subject).startswith(VOCABULARIES):
        return False
    if isinstance(subject, BNode) or isinstance(obj, BNode):
        return False  # a blank node has no name by which an inferred block could mean the asserted one
    return not (predicate in TYPING and str(obj).startswith(VOCABULARIES))


def kept_filter(s: str, p: str, o: str) -> str:
    """``kept`` as a SPARQL filter on a rule's head."""
    vocabulary = " || ".join(f'STRSTARTS(STR({{t}}), "{v}")' for v in VOCABULARIES)
    return (
        f"FILTER (!sameTerm({s}, {o}) && isIRI({s}) && !isBlank({o}) && !({vocabulary.format(t=s)})"
        f" && !({p} IN (rdf:type, rdfs:subClassOf, rdfs:domain, rdfs:range) && ({vocabulary.format(t=o)})))"
    )


def rule_update(head: str, body: str) -> str:
    s, p, o = head.split()
    p = "rdf:type" if p == "a" else p
    return (
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
        f"INSERT {{ {s} {p} {o} . GRAPH <{INFERRED_GRAPH}> {{ {s} {p} {o} }} }}\n"
        f"WHERE {{ {body} FILTER NOT EXISTS {{ {s} {p} {o} }} {kept_filter(s, p, o)} }}"
    )


def closure_in_store(store: ox.Store, profile: str) -> None:
    """Run the profile's rules in ``store`` until a round adds nothing; inferred triples go into both graphs."""
    updates = [rule_update(head, body) for head, body in RULES[profile]]
    size = len(store)
    for _ in range(MAX_ROUNDS):
        for update in updates:
            store.update(update)
        if len(store) == size:
            return
        size = len(store)
    raise KgError(f"{profile} reasoning did not reach a closure in {MAX_ROUNDS} rounds")


def closure_in_memory(graph: Graph, profile: str) -> Graph:
    """The triples owlrl derives from ``graph`` that ``kept`` keeps, as a graph of their own."""
    import owlrl  # type: ignore[import-untyped]  # only --reason needs it

    semantics = owlrl.RDFS_Semantics if profile == "rdfs" else owlrl.OWLRL_Semantics
    closure = Graph()
    closure += graph
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    inferred = Graph()
    for s, p, o in closure:
        if (s, p, o) not in graph and kept(s, p, o):
            inferred.add((s, p, o))
    return inferred


class ReasoningBackend(Backend):
    """``inner``'s graph with what ``profile`` (rdfs or owl-rl) derives from it, in the graph kgg:inferred."""

    def __init__(self, inner: Backend, profile: str) -> None:
        self.inner = inner
        self.profile = profile
        self.reasoning = profile
        self.context_file = inner.context_file
        self.scratch: tempfile.TemporaryDirectory[str] | None = None  # the store's writable copy, if any

    def describe(self) -> str:
        return f"{self.inner.describe()}, with {self.profile} inferences"

    @cached_property
    def store(self) -> ox.Store:
        """A store holding the asserted and inferred triples in its default graph, the inferred in kgg:inferred."""
        from kg.backends.oxigraph import OxigraphBackend

        if isinstance(self.inner, OxigraphBackend):
            self.scratch = scratch_folder(self.inner.path)  # removed with this backend, at the latest at exit
            store = writable_copy(self.inner.store, Path(self.scratch.name) / "store")
            closure_in_store(store, self.profile)
            return store
        store = ox.Store()
        store.bulk_extend(oxigraph_quads(self.inner.graph()))
        inferred = closure_in_memory(self.inner.graph(), self.profile)
        named = ox.NamedNode(str(INFERRED_GRAPH))
        quads = list(oxigraph_quads(inferred))
        store.bulk_extend([*quads, *(ox.Quad(q.subject, q.predicate, q.object, named) for q in quads)])
        return store

    @cached_property
    def inferred_graph(self) -> Graph:
        graph = Graph(bind_namespaces="none")
        for name, namespace in QUERY_PREFIXES.items():
            graph.bind(name, namespace)
        add_to_graph(graph, self.store.quads_for_pattern(None, None, None, ox.NamedNode(str(INFERRED_GRAPH))))
        return graph

    def inferred(self) -> Graph:
        return self.inferred_graph

    def make_engine(self) -> QueryEngine:
        return OxigraphEngine(self.store)

    def triple_count(self) -> int:
        return len(list(self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())))

    def graph(self) -> Graph:
        graph = Graph()
        graph += self.inner.graph()
        graph += self.inferred()
        return graph

    def dataset(self) -> Dataset:
        """The inner backend's named graphs, asserted only: exports add the inferred ones, marked."""
        return self.inner.dataset()


def scratch_folder(store_path: Path) -> tempfile.TemporaryDirectory[str]:
    """A temporary folder beside the store, where a backup can hard-link its files, or else in the system's."""
    try:
        return tempfile.TemporaryDirectory(prefix=".kg-reason-", dir=store_path.parent)
    except OSError:
        return tempfile.TemporaryDirectory(prefix="kg-reason-")


def writable_copy(store: ox.Store, target: Path) -> ox.Store:
    try:
        store.backup(str(target))
        return ox.Store(str(target))
    except OSError as exc:
        raise KgError(f"cannot copy the store for reasoning into {target.parent}: {exc}") from exc
