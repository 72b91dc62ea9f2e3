"""Which part of the network to show: an entity's neighbourhood, the graph a CONSTRUCT query returns, or the
best-connected part when the whole is too big to draw.

Each selection is a plain function from a network to a smaller one, so the HTML view, exports and tests share
them. The graph a selection starts from is fetched from the backend (kg.view.fetch), the same way for all.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kg.errors import UsageError
from kg.rdf.namespaces import PREFIXES
from kg.view.network import Network

DEFAULT_MAX_NODES = 20_000  # the view stays interactive at this size (benchmarks/view_bench.py)
CANDIDATES_SHOWN = 10


@dataclass(frozen=True)
class FocusedView:
    """The part of a network around one entity, with words saying what the reader is looking at."""

    network: Network
    title: str
    note: str


@dataclass(frozen=True)
class Trimmed:
    """A network cut down to its best-connected nodes, and how much of the original was left out."""

    network: Network
    left_out_nodes: int
    left_out_edges: int


def resolve_entity(network: Network, text: str, prefixes: Mapping[str, str] | None = None) -> str:
    """The IRI of the entity that ``text`` names: an IRI (bare or in <>), a prefixed name, or a label.

    Labels match case-insensitively and exactly; a label shared by several entities is a usage error that
    lists them, so the user can pick one by IRI.
    """
    wanted = text.strip()
    if not wanted:
        raise UsageError("--focus needs an entity: an IRI, a prefixed name such as kgr:xiaomi, or a label")
    iri = expand_name(wanted.removeprefix("<").removesuffix(">"), {**PREFIXES, **(prefixes or {})})
    if iri in network.nodes:
        return iri
    matches = sorted(n.iri for n in network.nodes.values() if n.label.casefold() == wanted.casefold())
    return single_match(wanted, matches)


def expand_name(name: str, prefixes: Mapping[str, str]) -> str:
    """``kgr:xiaomi`` to its full IRI when the prefix is known; anything else unchanged."""
    prefix, colon, local = name.partition(":")
    if colon and prefix in prefixes and not local.startswith("//"):
        return f"{prefixes[prefix]}{local}"
    return name


def focus_on(network: Network, entity: str, depth: int, prefixes: Mapping[str, str] | None = None) -> FocusedView:
    """The neighbourhood of the entity ``entity`` names, titled with its label."""
    centre = resolve_entity(network, entity, prefixes)
    part = neighbourhood(network, centre, depth)
    label = network.nodes[centre].label
    steps = "edge" if depth == 1 else "edges"
    note = f"Entities within {depth} {steps} of {label} ({centre}), and the claims among them."
    return FocusedView(part, f"{label}: neighbourhood", note)


def neighbourhood(network: Network, centre: str, depth: int) -> Network:
    """The entities within ``depth`` edges of ``centre`` (either direction), and the edges among them."""
    if depth < 0:
        raise UsageError(f"--depth must be 0 or more, not {depth}")
    adjacent = adjacency(network)
    distance = {centre: 0}
    queue = deque([centre])
    while queue:
        here = queue.popleft()
        if distance[here] == depth:
            continue
        for there in sorted(adjacent[here]):
            if there not in distance:
                distance[there] = distance[here] + 1
                queue.append(there)
    return subnetwork(network, distance)


def best_connected(network: Network, max_nodes: int) -> Trimmed:
    """At most ``max_nodes`` entities, those with the most edges first (ties by IRI), and the edges among them."""
    if max_nodes < 1:
        raise UsageError(f"--max-nodes must be 1 or more, not {max_nodes}")
    if len(network.nodes) <= max_nodes:
        return Trimmed(network, 0, 0)
    degree = degrees(network)
    ranked = sorted(network.nodes, key=lambda iri: (-degree[iri], iri))
    kept = subnetwork(network, ranked[:max_nodes])
    return Trimmed(kept, len(network.nodes) - len(kept.nodes), len(network.edges) - len(kept.edges))


def subnetwork(network: Network, keep: Iterable[str]) -> Network:
    """The given entities and every edge whose two ends are among them, in the network's own order."""
    wanted = set(keep)
    nodes = {iri: node for iri, node in network.nodes.items() if iri in wanted}
    edges = [e for e in network.edges if e.source in nodes and e.target in nodes]
    return Network(nodes=nodes, edges=edges)


def degrees(network: Network) -> dict[str, int]:
    """Edges at each entity, both directions; a self-loop counts twice, as in graph theory."""
    degree = dict.fromkeys(network.nodes, 0)
    for edge in network.edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    return degree


def adjacency(network: Network) -> dict[str, set[str]]:
    adjacent: dict[str, set[str]] = defaultdict(set)
    for edge in network.edges:
        adjacent[edge.source].add(edge.target)
        adjacent[edge.target].add(edge.source)
    return adjacent


def require_construct(text: str, path: str) -> None:
    """Refuse a query whose form is not CONSTRUCT, before any engine runs it."""
    from kg.guard.sparql_reader import query_form

    form = query_form(text)
    if form is not None and form != "CONSTRUCT":
        raise UsageError(f"{path}: --query takes a CONSTRUCT query, not {form}")


def single_match(wanted: str, matches: list[str]) -> str:
    """The one entity whose label is ``wanted``; none or several is a usage error naming the candidates."""
    if len(matches) == 1:
        return matches[0]
    if matches:
        shown = ", ".join(matches[:CANDIDATES_SHOWN]) + (" ..." if len(matches) > CANDIDATES_SHOWN else "")
        raise UsageError(f"--focus {wanted!r} is the label of {len(matches)} entities; give one IRI: {shown}")
    raise UsageError(f"--focus {wanted!r} names no entity in the graph (by IRI, prefixed name or label)")
