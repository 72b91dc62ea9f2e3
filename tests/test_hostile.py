"""The hostile-input corpus (tests/fixtures/hostile/manifest.toml) through kg validate, query, render and export.

Every run, in a fresh copy of the project: the exit code the manifest gives, one line on standard error
that starts ``kg: error:`` and holds the expected words (nothing at all for exit 0), no traceback, a
few CPU seconds at most (CPU, not wall time, so that a busy machine cannot fail it), and not one request
at the loopback server that ``{SERVER}`` in a file stands for.
Most runs are in this process (support.cli.run_kg); a few are real processes.
"""

from __future__ import annotations

import subprocess
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.project import Project
from support.cli import KG_PROCESS, run_kg
from support.cpu import cpu_used
from support.servers import RecordingServer

CORPUS = Path(__file__).resolve().parent / "fixtures" / "hostile"
CASES = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))["case"]
CPU_SECONDS_ALLOWED = 5.0  # beyond the --timeout a case sets; CPU of this process and of the children it reaped
CHECK_HEADER = b"# severity: violation\n# message: a hostile check\n"
PROJECT_ROUTES = ("validate", "query", "render", "export")


@dataclass(frozen=True)
class Run:
    """One case through one route, and what must come of it."""

    file: str
    route: str
    exit: int
    message: str
    timeout: float | None = None
    max_input_size: int | None = None

    def __str__(self) -> str:
        return f"{self.route}:{self.file}"


def corpus_runs() -> list[Run]:
    runs = []
    for case in CASES:
        for route in case["routes"]:
            expected = {"exit": case["exit"], "message": case["message"], **case.get("overrides", {}).get(route, {})}
            limits = {key: case[key] for key in ("timeout", "max_input_size") if key in case}
            runs.append(Run(case["file"], route, expected["exit"], expected["message"], **limits))
    return runs


RUNS = corpus_runs()


def place(run: Run, project: Project, server_url: str, out: Path) -> list[str]:
    """Put the case's file where its route reads it, {SERVER} made the loopback server; the kg arguments."""
    source = CORPUS / run.file
    data = source.read_bytes().replace(b"{SERVER}", server_url.encode("ascii"))
    if run.route in PROJECT_ROUTES:
        assert source.suffix == ".ttl", f"{run}: only Turtle files are part of a project's data/"
        target = project.data_dir / source.name
    elif run.route == "check":
        target = project.queries_dir / "checks" / f"{source.stem}-violation.rq"
        data = CHECK_HEADER + data
    else:
        target = out.parent / source.name
    target.write_bytes(data)
    return route_arguments(run.route, target, out)


def route_arguments(route: str, target: Path, out: Path) -> list[str]:
    return {
        "validate-file": ["validate", str(target)],
        "validate": ["validate"],
        "query": ["query", "-e", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"],
        "render": ["render", "-o", str(out.with_suffix(".html"))],
        "export": ["export", "--out", str(out.with_suffix(".ttl"))],
        "shapes": ["validate", "--shapes", str(target)],
        "query-file": ["query", str(target)],
        "query-oxigraph": ["query", "--engine", "oxigraph", str(target)],
        "query-rdflib": ["query", "--engine", "rdflib", str(target)],
        "render-query": ["render", "--query", str(target), "-o", str(out.with_suffix(".html"))],
        "check": ["validate"],
    }[route]


def global_options(run: Run, project: Project) -> list[str]:
    options = ["--project", str(project.root)]
    if run.timeout is not None:
        options += ["--timeout", str(run.timeout)]
    if run.max_input_size is not None:
        options += ["--max-input-size", str(run.max_input_size)]
    return options


def assert_outcome(run: Run, exit_code: int, stdout: str, stderr: str, cpu_seconds: float) -> None:
    assert "Traceback" not in stdout + stderr, stderr
    assert exit_code == run.exit, f"{run}: exit {exit_code}, stderr: {stderr}"
    lines = stderr.splitlines()
    if run.exit == 0:
        assert lines == [], stderr
    else:
        errors = [line for line in lines if line.startswith("kg: error: ")]
        assert errors == lines[-1:], f"{run}: the error must be one line, and the last: {stderr}"
        # A line before it may only be a notice of kg's own (such as which engine validates), never a
        # library's log output or a dump of the input.
        assert all(line.startswith("kg: ") for line in lines), stderr
        assert run.message in errors[0], f"{run}: {errors[0]}"
    assert cpu_seconds < (run.timeout or 0) + CPU_SECONDS_ALLOWED, f"{run} took {cpu_seconds:.1f} CPU seconds"


@pytest.fixture(scope="module")
def server() -> Iterator[RecordingServer]:
    """One loopback server for the module (stopping one takes half a second); each test checks it saw nothing."""
    started = RecordingServer()
    yield started
    started.close()


@pytest.fixture
def recording_server(server: RecordingServer) -> RecordingServer:
    server.requests.clear()
    return server


@pytest.mark.parametrize("run", RUNS, ids=str)
def test_corpus(run: Run, tmp_project: Project, tmp_path: Path, recording_server: RecordingServer) -> None:
    args = [*global_options(run, tmp_project), *place(run, tmp_project, recording_server.url, tmp_path / "out")]
    with cpu_used() as used:
        result = run_kg(*args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert_outcome(run, result.exit_code, result.stdout, result.stderr, used.cpu_seconds)
    assert recording_server.requests == []


REAL_PROCESS_RUNS = [
    ("query-oxigraph", "sparql/service-glued.rq"),
    ("query-rdflib", "sparql/regex-backtracking.rq"),
    ("validate-file", "rdfxml/billion-laughs.rdf"),
    ("export", "turtle/alike-blank-nodes.ttl"),
    ("shapes", "shapes/sparql-service-escaped.ttl"),
]


@pytest.mark.parametrize(("route", "file"), REAL_PROCESS_RUNS)
def test_corpus_in_a_real_process(
    route: str, file: str, tmp_project: Project, tmp_path: Path, recording_server
) -> None:
    (run,) = [r for r in RUNS if (r.route, r.file) == (route, file)]
    args = [*global_options(run, tmp_project), *place(run, tmp_project, recording_server.url, tmp_path / "out")]
    with cpu_used() as used:
        done = subprocess.run([*KG_PROCESS, *args], capture_output=True, text=True, timeout=60)
    assert_outcome(run, done.returncode, done.stdout, done.stderr, used.children)
    assert recording_server.requests == []


def test_the_corpus_is_large_and_every_file_is_in_the_manifest() -> None:
    files = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".toml"}
    assert files == {case["file"] for case in CASES}
    assert len(CASES) >= 40
    kinds = {Path(case["file"]).parts[0] for case in CASES}
    assert kinds == {"turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml", "sparql", "shapes"}
    assert {route for case in CASES for route in case["routes"]} >= {"validate", "query", "render", "export"}


def test_the_server_would_have_answered(recording_server: RecordingServer) -> None:
    """The zero-request checks mean something only if a request would have been recorded."""
    import urllib.request

    with urllib.request.urlopen(f"{recording_server.url}/context.jsonld", timeout=5) as response:
        assert b"@context" in response.read()
    assert recording_server.requests == ["/context.jsonld"]
