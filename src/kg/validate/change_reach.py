"""How far a change travels: which predicates the shapes' paths and the checks follow, and how far.

kg.validate.incremental uses this to find the focus nodes that changed triples can affect. Everything here is
read from the shapes graph and the checks' text, so a new shape or check is followed without code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from rdflib import RDF, Graph
from rdflib.namespace import SH
from rdflib.term import Node, URIRef

from kg.validate.checks import ViolationQuery
from kg.validate.fast_plan import children, root_shapes

UNBOUNDED_STEPS = 8  # how far a change is followed for paths with * or +


@dataclasses.dataclass(frozen=True)
class Reach:
    """The predicates along which a change travels to other focus nodes, and how many steps the shapes take."""

    forward: frozenset[Node]  # predicates of the shapes' paths, followed from focus node to value
    inverse: frozenset[Node]  # predicates under sh:inversePath, and those of sh:targetObjectsOf
    depth: int  # how many path steps away from a focus node the shapes read (1 for sh:class on a value)
    transitive: frozenset[Node]  # predicates a check follows with * or +

    @classmethod
    def of(cls, shapes: Graph, checks: list[ViolationQuery]) -> Reach:
        paths = list(shapes.objects(None, SH.path))
        inverse = {p for path in paths for p in path_predicates(shapes, path, inverse=True)}
        inverse |= set(shapes.objects(None, SH.targetObjectsOf))
        forward = {p for path in paths for p in path_predicates(shapes, path, inverse=False)}
        return cls(frozenset(forward), frozenset(inverse), shape_depth(shapes), transitive_predicates(checks))


def path_predicates(shapes: Graph, path: Node, *, inverse: bool, flipped: bool = False) -> Iterator[Node]:
    """The predicates in a SHACL path that it follows forwards (or, with ``inverse``, backwards)."""
    if isinstance(path, URIRef):
        if flipped == inverse:
            yield path
        return
    if (path, RDF.first, None) in shapes:
        for step in shapes.items(path):
            yield from path_predicates(shapes, step, inverse=inverse, flipped=flipped)
        return
    for predicate, value in shapes.predicate_objects(path):
        flip = flipped != (predicate == SH.inversePath)
        yield from path_predicates(shapes, value, inverse=inverse, flipped=flip)


def shape_depth(shapes: Graph) -> int:
    """Path steps from a focus node to the farthest node whose triples a shape reads: the longest path
    times the deepest nesting of property shapes (1 for kg's: sh:class reads the type of a value)."""
    if any(True for p in (SH.zeroOrMorePath, SH.oneOrMorePath) for _ in shapes.subjects(p, None)):
        return UNBOUNDED_STEPS
    longest = max((path_length(shapes, path) for path in shapes.objects(None, SH.path)), default=0)
    nesting = max((property_nesting(shapes, root, frozenset()) for root in root_shapes(shapes)), default=0)
    return min(longest * nesting, UNBOUNDED_STEPS)


def path_length(shapes: Graph, path: Node) -> int:
    if isinstance(path, URIRef):
        return 1
    if (path, RDF.first, None) in shapes:
        return sum(path_length(shapes, step) for step in shapes.items(path))
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return max((path_length(shapes, step) for step in shapes.items(alternatives)), default=0)
    return max((path_length(shapes, inner) for inner in shapes.objects(path, None)), default=0)


def property_nesting(shapes: Graph, shape: Node, seen: frozenset[Node]) -> int:
    deepest = max(
        (property_nesting(shapes, c, seen | {shape}) for c, _ in children(shapes, shape) if c not in seen), default=0
    )
    return deepest + ((shape, SH.path, None) in shapes)


def transitive_predicates(checks: list[ViolationQuery]) -> frozenset[Node]:
    """Predicates the checks follow with * or + (a loop of kg:parentOrganization): an IRI or prefixed name
    directly followed by one of them. Read from the tokens; parsing twelve queries would take half a second."""
    from kg.guard.sparql_reader import repeated_predicates
    from kg.query.engines import QUERY_PREFIXES

    return frozenset(URIRef(iri) for check in checks for iri in repeated_predicates(check.text, QUERY_PREFIXES))
