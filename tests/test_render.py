"""The HTML view as a document: offline, escaped, deterministic, styled by class and by axis, bounded."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from rdflib import Graph

from kg.project import Project
from kg.rdf.load import load_files
from kg.view.axes import Axes
from kg.view.looks import ATTRIBUTION_COLOURS, HIDDEN_LINES, LINE_DASHES, UNBACKED, UNKNOWN_COLOUR
from kg.view.network import Claim, Network, NetworkEdge, NetworkNode, build_network
from kg.view.page import RenderOptions, describe_classes, render_graph, render_html
from support.html_page import Page

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "render"


@pytest.fixture(scope="module")
def curated_html(graph: Graph) -> str:
    return render_graph(graph).decode("utf-8")


@pytest.fixture(scope="module")
def hostile_graph(project: Project) -> Graph:
    return load_files([*project.ontology_files(), FIXTURES / "hostile.ttl"]).graph


@pytest.fixture(scope="module")
def hostile_html(hostile_graph: Graph) -> str:
    return render_graph(hostile_graph).decode("utf-8")


def test_no_src_or_href_points_to_the_network(curated_html: str, hostile_html: str) -> None:
    for html in (curated_html, hostile_html):
        page = Page(html)
        linked = [(tag, attrs) for tag, attrs in page.elements if "src" in attrs or "href" in attrs]
        assert linked == []  # vis-network and our code are inline; nothing is loaded by reference
        assert not [value for value in page.attribute_values() if re.search(r"(?i)\b(https?:)?//", value)]
        assert [tag for tag, _ in page.elements if tag in {"link", "iframe", "img", "object", "embed", "base"}] == []


def test_the_policy_forbids_requests_and_allows_exactly_our_scripts(curated_html: str) -> None:
    page = Page(curated_html)
    (policy,) = [
        a["content"] for t, a in page.elements if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    code = [text for attrs, text in page.scripts if attrs.get("type") != "application/json"]
    assert len(code) == 3  # vis-network, the claims' details, then the view
    allowed = set(re.findall(r"'sha256-([^']+)'", policy.split("script-src", 1)[1].split(";", 1)[0]))
    assert allowed == {base64.b64encode(hashlib.sha256(c.encode()).digest()).decode() for c in code}
    assert "vis-network" in code[0] and "window.kgClaims" in code[1] and "window.network = network" in code[2]


def test_hostile_text_stays_text(hostile_graph: Graph, hostile_html: str) -> None:
    page = Page(hostile_html)
    # No element or handler came from the data: only the template's own tags, no on* attribute anywhere.
    assert not [name for _, attrs in page.elements for name in attrs if name.lower().startswith("on")]
    assert {tag for tag, _ in page.elements} <= {
        "html", "head", "meta", "title", "style", "body", "aside", "header", "h1", "h2", "p", "span", "form",
        "label", "div", "input", "button", "ol", "ul", "li", "section", "svg", "circle", "rect", "polygon",
        "line", "main", "script",
    }  # fmt: skip
    assert len(page.scripts) == 5
    assert "<img" not in hostile_html and "<iframe" not in hostile_html and "<svg onload" not in hostile_html
    # The data survives the escaping unchanged: the page's JSON holds the labels exactly as the graph has them.
    labels = {node["label"] for node in page.json("kg-data")["nodes"]}
    assert labels == {node.label for node in build_network(hostile_graph).nodes.values()}
    assert "</script><script>window.pwned=1;document.title='pwned script'</script>" in labels
    # Class labels from the ontology are written as escaped text in the legend.
    assert "<img src=x onerror=\"document.title='pwned class'\">lair" in "".join(page.text)


def test_same_graph_same_bytes(graph: Graph, curated_html: str) -> None:
    assert render_graph(Graph() + graph).decode("utf-8") == curated_html
    # The layout is in the page (computed once by kg render, seeded): the browser runs no physics.
    assert Page(curated_html).json("kg-options")["physics"] == {"enabled": False}
    positions = [(n["x"], n["y"]) for n in Page(curated_html).json("kg-data")["nodes"]]
    assert all(isinstance(c, int) for p in positions for c in p) and len(set(positions)) == len(positions)
    assert Page(curated_html).json("kg-data")["page"]["edge_labels"] is True  # drawn on the canvas at this size


def drawn(edge: dict, options: dict) -> dict:
    """An edge's colour, dashes and curve as vis-network draws it: the page leaves out what is the default."""
    return {"color": options["edges"]["color"], "dashes": False, "smooth": options["edges"]["smooth"], **edge}


