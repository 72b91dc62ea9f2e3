"""The network as one self-contained, offline HTML page, drawn by vis-network at positions kg.view.layout computes.

Jinja renders our own template (src/kg/view/assets/graph.html.j2), not pyvis's: its stock template links CDNs
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
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from rdflib import Graph

from kg.rdf.namespaces import AXIS_LABELS
from kg.view.flags import ConflictPair, Flags, flag_conflicts
from kg.view.layout import layout
from kg.view.looks import Look, claims_legend, edge_look
from kg.view.network import Network, build_network
from kg.view.selection import DEFAULT_MAX_NODES, Trimmed, best_connected, degrees
from kg.view.sources import SEVERAL, source_legend
from kg.view.styles import ClassInfo, ClassStyle, class_styles, describe_classes
from kg.view.vis_data import FAR, HUGE, node_marks, vis_edges, vis_node, vis_options

if TYPE_CHECKING:
    from jinja2 import Environment

# What kg.cli and kg.build use; describe_classes is kg.view.styles', here beside the options it fills.
__all__ = ["ConflictPair", "RenderOptions", "describe_classes", "render_graph", "render_html"]

TEMPLATE = "graph.html.j2"
VIS_JS = "templates/lib/vis-9.1.2/vis-network.min.js"  # inside the installed pyvis package


@dataclass(frozen=True)
class RenderOptions:
    title: str = "kg graph"
    max_nodes: int = DEFAULT_MAX_NODES
    classes: Mapping[str, ClassInfo] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # lines shown under the title, e.g. what the view is focused on
    # Pairs of conflicting statements to flag side by side: kg.validate.conflicts.find_conflicts(engine) gives
    # them; anything with statement, other_statement and settled will do (kg.view.flags.Conflicting).
    conflicts: Sequence[ConflictPair] = ()


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
    positions = layout(len(index), [(index[e.source], index[e.target]) for e in shown.edges])
    flags = flag_conflicts(shown, options.conflicts)
    looks = [edge_look(e, flags.unsettled(flags.edges.get(i, []))) for i, e in enumerate(shown.edges)]
    marks = node_marks(shown, looks, flags)
    placed = enumerate(shown.nodes.items())
    nodes = [vis_node(i, node, degree[iri], positions[i], marks.get(iri)) for i, (iri, node) in placed]
    context = page_context(shown, options, trimmed, styles, looks, flags)
    template = template_environment(context).get_template(TEMPLATE)
    edges = vis_edges(shown, index, looks, flags.edges)
    html = template.render(data=page_data(nodes, edges, context), options=vis_options(len(nodes), styles))
    return html.encode("utf-8")


def page_data(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], page: dict[str, Any]) -> dict[str, Any]:
    """What the kg-data script holds. On a large page the nodes and edges are deflated and base64-encoded
    (a seventh of the bytes, so the browser reads the page several times faster), and view.js inflates
    them with the browser's own DecompressionStream; the page's legends and counts stay plain JSON."""
    if not page["far"]:
        return {"nodes": nodes, "edges": edges, "page": page}
    text = json.dumps({"nodes": nodes, "edges": edges}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return {"packed": base64.b64encode(zlib.compress(text.encode("utf-8"), 6)).decode("ascii"), "page": page}


def page_context(
    network: Network,
    options: RenderOptions,
    trimmed: Trimmed,
    styles: Mapping[str, ClassStyle],
    looks: list[Look],
    flags: Flags,
) -> dict[str, Any]:
    """What the template shows around the drawing: title, notes, counts, the legends, the conflicts."""
    return {
        "title": options.title,
        "notes": list(options.notes),
        "node_count": len(network.nodes),
        "edge_labels": len(network.nodes) <= HUGE,  # drawn on the canvas; above, in tooltips and details only
        "far": len(network.nodes) > FAR,  # zoomed out, drawn in batches (assets/far.js)
        "edge_count": len(network.edges),
        "trimmed": trimmed_banner(trimmed, options.max_nodes) if trimmed.left_out_nodes else None,
        "classes": [asdict(s) for s in styles.values()],
        "claims": claims_legend(looks),
        "sources": source_legend(network),
        "several_sources": SEVERAL,
        "conflicts": flags.conflicts,
        "unsettled": sum(1 for c in flags.conflicts if not c["settled"]),
        "axis_labels": AXIS_LABELS,
    }


def trimmed_banner(trimmed: Trimmed, max_nodes: int) -> str:
    total = len(trimmed.network.nodes) + trimmed.left_out_nodes
    return (
        f"The graph has {total:,} entities, more than the {max_nodes:,} this view draws. Shown: the "
        f"{len(trimmed.network.nodes):,} best-connected entities and the claims among them; left out: "
        f"{trimmed.left_out_nodes:,} entities and {trimmed.left_out_edges:,} claims. To see a part in full, "
        "run kg render --focus ENTITY --depth N (or raise --max-nodes)."
    )


def template_environment(page: dict[str, Any]) -> Environment:
    """A Jinja environment that loads our assets, escapes every value, and knows the page's data."""
    from jinja2 import Environment, FunctionLoader, StrictUndefined

    env = Environment(
        loader=FunctionLoader(asset_text), autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True
    )
    # far.js (the zoomed-out drawing of large pages) goes in the view's script, which uses it.
    view = asset_text("far.js") + asset_text("view.js")
    scripts = {"vis": vis_network_js(), "claims": asset_text("claims.js"), "view": view}
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


def content_security_policy(scripts: Iterable[str], styles: Iterable[str]) -> str:
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
