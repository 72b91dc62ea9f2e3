from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from kg.load import load_project
from kg.project import Project, open_project

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def project() -> Project:
    return open_project(REPO)


@pytest.fixture(scope="session")
def graph(project: Project) -> Graph:
    """The curated graph, loaded once; tests must not modify it."""
    return load_project(project).graph


@pytest.fixture
def tmp_project(tmp_path: Path) -> Project:
    """A writable copy of the project's ontology, data, seeds and queries."""
    root = tmp_path / "project"
    for folder in ("ontology", "data", "seeds", "queries"):
        if (REPO / folder).exists():
            shutil.copytree(REPO / folder, root / folder)
    return open_project(root)
