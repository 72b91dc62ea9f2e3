"""Names as curators write them, resolved to the graph's IRIs: entities by label, alias, prefixed name or
IRI; claim properties by local name or label; units and classes by local name or label.

A name that matches nothing, or more than one thing, is a NameProblem that lists the nearest names known.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.rdf.namespaces import KG, PREFIXES, STANDARD_PREFIXES
from kg.rdf.summary import entity_classes, local_name

ALL_PREFIXES = {**STANDARD_PREFIXES, **{prefix: str(namespace) for prefix, namespace in PREFIXES.items()}}


class NameProblem(Exception):
    """Why a name could not be resolved, in words that end an error line."""


@dataclass
class NameIndex:
    """Lower-cased names to the IRIs that bear them, and the names as written, for suggestions."""

    what: str
    by_name: dict[str, set[URIRef]]
    spelled: dict[str, str]

    @classmethod
    def of(cls, what: str, named: Iterable[tuple[str, URIRef]]) -> NameIndex:
        by_name: dict[str, set[URIRef]] = defaultdict(set)
        spelled: dict[str, str] = {}
        for name, iri in named:
            key = name.strip().casefold()
            by_name[key].add(iri)
            spelled.setdefault(key, name.strip())
        return cls(what, dict(by_name), spelled)

    def knows(self, name: str) -> bool:
        """Whether the name names anything, once or more than once."""
        iri = expand_iri(name)
        return name.strip().casefold() in self.by_name or (iri is not None and str(iri).casefold() in self.by_name)

    def resolve(self, name: str) -> URIRef:
        iri = expand_iri(name)
        found = self.by_name.get(name.strip().casefold(), set())
        if iri is not None and any(iri in iris for iris in self.by_name.values()):
            return iri
        if len(found) == 1:
            return next(iter(found))
        if found:
            choices = ", ".join(prefixed(i) for i in sorted(found))
            raise NameProblem(f"{name!r} names more than one {self.what} ({choices}); give the prefixed name")
        raise NameProblem(f"unknown {self.what} {name!r}{self.suggestion(name)}")

    def suggestion(self, name: str) -> str:
        """The nearest names, one for each thing they name: "; nearest: 'Xiaomi' (kgr:xiaomi), …"."""
        close = difflib.get_close_matches(name.strip().casefold(), list(self.by_name), n=12, cutoff=0.6)
        shown: list[str] = []
        seen: set[URIRef] = set()
        for key in close:
            iris = self.by_name[key]
            if not iris <= seen and len(shown) < 3:
                seen |= iris
                named = ", ".join(prefixed(i) for i in sorted(iris))
                spelled = self.spelled[key]
                shown.append(repr(spelled) if spelled == named else f"{spelled!r} ({named})")
        return "; nearest: " + ", ".join(shown) if shown else ""


def expand_iri(name: str) -> URIRef | None:
    """``<https://…>``, a bare ``https://…`` or ``kgr:xiaomi`` as an IRI; None for anything else."""
    text = name.strip()
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if text.startswith(("http://", "https://")):
        return URIRef(text)
    prefix, colon, rest = text.partition(":")
    if colon and prefix in ALL_PREFIXES and " " not in rest:
        return URIRef(ALL_PREFIXES[prefix] + rest)
    return None


def prefixed(iri: URIRef) -> str:
    """``kgr:xiaomi`` for an IRI in a known namespace (the longest match), else ``<iri>``."""
    text = str(iri)
    best = max(
        ((prefix, ns) for prefix, ns in ALL_PREFIXES.items() if text.startswith(ns)),
        key=lambda item: len(item[1]),
        default=None,
    )
    return f"{best[0]}:{text[len(best[1]) :]}" if best else f"<{text}>"


def labels_of(graph: Graph, node: URIRef) -> list[str]:
    return sorted(str(o) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) for o in graph.objects(node, p))


def entities(graph: Graph) -> list[URIRef]:
    """Every node typed with a class below kg:Entity, by IRI."""
    classes = entity_classes(graph)
    return sorted({s for c in classes for s in graph.subjects(RDF.type, c) if isinstance(s, URIRef)})


def entity_index(graph: Graph) -> NameIndex:
    named: list[tuple[str, URIRef]] = []
    for entity in entities(graph):
        named += [(label, entity) for label in labels_of(graph, entity)]
        named += [(prefixed(entity), entity), (str(entity), entity)]
    return NameIndex.of("entity", named)


def term_index(graph: Graph, what: str, members: Iterable[URIRef]) -> NameIndex:
    """Terms of the ontology by local name, prefixed name and label."""
    named: list[tuple[str, URIRef]] = []
    for term in members:
        named += [(local_name(term), term), (prefixed(term), term), (str(term), term)]
        named += [(str(label), term) for label in graph.objects(term, RDFS.label) if isinstance(label, Literal)]
    return NameIndex.of(what, named)


def uris(nodes: Iterable[object]) -> list[URIRef]:
    return sorted({n for n in nodes if isinstance(n, URIRef)})


@dataclass
class Vocabulary:
    """What a claims sheet may name, read from one graph (ontology, manifest and data)."""

    entities: NameIndex
    properties: NameIndex
    units: NameIndex
    classes: NameIndex

    @classmethod
    def of(cls, graph: Graph) -> Vocabulary:
        return cls(
            entities=entity_index(graph),
            properties=term_index(graph, "property", uris(graph.subjects(RDF.type, KG.ClaimProperty))),
            units=term_index(graph, "unit", uris(graph.subjects(RDF.type, KG.Unit))),
            classes=term_index(graph, "class", sorted(entity_classes(graph))),
        )
