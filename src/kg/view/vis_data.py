"""The network as vis-network reads it: numbered, placed nodes and edges carrying their claims, and the options.

Every value here ends up in the page's JSON, so each field left out when empty saves bytes on every node.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from kg.view.looks import CONFLICT_MARK, DEFAULT, Look, standing
from kg.view.network import Claim, Fact, Network, NetworkEdge, NetworkNode
from kg.view.styles import ClassStyle, group_style

if TYPE_CHECKING:  # kg.view.flags reads claim_data from here
    from kg.view.flags import Flags

DEFAULT_EDGE = DEFAULT  # the commonest look: the default in vis_options, not repeated per edge
LARGE = 150  # above this many nodes, edges are left out while the view moves, so it stays smooth
# Above this many nodes, edge labels are shown on hover and click only, and node labels are not wrapped:
# vis-network measures every label's text when it draws, most of its first frame at 10,000 nodes.
HUGE = 5000
# Above this many nodes, the page draws the zoomed-out view itself, nodes and edges of one look in one path
# each (assets/far.js), where vis-network would draw each on its own.
FAR = 1000
LABEL_THRESHOLD = 5  # vis-network draws no label smaller than this many pixels on screen (its default)


@dataclass(frozen=True)
class NodeMarks:
    """What the page adds to a node: the group that hides it (every claim it takes part in is hidden), the
    words after its label, and the conflicts its facts are in (unsettled: a warning sign before the label)."""

    hidden_groups: tuple[str, ...] = ()
    suffix: str = ""
    conflicts: tuple[int, ...] = ()
    unsettled: bool = False


NODE_SUFFIXES = {"doubted": "unlikely or negated", "failed": "did not happen", "deprecated": "deprecated"}


def node_marks(network: Network, looks: list[Look], flags: Flags) -> dict[str, NodeMarks]:
    """The marks of each node that has any: hidden when each claim it takes part in is hidden by default."""
    groups = {iri: [f.claim.hidden_group for f in node.facts] for iri, node in network.nodes.items()}
    for edge, look in zip(network.edges, looks, strict=True):
        groups[edge.source].append(look.hidden_group)
        groups[edge.target].append(look.hidden_group)
    marks = {}
    for iri, found in groups.items():
        hidden = tuple(sorted({g for g in found if g})) if found and None not in found else ()
        conflicts = tuple(flags.nodes.get(iri, ()))
        if hidden or conflicts:
            suffix = f" ({' or '.join(NODE_SUFFIXES[g] for g in hidden)})" if hidden else ""
            marks[iri] = NodeMarks(hidden, suffix, conflicts, flags.unsettled(conflicts))
    return marks


def vis_node(
    index: int, node: NetworkNode, degree: int, position: tuple[int, int], marks: NodeMarks | None = None
) -> dict[str, Any]:
    marks = marks or NodeMarks()
    drawn: dict[str, Any] = {
        "id": index,
        "x": position[0],
        "y": position[1],
        "label": (CONFLICT_MARK if marks.unsettled else "") + node.label + marks.suffix,
        "group": node.cls,
        "size": round(10 + 4 * math.sqrt(degree), 1),
    }
    if marks.hidden_groups:
        drawn["hidden"] = True
    if marks.unsettled:
        drawn["borderWidth"] = 4
    drawn["kg"] = without_empty(
        {
            "iri": node.iri,
            "cls": node.cls,
            "wikidata": node.wikidata,
            "facts": [fact_data(f) for f in node.facts],
            "hidden_groups": list(marks.hidden_groups),
            "conflicts": list(marks.conflicts),
        }
    )
    return drawn


def fact_data(fact: Fact) -> dict[str, Any]:
    return {"label": fact.label, "value": fact.value, "claim": claim_data(fact.claim)}


# Read field by field: dataclasses.asdict copies every value deeply, which took seconds at 40,000 claims.
CLAIM_FIELDS = tuple(f.name for f in fields(Claim))


def claim_data(claim: Claim) -> dict[str, Any]:
    """A claim as the tooltip reads it (every field of Claim but the empty ones), with its standing
    (kg.view.looks.standing)."""
    data = {name: value for name in CLAIM_FIELDS if (value := getattr(claim, name)) not in EMPTY}
    data["axes"] = without_empty(claim.axes.values())  # no outcome on a factual claim
    data["standing"] = standing(claim)
    return data


EMPTY: tuple[object, ...] = (None, "", [], ())  # what the page leaves out


def without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty fields: the page grows with every node, so absent values cost nothing."""
    return {k: v for k, v in data.items() if v not in EMPTY}


