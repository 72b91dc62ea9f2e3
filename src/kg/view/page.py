"""The network as one self-contained, offline HTML page, drawn by vis-network.

Jinja renders our own template (src/kg/assets/graph.html.j2), not pyvis's: its stock template links CDNs
and executes markup from data. Our page inlines the copy of vis-network that ships inside pyvis, read from
pyvis's folder without importing pyvis (which pulls in IPython and networkx), carries all data as JSON in
a non-executable <script type="application/json">, builds every tooltip and list from that JSON with
textContent, and pins its own scripts and style by hash in a Content-Security-Policy that also forbids
every network request.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup
from rdflib import RDFS, Graph, URIRef

from kg.rdf.namespaces import KG, STATUSES
from kg.rdf.summary import entity_classes, local_name
from kg.view.network import UNBACKED, Claim, Fact, Network, NetworkEdge, NetworkNode, build_network, label_of
from kg.view.selection import DEFAULT_MAX_NODES, Trimmed, best_connected, degrees

TEMPLATE = "graph.html.j2"
VIS_JS = "templates/lib/vis-9.1.2/vis-network.min.js"  # inside the installed pyvis package
LAYOUT_SEED = 3  # picked among a few for the clearest layout of the curated graph

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
class StatusStyle:
    colour: str
    dashes: tuple[int, ...] | None
    width: float
    meaning: str


STATUS_STYLES = {
    "stated": StatusStyle("#56606b", None, 1.5, "the source asserts it"),
    "reported": StatusStyle("#3b7dd8", None, 1.5, "the source passes on what someone says"),
    "planned": StatusStyle("#1f9e89", (12, 6), 1.5, "an intention or expectation"),
    "speculative": StatusStyle("#e07a1f", (3, 5), 1.5, "hedged: may be, unlikely"),
    UNBACKED: StatusStyle("#d62728", None, 2.5, "a direct edge no statement supports"),
}
OTHER_STATUS = StatusStyle("#8a5cb8", (1, 4), 2.0, "a status the ontology does not define")


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


@dataclass(frozen=True)
class RenderOptions:
    title: str = "kg graph"
    max_nodes: int = DEFAULT_MAX_NODES
    classes: Mapping[str, ClassInfo] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # lines shown under the title, e.g. what the view is focused on


def render_graph(graph: Graph, options: RenderOptions | None = None) -> bytes:
    """The page for a whole graph, with class names and families taken from its ontology."""
    options = options or RenderOptions()
    return render_html(build_network(graph), replace(options, classes=options.classes or describe_classes(graph)))


def render_html(network: Network, options: RenderOptions | None = None) -> bytes:
    """The page for ``network``: the same network and options always give the same bytes."""
    options = options or RenderOptions()
    trimmed = best_connected(network, options.max_nodes)
    shown = trimmed.network
    styles = class_styles(shown, options.classes)
    index = {iri: i for i, iri in enumerate(shown.nodes)}  # vis ids are indexes: shorter than IRIs
    degree = degrees(shown)
    nodes = [vis_node(index[iri], node, degree[iri]) for iri, node in shown.nodes.items()]
    template = template_environment(page_context(shown, options, trimmed, styles)).get_template(TEMPLATE)
    html = template.render(nodes=nodes, edges=vis_edges(shown, index), options=vis_options(len(nodes), styles))
    return html.encode("utf-8")


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
        parents = sorted(graph.objects(cls, RDFS.subClassOf))
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


def vis_node(index: int, node: NetworkNode, degree: int) -> dict[str, Any]:
    return {
        "id": index,
        "label": node.label,
        "group": node.cls,
        "size": round(10 + 4 * math.sqrt(degree), 1),
        "kg": compact(
            {"iri": node.iri, "cls": node.cls, "wikidata": node.wikidata, "facts": [fact_data(f) for f in node.facts]}
        ),
    }


def fact_data(fact: Fact) -> dict[str, Any]:
    return {"label": fact.label, "value": fact.value, "claim": claim_data(fact.claim)}


def claim_data(claim: Claim) -> dict[str, Any]:
    return compact(asdict(claim))


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty fields: the page grows with every node, so absent values cost nothing."""
    return {k: v for k, v in data.items() if v not in (None, "", [], ())}


def vis_edges(network: Network, index: Mapping[str, int]) -> list[dict[str, Any]]:
    curves = parallel_curves(network.edges)
    return [vis_edge(i, edge, index, curves[i]) for i, edge in enumerate(network.edges)]


def vis_edge(i: int, edge: NetworkEdge, index: Mapping[str, int], smooth: dict[str, Any]) -> dict[str, Any]:
    style = STATUS_STYLES.get(edge.status, OTHER_STATUS)
    return {
        "id": i,
        "from": index[edge.source],
        "to": index[edge.target],
        "label": edge.label,
        "color": {"color": style.colour, "highlight": style.colour, "hover": style.colour},
        "dashes": list(style.dashes) if style.dashes else False,
        "width": style.width,
        "smooth": smooth,
        "kg": {
            "predicate": edge.predicate,
            "status": edge.status,
            "direct": edge.direct,
            "claims": [claim_data(c) for c in edge.claims],
        },
    }


