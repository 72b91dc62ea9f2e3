"""Which shapes the fast SHACL engine may run, and which focus nodes pySHACL must check instead.

kg.validate.fast_engine runs a shape with a target (a root) in `shacl` only if every constraint parameter the root
reaches is in VERIFIED: the components whose results the parity tests (tests/test_fast_validation*.py)
prove identical to pySHACL's. Anything else sends the root to pySHACL, with a reason.

One verified family needs a look at the data too. pySHACL compares values with sh:minInclusive and its
siblings in its own way when they are not plainly comparable with the bound (NaN, INF, a date against
a number, a time zone against none: it reports one of two failing bounds, or crashes), and `shacl`
misreads integers beyond 64 bits. So the plan lists every property path such a bound applies to, and
``unsafe_focus_nodes`` finds the nodes with a value there that is not a finite number against a number,
or a date or time of the bound's own type and time zone. pySHACL checks those nodes; there are usually
none.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL, SH, XSD
from rdflib.term import IdentifiedNode, Node

# The constraint parameters whose components the parity tests run through both engines.
VERIFIED = frozenset(
    SH[name]
    for name in (
        "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive",
        "maxExclusive", "maxInclusive", "minLength", "maxLength", "pattern", "flags", "languageIn",
        "uniqueLang", "equals", "disjoint", "not", "and", "or", "xone", "node", "property",
        "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint",
        "closed", "ignoredProperties", "hasValue", "in",
    )
)  # fmt: skip
# What declares, targets, names or describes a shape without constraining anything.
DECLARATIONS = frozenset(
    SH[name]
    for name in (
        "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "path", "severity", "message",
        "deactivated", "name", "description", "order", "group", "defaultValue",
    )
)  # fmt: skip
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
RANGES = (SH.minInclusive, SH.minExclusive, SH.maxInclusive, SH.maxExclusive)
# Shape-valued parameters. On a node shape they apply to the same focus node; on a property shape, to
# the values its path reaches (sh:property always starts from the shape's own focus node).
SHAPE_VALUED = (SH.node, SH["not"], SH.qualifiedValueShape)
SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)
CLASSES = (RDFS.Class, OWL.Class)

NUMBERS = frozenset(
    XSD[name]
    for name in (
        "decimal", "integer", "float", "double", "long", "int", "short", "byte", "nonNegativeInteger",
        "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte",
    )
)  # fmt: skip
TIMES = frozenset(XSD[name] for name in ("date", "dateTime", "time", "gYear", "gYearMonth"))
LARGEST = 2**63  # `shacl` reads integers into 64 bits
TIME_ZONE = re.compile(r"(Z|[+-][0-9]{2}:[0-9]{2})$")


@dataclass(frozen=True)
class ShapesPlan:
    """Which roots `shacl` runs and which pySHACL runs (and why), and the value ranges to look at."""

    shapes: Graph
    fast_roots: tuple[IdentifiedNode, ...]
    slow_roots: tuple[URIRef, ...]
    reasons: tuple[str, ...] = ()
    unplannable: str | None = None  # set when pySHACL must run everything
    ranges: dict[URIRef, tuple[Literal, ...]] = field(default_factory=dict)  # path -> bounds on it

    def only(self, roots: Iterable[Node]) -> Graph:
        """The shapes graph in which only ``roots`` select focus nodes."""
        keep = set(roots)
        return without_targets(self.shapes, [r for r in (*self.fast_roots, *self.slow_roots) if r not in keep])

    def roots_reaching(self, shapes: set[URIRef]) -> list[IdentifiedNode]:
        """The fast roots that are, or lead through sh:property, sh:node and the like to, one of ``shapes``."""
        return [r for r in self.fast_roots if shapes.intersection(s for s, _ in walk(self.shapes, r))]

    def unsafe_focus_nodes(self, graph: Graph) -> set[IdentifiedNode]:
        """Nodes with a value under a range constraint that the engines may compare differently."""
        return unsafe_nodes(self.ranges, graph)

    def targeting(self, graph: Graph, nodes: set[IdentifiedNode]) -> Graph:
        """The shapes graph in which each fast root targets just the ``nodes`` it targets in ``graph``."""
        shapes = without_targets(self.shapes, (*self.fast_roots, *self.slow_roots))
        for root in self.fast_roots:
            for node in sorted(nodes, key=str):
                if targets(self.shapes, root, graph, node):
                    shapes.add((root, SH.targetNode, node))
        return shapes


def unsafe_nodes(ranges: dict[URIRef, tuple[Literal, ...]], graph: Graph) -> set[IdentifiedNode]:
    """Nodes with a value under one of the ``ranges`` (path -> bounds) that the engines may compare differently."""
    return {
        node
        for path, bounds in ranges.items()
        for node, value in graph.subject_objects(path)
        if isinstance(node, IdentifiedNode) and not all(comparable(value, b) for b in bounds)
    }


def plan_shapes(shapes: Graph) -> ShapesPlan:
    """Split the roots by whether everything they reach runs the same in `shacl`."""
    fast: list[IdentifiedNode] = []
    slow: list[IdentifiedNode] = []
    reasons: list[str] = []
    ranges: dict[URIRef, set[Literal]] = {}
    custom = custom_parameters(shapes)
    for root in sorted(root_shapes(shapes), key=str):
        problem = first_problem(shapes, root, custom)
        if problem is None:
            fast.append(root)
            for path, bound in range_bounds(shapes, root):
                ranges.setdefault(path, set()).add(bound)
        else:
            slow.append(root)
            reasons.append(f"{root.n3()} {problem}")
    blank = next((r for r in slow if not isinstance(r, URIRef)), None)
    unplannable = f"the unnamed shape {reasons[slow.index(blank)]}" if blank is not None else None
    named_slow = tuple(r for r in slow if isinstance(r, URIRef))
    frozen = {path: tuple(sorted(bounds)) for path, bounds in sorted(ranges.items())}
    return ShapesPlan(shapes, tuple(fast), named_slow, tuple(reasons), unplannable, frozen)


def root_shapes(shapes: Graph) -> set[IdentifiedNode]:
    """Shapes that select focus nodes themselves: with a target, or a class that is also a shape."""
    roots = {s for t in (*TARGETS, SH.target) for s in shapes.subjects(t, None)}  # sh:target: SHACL-AF
    for kind in (SH.NodeShape, SH.PropertyShape):
        roots |= {s for s in shapes.subjects(RDF.type, kind) if any((s, RDF.type, c) in shapes for c in CLASSES)}
    return {r for r in roots if isinstance(r, IdentifiedNode)}


def walk(shapes: Graph, root: Node) -> Iterator[tuple[Node, bool]]:
    """Every shape ``root`` reaches, with whether it applies to a value rather than to the focus node."""
    seen: set[tuple[Node, bool]] = set()
    todo: list[tuple[Node, bool]] = [(root, False)]
    while todo:
        shape, on_value = todo.pop()
        if (shape, on_value) in seen:
            continue
        seen.add((shape, on_value))
        yield shape, on_value
        nested = on_value or (shape, SH.path, None) in shapes
        todo += [(child, nested if shape_valued else on_value) for child, shape_valued in children(shapes, shape)]


def children(shapes: Graph, shape: Node) -> Iterator[tuple[Node, bool]]:
    """The shapes ``shape`` refers to, each with whether a shape-valued parameter (SHAPE_VALUED, SHAPE_LISTS)
    names it rather than sh:property."""
    yield from ((p, False) for p in shapes.objects(shape, SH.property))
    yield from ((s, True) for parameter in SHAPE_VALUED for s in shapes.objects(shape, parameter))
    for parameter in SHAPE_LISTS:
        yield from ((s, True) for members in shapes.objects(shape, parameter) for s in shapes.items(members))


def first_problem(shapes: Graph, root: IdentifiedNode, custom: frozenset[Node] | None = None) -> str | None:
    """Why ``root`` cannot run in `shacl` (the first reason found), or None (``custom``: the shapes' custom
    constraint parameters, if known)."""
    custom = custom_parameters(shapes) if custom is None else custom
    allowed = VERIFIED | DECLARATIONS
    for shape, on_value in walk(shapes, root):
        predicates = sorted(set(shapes.predicates(shape)), key=str)
        if not predicates:
            return f"refers to {shape.n3()}, which is not described in the shapes graph"
        for predicate in predicates:
            if predicate not in allowed and str(predicate).startswith(str(SH)):
                return f"uses {predicate.n3()}, which the parity tests do not cover"
            if predicate in custom:
                return f"uses the custom constraint parameter {predicate.n3()}"
            if predicate in RANGES and not guardable(shapes, shape, on_value):
                return f"compares values ({predicate.n3()}) where kg cannot check them against pySHACL's reading"
    return None


def guardable(shapes: Graph, shape: Node, on_value: bool) -> bool:
    """A range on a plain property of the focus node, with a number or date as bound, can be guarded."""
    path = shapes.value(shape, SH.path)
    bounds = [shapes.value(shape, r) for r in RANGES if (shape, r, None) in shapes]
    return not on_value and isinstance(path, URIRef) and all(is_plain_bound(b) for b in bounds)


def range_bounds(shapes: Graph, root: IdentifiedNode) -> Iterator[tuple[URIRef, Literal]]:
    for shape, _ in walk(shapes, root):
        for parameter in RANGES:
            for bound in shapes.objects(shape, parameter):
                yield shapes.value(shape, SH.path), bound  # type: ignore[misc]  # guardable() checked both


def custom_parameters(shapes: Graph) -> frozenset[Node]:
    """The predicates that custom constraint components declared in the shapes graph take as parameters."""
    declared = {p for c in shapes.subjects(RDF.type, SH.ConstraintComponent) for p in shapes.objects(c, SH.parameter)}
    return frozenset(path for p in declared for path in shapes.objects(p, SH.path))


def without_targets(shapes: Graph, roots: Iterable[Node]) -> Graph:
    """A copy of ``shapes`` in which ``roots`` select nothing."""
    copy = Graph()
    copy += shapes
    for root in roots:
        for target in (*TARGETS, SH.target):
            copy.remove((root, target, None))
        for cls in CLASSES:
            copy.remove((root, RDF.type, cls))
    return copy


def targets(shapes: Graph, root: Node, graph: Graph, node: Node) -> bool:
    """Whether ``root`` selects ``node`` of ``graph`` as a focus node."""
    if (root, SH.targetNode, node) in shapes:
        return True
    classes = set(shapes.objects(root, SH.targetClass))
    if any((root, RDF.type, c) in shapes for c in CLASSES):
        classes.add(root)
    if classes:
        types = {
            t for direct in graph.objects(node, RDF.type) for t in graph.transitive_objects(direct, RDFS.subClassOf)
        }
        if types & classes:
            return True
    if any((node, p, None) in graph for p in shapes.objects(root, SH.targetSubjectsOf)):
        return True
    return any((None, p, node) in graph for p in shapes.objects(root, SH.targetObjectsOf))


# --- comparing values with bounds ----------------------------------------------------------------------------


def is_plain_bound(bound: Node | None) -> bool:
    return isinstance(bound, Literal) and (finite_number(bound) or (bound.datatype in TIMES and not bound.ill_typed))


def comparable(value: Node, bound: Literal) -> bool:
    """Whether both engines surely read ``value`` against ``bound`` alike: a finite number against a number,
    a well-formed date or time of the bound's own type, with a time zone if and only if the bound has one.
    IRIs and blank nodes fail every bound in both."""
    if not isinstance(value, Literal):
        return True
    if bound.datatype in NUMBERS:
        return finite_number(value)
    return value.datatype == bound.datatype and not value.ill_typed and has_time_zone(value) == has_time_zone(bound)


def finite_number(literal: Literal) -> bool:
    if literal.datatype not in NUMBERS or literal.ill_typed:
        return False
    number = literal.toPython()
    try:
        return math.isfinite(number) and abs(number) < LARGEST
    except (TypeError, ValueError, ArithmeticError):  # a Decimal NaN refuses to be compared
        return False


def has_time_zone(literal: Literal) -> bool:
    return TIME_ZONE.search(str(literal)) is not None
