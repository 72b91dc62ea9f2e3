"""Conflicting claims flagged side by side: which edges and nodes of the page carry a statement of a conflict,
and both claims of each conflict as the tooltip shows them.

The page takes the pairs as plain data (``RenderOptions.conflicts``): anything with ``statement``,
``other_statement`` (IRIs) and ``settled``, such as kg.validate.conflicts' ``Conflict`` rows, so the page
does not need the query that finds them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from kg.view.network import Claim, Network
from kg.view.vis_data import claim_data


class ConflictPair(Protocol):
    """Two statements whose values cannot both hold; settled when a curator ranked one of them."""

    @property
    def statement(self) -> str: ...

    @property
    def other_statement(self) -> str: ...

    @property
    def settled(self) -> bool: ...


@dataclass(frozen=True)
class Conflicting:
    """A conflict given as plain data, for callers without kg.validate.conflicts (tests, other tools)."""

    statement: str
    other_statement: str
    settled: bool = False


@dataclass(frozen=True)
class Place:
    """Where a statement is drawn: on an edge (by index) or as a fact of a node (by IRI), with its value."""

    claim: Claim
    subject: str
    predicate: str
    value: str
    edge: int | None = None
    node: str | None = None


@dataclass
class Flags:
    """The conflicts as the page shows them, and the conflicts each edge and node takes part in."""

    conflicts: list[dict[str, Any]] = field(default_factory=list)
    edges: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    nodes: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def unsettled(self, indexes: Sequence[int]) -> bool:
        return any(not self.conflicts[i]["settled"] for i in indexes)


def places(network: Network) -> dict[str, Place]:
    """Every statement the network draws, and where."""
    found = {}
    for i, edge in enumerate(network.edges):
        subject, target = network.nodes[edge.source].label, network.nodes[edge.target].label
        for claim in edge.claims:
            found[claim.statement] = Place(claim, subject, edge.label, target, edge=i)
    for iri, node in network.nodes.items():
        for fact in node.facts:
            found[fact.claim.statement] = Place(fact.claim, node.label, fact.label, fact.value, node=iri)
    return found


def flag_conflicts(network: Network, pairs: Sequence[ConflictPair]) -> Flags:
    """The conflicts among ``pairs`` that touch the network, each with both claims as far as it draws them."""
    drawn = places(network)
    flags = Flags()
    # str(): kg.validate.conflicts gives rdflib IRIs, which compare unequal to the plain strings drawn here.
    ordered = sorted({(str(p.statement), str(p.other_statement), bool(p.settled)) for p in pairs})
    for statement, other, settled in ordered:
        sides = [drawn.get(statement), drawn.get(other)]
        if not any(sides):
            continue
        index = len(flags.conflicts)
        claims = [side_data(side, iri) for side, iri in zip(sides, (statement, other), strict=True)]
        flags.conflicts.append({"settled": settled, "claims": claims})
        for side in sides:
            if side is not None and side.edge is not None:
                flags.edges[side.edge].append(index)
            elif side is not None and side.node is not None:
                flags.nodes[side.node].append(index)
    return flags


def side_data(place: Place | None, statement: str) -> Mapping[str, Any]:
    """One claim of a conflict for the tooltip; a statement the page does not draw is named by its IRI."""
    if place is None:
        return {"statement": statement, "drawn": False}
    return {"statement": statement, "drawn": True, "subject": place.subject, "predicate": place.predicate,
            "value": place.value, "claim": claim_data(place.claim)}  # fmt: skip
