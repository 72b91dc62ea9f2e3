"""A private OpenLink Virtuoso for tests and benchmarks: its own database folder, free loopback ports, updates allowed.

benchmarks/run.py --virtuoso starts one; the tests ask for the ``virtuoso`` or ``fresh_virtuoso`` fixture
(tests/support/virtuoso.py). .ci/run installs the server (Debian: virtuoso-opensource-7-bin). This module
imports nothing from its neighbours, so that it loads the same way as ``benchmarks.virtuoso`` (tests) and as
plain ``virtuoso`` (the scripts here, whose folder Python puts first on sys.path).

Settings that matter, measured on Virtuoso 7.2 (see /work/shared/notes/virtuoso.md): ``CaseMode = 2``
(otherwise an ASK can come back as a SELECT row); ``ResultSetMaxRows`` raised from 10,000, which
otherwise cuts SELECT, CONSTRUCT and graph GETs short with HTTP 200 and no warning; both ports bound to
127.0.0.1. ``isql`` exits 0 even when a statement fails, so its output is checked for errors.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SERVER = "virtuoso-t"
ISQL = "isql-vt"
START_TIMEOUT = 60.0

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
CaseMode = 2
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {dir}
MaxQueryExecutionTime = 0
CheckpointInterval = 60
DefaultIsolation = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
MaxClientConnections = 10
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""


def installed() -> bool:
    return shutil.which(SERVER) is not None and shutil.which(ISQL) is not None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class VirtuosoServer:
    """One Virtuoso process over a database in ``folder``; it can be stopped and started again."""

    folder: Path
    http_port: int
    sql_port: int
    process: subprocess.Popen[bytes] | None = None

    @classmethod
    def create(cls, folder: Path) -> VirtuosoServer:
        folder.mkdir(parents=True, exist_ok=True)
        server = cls(folder, free_port(), free_port())
        (folder / "virtuoso.ini").write_text(
            INI.format(dir=folder, sql_port=server.sql_port, http_port=server.http_port), encoding="utf-8"
        )
        return server

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql_url(self) -> str:
        return f"{self.base}/sparql"

    @property
    def graph_store_url(self) -> str:
        return f"{self.base}/sparql-graph-crud"

    @property
    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def start(self) -> None:
        online_before = self.log.count("Server online at")
        output = (self.folder / "stdout.log").open("ab")
        self.process = subprocess.Popen(
            [SERVER, "+foreground", "+configfile", str(self.folder / "virtuoso.ini")],
            cwd=self.folder,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C in the test run must not reach the server first
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {self.process.returncode}:\n{self.log[-2000:]}")
            if self.log.count("Server online at") > online_before and self.answers():
                if online_before == 0:  # the grant is kept in the database; granting twice is an error
                    self.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
                return
            time.sleep(0.2)
        self.stop(kill=True)
        raise RuntimeError(f"virtuoso-t did not come online within {START_TIMEOUT:g} s:\n{self.log[-2000:]}")

    def answers(self) -> bool:
        try:
            return self.ask("ASK {}") is True
        except (OSError, urllib.error.URLError, ValueError):
            return False

    def stop(self, kill: bool = False) -> None:
        """End the server: SIGKILL (as a crash) if ``kill``, else SIGTERM and wait for it to shut down."""
        if self.process is None or self.process.poll() is not None:
            self.process = None
            return
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def isql(self, statement: str) -> str:
        """Run one SQL statement as dba; isql exits 0 on errors, so its output is checked."""
        result = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"EXEC={statement}"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0 or "*** Error" in result.stdout + result.stderr:
            raise RuntimeError(f"isql {statement!r} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    # Small direct helpers for tests, independent of kg's own client.

    def select(self, query: str) -> list[dict[str, Any]]:
        bindings: list[dict[str, Any]] = self._results(query)["results"]["bindings"]
        return bindings

    def ask(self, query: str) -> bool:
        return self._results(query)["boolean"] is True

    def count(self, graph: str) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"]["value"])

    def _results(self, query: str) -> dict[str, Any]:
        url = f"{self.sparql_url}?{urllib.parse.urlencode({'query': query})}"
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            results: dict[str, Any] = json.loads(answer.read())
            return results


if __name__ == "__main__":  # start one by hand: python benchmarks/virtuoso.py FOLDER
    import sys

    manual = VirtuosoServer.create(Path(sys.argv[1]).resolve())
    manual.start()
    assert manual.process is not None
    print(f"Virtuoso: {manual.sparql_url} (Graph Store {manual.graph_store_url}); pid {manual.process.pid}")
    print(f"stop it with: kill {manual.process.pid}", file=sys.stderr)
    os._exit(0)
