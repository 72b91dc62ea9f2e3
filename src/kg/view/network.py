"""The graph as a network of entities and claims: the pure step shared by the HTML view and network exports.

Nodes are entities (instances of kg:Entity's subclasses). Edges join two entities by a claim property and
gather every statement that makes that claim, so an edge exists for a claim outside the direct layer too (an
unlikely, merely possible or failed one: the view must show it as what it is). Each claim carries its axes
(kg.view.axes) and whether the direct-layer rule admits it (kg.rdf.direct). Literal claims (values,
quantities, periods) become facts on their subject node.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.guard import limits
from kg.rdf.namespaces import KG as KG_NAMESPACE
from kg.rdf.summary import local_name
from kg.view.axes import Axes, axes_of, firmness
from kg.view.triples import KG, LABEL, TYPE, Properties, Triples, collector_paused, one

if TYPE_CHECKING:
    import pyoxigraph as ox

UNBACKED = "unbacked"  # a direct edge that no statement supports; validation reports it

DATE_PRECISION = {XSD.gYear: "year", XSD.gYearMonth: "month", XSD.date: "day", XSD.dateTime: "time"}


@dataclass(frozen=True)
class Claim:
    """One statement, reduced to what a reader needs to judge it."""

    statement: str
    axes: Axes
    source: str | None
    source_label: str | None
    evidence: str | None
    hedge: str | None
    attributed_to: str | None
    qualifiers: tuple[tuple[str, str], ...]
    direct: bool = False  # the direct-layer rule admits it: it gives its direct edge
    rank_reason: str | None = None
    note: str | None = None  # the curator's note (kg:curatorNote): the reasoning behind an inference

    @property
    def hidden_group(self) -> str | None:
        return self.axes.hidden_group


@dataclass(frozen=True)
class Fact:
    """A literal claim about a node: a value, a quantity or a period, in words."""

    predicate: str
    label: str
    value: str
    claim: Claim


@dataclass
class NetworkNode:
    iri: str
    label: str
    cls: str
    classes: tuple[str, ...]
    wikidata: str | None = None
    facts: list[Fact] = field(default_factory=list)


@dataclass
class NetworkEdge:
    source: str
    target: str
    predicate: str
    label: str
    direct: bool
    claims: list[Claim] = field(default_factory=list)

    @property
    def leading(self) -> Claim | None:
        """The claim the edge is drawn by: the firmest of its claims (kg.view.axes.firmness); None when no
        statement supports the edge (UNBACKED)."""
        if not self.claims:
            return None
        return min(self.claims, key=lambda c: (firmness(c.axes, c.direct), c.statement))

    @property
    def hidden_group(self) -> str | None:
        """The group that hides the edge by default: its firmest claim's, so only when every claim is hidden."""
        leading = self.leading
        return leading.hidden_group if leading is not None else None


@dataclass
class Network:
    nodes: dict[str, NetworkNode]
    edges: list[NetworkEdge]

    def class_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for node in self.nodes.values():
            counts[node.cls] += 1
        return dict(sorted(counts.items()))


def build_network(graph: Graph) -> Network:
    """The entities and claims of ``graph``, sorted so the same graph always gives the same network; within
    the time limit, since it walks every statement (kg.guard.limits)."""
    with limits.time_limit("building the network of entities and claims"), collector_paused():
        return network_of(Triples.of_graph(graph))


def store_network(store: ox.Store) -> tuple[Network, Triples]:
    """The network of a store's default graph, read with no rdflib graph of it (the same network as
    ``build_network`` of that graph), and the triples it was built from."""
    with limits.time_limit("reading the graph and building its network of entities and claims"), collector_paused():
        triples = Triples.of_store(store)
        return network_of(triples), triples


def network_of(graph: Triples) -> Network:
    nodes = {str(iri): describe_node(graph, iri, cls) for iri, cls in entities_with_class(graph)}
    edges: dict[tuple[str, str, str], NetworkEdge] = {}
    # Only an IRI can be a predicate, so a blank node typed as a claim property makes no edge.
    claim_properties = {p for p in graph.subjects(TYPE, KG.ClaimProperty) if isinstance(p, URIRef)}
    for predicate in sorted(claim_properties):
        for subject, obj in graph.subject_objects(predicate):
            if str(subject) in nodes and str(obj) in nodes:
                edge_for(edges, graph, subject, predicate, obj).direct = True
    for statement in graph.statement_nodes():
        add_statement(graph, statement, nodes, edges)
    for node in nodes.values():
        node.facts.sort(key=lambda f: (f.label, f.value, f.claim.statement))
    ordered = [edges[key] for key in sorted(edges)]
    for edge in ordered:
        edge.claims.sort(key=lambda c: c.statement)
    return Network(nodes=dict(sorted(nodes.items())), edges=ordered)


def add_statement(
    graph: Triples, statement: Node, nodes: dict[str, NetworkNode], edges: dict[tuple[str, str, str], NetworkEdge]
) -> None:
    """A statement about an entity: a claim on the edge to another entity, or a fact on the entity (a literal)."""
    about = graph.about(statement)
    subject, predicate = one(about, KG.subject), one(about, KG.predicate)
    if subject is None or str(subject) not in nodes or predicate is None:
        return
    claim = describe_claim(graph, statement, about)
    obj = one(about, KG.object)
    if obj is not None and str(obj) in nodes:
        edge_for(edges, graph, subject, predicate, obj).claims.append(claim)
    elif obj is None:
        value = describe_value(graph, about)
        if value is not None:
            nodes[str(subject)].facts.append(Fact(str(predicate), label_of(graph, predicate), value, claim))


