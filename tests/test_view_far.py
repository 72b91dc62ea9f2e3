"""Which pages draw their zoomed-out view in batches (kg.view assets/far.js), and what the page tells it.

The drawing itself is proven in a browser by tests/test_view_browser_size.py; here, the page's data.
"""

from __future__ import annotations

from typing import Any

from kg.view.network import Network, NetworkNode
from kg.view.page import RenderOptions, render_html
from kg.view.vis_data import FAR, LABEL_THRESHOLD
from support.html_page import Page


def page_of(count: int) -> Page:
    nodes = {
        f"https://example.org/e{i}": NetworkNode(f"https://example.org/e{i}", f"e{i}", "Thing", ())
        for i in range(count)
    }
    return Page(render_html(Network(nodes, []), RenderOptions()).decode("utf-8"))


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
