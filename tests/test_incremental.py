"""``kg validate --changed FILE... --store oxigraph:PATH``: what changed files break, judged against the store.

The central property: for files added to a stored graph, incremental validation reports every problem
that full validation of the store plus the files reports and full validation of the store alone does
not (nothing new is missed), and what it reports about a focus node is exactly what full validation
reports about it (nothing is invented or lost through the partial view).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from benchmarks.faults import inject_errors, write_article
from benchmarks.generate import generate_project
from rdflib import BNode, URIRef
from rdflib.term import Node

from kg.backends.oxigraph import count_default_graph, load_store, open_store
from kg.errors import InputError
from kg.project import Project, open_project
from kg.rdf.load import load_files, load_project
from kg.rdf.namespaces import KG, KGR
from kg.validate.additions import add_derived_edges, project_context
from kg.validate.change_reach import Reach, transitive_predicates
from kg.validate.checks import load_checks
from kg.validate.incremental import binds_this, focus_nodes, union_store, validate_changed
from kg.validate.report import KGSH, Severity, ValidationReport, ValidationResult
from kg.validate.runner import validate
from support.cli import KG_PROCESS, run_kg
from support.paths import REPO
from support.results import path_key
from support.shapes import shapes_graph

LOOP = "<https://w3id.org/kg/id/gen-company-{}> <https://w3id.org/kg/ontology#parentOrganization> "
CYCLE_STORED = LOOP.format(1) + "<https://w3id.org/kg/id/gen-company-2> .\n"
CYCLE_CHANGED = LOOP.format(2) + "<https://w3id.org/kg/id/gen-company-1> .\n"


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path]:
    """A generated project of about 8,000 triples (plus one stored half of a loop) and its Oxigraph store."""
    root = tmp_path_factory.mktemp("incremental") / "project"
    generate_project(root, 8000, seed=5)
    (root / "data" / "loop.nt").write_text(CYCLE_STORED, encoding="utf-8")
    project = open_project(root)
    store = root.parent / "store"
    load_store(store, [*project.graph_files(), root / "data" / "loop.nt"])
    return project, store


def key(result: ValidationResult) -> tuple[object, ...]:
    """What a result says, without the file it names (the store or a changed file) and blank node labels."""
    return (
        blank_free(result.focus_node),
        path_key(result),
        result.component,
        result.severity,
        blank_free(result.source_shape),
        blank_free(result.value),
        result.message,
    )


def blank_free(node: Node | None) -> Node | str | None:
    return "_:" if isinstance(node, BNode) else node


# --- the property: nothing new missed, nothing different ------------------------------------------------------


@pytest.fixture(scope="module")
def stored_validation(stored) -> ValidationReport:
    """Full validation of the stored graph's files (the generated project and the stored half of the loop)."""
    project, _ = stored
    return validate(load_project(project, [project.root / "data" / "loop.nt"]), project)


@pytest.fixture(scope="module")
def injected_change(stored, stored_validation: ValidationReport, tmp_path_factory: pytest.TempPathFactory):
    """Errors of every kind, and the other half of the loop, as files changed after the store was loaded."""
    project, store = stored
    work = tmp_path_factory.mktemp("changed") / "project"
    shutil.copytree(project.root, work)
    inject_errors(work)
    (work / "data" / "injected" / "loop.nt").write_text(CYCLE_CHANGED, encoding="utf-8")
    changed = sorted(p for p in (work / "data" / "injected").iterdir() if p.suffix == ".ttl")
    changed.append(work / "data" / "injected" / "loop.nt")
    work_project = open_project(work)
    before = stored_validation
    after_loaded = load_project(work_project, [work / "data" / "loop.nt", changed[-1]])
    after = validate(after_loaded, work_project)
    incremental = validate_changed(store, changed, work_project)
    return work_project, store, changed, before, after, incremental


def test_every_new_problem_is_reported(injected_change) -> None:
    _, _, _, before, after, incremental = injected_change
    new = {key(r) for r in after.results} - {key(r) for r in before.results}
    assert len(new) > 100
    assert new - {key(r) for r in incremental.results} == set()


