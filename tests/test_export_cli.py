"""``kg export``: the format from --format or the extension, standard output or an atomic file, clear errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.errors import UsageError
from kg.export.bundle import prepare_exports
from kg.export.exports import format_for_output
from kg.project import Project
from kg.rdf.load import load_project
from support.cli import KG_PROCESS, run_kg


def export(project: Project, *args: str):
    return run_kg("export", *args, project=project)


def expected_bytes(project: Project, format_name: str) -> bytes:
    return prepare_exports(load_project(project), project).render(format_name)


def test_without_options_turtle_goes_to_standard_output(project: Project) -> None:
    result = export(project)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == expected_bytes(project, "turtle")
    assert len(Graph().parse(data=result.stdout_bytes, format="turtle")) > 1000


@pytest.mark.parametrize(
    ("file_name", "format_name"),
    [("g.nq", "nquads"), ("g.trig", "trig"), ("g.jsonld", "jsonld"), ("g.rdf", "rdfxml"), ("g.gexf", "gexf")],
)
def test_the_extension_names_the_format(tmp_project: Project, tmp_path: Path, file_name: str, format_name: str) -> None:
    out = tmp_path / "sub" / file_name
    result = export(tmp_project, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert out.read_bytes() == expected_bytes(tmp_project, format_name)
    assert [p.name for p in out.parent.iterdir()] == [file_name]  # no temporary file left behind


def test_format_wins_over_the_extension(tmp_project: Project, tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    assert export(tmp_project, "--format", "ntriples", "--out", str(out)).exit_code == 0
    quads = list(pyoxigraph.parse(out.read_bytes(), format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert len(quads) > 1000


def test_csv_tables_need_the_table_named(tmp_project: Project, tmp_path: Path) -> None:
    result = export(tmp_project, "--out", str(tmp_path / "edges.csv"))
    assert result.exit_code == 2
    assert "kg: error:" in result.output and "--format csv-nodes or --format csv-edges" in result.output
    assert not (tmp_path / "edges.csv").exists()
    assert export(tmp_project, "--format", "csv-edges", "--out", str(tmp_path / "edges.csv")).exit_code == 0
    assert (tmp_path / "edges.csv").read_text(encoding="utf-8").startswith("id,source,target,label,")


def test_an_unknown_extension_is_a_usage_error(project: Project, tmp_path: Path) -> None:
    result = export(project, "--out", str(tmp_path / "graph.xyz"))
    assert result.exit_code == 2
    assert "cannot tell the format from the extension '.xyz'" in result.output
    assert ".nq" in result.output and ".gexf" in result.output


def test_an_unknown_format_is_refused_by_the_choices(project: Project) -> None:
    result = export(project, "--format", "yaml")
    assert result.exit_code == 2
    assert "'yaml' is not one of" in result.output


def test_a_broken_data_file_is_reported_with_its_place(tmp_project: Project, tmp_path: Path) -> None:
    (tmp_project.data_dir / "broken.ttl").write_text("@prefix kg: <https://w3id.org/kg/ontology#> .\nkg:a kg:b .\n")
    out = tmp_path / "graph.nq"
    result = export(tmp_project, "--out", str(out))
    assert result.exit_code == 3
    assert "broken.ttl:2:" in result.output
    assert not out.exists()


def test_format_for_output_defaults_and_checks() -> None:
    assert format_for_output(None, None) == "turtle"
    assert format_for_output(Path("x.JSON"), None) == "jsonld"
    assert format_for_output(Path("x.graphml"), None) == "graphml"
    assert format_for_output(Path("x.csv"), "csv-nodes") == "csv-nodes"
    with pytest.raises(UsageError, match="unknown format 'n3'"):
        format_for_output(None, "n3")


def test_export_as_a_real_process(tmp_project: Project) -> None:
    result = subprocess.run(
        [*KG_PROCESS, "--project", str(tmp_project.root), "export", "--format", "nquads"],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected_bytes(tmp_project, "nquads")
    back = Dataset()
    back.parse(data=result.stdout, format="nquads")
    union = Graph()
    for graph in back.graphs():
        union += graph
    assert isomorphic(union, Graph().parse(data=expected_bytes(tmp_project, "ntriples"), format="nt"))
