"""A pytest plugin (loaded by tests/conftest.py): the fixtures every test module may ask for.

What is expensive is made once per session: the curated project loaded, validated, prepared for export and
loaded into an Oxigraph store; the shapes graph, its meta-validation and the validation of each shape fixture.
Session fixtures are shared by many tests, so tests must not modify what they return; a test that changes
the project asks for ``tmp_project``, a copy of its own.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from kg.export.bundle import BundleExports, prepare_exports
from kg.project import Project, open_project
from kg.rdf.load import LoadedGraph, load_project
from kg.validate.report import ValidationReport
from kg.validate.runner import validate
from support.paths import CURATED, REPO
from support.servers import RecordingServer
from support.shapes import FixtureValidation, shapes_graph

PROJECT_FOLDERS = ("ontology", "data", "seeds", "queries")


@pytest.fixture(scope="session")
def project() -> Project:
    """The frozen curated project: adding a source to the live data/ leaves the tests' answers as they are."""
    return open_project(CURATED)


@pytest.fixture(scope="session")
def curated_files(project: Project, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The curated project's files and, in a file of their own, the direct edges kg derives when it loads
    them: for tools other than kg (Jena, shacl-engine), which read files as they are."""
    from kg.rdf.write import serialize

    derived = Graph()
    derived += load_project(project).derived
    path = tmp_path_factory.mktemp("derived") / "derived-direct-edges.nt"
    path.write_bytes(serialize(derived, "ntriples"))
    return [*project.graph_files(), path]


@pytest.fixture(scope="session")
def repo_project() -> Project:
    """The repository's own project, for tests of its ontology, library and docs as they are now."""
    return open_project(REPO)


@pytest.fixture(scope="session")
def curated_loaded(project: Project) -> LoadedGraph:
    """The curated project loaded (graph, prefixes, which file each subject came from), once."""
    return load_project(project)


@pytest.fixture(scope="session")
def graph(curated_loaded: LoadedGraph) -> Graph:
    """The curated graph, loaded once; tests must not modify it."""
    return curated_loaded.graph


@pytest.fixture(scope="session")
def curated_report(curated_loaded: LoadedGraph, project: Project) -> ValidationReport:
    """kg validate's report on the curated project (shapes, checks, evidence), made once."""
    return validate(curated_loaded, project)


@pytest.fixture(scope="session")
def curated_exports(project: Project) -> BundleExports:
    """The curated graph prepared for export (named graphs, VoID), once; tests must not modify it."""
    return prepare_exports(load_project(project), project)


@pytest.fixture(scope="session")
def curated_store(tmp_path_factory: pytest.TempPathFactory, project: Project) -> Path:
    """An Oxigraph store that kg load filled with the curated graph; tests must not modify it."""
    from kg.backends.oxigraph import load_store

    path = tmp_path_factory.mktemp("store") / "curated"
    load_store(path, project.graph_files())
    return path


@pytest.fixture(scope="session")
def shapes() -> Graph:
    """ontology/shapes.ttl, parsed once; tests must not modify it."""
    return shapes_graph()


@pytest.fixture(scope="session")
def shapes_meta_validation(shapes: Graph) -> tuple[bool, str]:
    """pySHACL's verdict on the shapes graph against SHACL for SHACL (seconds of work, so done once)."""
    import pyshacl

    conforms, _, text = pyshacl.validate(shapes, shacl_graph=shapes, meta_shacl=True, inference="none")
    return bool(conforms), str(text)


@pytest.fixture(scope="session")
def fixture_validation(shapes: Graph) -> FixtureValidation:
    """Every shape and check fixture loaded and validated at most once per engine in the session."""
    return FixtureValidation(shapes)


@pytest.fixture
def tmp_project(tmp_path: Path) -> Project:
    """A writable copy of the frozen curated project's ontology, data, seeds and queries."""
    return copy_of_curated(tmp_path / "project")


def copy_of_curated(root: Path) -> Project:
    """The frozen curated project's sources copied to ``root`` (which must not exist yet), opened there."""
    for folder in PROJECT_FOLDERS:
        shutil.copytree(CURATED / folder, root / folder)
    return open_project(root)


@pytest.fixture
def recording_server() -> Iterator[RecordingServer]:
    """A loopback HTTP server whose ``requests`` list shows whether kg reached out to it."""
    server = RecordingServer()
    yield server
    server.close()