def edge_for(
    edges: dict[tuple[str, str, str], NetworkEdge], graph: Triples, subject: Node, predicate: Node, obj: Node
) -> NetworkEdge:
    key = (str(subject), str(predicate), str(obj))
    if key not in edges:
        edges[key] = NetworkEdge(
            source=str(subject),
            target=str(obj),
            predicate=str(predicate),
            label=label_of(graph, predicate),
            direct=False,
        )
    return edges[key]


def entities_with_class(graph: Triples) -> list[tuple[URIRef, URIRef]]:
    """Each entity with its most specific asserted kg class (the first by IRI where there are several)."""
    found = []
    for entity in graph.typed():
        if not isinstance(entity, URIRef):
            continue
        specific = graph.most_specific_classes(entity)
        if specific:
            found.append((entity, specific[0]))
    return sorted(found, key=lambda pair: (str(pair[0]), str(pair[1])))  # IRIs: by text, as rdflib compares them


def describe_node(graph: Triples, iri: URIRef, cls: URIRef) -> NetworkNode:
    kg_types = {URIRef(str(c)) for c in graph.objects(iri, TYPE) if str(c).startswith(str(KG_NAMESPACE))}
    all_classes = sorted({local_name(c) for c in kg_types})
    wikidata = graph.value(iri, KG.wikidataEntity)
    return NetworkNode(
        iri=str(iri),
        label=label_of(graph, iri),
        cls=local_name(cls),
        classes=tuple(all_classes),
        wikidata=str(wikidata) if wikidata is not None else None,
    )


def describe_claim(graph: Triples, statement: Node, about: Properties) -> Claim:
    source = one(about, KG.source)
    attributed = one(about, KG.attributedTo)
    return Claim(
        statement=str(statement),
        axes=axes_of(about),
        source=str(source) if source is not None else None,
        source_label=label_of(graph, source) if source is not None else None,
        evidence=text_of(one(about, KG.evidence)),
        hedge=text_of(one(about, KG.hedge)),
        attributed_to=label_of(graph, attributed) if attributed is not None else None,
        qualifiers=qualifiers_of(graph, about),
        direct=graph.admitted(statement),
        rank_reason=text_of(one(about, KG.rankReason)),
        note=text_of(one(about, KG.curatorNote)),
    )


QUALIFIERS = (KG.date, KG.startDate, KG.comparisonAspect)


def qualifiers_of(graph: Triples, about: Properties) -> tuple[tuple[str, str], ...]:
    found = [(label_of(graph, q), show_literal(v)) for q in QUALIFIERS for v in about.get(q, ())]
    if one(about, KG.object) is not None:
        quantity = describe_quantity(graph, about)
        if quantity:
            found.append(("quantity", quantity))
    return tuple(sorted(found))


def describe_value(graph: Triples, about: Properties) -> str | None:
    """A value, quantity or period statement's value, in words."""
    value = one(about, KG.value)
    if value is not None:
        return show_literal(value)
    earliest, latest = one(about, KG.earliestDate), one(about, KG.latestDate)
    if earliest is not None or latest is not None:
        return f"between {show_literal(earliest) if earliest else '?'} and {show_literal(latest) if latest else '?'}"
    return describe_quantity(graph, about)


def describe_quantity(graph: Triples, about: Properties) -> str | None:
    def number(prop: URIRef) -> str | None:
        value = one(about, prop)
        return f"{value.toPython():,}" if isinstance(value, Literal) and value.toPython() is not None else None

    amount, low_in, low_ex = number(KG.amount), number(KG.minInclusive), number(KG.minExclusive)
    high_in, high_ex = number(KG.maxInclusive), number(KG.maxExclusive)
    parts = []
    if amount:
        parts.append(amount)
    if low_in and high_in:
        parts.append(f"{low_in} to {high_in}")
    else:
        parts += [f"at least {low_in}"] if low_in else []
        parts += [f"at most {high_in}"] if high_in else []
    parts += [f"more than {low_ex}"] if low_ex else []
    parts += [f"fewer than {high_ex}"] if high_ex else []
    if not parts:
        return None
    unit = one(about, KG.unit)
    currency = one(about, KG.currency)
    suffix = f" {currency}" if currency is not None else f" {label_of(graph, unit)}" if unit is not None else ""
    return ", ".join(parts) + suffix


def show_literal(value: Node) -> str:
    if isinstance(value, Literal) and value.datatype in DATE_PRECISION:
        return f"{value} ({DATE_PRECISION[value.datatype]})"
    return str(value)


def text_of(value: Node | None) -> str | None:
    return str(value) if value is not None else None


def label_of(graph: Triples | Graph, node: Node) -> str:
    """The English label, else any label, else the IRI's last segment (worked out once per node of an index)."""
    if isinstance(graph, Triples):
        known = graph.labels.get(node)
        if known is None:
            known = graph.labels[node] = graph_label(graph, node)
        return known
    return graph_label(graph, node)


def graph_label(graph: Triples | Graph, node: Node) -> str:
    labels = sorted(graph.objects(node, LABEL), key=lambda lit: (getattr(lit, "language", None) != "en", lit))
    return str(labels[0]) if labels else local_name(URIRef(str(node)))
