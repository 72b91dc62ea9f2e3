"""kg's shapes graph and the fixtures that exercise it (tests/fixtures/shapes), and which shapes can report.

Each folder in tests/fixtures/shapes/ is named after a node shape (or, under checks/, a violation query) and
holds good.ttl and bad.ttl; see tests/test_shapes.py.
"""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import SH
from rdflib.term import Node

from kg.rdf.load import parse_file
from support.paths import FIXTURES, REPO

SHAPES_FILE = REPO / "ontology" / "shapes.ttl"
SHAPE_FIXTURES = FIXTURES / "shapes"
SHAPE_CASES = sorted(p.name for p in SHAPE_FIXTURES.iterdir() if p.is_dir() and p.name != "checks")
CHECK_CASES = sorted(p.name for p in (SHAPE_FIXTURES / "checks").iterdir() if p.is_dir())

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
NOT_CONSTRAINTS = {*TARGETS, SH.property, SH.path, SH.severity, SH.message, SH.name, SH.description}


def shapes_graph() -> Graph:
    """A fresh parse of ontology/shapes.ttl (the session fixture ``shapes`` is one shared, read-only copy)."""
    return parse_file(SHAPES_FILE)


def targeted_shapes(shapes: Graph) -> set[Node]:
    return {s for t in TARGETS for s in shapes.subjects(t, None)}


def reportable_shapes(shapes: Graph) -> set[Node]:
    """Shapes that can be a result's sh:sourceShape: targeted shapes with a constraint of their own, and
    their property shapes (a node shape that only groups property shapes never is one)."""
    node_shapes = targeted_shapes(shapes)
    own = {
        s for s in node_shapes if any(p.startswith(str(SH)) and p not in NOT_CONSTRAINTS for p in shapes.predicates(s))
    }
    return own | {p for s in node_shapes for p in shapes.objects(s, SH.property)}
