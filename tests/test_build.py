"""``kg build`` writes dist/ only when every check passes, and the same input gives the same bytes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from rdflib import Graph

import kg.build
import kg.query.engines
import kg.rdf.split
from kg.export.bundle import build_bundle
from kg.project import Project
from kg.rdf.load import LoadedGraph, load_project
from kg.validate import runner
from support.cli import KG_PROCESS, run_kg


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def doctor_quote(project: Project) -> None:
    path = project.data_dir / "sources" / "xiaomi-car-project-2024.ttl"
    text = path.read_text(encoding="utf-8")
    doctored = text.replace('"Xiaomi founder, chairman and CEO Lei Jun"@en', '"Xiaomi founder and owner Lei Jun"@en', 1)
    assert doctored != text
    path.write_text(doctored, encoding="utf-8")


def test_build_writes_merged_graph_and_summary(tmp_project: Project) -> None:
    result = run_kg("build", project=tmp_project)
    assert result.exit_code == 0, result.output
    assert "triples: " in result.output
    assert "  Person: 1" in result.output
    assert "  likelihood: certain " in result.output and ", unlikely 1" in result.output
    assert "  attribution: own voice " in result.output and ", curator inference 1" in result.output
    written = Graph().parse(tmp_project.dist_dir / "graph.ttl")
    assert len(written) > 1000


def test_build_twice_gives_identical_bytes(tmp_project: Project) -> None:
    assert run_kg("build", project=tmp_project).exit_code == 0
    first = snapshot(tmp_project.dist_dir)
    assert run_kg("build", project=tmp_project).exit_code == 0
    assert snapshot(tmp_project.dist_dir) == first


def test_doctored_quote_fails_build_and_leaves_dist_untouched(tmp_project: Project) -> None:
    assert run_kg("build", project=tmp_project).exit_code == 0
    before = snapshot(tmp_project.dist_dir)
    doctor_quote(tmp_project)
    result = run_kg("build", project=tmp_project)
    assert result.exit_code == 1
    assert "https://w3id.org/kg/statement/xiaomi-" in result.output
    assert "evidence quote not found" in result.output
    assert "kg: error: validation failed" in result.output
    assert snapshot(tmp_project.dist_dir) == before
    # No staging folder is left behind; beside dist/ only kg's cache, holding what kg validate keeps there too
    # (the shapes' verdict), never a store of the graph.
    assert sorted(p.name for p in tmp_project.root.iterdir()) == sorted(
        ["ontology", "data", "seeds", "queries", "dist", ".kg"]
    )
    kept = sorted(p.name for p in (tmp_project.root / ".kg").iterdir())
    assert kept[0] == ".gitignore" and len(kept) == 2 and kept[1].startswith("shapes-"), kept


def test_build_as_a_real_process_fails_on_a_doctored_quote(tmp_project: Project) -> None:
    doctor_quote(tmp_project)
    done = subprocess.run([*KG_PROCESS, "build"], cwd=tmp_project.data_dir, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("kg: error: validation failed")
    assert not tmp_project.dist_dir.exists()


def test_malformed_data_file_is_named_with_line_and_column(tmp_project: Project) -> None:
    bad = tmp_project.data_dir / "broken.ttl"
    bad.write_text('@prefix kg: <https://w3id.org/kg/ontology#> .\nkg:a kg:b "open\n', encoding="utf-8")
    result = run_kg("build", project=tmp_project)
    assert result.exit_code == 3
    assert result.output.strip() == f"kg: error: {bad}:2:11: invalid turtle: Unexpected end of file"


def test_outside_a_project_is_a_usage_error(tmp_path: Path) -> None:
    result = run_kg("build", project=tmp_path)
    assert result.exit_code == 2
    assert "is not a kg project" in result.output


# Data the store path must carry as the rdflib path does: a blank-node tree and a blank node nothing points
# at (canonical labels, the split), a language tag in capitals and a typed literal that is no canonical form
# (Oxigraph's store and rdflib each spell literals their own way), so that dist/ is the same bytes either way.
AWKWARD_ENTITY = """
kgr:xiaomi rdfs:comment "Quoted \\"odd\\" text, a tab\\tand é"@EN-GB ;
    rdfs:seeAlso [ rdfs:label "a note" ; rdfs:seeAlso [ rdfs:label "nested"@en ] ] .
[] rdfs:label "about nothing of ours" .
"""


def test_build_from_the_store_writes_what_the_files_in_memory_give(tmp_project: Project) -> None:
    entities = tmp_project.data_dir / "entities" / "organizations.ttl"
    entities.write_text(entities.read_text(encoding="utf-8") + AWKWARD_ENTITY, encoding="utf-8")
    source = tmp_project.data_dir / "sources" / "xiaomi-car-project-2024.ttl"
    text = source.read_text(encoding="utf-8")
    doors = text.replace("kg:numberOfDoors ; kg:value 4 ;", 'kg:numberOfDoors ; kg:value "04"^^xsd:integer ;')
    assert doors != text
    source.write_text(doors, encoding="utf-8")
    assert run_kg("build", project=tmp_project).exit_code == 0
    written = snapshot(tmp_project.dist_dir)
    expected = build_bundle(load_project(tmp_project), tmp_project)  # the rdflib path, as kg build had it
    assert [name for name, data in expected.items() if written[name] != data] == []
    assert b"_:" in written["graph.nq"] and b"about nothing of ours" in written["graph.nq"]


def test_build_parses_the_files_into_rdflib_once_and_copies_no_rdflib_graph_into_oxigraph(
    tmp_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[Path] = []
    real_load = kg.build.load_project

    def counted(project: Project) -> LoadedGraph:
        loads.append(project.root)
        return real_load(project)

    def refused(*_: object, **__: object) -> None:
        raise AssertionError("an rdflib graph copied into Oxigraph, or validated through rdflib")

    monkeypatch.setattr(kg.build, "load_project", counted)
    for module, name in ((kg.rdf.split, "store_of"), (kg.query.engines, "oxigraph_store"), (runner, "run_rules")):
        monkeypatch.setattr(module, name, refused)
    result = run_kg("build", project=tmp_project, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert loads == [tmp_project.root]
    assert (tmp_project.dist_dir / "graph.nq").stat().st_size > 0
