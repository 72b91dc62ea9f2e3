from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from kg.export.bundle import BundleExports, prepare_exports
from kg.project import Project, open_project
from kg.rdf.load import load_project

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The benchmark scripts import one another by plain name (benchmarks/ is not a package); tests import them
# the same way, so that each is loaded once per session, not once per name it is loaded under.
sys.path.insert(0, str(REPO / "benchmarks"))


@pytest.fixture(scope="session")
def project() -> Project:
    return open_project(REPO)


@pytest.fixture(scope="session")
def graph(project: Project) -> Graph:
    """The curated graph, loaded once; tests must not modify it."""
    return load_project(project).graph


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


@pytest.fixture
def tmp_project(tmp_path: Path) -> Project:
    """A writable copy of the project's ontology, data, seeds and queries."""
    root = tmp_path / "project"
    for folder in ("ontology", "data", "seeds", "queries"):
        if (REPO / folder).exists():
            shutil.copytree(REPO / folder, root / folder)
    return open_project(root)


class RecordingServer:
    """A loopback HTTP server that answers every GET with a small JSON-LD context and records the request."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.requests: list[str] = []
        recorder = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                recorder.append(self.path)
                body = b'{"@context": {"name": "http://schema.org/name"}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/ld+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recording_server():
    """A loopback HTTP server whose ``requests`` list shows whether kg reached out to it."""
    server = RecordingServer()
    yield server
    server.close()
