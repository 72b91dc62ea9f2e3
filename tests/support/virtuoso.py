"""A pytest plugin (loaded by tests/conftest.py): a private Virtuoso for the session, or one for a test.

``virtuoso``: one server for the whole session, started when a test first asks for it; tests use graphs of
their own and leave others' alone. ``fresh_virtuoso``: a server of the test's own, for tests that stop or kill
it. The server itself (its settings and why) is benchmarks/virtuoso.py, which benchmarks/run.py uses too.
Both skip only when ``virtuoso-t`` is not installed; .ci/run installs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks.virtuoso import SERVER, VirtuosoServer, installed


def start_server(folder: Path) -> VirtuosoServer:
    if not installed():
        pytest.skip(f"{SERVER} is not installed (Debian: apt-get install virtuoso-opensource-7-bin)")
    server = VirtuosoServer.create(folder)
    server.start()
    return server


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """One Virtuoso for the whole session; tests must use graphs of their own and leave others' alone."""
    server = start_server(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


@pytest.fixture
def fresh_virtuoso(tmp_path: Path) -> Iterator[VirtuosoServer]:
    """A Virtuoso of its own, for a test that stops or kills it."""
    server = start_server(tmp_path / "virtuoso")
    yield server
    server.stop(kill=True)
