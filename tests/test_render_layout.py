"""The layout the page carries (kg.view.layout): computed once, the same every time, and shaped by the edges."""

from __future__ import annotations

import math
import random
import subprocess
import sys

import numpy as np
from rdflib import Graph

from kg.view import layout as layout_module
from kg.view.layout import binned_push, exact_push, grid_cells, layout


def random_links(count: int, seed: int) -> list[tuple[int, int]]:
    """A connected random graph: a random tree plus as many random edges again."""
    rng = random.Random(seed)
    tree = [(i, rng.randrange(i)) for i in range(1, count)]
    return tree + [(rng.randrange(count), rng.randrange(count)) for _ in range(count)]


def mean_length(positions: list[tuple[int, int]], pairs: list[tuple[int, int]]) -> float:
    return sum(math.dist(positions[a], positions[b]) for a, b in pairs) / len(pairs)


def test_the_same_network_gets_the_same_positions() -> None:
    links = random_links(1500, 1)
    assert layout(1500, links) == layout(1500, list(reversed(links)))
    assert layout(0, []) == []
    assert layout(1, []) == [(0, 0)]


def test_joined_nodes_end_closer_than_unjoined_ones() -> None:
    for count in (40, 3000):  # the exact push and the binned one
        links = random_links(count, 2)
        positions = layout(count, links)
        rng = random.Random(3)
        strangers = [(rng.randrange(count), rng.randrange(count)) for _ in range(2000)]
        assert mean_length(positions, links) * 2 < mean_length(positions, strangers)
        assert len(set(positions)) > 0.99 * count  # nodes are spread out, not piled up


def test_a_node_without_edges_stays_near_the_rest() -> None:
    links = random_links(30, 4)
    positions = layout(31, links)  # node 30 has no edge
    centre = np.mean(positions[:30], axis=0)
    spread = max(math.dist(p, centre) for p in positions[:30])
    assert math.dist(positions[30], centre) < 2 * spread


def test_the_binned_push_approximates_the_exact_one() -> None:
    points = np.random.default_rng(5).uniform(-30, 30, size=(1200, 2))
    exact, binned = exact_push(points), binned_push(points, grid_cells(len(points)))
    cosine = (exact * binned).sum(axis=1) / (np.linalg.norm(exact, axis=1) * np.linalg.norm(binned, axis=1))
    assert np.median(cosine) > 0.95
    assert 0.8 < np.median(np.linalg.norm(binned, axis=1) / np.linalg.norm(exact, axis=1)) < 1.25


def test_large_networks_use_the_binned_push(monkeypatch: object) -> None:
    """Above EXACT_LIMIT the all-pairs push (n² work a step) is never computed."""
    calls = {"exact": 0, "binned": 0}

    def counted(name: str, function: object) -> object:
        def wrapper(*args: object) -> object:
            calls[name] += 1
            return function(*args)  # type: ignore[operator]

        return wrapper

    monkeypatch.setattr(layout_module, "exact_push", counted("exact", exact_push))  # type: ignore[attr-defined]
    monkeypatch.setattr(layout_module, "binned_push", counted("binned", binned_push))  # type: ignore[attr-defined]
    layout(layout_module.EXACT_LIMIT + 1, random_links(layout_module.EXACT_LIMIT + 1, 6))
    assert calls == {"exact": 0, "binned": layout_module.STEPS}


def test_the_curated_page_carries_a_position_for_every_node(graph: Graph) -> None:
    from kg.view.network import build_network
    from kg.view.page import render_graph

    html = render_graph(graph).decode("utf-8")
    count = len(build_network(graph).nodes)
    assert html.count('"x":') == count and html.count('"y":') == count


def test_numpy_fft_is_loaded_with_the_layout_never_under_its_time_limit() -> None:
    """An alarm that stops numpy's first import of its FFT module half-way leaves a module numpy cannot load
    again in that process (seen in a test session): the layout loads it when it is imported."""
    code = "import sys, kg.view.layout; print('numpy.fft' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"