def test_every_entity_and_claim_is_drawn_with_its_label(graph: Graph, curated_html: str) -> None:
    network = build_network(graph)
    data = Page(curated_html).json("kg-data")
    # A node's label is the entity's, marked where all its claims are hidden: "… (did not happen)".
    labels = {n["kg"]["iri"]: n["label"] for n in data["nodes"]}
    assert labels.keys() == network.nodes.keys()
    assert all(labels[iri].startswith(node.label) for iri, node in network.nodes.items())
    assert len(data["edges"]) == len(network.edges)
    by_id = {n["id"]: n for n in data["nodes"]}
    owns = [e for e in data["edges"] if e["label"] == "owns"]
    assert [(by_id[e["from"]]["label"], by_id[e["to"]]["label"]) for e in owns] == [("Xiaomi", "Foton Motor")]


def test_legend_lists_each_class_with_its_count_colour_and_shape(graph: Graph, curated_html: str) -> None:
    page = Page(curated_html)
    legend = {e["name"]: e for e in page.json("kg-data")["page"]["classes"]}
    assert legend.keys() == build_network(graph).class_counts().keys()
    assert (legend["Company"]["label"], legend["Company"]["count"]) == ("company", 4)
    # Classes of one family share a colour and differ in shape; other families differ in colour.
    assert legend["Company"]["colour"] == legend["BusinessUnit"]["colour"] != legend["Person"]["colour"]
    assert legend["Company"]["shape"] != legend["BusinessUnit"]["shape"]
    boxes = [a["data-class"] for t, a in page.elements if t == "input" and "data-class" in a]
    assert sorted(boxes) == sorted(legend)
    groups = page.json("kg-options")["groups"]
    assert groups["Company"]["shape"] == legend["Company"]["shape"]


def test_edges_are_styled_by_their_axes(curated_html: str) -> None:
    page = Page(curated_html)
    edges = [drawn(e, page.json("kg-options")) for e in page.json("kg-data")["edges"]]
    style = {e["kg"]["standing"]: (e["dashes"], e["color"]["color"]) for e in edges}
    assert style["current"] == (False, ATTRIBUTION_COLOURS["ownVoice"])
    assert style["attributed"] == (False, ATTRIBUTION_COLOURS["attributed"])
    assert style["possible"] == (list(LINE_DASHES["possible"]), ATTRIBUTION_COLOURS["ownVoice"])
    assert style["inference"] == (list(LINE_DASHES["likely"]), ATTRIBUTION_COLOURS["curatorInference"])
    assert style["unlikely"] == (list(HIDDEN_LINES["doubted"].dashes or ()), HIDDEN_LINES["doubted"].colour)
    assert style["failed"] == (list(HIDDEN_LINES["failed"].dashes or ()), HIDDEN_LINES["failed"].colour)
    product = [e for e in edges if e["kg"]["standing"] == "prospective" and e["label"] == "product line (planned)"]
    assert product and product[0]["dashes"] == list(LINE_DASHES["prospective"])
    # No two of the looks a reader must tell apart are drawn alike.
    assert len({json.dumps(style[name]) for name in ("current", "possible", "unlikely", "failed", "inference")}) == 5


def test_hover_data_carries_sources_quotes_and_qualifiers(curated_html: str) -> None:
    data = Page(curated_html).json("kg-data")
    (owns,) = [e for e in data["edges"] if e["label"] == "owns"]
    (claim,) = owns["kg"]["claims"]
    assert claim["evidence"] and claim["source"].startswith("https://w3id.org/kg/source/")
    assert ["start date", "2022-11 (month)"] in claim["qualifiers"]
    (car,) = [n for n in data["nodes"] if n["label"] == "Xiaomi's first electric car"]
    facts = {f["label"]: f for f in car["kg"]["facts"]}
    assert facts["price"]["value"] == "40,000 to 50,000 EUR"
    assert facts["price"]["claim"]["axes"]["timing"] == "prospective"
    assert facts["price"]["claim"]["hedge"] == "will be" and facts["price"]["claim"]["standing"] == "prospective"
    (lei,) = [n for n in data["nodes"] if n["label"] == "Lei Jun"]
    assert lei["kg"]["wikidata"] == "http://www.wikidata.org/entity/Q9000717"


def test_parallel_edges_bend_apart(curated_html: str) -> None:
    page = Page(curated_html)
    data = page.json("kg-data")
    by_id = {n["id"]: n["label"] for n in data["nodes"]}
    between = [e for e in data["edges"] if (by_id[e["from"]], by_id[e["to"]]) == ("Xiaomi", "Lei Jun")]
    assert len(between) == 3  # chairperson, chief executive officer, founder
    curves = {json.dumps(drawn(e, page.json("kg-options"))["smooth"], sort_keys=True) for e in between}
    assert len(curves) == 3


