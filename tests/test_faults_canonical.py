"""Canonical blank-node labels for tree-shaped blank nodes (kg.rdf.canonical): same graph, same labels;
interchangeable siblings kept apart; anything that is no forest left to rdflib's canonicalisation."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.rdf.canonical import tree_canonical_graph, tree_labels
from kg.rdf.write import serialize

EX = "http://example.org/"


def chain(depth: int, start: str) -> Graph:
    graph = Graph()
    above: URIRef | BNode = URIRef(EX + "root")
    for level in range(depth):
        node = BNode(f"{start}{level}")
        graph.add((above, URIRef(EX + "p"), node))
        above = node
    graph.add((above, URIRef(EX + "p"), Literal("end")))
    return graph


def test_the_same_tree_under_other_blank_node_names_gets_the_same_bytes() -> None:
    first, second = chain(50, "x"), chain(50, "y")
    assert serialize(first, "ntriples") == serialize(second, "ntriples")
    canonical = tree_canonical_graph(first)
    assert canonical is not None and isomorphic(canonical, first)


def test_a_chain_thousands_deep_is_labelled_without_rdflib() -> None:
    graph = chain(3000, "n")
    labels = tree_labels(graph)
    assert labels is not None and len(set(labels.values())) == 3000
    canonical = tree_canonical_graph(graph)
    assert canonical is not None and len(canonical) == len(graph)
    # Walked from the root, the copy is the same chain: 3,000 blank nodes, then the literal.
    node, steps = canonical.value(URIRef(EX + "root"), URIRef(EX + "p")), 0
    while isinstance(node, BNode):
        node, steps = canonical.value(node, URIRef(EX + "p")), steps + 1
    assert steps == 3000 and node == Literal("end")


def test_siblings_with_the_same_content_stay_two_nodes() -> None:
    graph = Graph()
    for name in ("a", "b"):
        node = BNode(name)
        graph.add((URIRef(EX + "s"), URIRef(EX + "p"), node))
        graph.add((node, URIRef(EX + "q"), Literal("same")))
    canonical = tree_canonical_graph(graph)
    assert canonical is not None and len(canonical) == 4 and isomorphic(canonical, graph)


def test_the_same_content_in_two_places_gets_two_labels() -> None:
    graph = Graph()
    for subject in ("s", "t"):
        node = BNode(subject + "-value")
        graph.add((URIRef(EX + subject), URIRef(EX + "p"), node))
        graph.add((node, URIRef(EX + "q"), Literal("same")))
    labels = tree_labels(graph)
    assert labels is not None and len(set(labels.values())) == 2


def test_a_shared_or_cyclic_blank_node_is_left_to_rdflib() -> None:
    shared = Graph()
    node = BNode("shared")
    shared.add((URIRef(EX + "s"), URIRef(EX + "p"), node))
    shared.add((URIRef(EX + "t"), URIRef(EX + "p"), node))
    assert tree_labels(shared) is None
    cycle = Graph()
    cycle.add((BNode("a"), URIRef(EX + "p"), BNode("b")))
    cycle.add((BNode("b"), URIRef(EX + "p"), BNode("a")))
    assert tree_labels(cycle) is None
    assert serialize(cycle, "ntriples").count(b"_:") == 4  # still written, by rdflib's canonical labels
