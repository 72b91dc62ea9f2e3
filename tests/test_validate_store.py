"""kg validate of the whole project from an Oxigraph store (kg.validate.runner.validate_project): no rdflib graph
of the data where the store can give the same report, and the same report as the rdflib path everywhere."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

import kg.rdf.load
import kg.validate.runner as runner
from kg.backends.cache import cached_store
from kg.project import Project
from kg.query.engines import oxigraph_store
from kg.rdf.load import load_project, parse_file
from kg.validate import evidence, store_view
from kg.validate import shapes as shapes_module
from kg.validate.fast_engine import serialize_ntriples
from kg.validate.report import ValidationReport
from kg.validate.runner import validate, validate_project
from kg.validate.store_loaded import StoreLoaded
from support.cli import run_kg
from support.paths import FIXTURES

SHAPE_FIXTURES = FIXTURES / "shapes"
BAD_FIXTURES = sorted(SHAPE_FIXTURES.glob("*/bad.ttl")) + sorted(SHAPE_FIXTURES.glob("checks/*/bad.ttl"))


class LoadCounter:
    """kg.rdf.load.load_project, counted wherever validation may call it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        original = kg.rdf.load.load_project

        def counted(*args: object, **kwargs: object) -> kg.rdf.load.LoadedGraph:
            self.calls += 1
            return original(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(runner, "load_project", counted)
        monkeypatch.setattr(kg.rdf.load, "load_project", counted)


def rendered(report: ValidationReport) -> tuple[str, str, str]:
    return report.to_text(), report.to_turtle(), report.to_json()


def rdflib_path(project: Project) -> ValidationReport:
    """The report as kg validate made it before: the files parsed into rdflib, the shapes and checks fed from
    the cached store (whose direct layer kg.rdf.direct.DIRECT_EDGES_UPDATE derived)."""
    return validate(load_project(project), project, store=cached_store(project))


def with_bad_fixture(project: Project, fixture: Path) -> Project:
    """The project with a shape fixture's bad data (and the base it builds on) as data files of its own."""
    target = project.data_dir / "fixture"
    target.mkdir()
    shutil.copy(SHAPE_FIXTURES / "base.ttl", target / "base.ttl")
    shutil.copy(fixture, target / "bad.ttl")
    return project


def test_the_whole_project_is_validated_without_an_rdflib_graph_of_it(
    tmp_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = rdflib_path(tmp_project)
    loads = LoadCounter(monkeypatch)
    report = validate_project(tmp_project)
    assert loads.calls == 0
    assert report.results, "the frozen project has an info result, which the store path must describe"
    assert rendered(report) == rendered(expected)


def test_kg_validate_takes_the_store_path_for_the_whole_project(
    tmp_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = rdflib_path(tmp_project).to_json()
    loads = LoadCounter(monkeypatch)
    result = run_kg("validate", "--format", "json", project=tmp_project)
    assert (result.exit_code, loads.calls) == (0, 0)
    assert result.stdout == expected


@pytest.mark.parametrize("fixture", BAD_FIXTURES, ids=lambda p: p.parent.name)
def test_bad_data_gives_the_same_report_on_both_paths(tmp_project: Project, fixture: Path) -> None:
    project = with_bad_fixture(tmp_project, fixture)
    expected = rdflib_path(project)
    report = validate_project(project)
    assert len(expected.results) > 1  # the bad fixture's results beside the project's one
    assert rendered(report) == rendered(expected)


def test_most_bad_fixtures_are_reported_from_the_store_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from support.fixtures import PROJECT_FOLDERS
    from support.paths import CURATED

    from_store = []
    for number, fixture in enumerate(BAD_FIXTURES):
        root = tmp_path / str(number)
        for folder in PROJECT_FOLDERS:
            shutil.copytree(CURATED / folder, root / folder)
        project = with_bad_fixture(Project(root), fixture)
        loads = LoadCounter(monkeypatch)
        validate_project(project)
        if loads.calls == 0:
            from_store.append(fixture.parent.name)
        monkeypatch.undo()
    assert len(from_store) >= len(BAD_FIXTURES) * 3 // 4, from_store


def test_a_result_on_a_blank_node_falls_back_to_the_rdflib_graph(
    tmp_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_project.data_dir / "blank.ttl").write_text(
        "@prefix kg: <https://w3id.org/kg/ontology#> .\n[] a kg:Company .\n", encoding="utf-8"
    )
    expected = rdflib_path(tmp_project)
    loads = LoadCounter(monkeypatch)
    report = validate_project(tmp_project)
    assert loads.calls == 1
    assert rendered(report) == rendered(expected)
    assert any(r.focus_node.__class__.__name__ == "BNode" for r in report.results)


def test_derived_edges_and_origins_match_the_rdflib_load(tmp_project: Project) -> None:
    loaded = load_project(tmp_project)
    traced = StoreLoaded(tmp_project, cached_store(tmp_project), b"")
    assert traced.origins is None  # nothing read until a result asks
    traced.trace()
    assert traced.derived == loaded.derived
    named = {node: path for node, path in loaded.subject_files.items() if node.__class__.__name__ == "URIRef"}
    assert {node: traced.origin_of(node) for node in named} == named


def test_the_store_view_answers_as_the_rdflib_graph(tmp_project: Project) -> None:
    graph = load_project(tmp_project).graph
    view = store_view.store_graph(cached_store(tmp_project))
    assert len(view) == len(graph)
    named = sorted(s for s in graph.subjects(unique=True) if s.__class__.__name__ == "URIRef")
    for subject in named:
        assert set(view.predicate_objects(subject)) == set(graph.predicate_objects(subject)), subject


def test_the_verdict_on_the_shapes_is_kept_for_the_next_command(
    tmp_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = validate_project(tmp_project)
    assert len(list((tmp_project.root / ".kg").glob("shapes-*.json"))) == 1
    parsed: list[Path] = []
    monkeypatch.setattr(
        shapes_module, "load_shapes", lambda path: parsed.append(path) or shapes_module.parse_file(path)
    )
    assert rendered(validate_project(tmp_project)) == rendered(first)
    assert parsed == []  # the kept verdict: neither parsed into rdflib nor planned again
    shapes = tmp_project.ontology_dir / "shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    validate_project(tmp_project)
    assert parsed == [shapes]  # changed bytes: planned again, and the old verdict replaced
    assert len(list((tmp_project.root / ".kg").glob("shapes-*.json"))) == 1


def test_shapes_that_break_shacls_rules_are_reported_as_before(tmp_project: Project) -> None:
    shapes = tmp_project.ontology_dir / "shapes.ttl"
    shapes.write_text(
        shapes.read_text(encoding="utf-8") + "\nkgsh:Broken a sh:NodeShape ; sh:targetClass kg:Company ; "
        'sh:minCount "one" .\n',
        encoding="utf-8",
    )
    result = run_kg("validate", project=tmp_project)
    assert result.exit_code == 3
    assert "invalid shapes: MinCountConstraintComponent can only be present" in result.stderr
    assert not list((tmp_project.root / ".kg").glob("shapes-*.json"))


# --- literals as rdflib reads them ------------------------------------------------------------------------------

XSD = "http://www.w3.org/2001/XMLSchema#"
TRICKY = [
    ("integer", "01"), ("integer", " 5"), ("integer", "abc"), ("double", "1.0E0"), ("double", "1"),
    ("double", "INF"), ("double", "1e400"), ("double", "-0"), ("float", "1.0E0"), ("boolean", "1"),
    ("boolean", "TRUE"), ("decimal", "+.5"), ("decimal", "1e3"), ("date", "2020-01-01Z"),
    ("date", "2020-01-01+01:00"), ("date", "2024-02-30"), ("dateTime", "2020-01-01T00:00:00Z"),
    ("dateTime", "2020-01-01T00:00:00+00:00"), ("dateTime", "2020-01-01T00:00:00.500Z"), ("time", "10:00:00Z"),
    ("gYear", "02020"), ("gYearMonth", "2020-13"), ("duration", "PT0S"), ("hexBinary", "0FAB"),
    ("token", " a  b "), ("string", "plain"),
]  # fmt: skip


def tricky_file(tmp_path: Path) -> Path:
    path = tmp_path / "tricky.nt"
    lines = [
        f'<https://example.org/s> <https://example.org/p{n}> "{lex}"^^<{XSD}{dt}> .'
        for n, (dt, lex) in enumerate(TRICKY)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def lines(text: str) -> set[str]:
    return set(text.splitlines())


def test_shacl_reads_the_stores_literals_as_rdflib_reads_the_files(tmp_path: Path) -> None:
    path = tricky_file(tmp_path)
    store = ox.Store()
    store.bulk_load(path=str(path))  # as the cache is filled: Oxigraph's canonical forms
    graph = parse_file(path)  # as kg.rdf.load reads the file
    assert lines(store_view.ntriples(store)) == lines(serialize_ntriples(graph))
    assert lines(store_view.ntriples(store)) == lines(store_view.ntriples(oxigraph_store(graph)))


def test_only_the_literals_rdflib_spells_otherwise_are_rewritten(tmp_path: Path) -> None:
    store = ox.Store()
    store.bulk_load(path=str(tricky_file(tmp_path)))
    rewritten = store_view.rewritten_literals(store)
    assert b'"1"^^<http://www.w3.org/2001/XMLSchema#double>' in rewritten
    assert all(b"#string>" not in stored for stored in rewritten)
    dumped = io_dump(store)
    assert len(dumped.splitlines()) == len(store_view.ntriples(store).splitlines())


def io_dump(store: ox.Store) -> str:
    import io

    written = io.BytesIO()
    store.dump(written, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return written.getvalue().decode("utf-8")


def test_the_view_is_read_only(tmp_project: Project) -> None:
    view = store_view.store_graph(cached_store(tmp_project))
    with pytest.raises(TypeError):
        view.add(next(iter(Graph().parse(data="<urn:a> <urn:b> <urn:c> .", format="nt"))))


# --- the evidence check ----------------------------------------------------------------------------------------


def test_the_evidence_check_reads_each_source_file_once(tmp_project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[Path] = []
    original: Callable[[Path], bytes] = evidence.read_input

    def counted(path: Path) -> bytes:
        reads.append(path.resolve())
        return original(path)

    monkeypatch.setattr(evidence, "read_input", counted)
    graph = store_view.store_graph(cached_store(tmp_project))
    evidence.check_evidence(graph, tmp_project.seeds_dir)
    assert reads, "the frozen project cites its seed documents"
    assert len(reads) == len(set(reads))
