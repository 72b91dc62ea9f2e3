"""The HTML view in a real headless Chromium with every network request blocked.

Skipped only where Chromium or Python playwright is missing; CI installs both. To refresh the screenshot
in docs/ (never done by the tests themselves):

    python tests/test_view_browser.py --screenshot docs/graph-view.png
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph

from kg.project import Project
from kg.rdf.load import load_files
from kg.view.network import build_network
from kg.view.page import render_graph

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "render"
CHROMIUM = Path("/usr/bin/chromium") if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
OPEN_AND_SETTLE_LIMIT_S = 3.0

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs it)")


@dataclass
class OpenedPage:
    page: object
    seconds_to_settle: float
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: object = None) -> object:
        return self.page.evaluate(expression, arg)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (CI installs it)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_view(browser: object, html_file: Path, viewport: dict | None = None) -> OpenedPage:
    """Load the page from file:// with all http(s) aborted and recorded; wait until the layout has settled."""
    page = browser.new_page(viewport=viewport or {"width": 1400, "height": 900})
    opened = OpenedPage(page, 0.0)
    page.on("console", lambda m: opened.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.console_errors.append(str(e)))
    page.route("http://**/*", lambda route: (opened.requests.append(route.request.url), route.abort()))
    page.route("https://**/*", lambda route: (opened.requests.append(route.request.url), route.abort()))
    started = time.perf_counter()
    page.goto(html_file.as_uri())
    # Waiting on an attribute, not a JS predicate: the page's CSP forbids eval, which wait_for_function uses.
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)
    opened.seconds_to_settle = time.perf_counter() - started
    return opened


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


def node_id(view: OpenedPage, label: str) -> int:
    return view.js("(label) => kgView.nodes.get({filter: (n) => n.label === label})[0].id", label)


def visible_counts(view: OpenedPage) -> list[int]:
    shown = "(set) => set.get({filter: (item) => !item.hidden}).length"
    return view.js(f"() => [({shown})(kgView.nodes), ({shown})(kgView.edges)]")


def screen_point(view: OpenedPage, node_ids: list[int]) -> list[float]:
    """Where on the page the mouse must go to reach the middle of these nodes (one node, or an edge's two ends)."""
    return view.js(
        """(ids) => { const p = Object.values(network.getPositions(ids));
                     const mid = network.canvasToDOM({x: p.reduce((s, q) => s + q.x, 0) / p.length,
                                                       y: p.reduce((s, q) => s + q.y, 0) / p.length});
                     const r = document.getElementById('kg-graph').getBoundingClientRect();
                     return [mid.x + r.left, mid.y + r.top]; }""",
        node_ids,
    )


def test_opens_offline_without_errors_and_draws_the_whole_network(curated: OpenedPage, graph: Graph) -> None:
    network = build_network(graph)
    assert curated.requests == []
    assert curated.console_errors == []
    drawn = curated.js("() => [network.body.nodeIndices.length, network.body.edgeIndices.length]")
    assert drawn == [len(network.nodes), len(network.edges)]
    assert curated.seconds_to_settle < OPEN_AND_SETTLE_LIMIT_S, f"took {curated.seconds_to_settle:.2f} s"


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
    people = {iri for iri, node in network.nodes.items() if node.cls == "Person"}
    touching = [e for e in network.edges if e.source in people or e.target in people]
    curated.page.uncheck('input[data-class="Person"]')
    assert visible_counts(curated) == [len(network.nodes) - len(people), len(network.edges) - len(touching)]
    assert curated.js("(id) => network.body.nodes[id].options.hidden", node_id(curated, "Lei Jun")) is True
    assert curated.page.locator("#kg-node-count").inner_text() == f"{len(network.nodes) - 1} of {len(network.nodes)}"
    curated.page.check('input[data-class="Person"]')
    assert visible_counts(curated) == [len(network.nodes), len(network.edges)]


def test_status_filter_hides_speculative_claims(curated: OpenedPage, graph: Graph) -> None:
    network = build_network(graph)
    speculative = [e for e in network.edges if e.status == "speculative"]
    curated.page.uncheck('input[data-status="speculative"]')
    assert visible_counts(curated) == [len(network.nodes), len(network.edges) - len(speculative)]


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
    assert "stated" in text and "start date" in text and "source: " in text and "“" in text


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

    project = open_project(Path(__file__).resolve().parents[1])
    html = target.with_suffix(".html")
    html.write_bytes(render_graph(load_project(project).graph))
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            view = open_view(launched, html, {"width": 1600, "height": 1000})
            time.sleep(0.3)  # let the last frame paint
            view.page.screenshot(path=str(target))
            launched.close()
    finally:
        html.unlink()
    return view.seconds_to_settle


if __name__ == "__main__":
    if sys.argv[1:2] != ["--screenshot"] or len(sys.argv) != 3:
        sys.exit("usage: python tests/test_view_browser.py --screenshot docs/graph-view.png")
    seconds = save_screenshot(Path(sys.argv[2]).resolve())
    print(f"wrote {sys.argv[2]}; the view opened and settled in {seconds:.2f} s")
