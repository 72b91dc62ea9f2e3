"""kg's own shapes give the same results through the fast engine as through pySHACL.

On every shape fixture (good and bad), and on a generated project into which errors of every kind the
shapes catch were injected (benchmarks/faults.py: edits of generated nodes, plus every bad
fixture), the fast path and plain pySHACL must report identical multisets of (focus node, path,
constraint component, severity), with the same values, shapes and messages. The whole ``kg validate``
report must not depend on the engine either.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from benchmarks.faults import inject_errors
from benchmarks.generate import generate_project
from rdflib import BNode, URIRef
from rdflib.namespace import SH

from kg.project import Project, open_project
from kg.rdf.load import LoadedGraph, load_project
from kg.validate.describe import Describer
from kg.validate.report import KGSH
from kg.validate.runner import validate
from kg.validate.shapes import shacl_results
from support.cli import run_kg
from support.results import assert_same, keys
from support.shapes import SHAPE_CASES, FixtureValidation, reportable_shapes, shapes_graph
from support.shapes import SHAPE_FIXTURES as FIXTURES


def both_engines(loaded: LoadedGraph, root: Path) -> tuple[list, list]:
    shapes = shapes_graph()
    describe = Describer(loaded, root)
    return tuple(shacl_results(loaded.graph, shapes, describe, engine=e) for e in ("fast", "pyshacl"))  # type: ignore[return-value]


@pytest.mark.parametrize("which", ["good", "bad"])
@pytest.mark.parametrize("case", SHAPE_CASES)
def test_fixture_gives_the_same_results_in_both_engines(
    case: str, which: str, fixture_validation: FixtureValidation
) -> None:
    fixture = FIXTURES / case / f"{which}.ttl"
    fast, slow = (fixture_validation.shape_results(fixture, engine) for engine in ("fast", "pyshacl"))
    assert_same(fast, slow, messages=True)
    assert bool(slow) == (which == "bad")


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, LoadedGraph, list]:
    root = tmp_path_factory.mktemp("injected") / "project"
    generate_project(root, 8000, seed=3)
    errors = inject_errors(root)
    project = open_project(root)
    return project, load_project(project), errors


@pytest.fixture(scope="module")
def injected_results(injected) -> tuple[list, list]:
    project, loaded, _ = injected
    return both_engines(loaded, project.root)


def test_injected_errors_give_the_same_results_in_both_engines(injected_results) -> None:
    fast, slow = injected_results
    assert_same(fast, slow, messages=True)
    assert sum(keys(slow).values()) > 100


def test_every_kind_of_error_the_shapes_catch_was_injected_and_caught(injected_results) -> None:
    fast, _ = injected_results
    assert reportable_shapes(shapes_graph()) - {r.source_shape for r in fast} == set()
    assert {URIRef(str(SH) + c) for c in ("ClassConstraintComponent", "NodeConstraintComponent")} <= {
        r.component for r in fast
    }


def test_each_injected_error_in_generated_data_is_reported(injected, injected_results) -> None:
    _, _, errors = injected
    fast, _ = injected_results
    found = Counter((str(r.focus_node), str(r.component), str(r.source_shape)) for r in fast)
    for error in errors:
        key = (error.focus, f"{SH}{error.component}ConstraintComponent", f"{KGSH}{error.shape}")
        assert found[key] >= 1, f"not reported: {error.turtle}"


def test_injected_errors_include_the_cases_handed_to_pyshacl(injected, injected_results) -> None:
    """A NaN amount under a range and a founder that is a blank node: the fast path's two hand-overs."""
    from kg.validate.fast_plan import plan_shapes

    _, loaded, errors = injected
    fast, _ = injected_results
    nan = next(e for e in errors if "NaN" in e.turtle)
    assert URIRef(nan.focus) in plan_shapes(shapes_graph()).unsafe_focus_nodes(loaded.graph)
    shell = [r for r in fast if r.source_shape == KGSH["Organization-founder"] and isinstance(r.value, BNode)]
    assert len(shell) == 1 and (shell[0].value, None, None) in loaded.graph


def test_whole_validation_report_is_the_same_with_either_engine(injected) -> None:
    project, loaded, _ = injected
    reports = [validate(loaded, project, engine=e) for e in ("fast", "pyshacl")]
    assert reports[0].results == reports[1].results
    assert reports[0].to_turtle() == reports[1].to_turtle()


def test_kg_validate_engine_option(tmp_project: Project) -> None:
    outputs = []
    for engine in ("fast", "pyshacl"):
        result = run_kg("validate", "--engine", engine, project=tmp_project)
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert "conforms: 0 violations, 0 warnings, 1 info" in outputs[0]
    bad = run_kg("validate", "--engine", "jena", project=tmp_project)
    assert bad.exit_code == 2
    assert "'jena' is not one of 'fast', 'pyshacl'" in bad.stderr
