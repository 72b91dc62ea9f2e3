"""Counts that summarise a graph: triples, entities per class, statements per axis value."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.term import IdentifiedNode, Node

from kg.rdf.namespaces import AXES, AXIS_LABELS, KG


@dataclass(frozen=True)
class GraphSummary:
    triples: int
    entities_per_class: dict[str, int]
    statements_per_axis: dict[str, dict[str, int]]

    def lines(self) -> list[str]:
        out = [f"triples: {self.triples}", "entities per class:"]
        out += [f"  {name}: {count}" for name, count in self.entities_per_class.items()]
        out.append("statements per axis value:")
        for axis, counts in self.statements_per_axis.items():
            out.append(f"  {axis}: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
        return out


def summarise(graph: Graph) -> GraphSummary:
    return GraphSummary(
        triples=len(graph),
        entities_per_class=entities_per_class(graph),
        statements_per_axis=statements_per_axis(graph),
    )


def entity_classes(graph: Graph) -> set[URIRef]:
    return {c for c in graph.transitive_subjects(RDFS.subClassOf, KG.Entity) if isinstance(c, URIRef)}


def entities_per_class(graph: Graph) -> dict[str, int]:
    """Each entity counted once, under its most specific asserted kg class."""
    classes = entity_classes(graph)
    counts: Counter[str] = Counter()
    for entity in set(graph.subjects(RDF.type, None)):
        for cls in most_specific_classes(graph, entity, classes):
            counts[local_name(cls)] += 1
    return dict(sorted(counts.items()))


def most_specific_classes(graph: Graph, entity: Node, classes: set[URIRef]) -> list[URIRef]:
    """The classes among ``classes`` asserted of ``entity`` that no other asserted one is below, by IRI."""
    asserted = {c for c in graph.objects(entity, RDF.type) if isinstance(c, URIRef) and c in classes}
    return sorted(c for c in asserted if not any(o != c and c in superclasses(graph, o) for o in asserted))


def superclasses(graph: Graph, cls: URIRef) -> set[URIRef]:
    return {c for c in graph.transitive_objects(cls, RDFS.subClassOf) if isinstance(c, URIRef)}


def statements_per_axis(graph: Graph) -> dict[str, dict[str, int]]:
    """For each axis, how many statements take each of its values, named by their English labels (values
    outside the scheme last, by local name)."""
    nodes = statement_nodes(graph)
    summary: dict[str, dict[str, int]] = {}
    for axis, values in AXES.items():
        counts = Counter(local_name(v) for n in nodes for v in graph.objects(n, KG[axis]) if isinstance(v, URIRef))
        ordered = {AXIS_LABELS[name]: counts.pop(name, 0) for name in values}
        ordered.update(sorted(counts.items()))
        summary[axis] = ordered
    return summary


def local_name(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def statement_nodes(graph: Graph) -> list[IdentifiedNode]:
    """Everything typed as a statement (through subclasses too) or shaped like one."""
    statement_classes = set(graph.transitive_subjects(RDFS.subClassOf, KG.Statement))
    nodes: set[Node] = set()
    for cls in statement_classes:
        nodes.update(graph.subjects(RDF.type, cls))
    for marker in (KG.subject, KG.evidence, KG.likelihood):
        nodes.update(graph.subjects(marker, None))
    return sorted(n for n in nodes if isinstance(n, IdentifiedNode))