def vis_edges(
    network: Network, index: Mapping[str, int], looks: list[Look], conflicts: Mapping[int, list[int]]
) -> list[dict[str, Any]]:
    curves = parallel_curves(network.edges)
    return [vis_edge(i, edge, index, curves[i], looks[i], conflicts.get(i, [])) for i, edge in enumerate(network.edges)]


def vis_edge(
    i: int, edge: NetworkEdge, index: Mapping[str, int], smooth: dict[str, Any], look: Look, conflicts: list[int]
) -> dict[str, Any]:
    """One edge; only what differs from the defaults in vis_options, since vis-network merges every option
    of every edge when the page opens, and that is most of its time at 10,000 edges."""
    line = look.line
    drawn: dict[str, Any] = {"id": i, "from": index[edge.source], "to": index[edge.target], "label": look.label}
    if line.colour != DEFAULT_EDGE.colour:
        drawn["color"] = {"color": line.colour, "highlight": line.colour, "hover": line.colour}
    if line.dashes:
        drawn["dashes"] = list(line.dashes)
    if line.width != DEFAULT_EDGE.width:
        drawn["width"] = line.width
    if smooth["enabled"]:
        drawn["smooth"] = smooth
    if look.hidden_group:
        drawn["hidden"] = True
    if look.text_colour:
        drawn["font"] = {"color": look.text_colour}
    drawn["kg"] = without_empty(
        {
            "predicate": edge.predicate,
            "property": edge.label,
            "standing": look.standing,
            "direct": edge.direct,
            "hidden_group": look.hidden_group,
            "claims": [claim_data(c) for c in edge.claims],
            "sources": sorted({c.source for c in edge.claims if c.source}),
            "conflicts": conflicts,
        }
    )
    drawn["kg"].setdefault("claims", [])
    return drawn


def parallel_curves(edges: list[NetworkEdge]) -> list[dict[str, Any]]:
    """Bend edges that join the same two entities apart, so that each label can be read.

    The first edge of a pair is straight; the next ones curve alternately to either side, further each time.
    The side is taken against one fixed direction of the pair, so an edge back the other way bends consistently.
    """
    seen: Counter[tuple[str, str]] = Counter()
    curves: list[dict[str, Any]] = []
    for edge in edges:
        pair = (min(edge.source, edge.target), max(edge.source, edge.target))
        k = seen[pair]
        seen[pair] += 1
        if k == 0:
            curves.append({"enabled": False})
            continue
        side = 1 if k % 2 else -1
        if (edge.source, edge.target) != pair:
            side = -side
        kind = "curvedCW" if side > 0 else "curvedCCW"
        curves.append({"enabled": True, "type": kind, "roundness": round(0.25 * ((k + 1) // 2), 2)})
    return curves


def vis_options(node_count: int, styles: Mapping[str, ClassStyle]) -> dict[str, Any]:
    """vis-network options: positions come with the nodes (kg.view.layout), so there is no physics at all."""
    small = node_count <= LARGE
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False},
        "physics": {"enabled": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": not small,
            "hideEdgesOnZoom": not small,
            "keyboard": False,
        },
        "nodes": {
            "borderWidth": 1.5,
            "font": {"size": 16, "color": "#1d2329", "strokeWidth": 4, "strokeColor": "#ffffff"},
            "widthConstraint": {"maximum": 150} if node_count <= HUGE else False,
            "scaling": {"label": {"drawThreshold": LABEL_THRESHOLD}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
            "font": {"size": 12, "color": "#3b4148", "strokeWidth": 4, "strokeColor": "#ffffff", "align": "middle"},
            "color": {"color": DEFAULT_EDGE.colour, "highlight": DEFAULT_EDGE.colour, "hover": DEFAULT_EDGE.colour},
            "width": DEFAULT_EDGE.width,
            "smooth": False,
            "selectionWidth": 1.5,
            "hoverWidth": 0.5,
        },
        "groups": {name: group_style(style) for name, style in styles.items()},
    }
