"""``kg build`` writes dist/ only when every check passes, and the same input gives the same bytes."""

from __future__ import annotations

import subprocess
from pathlib import Path

from rdflib import Graph

from kg.project import Project
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
