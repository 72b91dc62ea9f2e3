"""Safe HTML: a graph whose labels, IRIs, titles, quotes and links carry script, in a real headless Chromium.

The page is opened twice: as kg writes it, and with its Content-Security-Policy removed, so that the
escaping is shown to hold on its own and not only because the policy forbids inline script. Every node
and edge is hovered and clicked and searched for; no payload may run (window.__pwned stays unset, no
dialog opens, the title stays the text it was given), no element the data spells out may appear, and
every payload must show up as plain text. Skipped only where Chromium or playwright is missing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.project import Project
from kg.rdf.load import load_files
from kg.view.page import RenderOptions, render_graph
from support.browser import CHROMIUM, OpenedPage, node_id, open_view, screen_point
from support.paths import FIXTURES

PAYLOADS = FIXTURES / "hostile" / "turtle" / "script-payloads.ttl"
TITLE = "</title><script>window.__pwned='title'</script>\u2028<img src=x onerror=alert('title')>"
NOTE = "<img src=x onerror=\"window.__pwned='note'\">{{ 7*7 }}"
CSP = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="[^"]*">\n?')
# The page's own elements of these kinds; the data must add none.
OWN_SCRIPTS = 5  # the JSON data, the vis options, vis-network, the claims' details, the view

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs it)")


@pytest.fixture(scope="module")
def pages(project: Project, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    graph = load_files([*project.ontology_files(), PAYLOADS]).graph
    html = render_graph(graph, RenderOptions(title=TITLE, notes=(NOTE,)))
    assert CSP.search(html), "the page should carry its policy"
    folder = tmp_path_factory.mktemp("hostile-view")
    (folder / "as-written.html").write_bytes(html)
    (folder / "without-policy.html").write_bytes(CSP.sub(b"", html, count=1))
    return {"as written": folder / "as-written.html", "without its policy": folder / "without-policy.html"}


@pytest.fixture(params=["as written", "without its policy"])
def view(request: pytest.FixtureRequest, browser: object, pages: dict[str, Path]) -> OpenedPage:
    opened = open_view(browser, pages[request.param])
    dialogs: list[str] = []
    opened.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs  # type: ignore[attr-defined]
    yield opened
    opened.page.close()


def nothing_ran(view: OpenedPage) -> None:
    assert view.js("() => window.__pwned") is None
    assert view.js("() => window.parent.__pwned") is None
    assert view.dialogs == []  # type: ignore[attr-defined]
    assert view.js("() => document.title") == TITLE
    assert view.js("() => document.scripts.length") == OWN_SCRIPTS
    assert view.js("() => document.querySelectorAll('img, iframe, object, embed, b, a[href]').length") == 0
    assert view.js("() => document.querySelectorAll('[onerror], [onload], [onmouseover]').length") == 0
    assert view.js("() => document.querySelectorAll('style').length") == 1  # the page's own
    assert view.requests == []
    assert view.console_errors == []


def test_the_page_opens_with_every_payload_as_text(view: OpenedPage) -> None:
    nothing_ran(view)
    assert view.page.locator("#kg-title").text_content() == TITLE
    assert view.page.locator(".kg-note").text_content() == NOTE
    legend = view.page.locator("#kg-panel, body").first.text_content()
    assert "</style><script>window.__pwned='class'</script><style>" in legend


def test_hovering_and_pinning_every_node_runs_nothing(view: OpenedPage) -> None:
    labels = view.js("() => kgView.nodes.get().map((n) => n.label)")
    assert len(labels) == 4
    details = []
    for label in labels:
        point = screen_point(view, [node_id(view, label)])
        view.page.mouse.move(*point)
        view.page.locator("#kg-tip").wait_for(state="visible", timeout=5_000)
        assert label in view.page.locator("#kg-tip").text_content()
        view.page.mouse.click(*point)
        assert view.page.locator("#kg-details h3").text_content() == label
        details.append(view.page.locator("#kg-details").text_content())
        view.page.fill("#kg-search-input", label[:15])
        view.page.keyboard.press("Escape")
    shown = "\n".join(details)
    assert "IRIhttps://example.org/evil/&lt;img/src=x/onerror=window.__pwned='iri'&gt;" in shown
    assert "IRIjavascript:window.__pwned='javascript-iri'" in shown
    assert "Wikidatajavascript:window.__pwned='wikidata'" in shown  # text, not a link
    assert "IRIhttps://example.org/evil/line\u2028separator'onmouseover='window.__pwned=1" in shown
    assert "<script>window.__pwned='value'</script>" in shown
    nothing_ran(view)


def test_hovering_and_pinning_every_claim_shows_quotes_as_text(view: OpenedPage) -> None:
    ends = view.js("() => kgView.edges.get().map((e) => [e.from, e.to])")
    texts = []
    for pair in ends:
        point = screen_point(view, pair)
        view.page.mouse.move(*point)
        view.page.locator("#kg-tip").wait_for(state="visible", timeout=5_000)
        texts.append(view.page.locator("#kg-tip").text_content())
        view.page.mouse.click(*point)
        texts.append(view.page.locator("#kg-details").text_content())
    seen = "\n".join(texts)
    assert "</script><script>window.__pwned='quote'</script><!--" in seen
    assert "<svg onload=\"window.__pwned='hedge'\">" in seen
    assert "<iframe srcdoc=\"<script>parent.__pwned='source'</script>\"></iframe>leaked memo" in seen
    assert "{{ 7*7 }} ${7*7} </script><script>window.__pwned='property'</script>" in seen
    nothing_ran(view)