def test_what_is_reported_about_a_focus_node_is_what_full_validation_reports(injected_change) -> None:
    project, store, changed, _, after, incremental = injected_change
    additions = load_files(changed)
    checks = load_checks(project.queries_dir / "checks")
    with union_store(store, additions.graph + project_context(project, changed)) as union:
        add_derived_edges(union, additions)
        focus = focus_nodes(union, additions.graph, Reach.of(shapes_graph(), checks))
    expected = {key(r) for r in after.results if r.focus_node in focus or isinstance(r.focus_node, BNode)}
    assert {key(r) for r in incremental.results} == expected


def test_a_loop_closed_by_the_change_is_reported_at_both_ends(injected_change) -> None:
    *_, incremental = injected_change
    cycle = KGSH["parent-organization-cycle-violation"]
    assert {r.focus_node for r in incremental.results if r.source_shape == cycle} == {
        KGR["gen-company-1"],
        KGR["gen-company-2"],
    }


def test_results_name_the_changed_file_or_the_store(injected_change) -> None:
    project, store, changed, *_, incremental = injected_change
    names = {p.relative_to(project.root).as_posix() for p in changed} | {store.resolve().as_posix()}
    files = {r.data_file for r in incremental.results}
    assert "data/injected/errors.ttl" in files
    assert files <= names


# --- one article -----------------------------------------------------------------------------------------------


def article(stored, folder: Path, *, with_errors: bool) -> tuple[Project, Path, Path]:
    project, store = stored
    root = folder / "project"
    shutil.copytree(project.root, root)
    data, _ = write_article(root, 1, with_errors=with_errors)
    return open_project(root), store, data


@dataclass
class ArticleRun:
    """One ``validate_changed`` of an article, and what the store looked like just before and after it."""

    project: Project
    store: Path
    data: Path
    report: ValidationReport
    store_files: tuple[list[str], list[str]]
    store_triples: tuple[int, int]
    scratch_left: list[Path]


def run_article(stored, folder: Path, *, with_errors: bool) -> ArticleRun:
    project, store, data = article(stored, folder, with_errors=with_errors)
    files_before, count_before = sorted(p.name for p in store.iterdir()), count_default_graph(open_store(store))
    report = validate_changed(store, [data], project, engine="fast")
    files_after, count_after = sorted(p.name for p in store.iterdir()), count_default_graph(open_store(store))
    left = [p for p in store.parent.iterdir() if p.name.startswith(".kg-")]
    return ArticleRun(project, store, data, report, (files_before, files_after), (count_before, count_after), left)


# Validating an article against the store costs seconds (its focus nodes reach far into the generated
# companies); the tests that only read the result share one run of each article.
@pytest.fixture(scope="module")
def article_with_errors(stored, tmp_path_factory: pytest.TempPathFactory) -> ArticleRun:
    return run_article(stored, tmp_path_factory.mktemp("with-errors"), with_errors=True)


@pytest.fixture(scope="module")
def clean_article(stored, tmp_path_factory: pytest.TempPathFactory) -> ArticleRun:
    return run_article(stored, tmp_path_factory.mktemp("clean"), with_errors=False)


def test_an_error_made_only_with_stored_facts_is_caught(article_with_errors: ArticleRun) -> None:
    run = article_with_errors
    found = {(r.focus_node, r.source_shape, r.severity) for r in run.report.results}
    assert (KGR["gen-company-5"], KGSH["Organization-ceo-count"], Severity.WARNING) in found
    assert (KGR["gen-company-7"], KGSH["Organization-founder"], Severity.VIOLATION) in found
    assert any(shape == KGSH["statement-range-violation"] for _, shape, _ in found)
    # On its own the article is sound: the second CEO and the company founder need the stored facts.
    alone = validate(load_files([REPO / "ontology" / "kg.ttl", run.data]), run.project).results
    assert not {r.source_shape for r in alone} & {KGSH["Organization-ceo-count"], KGSH["Organization-founder"]}


def test_a_clean_article_conforms(clean_article: ArticleRun) -> None:
    assert clean_article.report.results == []


def test_both_engines_agree_on_an_article(article_with_errors: ArticleRun) -> None:
    run = article_with_errors  # validated with the fast engine
    slow = validate_changed(run.store, [run.data], run.project, engine="pyshacl")
    assert run.report.results == slow.results


