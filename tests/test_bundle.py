"""The dist/ bundle: every file, a README that names each one, and the same bytes from every run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Graph
from rdflib.namespace import VOID

from kg.export.bundle import BUNDLE_FILES, OTHER_FILES, README_FILE, VOID_FILE, build_bundle
from kg.project import Project
from kg.rdf.load import load_project
from kg.rdf.void import DATASET
from support.cli import run_kg

# Builds the bundle in a fresh interpreter and writes it into a folder: a new hash seed each time, so
# any output that follows set or dict-of-hash order would differ between two runs.
BUILD_SCRIPT = """
import sys
from pathlib import Path
from kg.export.bundle import build_bundle
from kg.rdf.load import load_project
from kg.project import open_project
project = open_project(Path(sys.argv[1]))
for name, data in build_bundle(load_project(project), project).items():
    (Path(sys.argv[2]) / name).write_bytes(data)
"""


@pytest.fixture(scope="module")
def bundle(project: Project) -> dict[str, bytes]:
    return build_bundle(load_project(project), project)


def test_bundle_has_every_export_the_description_and_a_readme(bundle: dict[str, bytes]) -> None:
    assert sorted(bundle) == sorted([*(f.name for f in BUNDLE_FILES), VOID_FILE, README_FILE])
    assert all(bundle.values())


def test_readme_names_every_file_in_dist_including_those_others_write(bundle: dict[str, bytes]) -> None:
    readme = bundle[README_FILE].decode("utf-8")
    for name in [*(f.name for f in BUNDLE_FILES), *(name for name, _, _ in OTHER_FILES)]:
        assert f"| `{name}` |" in readme
    assert "validation-report.ttl" in readme and "graph.html" in readme
    assert "https://w3id.org/kg/graph/source/xiaomi-car-project-2024" in readme
    assert "oxigraph load" in readme and "tdb2.tdbloader" in readme


def test_void_file_is_the_description_alone(bundle: dict[str, bytes]) -> None:
    void = Graph().parse(data=bundle[VOID_FILE], format="turtle")
    assert (DATASET, RDF.type, VOID.Dataset) in void
    assert {s for s in void.subjects() if "/kg/id/" in str(s)} == set()


def build_in_fresh_process(project: Project, out: Path, hash_seed: str) -> dict[str, bytes]:
    out.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run(
        [sys.executable, "-c", BUILD_SCRIPT, str(project.root), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_two_builds_in_different_processes_give_identical_bytes(tmp_project: Project, tmp_path: Path) -> None:
    first = build_in_fresh_process(tmp_project, tmp_path / "first", "1")
    second = build_in_fresh_process(tmp_project, tmp_path / "second", "2")
    assert sorted(first) == sorted(build_bundle(load_project(tmp_project), tmp_project))
    assert [name for name in first if first[name] != second.get(name)] == []


def test_kg_build_writes_the_bundle_into_dist(tmp_project: Project) -> None:
    result = run_kg("build", project=tmp_project)
    assert result.exit_code == 0, result.output
    expected = build_bundle(load_project(tmp_project), tmp_project)
    written = {
        name: (tmp_project.dist_dir / name).read_bytes() for name in expected if (tmp_project.dist_dir / name).exists()
    }
    assert sorted(written) == sorted(expected)
    assert [name for name in expected if written[name] != expected[name]] == []
