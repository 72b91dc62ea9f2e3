"""The view at 20,000 entities in headless Chromium: all of it drawn, and it answers the mouse.

No wall-clock bounds (benchmarks/view_bench.py measures time): the page must draw every node, move its
camera when dragged, draw a frame for the moves, and select, pin and filter at this size.
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
    assert big_view.evaluate("() => JSON.parse(document.getElementById('kg-data').textContent).edges[0].label") == "p"


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
    big_view.check('input[data-class="Person"]')
    assert big_view.locator("#kg-node-count").inner_text() == str(ENTITIES)