def test_malformed_shapes_are_named_by_their_file(stored, tmp_path: Path) -> None:
    project, store, data = article(stored, tmp_path, with_errors=False)
    shapes = tmp_path / "broken-shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kg: <https://w3id.org/kg/ontology#> .\n"
        '<urn:s> a sh:NodeShape ; sh:targetClass kg:Person ; sh:minCount "one" .\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as raised:
        validate_changed(store, [data], project, shapes_path=shapes)
    assert str(raised.value).startswith(f"{shapes}: invalid shapes: MinCountConstraintComponent")


@pytest.mark.parametrize("name", ["article_with_errors", "clean_article"])
def test_the_store_is_only_read(name: str, request: pytest.FixtureRequest) -> None:
    run: ArticleRun = request.getfixturevalue(name)
    before, after = run.store_files
    assert run.store_triples[0] == run.store_triples[1] > 0
    assert run.scratch_left == []
    assert set(after) >= set(before) - {"LOCK"}


# --- what reaches what -----------------------------------------------------------------------------------------


def test_the_checks_follow_parent_organizations_and_subclasses_transitively() -> None:
    checks = load_checks(REPO / "queries" / "checks")
    assert transitive_predicates(checks) == {
        KG.parentOrganization,
        URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
    }


def test_kg_shapes_read_one_step_from_the_focus_node() -> None:
    reach = Reach.of(shapes_graph(), [])
    assert reach.depth == 1
    assert {KG.subject, KG.chiefExecutiveOfficer, KG.source} <= reach.forward
    assert reach.inverse == frozenset()


def test_a_check_that_binds_this_itself_runs_whole() -> None:
    assert binds_this("SELECT ?x WHERE { ?x ?p ?o BIND (?x AS ?this) }")
    assert binds_this("SELECT (?x As  $this) WHERE { ?x ?p ?o }")
    assert not binds_this('SELECT ?this WHERE { ?this ?p "BIND (1 AS ?this)" } # AS ?this')


# --- the command -----------------------------------------------------------------------------------------------


def test_cli_changed_reports_and_exits_1(stored, tmp_path: Path) -> None:
    project, store, data = article(stored, tmp_path, with_errors=True)
    result = run_kg("validate", "--store", f"oxigraph:{store}", "--changed", str(data), project=project)
    assert result.exit_code == 1
    assert "warning: Kabri" in result.stdout or "Organization-ceo-count" in result.stdout
    # The second CEO warns twice: two CEOs on one company, and a conflict between two sources.
    assert "unsettled-conflict-violation" in result.stdout
    assert "does not conform: 2 violations, 2 warnings" in result.stdout


def test_cli_usage_errors(stored, tmp_path: Path) -> None:
    project, store, data = article(stored, tmp_path, with_errors=False)
    no_store = run_kg("validate", "--changed", str(data), project=project)
    assert no_store.exit_code == 2
    assert "--changed needs --store oxigraph:PATH" in no_store.stderr
    no_files = run_kg("validate", "--store", f"oxigraph:{store}", "--changed", project=project)
    assert no_files.exit_code == 2
    assert "--changed needs the files that changed" in no_files.stderr
    missing = run_kg("validate", "--store", f"oxigraph:{tmp_path / 'nowhere'}", "--changed", str(data), project=project)
    assert missing.exit_code == 2
    assert "no Oxigraph store at" in missing.stderr


def test_cli_store_without_changed_validates_the_whole_stored_graph(stored, stored_validation) -> None:
    project, store = stored
    result = run_kg("validate", "--store", f"oxigraph:{store}", "--format", "json", project=project)
    expected = stored_validation
    assert result.exit_code == 1  # the stored half of the loop has no statement behind it
    assert len(json.loads(result.stdout)["result"]) == len(expected.results) > 0


def test_real_process(stored, tmp_path: Path) -> None:
    project, store, data = article(stored, tmp_path, with_errors=False)
    command = ["validate", "--store", f"oxigraph:{store}", "--changed", str(data)]
    done = subprocess.run(
        [*KG_PROCESS, "--project", str(project.root), *command],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ValidationReport([]).to_text()
