"""The view at 20,000 entities in headless Chromium: all of it drawn, and it answers the mouse.

No wall-clock bounds (benchmarks/view_bench.py measures time): the page must draw every node, move its
camera when dragged, draw a frame for the moves, and select, pin and filter at this size. Zoomed out, the
page draws nodes and edges in batches itself (assets/far.js) and leaves vis-network only what is selected
or hovered; zoomed in, vis-network draws, given only the edges on screen. kgView.far says what the last
frame drew each way.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from kg.view.axes import Axes
from kg.view.network import Claim, Network, NetworkEdge, NetworkNode
from kg.view.page import RenderOptions, render_html
from kg.view.selection import DEFAULT_MAX_NODES
from support.browser import CHROMIUM

ENTITIES = 20_000
CLASSES = ("Company", "Person", "City", "VehicleModel")
MOVES = 12

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs it)")


def big_network(count: int) -> Network:
    """``count`` entities in four classes and about two claims each, joined at random (seeded)."""
    rng = random.Random(11)
    iris = [f"https://example.org/e{i}" for i in range(count)]
    nodes = {iri: NetworkNode(iri, f"entity {i}", CLASSES[i % 4], (CLASSES[i % 4],)) for i, iri in enumerate(iris)}
    axes = Axes("ownVoice", "factual", "", "certain", "affirmed", "normalRank")
    claim = Claim("https://example.org/s", axes, "https://example.org/a", "an article", "a quote", None, None, (), True)
    edges = [
        NetworkEdge(iris[i], iris[j], "https://example.org/p", "p", True, [claim])
        for i in range(1, count)
        for j in {rng.randrange(i), rng.randrange(count)} - {i}
    ]
    return Network(nodes, edges)


@pytest.fixture(scope="module")
def big_view(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Iterator[Any]:
    network = big_network(ENTITIES)
    path = tmp_path_factory.mktemp("big-view") / "big.html"
    path.write_bytes(render_html(network, RenderOptions()))
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda route: route.abort() if route.request.url.startswith("http") else route.fallback())
    page.goto(path.as_uri(), timeout=180_000)
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=180_000)
    page.errors = errors
    page.network = network
    yield page
    page.close()


def test_the_default_limit_draws_twenty_thousand_entities() -> None:
    assert DEFAULT_MAX_NODES >= ENTITIES


def test_every_entity_and_claim_is_drawn_without_a_banner(big_view: object) -> None:
    drawn = big_view.evaluate("() => [kgView.drawnNodes(), network.body.edgeIndices.length]")
    assert drawn == [ENTITIES, len(big_view.network.edges)]
    assert big_view.locator("#kg-banner").count() == 0
    assert big_view.errors == []
    # Edge labels are left off the canvas at this size (measuring 40,000 of them is most of a frame), but
    # the page still has them for the tooltips and details.
    assert big_view.evaluate("() => kgView.edges.get(0).label") is None
    assert big_view.evaluate("() => kgView.data.edges[0].label") == "p"  # inflated from the packed data


REDRAW = "() => new Promise((done) => { network.redraw(); requestAnimationFrame(() => requestAnimationFrame(done)); })"


def last_frame(view: Any) -> dict[str, Any]:
    view.evaluate(REDRAW)
    return dict(view.evaluate("() => ({far: kgView.far.far, batched: kgView.far.batched, handed: kgView.far.handed})"))


def test_zoomed_out_every_node_and_edge_is_drawn_in_batches(big_view: Any) -> None:
    big_view.evaluate("() => network.fit()")
    frame = last_frame(big_view)
    assert frame["far"] is True
    assert frame["batched"] == {"nodes": ENTITIES, "edges": len(big_view.network.edges)}
    assert frame["handed"] == {"nodes": 0, "edges": 0}  # nothing selected or hovered: vis-network draws nothing
    # vis-network's own lists are whole again after the frame: hit tests and counts read them
    assert big_view.evaluate("() => [kgView.drawnNodes(), network.body.edgeIndices.length]") == [
        ENTITIES,
        len(big_view.network.edges),
    ]


def test_zoomed_in_vis_network_draws_only_the_edges_on_screen(big_view: Any) -> None:
    big_view.evaluate("() => network.moveTo({position: network.getPositions([0])[0], scale: 1.5})")
    frame = last_frame(big_view)
    assert frame["far"] is False and frame["batched"] == {"nodes": 0, "edges": 0}
    touching = sum(1 for e in big_view.network.edges if "https://example.org/e0" in (e.source, e.target))
    assert touching <= frame["handed"]["edges"] < len(big_view.network.edges) // 10
    big_view.evaluate("() => network.fit()")


def test_zoomed_out_the_edges_are_left_out_while_the_wheel_turns(big_view: Any) -> None:
    big_view.evaluate("() => network.fit()")
    box = big_view.locator("#kg-graph").bounding_box()
    big_view.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    big_view.mouse.wheel(0, 120)  # zooms out a step
    big_view.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert big_view.evaluate("() => [kgView.far.zooming, kgView.far.batched]") == [
        True,
        {"nodes": ENTITIES, "edges": 0},
    ]
    big_view.wait_for_timeout(600)  # vis-network's quarter of a second after the last turn, and more
    # back, batched or (the one under the mouse, if any) handed to vis-network
    frame = big_view.evaluate("() => [kgView.far.zooming, kgView.far.batched.edges + kgView.far.handed.edges]")
    assert frame == [False, len(big_view.network.edges)]


def test_zoomed_out_a_click_selects_the_node_under_the_mouse(big_view: Any) -> None:
    big_view.evaluate("() => network.fit()")
    box = big_view.locator("#kg-graph").bounding_box()
    where = big_view.evaluate("() => network.canvasToDOM(network.getPositions([0])[0])")
    hit = big_view.evaluate("(p) => network.getNodeAt(p)", where)
    assert hit is not None
    big_view.mouse.click(box["x"] + where["x"], box["y"] + where["y"])
    assert big_view.evaluate("() => network.getSelectedNodes()") == [hit]
    frame = last_frame(big_view)
    # the selected node and its claims are handed to vis-network, drawn on top of the batches
    claims = big_view.evaluate("(id) => network.getConnectedEdges(id).length", hit)
    assert frame["handed"] == {"nodes": 1, "edges": claims}
    assert frame["batched"]["nodes"] == ENTITIES - 1
    big_view.keyboard.press("Escape")


def test_dragging_the_background_pans_and_draws_frames(big_view: object) -> None:
    box = big_view.locator("#kg-graph").bounding_box()
    x, y = box["x"] + 6, box["y"] + 6  # a corner, which the fitted graph leaves empty
    assert big_view.evaluate("() => network.getNodeAt({x: 6, y: 6})") is None
    before = big_view.evaluate("() => kgView.camera()")
    drawn_before = big_view.evaluate("() => kgView.frames.length")
    big_view.mouse.move(x, y)
    big_view.mouse.down()
    for step in range(1, MOVES + 1):
        big_view.mouse.move(x + 10 * step, y + 5 * step)
    big_view.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    # while the view moves, the nodes are drawn in batches and the edges left out (hideEdgesOnDrag)
    assert big_view.evaluate("() => kgView.far.batched") == {"nodes": ENTITIES, "edges": 0}
    big_view.mouse.up()
    big_view.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    after = big_view.evaluate("() => kgView.camera()")
    assert after["x"] < before["x"] and after["y"] < before["y"] and after["scale"] == before["scale"]
    assert big_view.evaluate("() => kgView.frames.length") - drawn_before >= MOVES // 2  # not frozen


def test_clicking_a_node_selects_it_and_pins_its_claims(big_view: object) -> None:
    big_view.evaluate("() => network.moveTo({position: network.getPositions([0])[0], scale: 1})")
    point = big_view.evaluate(
        """() => { const d = network.canvasToDOM(network.getPositions([0])[0]);
                   const r = document.getElementById('kg-graph').getBoundingClientRect();
                   return [d.x + r.left, d.y + r.top]; }"""
    )
    big_view.mouse.click(*point)
    assert big_view.evaluate("() => network.getSelectedNodes()") == [0]
    assert big_view.locator("#kg-details h3").inner_text() == "entity 0"
    claims = sum(1 for e in big_view.network.edges if "https://example.org/e0" in (e.source, e.target))
    assert big_view.locator("#kg-details .kg-links li").count() == claims
    big_view.keyboard.press("Escape")
    assert big_view.locator("#kg-panel").is_hidden()


def test_a_class_filter_hides_its_quarter(big_view: object) -> None:
    big_view.uncheck('input[data-class="Person"]')
    hidden = big_view.evaluate("() => kgView.nodes.get({filter: (n) => n.hidden}).length")
    assert hidden == ENTITIES // 4
    assert big_view.locator("#kg-node-count").inner_text() == f"{ENTITIES - ENTITIES // 4} of {ENTITIES}"
    big_view.evaluate("() => network.fit()")
    frame = last_frame(big_view)  # the hidden are drawn neither way (one may be hovered, so vis-network's)
    assert frame["batched"]["nodes"] + frame["handed"]["nodes"] == ENTITIES - ENTITIES // 4
    big_view.check('input[data-class="Person"]')
    assert big_view.locator("#kg-node-count").inner_text() == str(ENTITIES)
