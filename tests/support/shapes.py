"""kg's shapes graph and the fixtures that exercise it (tests/fixtures/shapes), and which shapes can report.

Each folder in tests/fixtures/shapes/ is named after a node shape (or, under checks/, a violation query) and
holds good.ttl and bad.ttl; see tests/test_shapes.py.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH
from rdflib.term import Node

from kg.rdf.load import LoadedGraph, load_files, parse_file
from kg.validate.checks import check_results, load_checks
from kg.validate.describe import Describer
from kg.validate.fast_engine import DEFAULT_ENGINE
from kg.validate.report import ValidationResult
from kg.validate.shapes import shacl_results
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
        s
        for s in node_shapes
        if any(str(p).startswith(str(SH)) and p not in NOT_CONSTRAINTS for p in shapes.predicates(s))
    }
    return own | {p for s in node_shapes for p in shapes.objects(s, SH.property)}


class FixtureValidation:
    """Each fixture loaded (the ontology, base.ttl and the fixture) and validated once per engine, then kept.

    Several test modules validate the same fixtures (the shapes' own tests, the fast engine against pySHACL,
    pySHACL against shacl-engine); one instance per session (the ``fixture_validation`` fixture) does each
    once. What it returns is shared: tests must not modify it.
    """

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self._loaded: dict[Path, LoadedGraph] = {}
        self._shape_results: dict[tuple[Path, str], list[ValidationResult]] = {}
        self._check_results: dict[Path, list[ValidationResult]] = {}

    def loaded(self, fixture: Path) -> LoadedGraph:
        if fixture not in self._loaded:
            self._loaded[fixture] = load_files([REPO / "ontology" / "kg.ttl", SHAPE_FIXTURES / "base.ttl", fixture])
        return self._loaded[fixture]

    def shape_results(self, fixture: Path, engine: str = DEFAULT_ENGINE) -> list[ValidationResult]:
        """The shapes' results on the fixture; every engine sees the same loaded graph (the same blank nodes)."""
        if (fixture, engine) not in self._shape_results:
            loaded = self.loaded(fixture)
            found = shacl_results(loaded.graph, self.shapes, Describer(loaded, REPO), engine=engine)
            self._shape_results[fixture, engine] = found
        return self._shape_results[fixture, engine]

    def check_results(self, fixture: Path) -> list[ValidationResult]:
        """The violation queries' results on the fixture, as kg validate runs them (in Oxigraph)."""
        if fixture not in self._check_results:
            loaded = self.loaded(fixture)
            checks = load_checks(REPO / "queries" / "checks")
            self._check_results[fixture] = check_results(loaded.graph, checks, Describer(loaded, REPO))
        return self._check_results[fixture]
