"""The network as vis-network reads it: numbered, placed nodes and edges carrying their claims, and the options.

Every value here ends up in the page's JSON, so each field left out when empty saves bytes on every node.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from kg.view.network import Claim, Fact, Network, NetworkEdge, NetworkNode
from kg.view.styles import ClassStyle, group_style, status_style

DEFAULT_EDGE = status_style("stated")  # the commonest status: its style is the default, not repeated per edge
LARGE = 150  # above this many nodes, edges are left out while the view moves, so it stays smooth
# Above this many nodes, edge labels are shown on hover and click only, and node labels are not wrapped:
# vis-network measures every label's text when it draws, most of its first frame at 10,000 nodes.
HUGE = 5000


def vis_node(index: int, node: NetworkNode, degree: int, position: tuple[int, int]) -> dict[str, Any]:
    return {
        "id": index,
        "x": position[0],
        "y": position[1],
        "label": node.label,
        "group": node.cls,
        "size": round(10 + 4 * math.sqrt(degree), 1),
        "kg": without_empty(
            {"iri": node.iri, "cls": node.cls, "wikidata": node.wikidata, "facts": [fact_data(f) for f in node.facts]}
        ),
    }


def fact_data(fact: Fact) -> dict[str, Any]:
    return {"label": fact.label, "value": fact.value, "claim": claim_data(fact.claim)}


def claim_data(claim: Claim) -> dict[str, Any]:
    return without_empty(asdict(claim))


def without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty fields: the page grows with every node, so absent values cost nothing."""
    return {k: v for k, v in data.items() if v not in (None, "", [], ())}


def vis_edges(network: Network, index: Mapping[str, int]) -> list[dict[str, Any]]:
    curves = parallel_curves(network.edges)
    return [vis_edge(i, edge, index, curves[i]) for i, edge in enumerate(network.edges)]


def vis_edge(i: int, edge: NetworkEdge, index: Mapping[str, int], smooth: dict[str, Any]) -> dict[str, Any]:
    """One edge; only what differs from the defaults in vis_options, since vis-network merges every option
    of every edge when the page opens, and that is most of its time at 10,000 edges."""
    style = status_style(edge.status)
    drawn: dict[str, Any] = {"id": i, "from": index[edge.source], "to": index[edge.target], "label": edge.label}
    if style.colour != DEFAULT_EDGE.colour:
        drawn["color"] = {"color": style.colour, "highlight": style.colour, "hover": style.colour}
    if style.dashes:
        drawn["dashes"] = list(style.dashes)
    if style.width != DEFAULT_EDGE.width:
        drawn["width"] = style.width
    if smooth["enabled"]:
        drawn["smooth"] = smooth
    drawn["kg"] = {
        "predicate": edge.predicate,
        "status": edge.status,
        "direct": edge.direct,
        "claims": [claim_data(c) for c in edge.claims],
    }
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