def parallel_curves(edges: list[NetworkEdge]) -> list[dict[str, Any]]:
    """Bend edges that join the same two entities apart, so that each label can be read.

    The first edge of a pair is straight; the next ones curve alternately to either side, further each time.
    The side is taken against one fixed direction of the pair, so an edge back the other way bends consistently.
    """
    seen: Counter[tuple[str, str]] = Counter()
    curves = []
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
    """vis-network options: a seeded layout that settles once, then stays still while the reader works."""
    small = node_count <= 150
    return {
        "autoResize": True,
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": small},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -160,
                "centralGravity": 0.01,
                "springLength": 190,
                "springConstant": 0.05,
                "damping": 0.5,
                "avoidOverlap": 0.6,
            },
            "minVelocity": 1.0,
            "stabilization": stabilization(node_count),
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": not small, "keyboard": False},
        "nodes": {
            "borderWidth": 1.5,
            "font": {"size": 16, "color": "#1d2329", "strokeWidth": 4, "strokeColor": "#ffffff"},
            "widthConstraint": {"maximum": 150},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
            "font": {"size": 12, "color": "#3b4148", "strokeWidth": 4, "strokeColor": "#ffffff", "align": "middle"},
            "selectionWidth": 1.5,
            "hoverWidth": 0.5,
        },
        "groups": {name: group_style(style) for name, style in styles.items()},
    }


def stabilization(node_count: int) -> dict[str, Any]:
    """Fewer layout steps as the graph grows, in short batches between which the page stays responsive.

    Measured in Chromium on 2 cores: a step costs about 16 ms at 2,000 nodes and 4,000 edges, so 100 steps
    in batches of 5 settle in under 2 s without blocking the page for more than about 100 ms at a time.
    """
    if node_count <= 150:
        return {"enabled": True, "iterations": 700, "updateInterval": 25}
    return {"enabled": True, "iterations": max(100, min(400, 60_000 // node_count)), "updateInterval": 5}


def group_style(style: ClassStyle) -> dict[str, Any]:
    border = darker(style.colour)
    colour = {"background": style.colour, "border": border}
    return {"shape": style.shape, "color": {**colour, "highlight": colour, "hover": colour}}


def darker(colour: str, factor: float = 0.7) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * factor):02x}" for c in (red, green, blue))


def page_context(network: Network, options: RenderOptions, trimmed: Trimmed, styles: Mapping[str, ClassStyle]) -> dict:
    statuses = Counter(edge.status for edge in network.edges)
    return {
        "title": options.title,
        "notes": list(options.notes),
        "node_count": len(network.nodes),
        "edge_count": len(network.edges),
        "trimmed": trimmed_banner(trimmed, options.max_nodes) if trimmed.left_out_nodes else None,
        "classes": [asdict(s) for s in styles.values()],
        "statuses": [
            {"name": name, "count": statuses[name], **asdict(STATUS_STYLES.get(name, OTHER_STATUS))}
            for name in (*STATUSES, *sorted(set(statuses) - set(STATUSES)))
        ],
    }


def trimmed_banner(trimmed: Trimmed, max_nodes: int) -> str:
    total = len(trimmed.network.nodes) + trimmed.left_out_nodes
    return (
        f"The graph has {total:,} entities, more than the {max_nodes:,} this view draws. Shown: the "
        f"{len(trimmed.network.nodes):,} best-connected entities and the claims among them; left out: "
        f"{trimmed.left_out_nodes:,} entities and {trimmed.left_out_edges:,} claims. To see a part in full, "
        "run kg render --focus ENTITY --depth N (or raise --max-nodes)."
    )


def template_environment(page: dict) -> Any:
    """A Jinja environment that loads our assets, escapes every value, and knows the page's data."""
    from jinja2 import Environment, FunctionLoader, StrictUndefined

    env = Environment(
        loader=FunctionLoader(asset_text), autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True
    )
    scripts = {"vis": vis_network_js(), "view": asset_text("view.js")}
    style = asset_text("view.css")
    env.filters["json_script"] = json_script
    env.globals.update(
        page=page,
        scripts={name: Markup(text) for name, text in scripts.items()},
        style=Markup(style),
        csp=content_security_policy(scripts.values(), [style]),
    )
    return env


# Inside JSON these characters occur only in strings, where the \u escapes mean the same text.
SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_script(value: Any) -> Markup:
    """JSON that is safe inside <script>: no character of it can end the element or start markup."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.translate(SCRIPT_SAFE))  # every character that could end the element is escaped


def content_security_policy(scripts: Any, styles: Any) -> str:
    """Allow exactly our inline scripts and style, and no request of any kind."""
    script_hashes = " ".join(f"'sha256-{digest(s)}'" for s in scripts)
    style_hashes = " ".join(f"'sha256-{digest(s)}'" for s in styles)
    return (
        f"default-src 'none'; script-src {script_hashes}; style-src {style_hashes}; "
        "img-src data: blob:; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )


def digest(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


@cache
def asset_text(name: str) -> str:
    return (resources.files("kg.view") / "assets" / name).read_text(encoding="utf-8")


@cache
def vis_network_js() -> str:
    """vis-network as pyvis ships it, refused if it could end the <script> element it is inlined in."""
    text = (pyvis_folder() / VIS_JS).read_text(encoding="utf-8")
    if "</script" in text.lower() or "<!--" in text:
        raise RuntimeError(f"pyvis's {VIS_JS} cannot be inlined safely: it contains </script or <!--")
    return text


def pyvis_folder() -> Path:
    """The installed pyvis package's folder, found without importing pyvis (and so IPython)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyvis is not installed: the page inlines the copy of vis-network it ships")
    return Path(spec.submodule_search_locations[0])
