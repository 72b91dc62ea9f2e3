"""Where each entity is drawn: a force-directed layout computed once, in Python, so the page never lays out.

Forces as Fruchterman and Reingold describe them: every pair of nodes pushes apart (k²/d), every edge pulls
its ends together (d²/k), and a weak pull to the centre keeps separate components near each other. Up to
EXACT_LIMIT nodes the push is summed over every pair; above it, the nodes' masses are binned on a grid and
the push is the grid convolved with the force of one node (by FFT), so a step costs about n + G² log G,
not n². The start is seeded and nothing depends on the clock, so the same network gives the same layout.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# numpy loads its FFT module on first use; loaded here, its import never runs under the layout's time limit,
# whose alarm could stop it half-way and leave a module numpy cannot load again in this process.
import numpy.fft
from numpy.typing import NDArray

from kg.guard import limits

Array = NDArray[np.float64]

LAYOUT_SEED = 3  # picked among a few for the clearest layout of the curated graph
EXACT_LIMIT = 700  # below this many nodes the exact pairwise push is cheap enough (and sharper)
MAX_GRID_CELLS = 256  # grid side for the binned push at most; finer costs more per step for little visible gain
STEPS = 250
GRAVITY = 1.0  # at this strength nodes end about one edge length apart, at any size
EDGE_LENGTH = 140.0  # the distance an edge settles near, in page pixels at zoom 1


def layout(node_count: int, links: Sequence[tuple[int, int]], seed: int = LAYOUT_SEED) -> list[tuple[int, int]]:
    """A position (in whole pixels) for each of ``node_count`` nodes joined by ``links`` (index pairs)."""
    if node_count == 0:
        return []
    pairs = np.array(sorted({(min(a, b), max(a, b)) for a, b in links if a != b}), dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    spread = np.sqrt(node_count)
    positions = rng.uniform(-spread, spread, size=(node_count, 2))
    temperature = spread / 4
    cells = grid_cells(node_count)
    with limits.time_limit("laying out the view"):
        positions = settled(positions, pairs, node_count, cells, temperature)
    positions -= positions.mean(axis=0)
    return [(round(x), round(y)) for x, y in (positions * EDGE_LENGTH).tolist()]


def settled(positions: Array, pairs: NDArray[np.int64], node_count: int, cells: int, temperature: float) -> Array:
    """The positions after STEPS rounds of forces, each move capped by a cooling temperature."""
    for step in range(STEPS):
        push = exact_push(positions) if node_count <= EXACT_LIMIT else binned_push(positions, cells)
        force = push + pull(positions, pairs) - GRAVITY * positions
        length = np.maximum(np.hypot(force[:, 0], force[:, 1]), 1e-9)
        cooling = temperature * (1 - step / STEPS) + 0.01
        positions += force * (np.minimum(length, cooling) / length)[:, None]
    return positions


def grid_cells(node_count: int) -> int:
    """About two cells a node across: a power of two between 64 and MAX_GRID_CELLS, for fast FFTs."""
    side = 64
    while side < MAX_GRID_CELLS and side < 2 * np.sqrt(node_count):
        side *= 2
    return side


def exact_push(positions: Array) -> Array:
    """k²/d between every pair (k = 1), as a vector on each node."""
    offsets = positions[:, None, :] - positions[None, :, :]
    distance2 = np.maximum((offsets**2).sum(axis=2), 1e-4)
    push: Array = (offsets / distance2[:, :, None]).sum(axis=1)
    return push


def binned_push(positions: Array, cells: int) -> Array:
    """The same push, approximated: masses on a cells² grid, the field by FFT convolution.

    A node at offset c (in cells) from another pushes it by c/|c|² / cell; the field is read at each node's
    cell. Nodes sharing a cell do not push each other, which at this grid size only blurs the finest detail.
    """
    low = positions.min(axis=0)
    cell = max(float((positions.max(axis=0) - low).max()) / (cells - 1), 1e-6)
    index = np.minimum(((positions - low) / cell).astype(np.int64), cells - 1)
    mass = np.zeros((2 * cells, 2 * cells))
    np.add.at(mass, (index[:, 0], index[:, 1]), 1.0)
    spectrum = np.fft.rfft2(mass)  # once for both kernels: a transform is most of a step's cost
    field_x, field_y = (np.fft.irfft2(spectrum * kernel, s=mass.shape) for kernel in push_kernels(cells))
    push = np.stack([field_x[index[:, 0], index[:, 1]], field_y[index[:, 0], index[:, 1]]], axis=1)
    return push / cell


_KERNELS: dict[int, tuple[NDArray[np.complex128], NDArray[np.complex128]]] = {}


def push_kernels(cells: int) -> tuple[NDArray[np.complex128], NDArray[np.complex128]]:
    """The FFTs of one node's push, x and y, on the doubled grid (so the convolution does not wrap around)."""
    if cells not in _KERNELS:
        size = 2 * cells
        offsets = np.fft.fftfreq(size, 1 / size)  # 0, 1, …, size/2 - 1, -size/2, …, -1
        cx, cy = np.meshgrid(offsets, offsets, indexing="ij")
        distance2 = cx**2 + cy**2
        distance2[0, 0] = np.inf  # a node does not push itself
        _KERNELS[cells] = (np.fft.rfft2(cx / distance2), np.fft.rfft2(cy / distance2))
    return _KERNELS[cells]


def pull(positions: Array, pairs: NDArray[np.int64]) -> Array:
    """d²/k along each edge (k = 1), towards the other end."""
    force = np.zeros_like(positions)
    if len(pairs) == 0:
        return force
    offsets = positions[pairs[:, 1]] - positions[pairs[:, 0]]
    pulls = offsets * np.hypot(offsets[:, 0], offsets[:, 1])[:, None]
    for axis in (0, 1):
        force[:, axis] += np.bincount(pairs[:, 0], pulls[:, axis], minlength=len(positions))
        force[:, axis] -= np.bincount(pairs[:, 1], pulls[:, axis], minlength=len(positions))
    return force
