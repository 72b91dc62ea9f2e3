"""The on-disk Oxigraph store: kg load fills it, later commands read it without parsing, answers match memory."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.backends.memory import MemoryBackend
from kg.backends.oxigraph import OxigraphBackend, is_store, load_store
from kg.backends.progress import Progress
from kg.errors import InputError, UsageError
from kg.export.exports import Exports
from kg.guard import limits
from kg.project import Project
from kg.query.engines import QUERY_PREFIXES, RdflibEngine
from kg.rdf.formats import RDF_FORMATS
from kg.rdf.write import serialize_dataset
from kg.view.fetch import focus_graph, query_view, resolve_focus
from kg.view.network import build_network
from kg.view.selection import focus_on
from support.answers import LIBRARY, assert_same_answer
from support.cli import KG_PROCESS, run_kg


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_store_holds_exactly_the_merged_graph(curated_store: Path, graph: Graph) -> None:
    backend = OxigraphBackend(curated_store)
    assert backend.triple_count() == len(graph)
    assert isomorphic(backend.graph(), graph)


@pytest.mark.parametrize("query", LIBRARY, ids=[q.name for q in LIBRARY])
def test_every_library_query_answers_as_in_memory(query, curated_store: Path, graph: Graph) -> None:
    bindings = query.bindings({})
    expected = RdflibEngine(graph).run(query.text, bindings, source=str(query.path))
    found = OxigraphBackend(curated_store).engine().run(query.text, bindings, source=str(query.path))
    assert_same_answer(found, expected, query.text)


def test_the_store_is_read_without_the_files(tmp_project: Project, tmp_path: Path) -> None:
    store = tmp_path / "store"
    report = load_store(store, tmp_project.graph_files())
    shutil.rmtree(tmp_project.data_dir)
    answer = OxigraphBackend(store).engine().run("SELECT (COUNT(*) AS ?n) WHERE { ?s kg:likelihood ?likelihood }")
    assert int(answer.rows[0][0]) > 30
    assert OxigraphBackend(store).triple_count() == report.triples


def test_two_readers_open_the_store_at_once(curated_store: Path) -> None:
    first, second = OxigraphBackend(curated_store), OxigraphBackend(curated_store)
    assert first.triple_count() == second.triple_count() > 1000


def test_a_failed_load_names_the_place_and_leaves_the_previous_store(tmp_project: Project, tmp_path: Path) -> None:
    store = tmp_path / "store"
    before = load_store(store, tmp_project.graph_files()).triples
    bad = write(tmp_project.data_dir / "broken.ttl", "@prefix kg: <https://w3id.org/kg/ontology#> .\nkg:a kg:b .\n")
    with pytest.raises(InputError) as caught:
        load_store(store, tmp_project.graph_files())
    assert str(caught.value).startswith(f"{bad}:2:")
    assert OxigraphBackend(store).triple_count() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "store"]  # no staging folder left behind


def test_load_refuses_to_replace_a_folder_that_is_not_a_store(tmp_project: Project, tmp_path: Path) -> None:
    precious = write(tmp_path / "notes" / "draft.txt", "not a database")
    with pytest.raises(UsageError, match="is not an Oxigraph store"):
        load_store(precious.parent, tmp_project.graph_files())
    assert precious.read_text(encoding="utf-8") == "not a database"
    empty = tmp_path / "empty"
    empty.mkdir()
    load_store(empty, tmp_project.graph_files())
    assert is_store(empty)


def test_named_graphs_are_kept_and_merged_into_the_default_graph(tmp_path: Path) -> None:
    quads = write(
        tmp_path / "in.nq",
        "<http://ex/a> <http://ex/p> <http://ex/b> <http://ex/g1> .\n"
        "<http://ex/a> <http://ex/p> <http://ex/b> <http://ex/g2> .\n"
        '<http://ex/c> <http://ex/p> "plain" .\n',
    )
    load_store(tmp_path / "store", [quads])
    backend = OxigraphBackend(tmp_path / "store")
    assert backend.triple_count() == 2  # the triple in two graphs is one triple of the merged graph
    assert {g.value for g in backend.store.named_graphs()} == {"http://ex/g1", "http://ex/g2"}
    assert b"<http://ex/g2>" in Exports(backend).render("nquads")


def test_blank_nodes_of_two_files_stay_apart(tmp_path: Path) -> None:
    one = write(tmp_path / "one.ttl", '_:b <http://ex/name> "one" .\n')
    two = write(tmp_path / "two.ttl", '_:b <http://ex/name> "two" .\n')
    load_store(tmp_path / "store", [one, two])
    answer = OxigraphBackend(tmp_path / "store").engine().run("SELECT DISTINCT ?s WHERE { ?s <http://ex/name> ?n }")
    assert len(answer.rows) == 2


def test_export_is_the_same_bytes_from_two_loads(tmp_project: Project, tmp_path: Path) -> None:
    extra = write(tmp_path / "blank.ttl", '<http://ex/a> <http://ex/p> [ <http://ex/q> "x" ] .\n')
    files = [*tmp_project.graph_files(), extra]
    load_store(tmp_path / "first", files)
    load_store(tmp_path / "second", files)
    for format_name in ("ntriples", "turtle", "nquads", "trig", "rdfxml"):
        first = Exports(OxigraphBackend(tmp_path / "first")).render(format_name)
        assert first == Exports(OxigraphBackend(tmp_path / "second")).render(format_name), format_name
    lines = Exports(OxigraphBackend(tmp_path / "first")).render("ntriples").decode("utf-8").splitlines()
    assert lines == sorted(lines)
    assert any("_:" in line for line in lines)  # the blank node, under its canonical label


def test_a_store_writes_what_the_files_pipeline_writes_for_the_same_triples(tmp_path: Path) -> None:
    """One canonical form: the store's triples are written by the writers an export from the files uses,
    blank-node labels included, so the same triples give the same bytes in every RDF format."""
    source = write(tmp_path / "blank.ttl", '<http://ex/a> <http://ex/p> [ <http://ex/q> "x\\n" ], "é"@fr .\n')
    load_store(tmp_path / "store", [source])
    from_store = Exports(OxigraphBackend(tmp_path / "store"))
    parsed = Dataset()
    for name, namespace in QUERY_PREFIXES.items():
        parsed.bind(name, namespace, override=True, replace=True)
    parsed.default_graph.parse(source, format="turtle")
    for format_name in RDF_FORMATS:
        assert from_store.render(format_name) == serialize_dataset(parsed, format_name), format_name


def test_turtle_export_reads_back_as_the_same_graph(curated_store: Path, graph: Graph) -> None:
    exported = Exports(OxigraphBackend(curated_store)).render("turtle")
    assert b"@prefix kg: <https://w3id.org/kg/ontology#> ." in exported
    assert isomorphic(Graph().parse(data=exported, format="turtle"), graph)


def test_network_export_is_built_from_the_store(curated_store: Path) -> None:
    nodes = Exports(OxigraphBackend(curated_store)).render("csv-nodes").decode("utf-8")
    assert "https://w3id.org/kg/id/lei-jun,Lei Jun,Person" in nodes


def test_a_load_over_the_size_limit_stops_before_reading(tmp_project: Project, tmp_path: Path) -> None:
    token = limits.set_limits(limits.Limits(timeout=None, max_input_bytes=100))
    try:
        with pytest.raises(limits.LimitExceeded, match="over the limit of 100"):
            load_store(tmp_path / "store", tmp_project.graph_files())
    finally:
        limits.reset_limits(token)
    assert not (tmp_path / "store").exists()


def test_a_load_past_the_time_limit_stops(tmp_project: Project, tmp_path: Path) -> None:
    token = limits.set_limits(limits.Limits(timeout=1e-9, max_input_bytes=None))
    try:
        with pytest.raises(limits.LimitExceeded, match="raise the limit with --timeout"):
            load_store(tmp_path / "store", tmp_project.graph_files())
    finally:
        limits.reset_limits(token)
    assert not (tmp_path / "store").exists()


def test_progress_is_shown_on_a_terminal_and_not_when_piped(tmp_project: Project, tmp_path: Path) -> None:
    shown, piped = io.StringIO(), io.StringIO()
    load_store(tmp_path / "a", tmp_project.graph_files(), Progress(shown, is_tty=True, show_after=0))
    load_store(tmp_path / "b", tmp_project.graph_files(), Progress(piped, is_tty=False))
    assert f"loading {len(tmp_project.graph_files())} files into" in shown.getvalue()
    assert "(100%)" in shown.getvalue()
    assert piped.getvalue() == ""


def test_kg_load_fills_a_store_from_the_project(tmp_project: Project, tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = run_kg("load", "--store", f"oxigraph:{store}", project=tmp_project)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("loaded ")
    files = len(tmp_project.graph_files())
    assert f"triples from {files} files into the Oxigraph store {store} in " in result.output
    assert "loading" not in result.output  # no progress when output is not a terminal


def test_kg_load_takes_files_with_or_without_the_project(tmp_project: Project, tmp_path: Path) -> None:
    extra = write(tmp_path / "extra.nt", "<http://ex/a> <http://ex/p> <http://ex/b> .\n")
    head = ["--project", str(tmp_project.root), "load", "--store"]
    alone = run_kg(*head, f"oxigraph:{tmp_path / 'a'}", str(extra))
    assert alone.exit_code == 0, alone.output
    assert "loaded 1 triple from 1 file into" in alone.output
    both = run_kg(*head, f"oxigraph:{tmp_path / 'b'}", "--with-project", str(extra))
    assert both.exit_code == 0, both.output
    assert f"from {len(tmp_project.graph_files()) + 1} files" in both.output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["load", "--store", "jena:somewhere"], "--store 'jena:somewhere': write oxigraph:PATH"),
        (["load", "--store", "oxigraph:never-made", "--with-project"], "--with-project adds the project's graph"),
        (["load", "--store", "oxigraph:never-made", "data.csv"], "cannot tell the RDF format"),
    ],
)
def test_kg_load_usage_errors(tmp_project: Project, arguments: list[str], message: str, monkeypatch) -> None:
    monkeypatch.chdir(tmp_project.root)
    result = run_kg(*arguments)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_project.root / "never-made").exists()


def test_kg_load_as_a_real_process(tmp_project: Project, tmp_path: Path) -> None:
    store = tmp_path / "store"
    done = subprocess.run(
        [*KG_PROCESS, "--project", str(tmp_project.root), "load", "--store", f"oxigraph:{store}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert len(ox.Store.read_only(str(store))) > 1000


@pytest.mark.parametrize("entity", ["xiaomi", "lei-jun", "xiaomi-first-car", "beijing"])
@pytest.mark.parametrize("depth", [1, 2])
def test_a_focused_view_from_the_store_equals_the_one_from_the_whole_graph(
    entity: str, depth: int, curated_store: Path, graph: Graph
) -> None:
    centre = f"https://w3id.org/kg/id/{entity}"
    expected = focus_on(build_network(graph), centre, depth).network
    small = focus_graph(OxigraphBackend(curated_store), centre, depth)
    assert len(small) < len(graph)
    found = focus_on(build_network(small), centre, depth).network
    assert found.nodes == expected.nodes
    assert found.edges == expected.edges


def test_a_focus_that_is_not_an_iri_is_refused(curated_store: Path) -> None:
    with pytest.raises(UsageError, match="cannot be written into a query"):
        focus_graph(OxigraphBackend(curated_store), "https://w3id.org/kg/id/x> } DROP ALL {")


def test_focus_names_resolve_on_the_store(curated_store: Path) -> None:
    backend = OxigraphBackend(curated_store)
    assert resolve_focus(backend, "lei jun") == "https://w3id.org/kg/id/lei-jun"
    assert resolve_focus(backend, "kgr:xiaomi") == "https://w3id.org/kg/id/xiaomi"
    assert resolve_focus(backend, "<https://w3id.org/kg/id/beijing>") == "https://w3id.org/kg/id/beijing"
    for text in ("nobody at all", 'x") || true || ("'):
        with pytest.raises(UsageError, match="names no entity in the graph"):
            resolve_focus(backend, text)


def test_a_query_view_from_the_store_equals_the_one_from_the_whole_graph(
    curated_store: Path, graph: Graph, project: Project
) -> None:
    query = """PREFIX kg: <https://w3id.org/kg/ontology#>
    CONSTRUCT { ?org kg:chiefExecutiveOfficer ?ceo . ?model kg:manufacturer ?org . ?model kg:numberOfDoors ?doors }
    WHERE { ?org kg:chiefExecutiveOfficer ?ceo . OPTIONAL { ?model kg:manufacturer ?org ; kg:numberOfDoors ?doors } }"""
    in_memory = MemoryBackend.of_project(project)
    expected = build_network(query_view(in_memory, in_memory.construct(query)))
    backend = OxigraphBackend(curated_store)
    found = build_network(query_view(backend, backend.construct(query)))
    assert found.nodes == expected.nodes and found.edges == expected.edges
    assert len(found.edges) == 2 and len(found.nodes) == 3
