"""The source documents behind the drawn claims, for the page's source filter and its "colour by source" switch:
each with its label (from the source document), how many edges it backs, and a colour of its own.
"""

from __future__ import annotations

from typing import Any

from kg.view.network import Network

# Colours for sources, in order of the sources' labels (the palette repeats beyond its length); an edge that
# several sources back takes SEVERAL.
SOURCE_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4")
SEVERAL = "#1d2329"
NO_SOURCE = "(no source)"


def source_legend(network: Network) -> list[dict[str, Any]]:
    """Every source a drawn claim cites, ordered by label then IRI, with its colour and edge and fact counts."""
    labels: dict[str, str] = {}
    edges: dict[str, int] = {}
    facts: dict[str, int] = {}
    for edge in network.edges:
        for source in {c.source for c in edge.claims if c.source}:
            edges[source] = edges.get(source, 0) + 1
        for claim in edge.claims:
            if claim.source:
                labels.setdefault(claim.source, claim.source_label or claim.source)
    for node in network.nodes.values():
        for fact in node.facts:
            if fact.claim.source:
                labels.setdefault(fact.claim.source, fact.claim.source_label or fact.claim.source)
                facts[fact.claim.source] = facts.get(fact.claim.source, 0) + 1
    ordered = sorted(labels, key=lambda iri: (labels[iri], iri))
    return [
        {
            "iri": iri,
            "label": labels[iri],
            "edges": edges.get(iri, 0),
            "facts": facts.get(iri, 0),
            "colour": SOURCE_COLOURS[i % len(SOURCE_COLOURS)],
        }
        for i, iri in enumerate(ordered)
    ]
