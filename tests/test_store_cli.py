"""kg query, export and render with --store: the same answers, files and pages as from the project's files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.query.engines import orders_rows
from support.answers import LIBRARY
from support.cli import KG_PROCESS, run_kg
from support.paths import CURATED

CEO_QUERY = "SELECT ?ceo WHERE { ?org kg:chiefExecutiveOfficer ?ceo } ORDER BY ?ceo"


def kg(*arguments: str, project: Path | None = CURATED) -> Result:
    return run_kg(*arguments, project=project)


def on(store: Path) -> list[str]:
    return ["--store", f"oxigraph:{store}"]


@pytest.mark.parametrize("query", LIBRARY, ids=[q.name for q in LIBRARY])
def test_every_library_query_prints_what_it_prints_from_the_files(query, curated_store: Path) -> None:
    from_files = kg("query", query.name)
    from_store = kg("query", query.name, *on(curated_store))
    assert from_store.exit_code == from_files.exit_code, from_store.output
    if from_files.output.startswith("@prefix") or "CONSTRUCT" in query.text:
        found = Graph().parse(data=from_store.output, format="turtle")
        assert len(found) > 0 and isomorphic(found, Graph().parse(data=from_files.output, format="turtle"))
    elif orders_rows(query.text):
        assert from_store.output == from_files.output
    else:
        assert sorted(from_store.output.splitlines()) == sorted(from_files.output.splitlines())


@pytest.mark.parametrize("format_name", ["json", "xml", "tsv", "table"])
def test_each_answer_format_is_the_same_bytes_from_the_store(format_name: str, curated_store: Path) -> None:
    from_files = kg("query", "claims", "--format", format_name)
    from_store = kg("query", "claims", *on(curated_store), "--format", format_name)
    assert from_files.exit_code == 0 and from_store.exit_code == 0
    assert from_store.output == from_files.output
    assert "may be" in from_store.output  # a hedge, as the seed article words it


def test_bindings_reach_the_store(curated_store: Path) -> None:
    answer = kg("query", "leaders", *on(curated_store), "--bind", "organization=kgr:bmw")
    assert answer.exit_code == 0 and answer.output.splitlines()[1:] == []
    answer = kg("query", "is-claimed", *on(curated_store))  # the Borgward name used again: unlikely
    assert (answer.exit_code, answer.output) == (1, "no\n")
    owns = ("-b", "subject=kgr:xiaomi", "-b", "predicate=kg:owns", "-b", "value=kgr:foton-motor")
    answer = kg("query", "is-claimed", *on(curated_store), *owns)
    assert (answer.exit_code, answer.output) == (0, "yes\n")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["query", "ceo", "--engine", "oxigraph"], "--engine picks the engine for the files in memory"),
        (["query", "ceo", "--endpoint", "http://127.0.0.1:9/sparql"], "give --store or --endpoint, not both"),
        (["export", "--graph", "http://example.org/g"], "--graph names graphs on a SPARQL server"),
        (["render", "--depth", "2"], "--depth needs --focus"),
    ],
)
def test_usage_errors_with_a_store_exit_2(arguments: list[str], message: str, curated_store: Path) -> None:
    answer = kg(*arguments, *on(curated_store))
    assert answer.exit_code == 2
    assert answer.output.startswith("kg: error: ") and message in answer.output


def test_a_store_that_is_not_there_says_how_to_make_one(tmp_path: Path) -> None:
    for command in (["query", "ceo"], ["export"], ["render", "--focus", "kgr:xiaomi", "-o", "-"]):
        answer = kg(*command, *on(tmp_path / "nothing"))
        assert answer.exit_code == 2, answer.output
        assert f"no Oxigraph store at {tmp_path / 'nothing'}: create one with kg load" in answer.output


def test_outside_a_project_query_files_work_and_library_names_are_explained(
    curated_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ceos.rq").write_text(CEO_QUERY, encoding="utf-8")
    answer = kg("query", "ceos.rq", *on(curated_store), project=None)
    assert answer.exit_code == 0, answer.output
    assert answer.output.splitlines() == ["ceo", "https://w3id.org/kg/id/lei-jun"]
    answer = kg("query", "ceo", *on(curated_store), project=None)
    assert answer.exit_code == 2
    assert "library queries live in a project: run kg inside one or pass --project" in answer.output
    answer = kg("export", *on(curated_store), "--format", "ntriples", "--out", "graph.nt", project=None)
    assert answer.exit_code == 0, answer.output
    assert (tmp_path / "graph.nt").stat().st_size > 100_000


def test_export_from_the_store_is_the_merged_graph_and_stable(
    curated_store: Path, graph: Graph, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    for out in (first, second):
        answer = kg("export", *on(curated_store), "--out", str(out))
        assert answer.exit_code == 0, answer.output
    assert first.read_bytes() == second.read_bytes()
    assert isomorphic(Graph().parse(first, format="turtle"), graph)


def test_export_from_the_store_never_writes_into_the_project_sources(curated_store: Path) -> None:
    answer = kg("export", *on(curated_store), "--out", str(CURATED / "data" / "graph.ttl"))
    assert answer.exit_code == 2 and "kg never writes into data/" in answer.output
    assert not (CURATED / "data" / "graph.ttl").exists()


@pytest.mark.parametrize("focus", ["Lei Jun", "kgr:xiaomi", "<https://w3id.org/kg/id/beijing>"])
def test_a_focused_page_from_the_store_is_the_page_from_the_files(focus: str, curated_store: Path) -> None:
    from_files = kg("render", "--focus", focus, "--depth", "2", "--out", "-")
    from_store = kg("render", "--focus", focus, "--depth", "2", "--out", "-", *on(curated_store))
    assert from_files.exit_code == 0 and from_store.exit_code == 0, from_store.output
    assert from_store.output == from_files.output
    assert "neighbourhood" in from_store.output


def test_a_query_page_from_the_store_is_the_page_from_the_files(curated_store: Path, tmp_path: Path) -> None:
    query = tmp_path / "makers.rq"
    query.write_text(
        "CONSTRUCT { ?model kg:manufacturer ?maker } WHERE { ?model kg:manufacturer ?maker }", encoding="utf-8"
    )
    from_files = kg("render", "--query", str(query), "--out", "-")
    from_store = kg("render", "--query", str(query), "--out", "-", *on(curated_store))
    assert from_files.exit_code == 0 and from_store.exit_code == 0, from_store.output
    assert from_store.output == from_files.output
    assert "kg graph: makers.rq" in from_store.output
    select = tmp_path / "select.rq"
    select.write_text(CEO_QUERY, encoding="utf-8")
    refused = kg("render", "--query", str(select), "--out", "-", *on(curated_store))
    assert refused.exit_code == 2 and "--query takes a CONSTRUCT query, not SELECT" in refused.output


def test_a_focus_the_store_does_not_know_is_a_usage_error(curated_store: Path) -> None:
    answer = kg("render", "--focus", "Nobody In Particular", "--out", "-", *on(curated_store))
    assert answer.exit_code == 2
    assert "names no entity in the graph" in answer.output


def test_the_whole_store_renders_like_the_whole_graph(curated_store: Path, tmp_path: Path) -> None:
    from_files, from_store = tmp_path / "files.html", tmp_path / "store.html"
    assert kg("render", "--out", str(from_files)).exit_code == 0
    answer = kg("render", "--out", str(from_store), *on(curated_store))
    assert answer.exit_code == 0, answer.output
    assert from_store.read_bytes() == from_files.read_bytes()


def test_load_then_query_as_real_processes(tmp_path: Path) -> None:
    store = tmp_path / "store"
    command = [*KG_PROCESS, "--project", str(CURATED)]
    loaded = subprocess.run([*command, "load", *on(store)], capture_output=True, text=True, check=False)
    assert loaded.returncode == 0, loaded.stderr
    answer = subprocess.run([*command, "query", "ceo", *on(store)], capture_output=True, text=True, check=False)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.splitlines()[0].startswith("organization,organizationLabel,ceo,ceoLabel,attribution,")
    assert "Lei Jun" in answer.stdout and answer.stderr == ""


def test_a_query_on_the_store_never_imports_rdflibs_sparql_engine(curated_store: Path, tmp_path: Path) -> None:
    """rdflib's SPARQL parser is a fifth of kg's start-up; the store answers queries without it."""
    out = tmp_path / "ceo.csv"
    arguments = ["kg", "--project", str(CURATED), "query", "ceo", *on(curated_store), "-o", str(out)]
    probe = (
        f"import sys\nfrom kg.cli import main\nsys.argv = {arguments!r}\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "print(sorted(m for m in sys.modules if m.startswith('rdflib.plugins.sparql')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    assert "Lei Jun" in out.read_text(encoding="utf-8")
