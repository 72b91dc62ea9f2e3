"""Canonical blank-node labels for blank nodes that form trees, in n log n.

rdflib's canonicalisation (rdflib.compare) refines colours one round per level of nesting, each round over
every blank node: quadratic in the depth (3,000 nested ``[ ]`` took minutes). Most blank nodes kg meets form
trees: each is the object of at most one triple (an OWL restriction, a list cell, a nested ``[ ]``). For
those a label can be computed directly: a hash of what lies below the node (its properties and values,
with the hashes of the blank nodes below it), then a hash of that with where the node hangs (the subject
and property of the one triple that points at it). Isomorphic graphs get the same labels, and two
blank nodes get the same label only if they are interchangeable, which siblings with the same content
and the same place are; those are told apart by a counter, in either order, giving the same bytes.

A graph whose blank nodes do not all form trees (a blank node pointed at twice, or a cycle) gets rdflib's
canonical labels instead: ``tree_labels`` answers None.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict, deque
from collections.abc import Iterable

from rdflib import BNode, Graph
from rdflib.term import Node


def tree_canonical_graph(graph: Graph) -> Graph | None:
    """A copy of ``graph`` with canonical blank-node labels, or None if its blank nodes are no forest."""
    labels = tree_labels(graph)
    if labels is None:
        return None
    canonical = Graph()
    canonical.addN((labels.get(s, s), p, labels.get(o, o), canonical) for s, p, o in graph)
    return canonical


def tree_labels(graph: Graph) -> dict[Node, BNode] | None:
    """A canonical label for each blank node, or None if some blank node has two parents or lies on a cycle."""
    parent: dict[Node, tuple[Node, Node]] = {}
    children: dict[Node, list[Node]] = defaultdict(list)
    blank: set[Node] = set()
    for s, p, o in graph:
        if isinstance(s, BNode):
            blank.add(s)
        if isinstance(o, BNode):
            blank.add(o)
            if o in parent:
                return None  # two triples point at it: not a tree
            parent[o] = (s, p)
            children[s].append(o)
    order = top_down(blank, parent, children)
    if order is None:
        return None
    content = contents(graph, reversed(order))
    return placed_labels(order, parent, content)


def top_down(
    blank: set[Node], parent: dict[Node, tuple[Node, Node]], children: dict[Node, list[Node]]
) -> list[Node] | None:
    """The blank nodes, each after its parent; None if some are left over (they lie on a cycle)."""
    roots = [node for node in blank if node not in parent or not isinstance(parent[node][0], BNode)]
    order: list[Node] = []
    work = deque(roots)
    while work:
        node = work.popleft()
        order.append(node)
        work.extend(children.get(node, ()))
    return order if len(order) == len(blank) else None


def contents(graph: Graph, bottom_up: Iterable[Node]) -> dict[Node, str]:
    """For each blank node, a hash of its properties and values, the blank nodes below it by their hashes."""
    content: dict[Node, str] = {}
    for node in bottom_up:
        items = sorted(
            f"{p.n3()} {content[o] if isinstance(o, BNode) else o.n3()}" for p, o in graph.predicate_objects(node)
        )
        content[node] = digest("\n".join(items))
    return content


def placed_labels(
    order: list[Node], parent: dict[Node, tuple[Node, Node]], content: dict[Node, str]
) -> dict[Node, BNode]:
    """Each blank node's label: its content and where it hangs (its parent's label or IRI, the property)."""
    labels: dict[Node, BNode] = {}
    seen: Counter[tuple[str, str, str]] = Counter()
    for node in order:  # parents first, so a parent's label is known
        above, predicate = parent.get(node, (None, None))
        place = "" if above is None else f"_:{labels[above]}" if isinstance(above, BNode) else above.n3()
        key = (place, "" if predicate is None else predicate.n3(), content[node])
        index = seen[key]
        seen[key] += 1
        labels[node] = BNode("b" + digest(f"{key[0]}\n{key[1]}\n{key[2]}\n{index}")[:32])
    return labels


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
