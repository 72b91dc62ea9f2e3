"""The HTML view in a real headless Chromium with every network request blocked.

Skipped only where Chromium or Python playwright is missing; CI installs both. To refresh the screenshot
in docs/ (never done by the tests themselves):

    python tests/test_view_browser.py --screenshot docs/graph-view.png
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from kg.project import Project
from kg.rdf.load import load_files
from kg.view.network import Network, NetworkEdge, build_network
from kg.view.page import render_graph
from support.browser import CHROMIUM, CHROMIUM_ARGS, OpenedPage, node_id, open_view, screen_point
from support.paths import REPO

FIXTURES = REPO / "tests" / "fixtures" / "render"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs it)")


@pytest.fixture(scope="module")
def curated_file(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("view") / "graph.html"
    path.write_bytes(render_graph(graph))
    return path


@pytest.fixture
def curated(browser: object, curated_file: Path) -> Iterator[OpenedPage]:
    opened = open_view(browser, curated_file)
    yield opened
    opened.page.close()


def hidden_by_default(network: Network) -> tuple[set[str], list[NetworkEdge]]:
    """The nodes and edges the page hides until the reader reveals them: unlikely, negated, failed or
    deprecated claims, and the entities that take part in nothing else."""
    hidden = [e for e in network.edges if e.hidden_group]
    shown_ends = {end for e in network.edges if not e.hidden_group for end in (e.source, e.target)}
    nodes = {
        iri
        for iri, node in network.nodes.items()
        if iri not in shown_ends and iri in {end for e in hidden for end in (e.source, e.target)}
        and all(f.claim.hidden_group for f in node.facts)
    }  # fmt: skip
    return nodes, hidden


def visible_counts(view: OpenedPage) -> list[int]:
    shown = "(set) => set.get({filter: (item) => !item.hidden}).length"
    return view.js(f"() => [({shown})(kgView.nodes), ({shown})(kgView.edges)]")


def test_opens_offline_without_errors_and_draws_the_whole_network(curated: OpenedPage, graph: Graph) -> None:
    network = build_network(graph)
    assert curated.requests == []
    assert curated.console_errors == []
    drawn = curated.js("() => [network.body.nodeIndices.length, network.body.edgeIndices.length]")
    hidden_nodes, hidden_edges = hidden_by_default(network)
    assert hidden_nodes and hidden_edges
    assert drawn == [len(network.nodes) - len(hidden_nodes), len(network.edges) - len(hidden_edges)]
    # The layout comes with the page (computed once, in Python): nothing runs a simulation in the browser.
    # (How fast the page opens is a speed goal for benchmarks/view_bench.py, not a test.)
    assert curated.js("() => network.physics.options.enabled") is False
    assert curated.js("() => kgView.nodes.get().every((n) => Number.isFinite(n.x) && Number.isFinite(n.y))") is True
    # A page this small is vis-network's alone: the batched drawing of large pages (assets/far.js) is off.
    assert curated.js("() => kgView.far === undefined") is True


def test_search_finds_lei_jun_and_selects_him(curated: OpenedPage) -> None:
    page = curated.page
    page.fill("#kg-search-input", "lei")
    assert "Lei Jun" in page.locator("#kg-search-results button").all_inner_texts()
    page.press("#kg-search-input", "Enter")
    assert curated.js("() => network.getSelectedNodes()") == [node_id(curated, "Lei Jun")]
    assert page.locator("#kg-details h3").inner_text() == "Lei Jun"
    page.fill("#kg-search-input", "no such entity")
    assert page.locator("#kg-search-results").inner_text() == "No entity has that label."


def test_class_filter_hides_a_class_and_its_claims(curated: OpenedPage, graph: Graph) -> None:
    network = build_network(graph)
    hidden_nodes, hidden_edges = hidden_by_default(network)
    nodes, edges = len(network.nodes) - len(hidden_nodes), len(network.edges) - len(hidden_edges)
    people = {iri for iri, node in network.nodes.items() if node.cls == "Person"}
    touching = [e for e in network.edges if (e.source in people or e.target in people) and e not in hidden_edges]
    curated.page.uncheck('input[data-class="Person"]')
    assert visible_counts(curated) == [nodes - len(people), edges - len(touching)]
    assert curated.js("(id) => network.body.nodes[id].options.hidden", node_id(curated, "Lei Jun")) is True
    assert curated.page.locator("#kg-node-count").inner_text() == f"{nodes - 1} of {len(network.nodes)}"
    curated.page.check('input[data-class="Person"]')
    assert visible_counts(curated) == [nodes, edges]


def test_the_toggles_reveal_the_claims_hidden_by_default(curated: OpenedPage, graph: Graph) -> None:
    network = build_network(graph)
    hidden_nodes, hidden_edges = hidden_by_default(network)
    before = visible_counts(curated)
    for box in curated.page.locator("input[data-reveal]").all():
        box.check()
    assert visible_counts(curated) == [before[0] + len(hidden_nodes), before[1] + len(hidden_edges)]


def test_clicking_a_node_highlights_its_neighbourhood(curated: OpenedPage) -> None:
    lei, xiaomi, beijing = (node_id(curated, label) for label in ("Lei Jun", "Xiaomi", "Beijing"))
    curated.page.mouse.click(*screen_point(curated, [lei]))
    colour = "(id) => kgView.nodes.get(id).color.background"
    assert curated.js("() => network.getSelectedNodes()") == [lei]
    assert curated.js(colour, beijing) == "#eceef1"  # not a neighbour: dimmed
    assert curated.js(colour, xiaomi) != "#eceef1"  # a neighbour keeps its class colour
    assert curated.page.locator("#kg-details h3").inner_text() == "Lei Jun"
    curated.page.click("#kg-clear")
    assert curated.js(colour, beijing) != "#eceef1"
    assert curated.page.locator("#kg-panel").is_hidden()


def test_hovering_a_claim_shows_its_source_and_quote(curated: OpenedPage) -> None:
    ends = curated.js(
        "() => { const e = kgView.edges.get({filter: (e) => e.label === 'owns'})[0]; return [e.from, e.to]; }"
    )
    curated.page.mouse.move(*screen_point(curated, ends))
    tip = curated.page.locator("#kg-tip")
    tip.wait_for(state="visible", timeout=5_000)
    text = tip.inner_text()
    assert "owns" in text and "Xiaomi → Foton Motor" in text
    assert "own voice" in text and "start date" in text and "source: " in text and "“" in text


def test_save_as_png_downloads_a_png(curated: OpenedPage, tmp_path: Path) -> None:
    with curated.page.expect_download() as download:
        curated.page.click("#kg-png")
    saved = tmp_path / "view.png"
    download.value.save_as(saved)
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and saved.stat().st_size > 10_000


def test_hostile_labels_do_not_execute(browser: object, project: Project, tmp_path: Path) -> None:
    graph = load_files([*project.ontology_files(), FIXTURES / "hostile.ttl"]).graph
    path = tmp_path / "hostile.html"
    path.write_bytes(render_graph(graph))
    view = open_view(browser, path)
    try:
        labels = [n.label for n in build_network(graph).nodes.values()]
        for label in labels:  # hover, then pin, every node: the tooltip and details are built from the data
            point = screen_point(view, [node_id(view, label)])
            view.page.mouse.move(*point)
            view.page.locator("#kg-tip").wait_for(state="visible", timeout=5_000)
            assert label in view.page.locator("#kg-tip").text_content()
            view.page.mouse.click(*point)
            assert view.page.locator("#kg-details h3").text_content() == label
            assert view.page.locator("#kg-details a").count() == 0  # a javascript: "Wikidata" IRI stays text
            view.page.fill("#kg-search-input", label[:12])
            view.page.keyboard.press("Escape")
        assert view.js("() => document.title") == "kg graph"
        assert view.js("() => window.pwned") is None
        assert view.js("() => document.querySelectorAll('img, iframe, svg[onload], b, a').length") == 0
        assert view.js("() => document.querySelectorAll('style').length") == 1  # ours only
        assert view.console_errors == [] and view.requests == []
    finally:
        view.page.close()


def save_screenshot(target: Path) -> float:
    """Render the curated graph, open it in Chromium and save a screenshot; return the seconds to settle."""
    from playwright.sync_api import sync_playwright

    from kg.project import open_project
    from kg.rdf.load import load_project

    project = open_project(REPO)
    html = target.with_suffix(".html")
    html.write_bytes(render_graph(load_project(project).graph))
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            started = time.perf_counter()
            view = open_view(launched, html, {"width": 1600, "height": 1000})
            seconds = time.perf_counter() - started
            time.sleep(0.3)  # let the last frame paint
            view.page.screenshot(path=str(target))
            launched.close()
    finally:
        html.unlink()
    return seconds


if __name__ == "__main__":
    if sys.argv[1:2] != ["--screenshot"] or len(sys.argv) != 3:
        sys.exit("usage: python tests/test_view_browser.py --screenshot docs/graph-view.png")
    seconds = save_screenshot(Path(sys.argv[2]).resolve())
    print(f"wrote {sys.argv[2]}; the view opened and settled in {seconds:.2f} s")