def star(spokes: int, hubs: int = 1) -> Network:
    """``hubs`` hubs, each joined to ``spokes`` leaves of its own: the hubs are the best-connected nodes."""
    nodes, edges = {}, []
    claim = Claim("https://example.org/s", Axes("ownVoice", "factual", "", "certain", "affirmed", "normalRank"),
                  None, None, "q", None, None, (), direct=True)  # fmt: skip
    for h in range(hubs):
        hub = f"https://example.org/hub{h}"
        nodes[hub] = NetworkNode(hub, f"hub {h}", "Company", ("Company",))
        for s in range(spokes):
            leaf = f"https://example.org/leaf{h}-{s:03d}"
            nodes[leaf] = NetworkNode(leaf, f"leaf {h}-{s}", "Person", ("Person",))
            edges.append(NetworkEdge(hub, leaf, "https://example.org/p", "knows", True, [claim]))
    return Network(dict(sorted(nodes.items())), sorted(edges, key=lambda e: (e.source, e.target)))


def test_above_max_nodes_the_best_connected_part_is_drawn_with_a_banner() -> None:
    network = star(spokes=30, hubs=2)  # 62 nodes, 60 edges
    page = Page(render_html(network, RenderOptions(max_nodes=12)).decode("utf-8"))
    data = page.json("kg-data")
    assert len(data["nodes"]) == 12
    assert {"hub 0", "hub 1"} <= {n["label"] for n in data["nodes"]}
    assert len(data["edges"]) == 10  # the two hubs and ten leaves keep the ten edges among them
    (banner,) = [a for t, a in page.elements if a.get("id") == "kg-banner"]
    text = " ".join(" ".join(page.text).split())
    assert "62 entities" in text and "left out: 50 entities and 50 claims" in text and "--focus" in text
    assert banner.get("role") == "alert"


def test_below_max_nodes_there_is_no_banner(curated_html: str) -> None:
    assert 'id="kg-banner"' not in curated_html


def test_notes_and_title_are_shown_escaped() -> None:
    options = RenderOptions(title="<b>Xiaomi</b>", notes=("depth 2 & more",))
    html = render_html(star(2), options).decode("utf-8")
    assert "<title>&lt;b&gt;Xiaomi&lt;/b&gt;</title>" in html and "depth 2 &amp; more" in html


def test_classes_are_named_from_the_ontology(graph: Graph) -> None:
    classes = describe_classes(graph)
    assert (classes["BusinessUnit"].label, classes["BusinessUnit"].family) == ("business unit", "Organization")
    assert classes["Organization"].rank == 0 < classes["Company"].rank
    assert classes["City"].family == "Place" and classes["Person"].family == "Person"


def test_an_empty_graph_renders() -> None:
    data = Page(render_html(Network({}, [])).decode("utf-8")).json("kg-data")
    assert (data["nodes"], data["edges"]) == ([], [])


def test_unbacked_edges_and_unknown_axis_values_are_drawn_apart_and_listed() -> None:
    iris = [f"https://example.org/{n}" for n in ("a", "b", "c")]
    nodes = {iri: NetworkNode(iri, iri[-1], "Company", ("Company",)) for iri in iris}
    rumour = Claim("https://example.org/s", Axes(attribution="rumour"), None, None, "q", None, None, ())
    edges = [
        NetworkEdge(iris[0], iris[1], "https://example.org/p", "p", True, []),  # no statement: unbacked
        NetworkEdge(iris[1], iris[2], "https://example.org/p", "p", True, [rumour]),
    ]
    page = Page(render_html(Network(nodes, edges)).decode("utf-8"))
    data = page.json("kg-data")
    looks = {e["kg"]["standing"]: (drawn(e, page.json("kg-options")), e["label"]) for e in data["edges"]}
    assert looks.keys() == {"unbacked", "unqualified"}
    assert looks["unbacked"][0]["color"]["color"] == UNBACKED.colour
    assert looks["unqualified"][0]["color"]["color"] == UNKNOWN_COLOUR
    assert looks["unqualified"][1] == "p (attribution rumour, likelihood not given)"
    assert data["page"]["claims"]["unbacked"] == 1
    assert "direct edges no statement supports (1)" in " ".join(" ".join(page.text).split())


def test_the_curated_legend_has_no_unbacked_entry(curated_html: str) -> None:
    assert Page(curated_html).json("kg-data")["page"]["claims"]["unbacked"] == 0
    assert "no statement supports" not in curated_html
