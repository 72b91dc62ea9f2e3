"""The benchmark generator writes a complete kg project: the size asked for, the same bytes for a seed,
conforming to the shapes and passing the evidence check."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from benchmarks import generate

from kg.project import Project, open_project
from kg.rdf.load import load_project
from kg.validate.evidence import check_evidence
from support.cli import run_kg


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):
    return generate.generate_project(tmp_path_factory.mktemp("gen") / "project", 8000, seed=7)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_project_has_about_the_triples_asked_for(generated) -> None:
    project = open_project(generated.root)
    store = ox.Store()
    for path in project.graph_files():
        store.load(path=str(path))
    assert len(store) == generated.triples
    assert 8000 <= generated.triples < 8000 + 300


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(generated, tmp_path: Path) -> None:
    again = generate.generate_project(tmp_path / "again", 8000, seed=7)
    other = generate.generate_project(tmp_path / "other", 8000, seed=8)
    assert snapshot(again.root) == snapshot(generated.root)
    assert snapshot(other.root) != snapshot(generated.root)


def test_it_holds_every_kind_of_thing_the_benchmark_needs(generated) -> None:
    graph = load_project(Project(generated.root)).graph
    kinds = Counter(
        str(row[0]).rsplit("#", 1)[1]
        for row in graph.query("SELECT ?c WHERE { ?x a ?c FILTER(STRSTARTS(STR(?x), STR(kgr:gen-))) }")
    )
    for kind in ("Company", "Person", "VehicleModel", "Factory", "City", "Country", "Publisher"):
        assert kinds[kind] > 0, kind
    axis_values = {
        axis: {str(v).rsplit("#", 1)[1] for v in graph.objects(None, graph.namespace_manager.expand_curie(axis))}
        for axis in ("kg:attribution", "kg:timing", "kg:likelihood")
    }
    assert {"ownVoice", "attributed"} <= axis_values["kg:attribution"]
    assert {"factual", "prospective"} <= axis_values["kg:timing"]
    assert {"certain", "likely", "possible"} <= axis_values["kg:likelihood"]
    chains = "ASK { ?a kg:owns ?b . ?b kg:owns ?c . FILTER(STRSTARTS(STR(?a), STR(kgr:gen-company-))) }"
    assert graph.query(chains).askAnswer


def test_every_quote_stands_in_its_synthetic_source(generated) -> None:
    project = Project(generated.root)
    assert check_evidence(load_project(project).graph, project.seeds_dir) == []
    assert generated.sources == len(list((project.seeds_dir / "synthetic").glob("*.txt")))


def test_the_generated_project_validates(generated) -> None:
    result = run_kg("validate", project=generated.root)
    assert result.exit_code == 0, result.output[-2000:]
    assert "0 violations, 0 warnings" in result.output


def test_the_generator_refuses_to_write_into_an_existing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileExistsError):
        generate.generate_project(tmp_path, 1000)
    assert generate.main([str(tmp_path), "--triples", "1000"]) == 2
