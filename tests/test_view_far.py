"""Large pages: which draw their zoomed-out view in batches (kg.view assets/far.js), what the page tells
the batches, and their nodes and edges carried deflated.

The drawing and the inflating are proven in a browser by tests/test_view_browser_size.py; here, the data.
"""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path
from typing import Any

import pytest

from kg.view.network import Network, NetworkNode
from kg.view.page import RenderOptions, render_html
from kg.view.vis_data import FAR, LABEL_THRESHOLD
from support.browser import CHROMIUM, open_view
from support.html_page import Page


def page_bytes(count: int) -> bytes:
    nodes = {
        f"https://example.org/e{i}": NetworkNode(f"https://example.org/e{i}", f"e{i}", "Thing", ())
        for i in range(count)
    }
    return render_html(Network(nodes, []), RenderOptions())


def page_of(count: int) -> Page:
    return Page(page_bytes(count).decode("utf-8"))


def test_only_pages_above_the_limit_draw_in_batches() -> None:
    at_limit: Any = page_of(FAR).json("kg-data")
    above: Any = page_of(FAR + 1).json("kg-data")
    assert (at_limit["page"]["far"], above["page"]["far"]) == (False, True)


def test_the_batches_end_where_vis_network_starts_drawing_labels() -> None:
    # far.js draws in batches while the labels' size on screen is under vis-network's threshold for drawing them
    options: Any = page_of(3).json("kg-options")
    assert options["nodes"]["scaling"]["label"]["drawThreshold"] == LABEL_THRESHOLD
    assert options["nodes"]["font"]["size"] * 0.25 < LABEL_THRESHOLD  # zoomed out to a quarter, no label


def test_the_batched_drawing_is_inlined_in_the_view_script_the_policy_allows() -> None:
    page = page_of(3)
    (view,) = [text for attrs, text in page.scripts if "window.kgFar" in text]
    assert view.index("window.kgFar = {") < view.index("window.kgFar.attach(network, {")


def test_a_large_page_carries_its_nodes_and_edges_deflated_and_the_same_every_time() -> None:
    small: Any = page_of(FAR).json("kg-data")
    large: Any = page_of(FAR + 1).json("kg-data")
    assert len(small["nodes"]) == FAR and "packed" not in small
    assert large.keys() == {"packed", "page"}  # the legends and counts stay plain JSON, for claims.js
    inflated = json.loads(zlib.decompress(base64.b64decode(large["packed"])))
    assert [n["label"] for n in inflated["nodes"]] == [f"e{i}" for i in range(FAR + 1)]
    assert inflated["edges"] == []
    assert page_bytes(FAR + 1) == page_bytes(FAR + 1)


HOSTILE = "</script><img src=x onerror=\"window.__pwned='label'\">\u2028{{ 7*7 }}"


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs it)")
def test_a_hostile_label_in_the_deflated_data_shows_as_text(browser: Any, tmp_path: Path) -> None:
    nodes = {
        f"https://example.org/e{i}": NetworkNode(f"https://example.org/e{i}", f"e{i}", "Thing", ())
        for i in range(FAR + 1)
    }
    nodes["https://example.org/e0"] = NetworkNode("https://example.org/e0", HOSTILE, "Thing", ())
    path = tmp_path / "hostile.html"
    path.write_bytes(render_html(Network(nodes, []), RenderOptions()))
    view = open_view(browser, path)
    try:
        view.page.fill("#kg-search-input", "onerror")
        assert view.page.locator("#kg-search-results button").all_inner_texts() == [HOSTILE]
        assert view.js("() => [window.__pwned, document.querySelectorAll('img').length]") == [None, 0]
        assert view.console_errors == [] and view.requests == []
    finally:
        view.page.close()
