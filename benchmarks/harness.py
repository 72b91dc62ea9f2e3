"""What every benchmark script here shares: where things are, the sizes, and one measured child process.

Each measurement runs in a process of its own so that its peak memory is its own; ``run`` times it and reads
that peak from os.wait4, ``checked`` stops the benchmark when a step fails (a figure from a failed step would
be a lie). Scripts import this by plain name (their folder is first on sys.path, see __init__.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}


@dataclass
class Run:
    """One process: its wall time, peak resident memory, exit status and what it printed."""

    seconds: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str


def run(command: list[str], cwd: Path | None = None) -> Run:
    """Run ``command`` and measure it; os.wait4 gives this child's own peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(seconds, usage.ru_maxrss / 1024, process.returncode, out.read().decode(), err.read().decode())


def checked(command: list[str], answers_ask: bool = False) -> Run:
    """``command``'s run; any failure stops the benchmark (an ASK answered no exits 1, by design)."""
    result = run(command)
    if result.returncode != 0 and not (answers_ask and result.returncode == 1 and result.stdout.strip() == "no"):
        raise SystemExit(f"benchmark step failed ({result.returncode}): {' '.join(command)}\n{result.stderr[-3000:]}")
    return result


def kg_command(project: Path) -> list[str]:
    return [sys.executable, "-m", "kg", "--project", str(project), "--timeout", "0"]


def library(project: Path):
    from kg.query.library import library_queries

    return library_queries(project / "queries")


def project_for(label: str, work: Path) -> Path:
    """The generated project of size ``label`` under ``work``, made if missing (the same seed, so every part of
    a run measures the same graph), with the repository's queries: a kept project may hold an older run's."""
    from generate import generate_project

    project = work / f"project-{label}"
    if not project.exists():
        generate_project(project, SIZES[label], seed=1)
    shutil.rmtree(project / "queries")
    shutil.copytree(REPO / "queries", project / "queries")
    return project


def triples(project: Path) -> int:
    from generate import count_triples

    from kg.project import Project

    return count_triples(Project(project).graph_files())


@contextmanager
def scratch(work: Path, name: str) -> Iterator[Path]:
    """A fresh folder for one part's outputs at one size, removed afterwards."""
    folder = work / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_atomically(path: Path, text: str) -> None:
    """A reader (or a merge) never sees half a result or half a README."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
