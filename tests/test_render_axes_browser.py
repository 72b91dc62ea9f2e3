"""The view's axes in a real headless Chromium: claims hidden by default come back with the toggle that names
them, the source filter and "colour by source" act on the edges, and tooltips show every axis and both sides
of a conflict. Skipped only where Chromium or playwright is missing; CI installs both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from kg.project import Project
from kg.rdf.load import load_project
from kg.rdf.namespaces import KGS
from kg.view.flags import Conflicting
from kg.view.looks import DEFAULT
from kg.view.page import RenderOptions, render_graph
from support.browser import CHROMIUM, OpenedPage, node_id, open_view
from support.paths import FIXTURES

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs it)")

SECOND_SOURCE = FIXTURES / "render" / "second-source.ttl"
SEED = "Article on Xiaomi's first electric car, after Cnevpost"
WIRE = "Test wire: Xiaomi's car arrives later"


@pytest.fixture(scope="module")
def pages(graph: Graph, project: Project, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("axes-view")
    (folder / "curated.html").write_bytes(render_graph(graph))
    conflicts = [Conflicting(str(KGS["test-wire-ceo"]), str(KGS["xiaomi-ceo"]))]
    two = load_project(project, [SECOND_SOURCE]).graph
    (folder / "two-sources.html").write_bytes(render_graph(two, RenderOptions(conflicts=conflicts)))
    return {"curated": folder / "curated.html", "two sources": folder / "two-sources.html"}


@pytest.fixture
def curated(browser: object, pages: dict[str, Path]) -> Iterator[OpenedPage]:
    opened = open_view(browser, pages["curated"])
    yield opened
    assert opened.console_errors == [] and opened.requests == []
    opened.page.close()


@pytest.fixture
def two_sources(browser: object, pages: dict[str, Path]) -> Iterator[OpenedPage]:
    opened = open_view(browser, pages["two sources"])
    yield opened
    assert opened.console_errors == [] and opened.requests == []
    opened.page.close()


def edge_ids(view: OpenedPage, statement: str) -> list[int]:
    """The ids of the edges that carry ``statement`` (kgs: local name)."""
    return list(
        view.js(
            """(iri) => JSON.parse(document.getElementById('kg-data').textContent).edges
                 .filter((e) => e.kg.claims.some((c) => c.statement === iri)).map((e) => e.id)""",
            str(KGS[statement]),
        )
    )


def hidden(view: OpenedPage, ids: list[int]) -> list[bool]:
    return list(view.js("(ids) => ids.map((id) => network.body.edges[id].options.hidden === true)", ids))


def node_hidden(view: OpenedPage, label_start: str) -> bool:
    return bool(
        view.js(
            "(start) => kgView.nodes.get({filter: (n) => n.label.startsWith(start)})[0].hidden === true",
            label_start,
        )
    )


def visible_edges(view: OpenedPage) -> int:
    return int(view.js("() => kgView.edges.get({filter: (e) => !e.hidden}).length"))


def tooltip(view: OpenedPage, edge: int) -> str:
    """The hover tooltip of an edge, as the reader sees it."""
    view.js("(id) => network.emit('hoverEdge', {edge: id, pointer: {DOM: {x: 40, y: 40}}})", edge)
    tip = view.page.locator("#kg-tip")
    tip.wait_for(state="visible", timeout=5_000)
    return tip.inner_text()


def test_unlikely_and_failed_claims_are_hidden_until_their_toggle_reveals_them(curated: OpenedPage) -> None:
    borgward = edge_ids(curated, "borgward-name-reuse-about")
    prototype = edge_ids(curated, "prototype-presentation-by") + edge_ids(curated, "prototype-presentation-about")
    shown = edge_ids(curated, "first-car-lidar") + edge_ids(curated, "first-car-plant")
    assert hidden(curated, borgward + prototype + shown) == [True, True, True, False, False]
    assert node_hidden(curated, "Reuse of the Borgward name") and node_hidden(curated, "Planned presentation")
    toggle = curated.page.get_by_label("unlikely and negated claims (1)")
    toggle.check()
    assert hidden(curated, borgward + prototype) == [False, True, True]
    assert not node_hidden(curated, "Reuse of the Borgward name") and node_hidden(curated, "Planned presentation")
    curated.page.get_by_label("plans that did not happen or were cancelled (2)").check()
    assert hidden(curated, prototype) == [False, False] and not node_hidden(curated, "Planned presentation")
    toggle.uncheck()
    assert hidden(curated, borgward + prototype) == [True, False, False]


def test_finding_a_hidden_entity_reveals_its_claims(curated: OpenedPage) -> None:
    curated.page.fill("#kg-search-input", "Reuse of the Borgward")
    curated.page.press("#kg-search-input", "Enter")
    assert curated.page.locator('input[data-reveal="doubted"]').is_checked()
    assert not node_hidden(curated, "Reuse of the Borgward name")
    assert hidden(curated, edge_ids(curated, "borgward-name-reuse-about")) == [False]


def test_the_tooltip_lists_every_axis_the_hedge_the_quote_and_the_source(curated: OpenedPage) -> None:
    (lidar,) = edge_ids(curated, "first-car-lidar")
    text = tooltip(curated, lidar)
    for shown in ("has feature (possible)", "attribution\nown voice", "timing\nfactual", "likelihood\npossible"):
        assert shown in text
    for shown in ("polarity\naffirmed", "rank\nnormal", "hedge\n\u201cmay be\u201d", "statement only, no direct edge"):
        assert shown in text
    assert "\u201cOne notable feature is a bump on the roof that may be a LiDAR sensor.\u201d" in text
    assert f"source: {SEED}" in text
    (plant,) = edge_ids(curated, "first-car-plant")
    text = tooltip(curated, plant)
    assert "attribution\ncurator inference" in text and "curator's note" in text and "outcome\nunknown" in text


def test_the_source_filter_shows_the_edges_of_the_chosen_sources(two_sources: OpenedPage) -> None:
    page = two_sources.page
    everything = visible_edges(two_sources)
    wire_only = edge_ids(two_sources, "test-wire-ceo") + edge_ids(two_sources, "test-wire-owns-foton")
    page.get_by_label(SEED).uncheck()
    # The wire's three claims: its CEO, Foton (which the seed makes too) and the LiDAR it denies.
    assert visible_edges(two_sources) == 3
    assert hidden(two_sources, wire_only + edge_ids(two_sources, "xiaomi-ceo")) == [False, False, True]
    page.get_by_label(WIRE).uncheck()
    assert visible_edges(two_sources) == 0
    page.get_by_label(SEED).check()
    assert hidden(two_sources, edge_ids(two_sources, "test-wire-ceo")) == [True]
    page.get_by_label(WIRE).check()
    assert visible_edges(two_sources) == everything


def test_colour_by_source_paints_each_edge_with_its_source(two_sources: OpenedPage) -> None:
    (wire,) = edge_ids(two_sources, "test-wire-ceo")
    (both,) = edge_ids(two_sources, "test-wire-owns-foton")
    (seed,) = edge_ids(two_sources, "xiaomi-ceo")
    colours = "(ids) => ids.map((id) => kgView.edges.get(id).color?.color ?? null)"
    before = two_sources.js(colours, [wire, both, seed])
    palette = two_sources.js("() => JSON.parse(document.getElementById('kg-data').textContent).page")
    by_label = {s["label"]: s["colour"] for s in palette["sources"]}
    two_sources.page.get_by_label("colour by source").check()
    assert two_sources.js(colours, [wire, both, seed]) == [by_label[WIRE], palette["several_sources"], by_label[SEED]]
    two_sources.page.get_by_label("colour by source").uncheck()
    assert two_sources.js(colours, [wire, both, seed]) == [colour or DEFAULT.colour for colour in before]


def test_a_conflict_is_flagged_on_both_edges_with_both_claims_in_the_tooltip(two_sources: OpenedPage) -> None:
    ids = edge_ids(two_sources, "test-wire-ceo") + edge_ids(two_sources, "xiaomi-ceo")
    labels = two_sources.js("(ids) => ids.map((id) => kgView.edges.get(id).label)", ids)
    assert all(label.startswith("\u26a0 chief executive officer") for label in labels)
    text = tooltip(two_sources, ids[0])
    assert "Conflicting claims" in text
    assert "Xiaomi \u2192 chief executive officer: A. Test Chief" in text
    assert "Xiaomi \u2192 chief executive officer: Lei Jun" in text
    assert f"source: {SEED}" in text and f"source: {WIRE}" in text
    assert node_id(two_sources, "A. Test Chief") >= 0
