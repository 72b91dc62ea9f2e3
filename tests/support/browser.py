"""A real headless Chromium for the HTML view's tests; a pytest plugin (loaded by tests/conftest.py) for ``browser``.

The tests skip only where Chromium or Python playwright is missing; CI installs both.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium") if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@dataclass
class OpenedPage:
    """A page of the view, and what it did that it must not: console errors and (aborted) web requests."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: object = None) -> Any:
        return self.page.evaluate(expression, arg)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the session (starting one costs seconds); each test opens pages of its own."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (CI installs it)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_view(browser: Any, html_file: Path, viewport: dict[str, int] | None = None) -> OpenedPage:
    """Load the page from file:// with all http(s) aborted and recorded; wait until the layout has settled."""
    page = browser.new_page(viewport=viewport or {"width": 1400, "height": 900})
    opened = OpenedPage(page)
    page.on("console", lambda m: opened.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.console_errors.append(str(e)))

    def refuse(route: Any) -> None:
        opened.requests.append(route.request.url)
        route.abort()

    page.route("http://**/*", refuse)
    page.route("https://**/*", refuse)
    page.goto(html_file.as_uri())
    # Waiting on an attribute, not a JS predicate: the page's CSP forbids eval, which wait_for_function uses.
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)
    return opened


def node_id(view: OpenedPage, label: str) -> int:
    return int(view.js("(label) => kgView.nodes.get({filter: (n) => n.label === label})[0].id", label))


def screen_point(view: OpenedPage, node_ids: list[int]) -> list[float]:
    """Where on the page the mouse must go to reach the middle of these nodes (one node, or an edge's two ends)."""
    return list(
        view.js(
            """(ids) => { const p = Object.values(network.getPositions(ids));
                     const mid = network.canvasToDOM({x: p.reduce((s, q) => s + q.x, 0) / p.length,
                                                       y: p.reduce((s, q) => s + q.y, 0) / p.length});
                     const r = document.getElementById('kg-graph').getBoundingClientRect();
                     return [mid.x + r.left, mid.y + r.top]; }""",
            node_ids,
        )
    )
