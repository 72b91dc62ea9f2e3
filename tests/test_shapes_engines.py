"""Independent engines agree with ours: shacl-engine (Node.js) on the shapes, rdflib's SPARQL on the checks.

kg validate runs the shapes in pySHACL and the violation queries in Oxigraph. A second engine, written by
other people, must find the same focus nodes breaking the same rules on every fixture and on the curated
graph; where the two disagree, one of them (or a shape) is wrong.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from kg.project import Project
from kg.query.engines import RdflibEngine
from kg.query.syntax import rdflib_parse
from kg.rdf.load import LoadedGraph, load_files
from kg.validate.checks import CHECK_SUFFIX, ViolationQuery, check_results, load_checks
from kg.validate.describe import Describer
from kg.validate.report import KGSH, ValidationResult
from kg.validate.shapes import shacl_results
from support.paths import REPO
from support.shapes import CHECK_CASES, SHAPE_CASES, FixtureValidation, shapes_graph
from support.shapes import SHAPE_FIXTURES as FIXTURES

SCRIPT = REPO / "tests" / "js" / "shacl-check.mjs"
NODE = shutil.which("node")
HAVE_SHACL_ENGINE = (REPO / "tests" / "js" / "node_modules" / "shacl-engine").is_dir()

needs_node = pytest.mark.skipif(
    NODE is None or not HAVE_SHACL_ENGINE, reason="needs node and `npm ci --prefix tests/js` (CI installs both)"
)

Found = tuple[Node, Node, Node]


def run_shacl_engine(data: list[Path]) -> tuple[bool, Counter[Found]]:
    """Conformance and (focus node, source shape, component) of each result, as shacl-engine reports them."""
    (found,) = run_shacl_engine_on_each([data])
    return found


def run_shacl_engine_on_each(cases: list[list[Path]]) -> list[tuple[bool, Counter[Found]]]:
    """``run_shacl_engine`` for each list of files, each its own data graph, in one node process."""
    ontology = REPO / "ontology" / "kg.ttl"
    groups = [arg for i, data in enumerate(cases) for arg in ([] if i == 0 else ["---"]) + list(map(str, data))]
    command = [NODE, str(SCRIPT), str(REPO / "ontology" / "shapes.ttl"), str(ontology), "--", *groups]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    reports = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(reports) == len(cases)
    return [(report["conforms"], found_in(report)) for report in reports]


def found_in(report: dict[str, Any]) -> Counter[Found]:
    return Counter(
        (js_term(r["focusNode"]), js_term(r["sourceShape"]), URIRef(r["sourceConstraintComponent"]))
        for r in report["results"]
    )


def js_term(term: dict[str, str]) -> Node:
    if term["termType"] == "NamedNode":
        return URIRef(term["value"])
    if term["termType"] == "BlankNode":
        return BNode(term["value"])
    if "language" in term:
        return Literal(term["value"], lang=term["language"])
    datatype = term.get("datatype")
    plain = datatype in (None, "http://www.w3.org/2001/XMLSchema#string")
    return Literal(term["value"]) if plain else Literal(term["value"], datatype=URIRef(datatype))


def run_pyshacl(data: list[Path]) -> tuple[bool, Counter[Found]]:
    loaded = load_files(data)
    return pyshacl_found(shacl_results(loaded.graph, shapes_graph(), Describer(loaded, REPO), engine="pyshacl"))


def pyshacl_found(results: list[ValidationResult]) -> tuple[bool, Counter[Found]]:
    return not results, Counter((r.focus_node, r.source_shape, r.component) for r in results)


def fixture_files(case: str, which: str) -> list[Path]:
    return [REPO / "ontology" / "kg.ttl", FIXTURES / "base.ttl", FIXTURES / case / f"{which}.ttl"]


@pytest.fixture(scope="module")
def shacl_engine_on_fixtures() -> dict[tuple[str, str], tuple[bool, Counter[Found]]]:
    """shacl-engine's verdict on every shape fixture, each its own data graph, from one node process."""
    cases = [(case, which) for case in SHAPE_CASES for which in ("good", "bad")]
    return dict(zip(cases, run_shacl_engine_on_each([fixture_files(*c) for c in cases]), strict=True))


@needs_node
@pytest.mark.parametrize("which", ["good", "bad"])
@pytest.mark.parametrize("case", SHAPE_CASES)
def test_shacl_engine_agrees_on_fixture(
    case: str, which: str, fixture_validation: FixtureValidation, shacl_engine_on_fixtures
) -> None:
    files = fixture_files(case, which)
    found = shacl_engine_on_fixtures[case, which]
    assert found == pyshacl_found(fixture_validation.shape_results(files[-1], "pyshacl"))


@needs_node
def test_shacl_engine_agrees_on_the_curated_graph(curated_files: list[Path]) -> None:
    files = curated_files  # with the direct edges kg derives, which shacl-engine reading the files would lack
    conforms, found = run_shacl_engine(files)
    assert (conforms, found) == run_pyshacl(files)
    assert {shape for _, shape, _ in found} == {KGSH.AttributedStatementShape}  # infos only, nothing worse


# --- the violation queries: Oxigraph (what kg validate runs) against rdflib's own SPARQL engine ------------


@functools.cache
def parsed_checks() -> list[tuple[ViolationQuery, Query, bool]]:
    """Each violation query parsed and translated by rdflib once (pyparsing takes a second for all of them)."""
    return [(check, *rdflib_parse(check.text, str(check.file))) for check in load_checks(REPO / "queries" / "checks")]


def rows_by_engine(
    loaded: LoadedGraph, found: list[ValidationResult]
) -> tuple[Counter[tuple[Node, Node]], Counter[tuple[Node, Node]]]:
    """What kg's checks found (in Oxigraph), and what the same queries give in rdflib's engine (evaluated here,
    not in a worker: the queries are the repository's own, and the worker's limits are kg's, not rdflib's)."""
    oxigraph = Counter((r.source_shape, r.focus_node) for r in found)
    engine = RdflibEngine(loaded.graph)
    rdflib_rows: Counter[tuple[Node, Node]] = Counter()
    for check, parsed, star in parsed_checks():
        answer = engine.evaluate(parsed, star, {}, str(check.file))
        column = answer.variables.index("this")
        rdflib_rows.update((check.iri, row[column]) for row in answer.rows)
    return oxigraph, rdflib_rows


@pytest.mark.parametrize("which", ["good", "bad"])
@pytest.mark.parametrize("case", CHECK_CASES)
def test_rdflib_agrees_with_oxigraph_on_check_fixture(
    case: str, which: str, fixture_validation: FixtureValidation
) -> None:
    fixture = FIXTURES / "checks" / case / f"{which}.ttl"
    oxigraph, rdflib_rows = rows_by_engine(
        fixture_validation.loaded(fixture), fixture_validation.check_results(fixture)
    )
    assert oxigraph == rdflib_rows
    assert bool(oxigraph) == (which == "bad")


def test_rdflib_agrees_with_oxigraph_on_the_curated_graph(project: Project, curated_loaded: LoadedGraph) -> None:
    loaded = curated_loaded
    checks = load_checks(REPO / "queries" / "checks")
    oxigraph, rdflib_rows = rows_by_engine(loaded, check_results(loaded.graph, checks, Describer(loaded, REPO)))
    assert oxigraph == rdflib_rows == Counter()
    assert len(list((project.queries_dir / "checks").glob(f"*{CHECK_SUFFIX}"))) >= 10
