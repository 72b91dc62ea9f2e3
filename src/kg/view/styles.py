"""How the page draws classes: a colour per family of classes, a shape per class (claims: kg.view.looks).

The same tables make the legend, so what the reader is told is what is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import RDFS, Graph, URIRef

from kg.rdf.namespaces import KG
from kg.rdf.summary import entity_classes, local_name
from kg.view.network import Network, label_of

# Colour per family of classes (a class directly below kg:Entity); unknown families take FALLBACK_COLOURS.
FAMILY_COLOURS = {
    "Organization": "#4e79a7",
    "Person": "#f28e2b",
    "Place": "#59a14f",
    "Event": "#b07aa1",
    "VehicleModel": "#e15759",
    "VehicleFeature": "#ff9da7",
    "BodyStyle": "#9c755f",
    "ProductLine": "#76b7b2",
    "Brand": "#edc948",
    "Right": "#79706e",
    "Platform": "#bab0ac",
}
FALLBACK_COLOURS = ("#8cd17d", "#d37295", "#499894", "#fabfd2", "#b6992d", "#a0cbe8", "#d4a6c8")
# Shape per class inside its family: the family's own class first, then its subclasses by name.
SHAPES = ("dot", "square", "diamond", "triangle", "triangleDown", "hexagon", "star")


@dataclass(frozen=True)
class ClassInfo:
    """How the view names a class and which family (colour) it belongs to."""

    label: str
    family: str
    rank: int = 0  # position inside its family, which picks the shape


@dataclass(frozen=True)
class ClassStyle:
    name: str
    label: str
    colour: str
    shape: str
    count: int


def describe_classes(graph: Graph) -> dict[str, ClassInfo]:
    """Each entity class's label, family (its ancestor directly below kg:Entity) and rank inside the family."""
    classes = entity_classes(graph)
    family_of = {cls: family(graph, cls, classes) for cls in classes}
    info = {}
    for fam in set(family_of.values()):
        members = sorted((c for c in classes if family_of[c] == fam), key=lambda c: (c != fam, local_name(c)))
        for rank, cls in enumerate(members):
            info[local_name(cls)] = ClassInfo(label_of(graph, cls), local_name(fam), rank)
    return dict(sorted(info.items()))


def family(graph: Graph, cls: URIRef, classes: set[URIRef]) -> URIRef:
    """The ancestor of ``cls`` directly below kg:Entity (``cls`` itself if it is one); a cycle ends the walk."""
    seen = set()
    while cls not in seen:
        seen.add(cls)
        # Only IRIs: kg:Entity and the classes are IRIs, so a blank or literal parent would change nothing.
        parents = sorted(p for p in graph.objects(cls, RDFS.subClassOf) if isinstance(p, URIRef))
        parent = next((p for p in parents if p in classes), None)
        if KG.Entity in parents or parent is None:
            return cls
        cls = parent
    return cls


def class_styles(network: Network, classes: Mapping[str, ClassInfo]) -> dict[str, ClassStyle]:
    """Colour and shape of each class present, with its count, in legend order (family, then class)."""
    counts = network.class_counts()
    info = {name: classes.get(name) or ClassInfo(name, name) for name in counts}
    families = sorted({i.family for i in classes.values()} | {i.family for i in info.values()})
    spare = iter(FALLBACK_COLOURS * (1 + len(families) // len(FALLBACK_COLOURS)))
    colours = {fam: FAMILY_COLOURS.get(fam) or next(spare) for fam in families}
    order = sorted(info, key=lambda name: (info[name].family, info[name].rank, name))
    return {
        name: ClassStyle(
            name, info[name].label, colours[info[name].family], SHAPES[info[name].rank % len(SHAPES)], counts[name]
        )
        for name in order
    }


def group_style(style: ClassStyle) -> dict[str, Any]:
    """A class as a vis-network group: its shape, filled with its colour inside a darker border."""
    border = darker(style.colour)
    colour = {"background": style.colour, "border": border}
    return {"shape": style.shape, "color": {**colour, "highlight": colour, "hover": colour}}


def darker(colour: str, factor: float = 0.7) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * factor):02x}" for c in (red, green, blue))
