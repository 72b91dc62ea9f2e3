"""Fault injection: the forked query workers when their parent is killed or stopped, and when they grow.

A worker (kg.guard.limits.call_with_deadline) must die with its parent, end itself at its deadline even
if its parent cannot kill it, and be stopped at the memory ceiling with a clear error. Processes are
found and counted through /proc (Linux); the waits below are safety nets only, no assertion depends on
how long anything took.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kg.guard import limits
from support.paths import REPO

SAFETY_NET_SECONDS = 120.0
# Counting every triple against every other twice over: minutes of work for Oxigraph, in little memory.
# Four patterns open to every triple, the first two joined by a filter so that kg's guard lets it run.
ENDLESS_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l FILTER(?a != ?d) }"
# A property path whose closure pairs every node with every other: it grows by the second.
GROWING_QUERY = "SELECT * WHERE { ?s (!<urn:x>|^!<urn:x>)*/(!<urn:x>|^!<urn:x>)* ?o } ORDER BY ?o LIMIT 1"

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="counts processes through /proc")


def state_of(pid: int) -> str | None:
    """The process's state letter (R, S, Z…), or None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def children_of(pid: int) -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit() and parent_of(int(entry)) == pid]


def running(pid: int) -> bool:
    return state_of(pid) not in (None, "Z")  # a zombie has ended; it only waits to be reaped


def wait_for(condition: Callable[[], bool]) -> bool:
    """Poll ``condition`` until it holds or the safety net runs out; whether it held."""
    give_up = time.monotonic() + SAFETY_NET_SECONDS
    while time.monotonic() < give_up:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


class Spawner:
    """Starts ``kg ARGS`` as processes and finds their workers; kills whatever is left afterwards, by pid."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen[str]] = []
        self.workers: list[int] = []

    def start(self, *args: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "kg", *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.started.append(process)
        return process

    def worker_of(self, process: subprocess.Popen[str]) -> int:
        assert wait_for(lambda: bool(children_of(process.pid)) or process.poll() is not None)
        assert process.poll() is None, process.communicate()
        (worker,) = children_of(process.pid)
        self.workers.append(worker)
        return worker

    def clean_up(self) -> None:
        for pid in self.workers:  # first: a worker left running holds its parent's output pipes open
            if running(pid):
                os.kill(pid, signal.SIGKILL)
        for process in self.started:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGCONT)
                process.kill()
            process.communicate(timeout=SAFETY_NET_SECONDS)


@pytest.fixture
def spawn() -> Iterator[Spawner]:
    spawner = Spawner()
    yield spawner
    spawner.clean_up()


def test_a_worker_dies_with_its_killed_parent(spawn: Spawner) -> None:
    process = spawn.start("--timeout", "600", "query", "--engine", "oxigraph", "-e", ENDLESS_QUERY)
    worker = spawn.worker_of(process)
    process.send_signal(signal.SIGKILL)  # as a test runner's timeout or the OOM killer does: no clean-up runs
    process.wait()
    assert wait_for(lambda: not running(worker)), "the worker outlived its parent"
    assert not running(worker)


def test_a_worker_ends_itself_at_its_deadline_when_the_parent_cannot(
    spawn: Spawner,
) -> None:
    process = spawn.start("--timeout", "2", "query", "--engine", "oxigraph", "-e", ENDLESS_QUERY)
    worker = spawn.worker_of(process)
    process.send_signal(signal.SIGSTOP)  # a stopped parent kills nobody
    assert wait_for(lambda: not running(worker)), "the worker ran past its own deadline"
    process.send_signal(signal.SIGCONT)
    _, stderr = process.communicate(timeout=SAFETY_NET_SECONDS)
    assert process.returncode == 3, stderr
    assert "took longer than 2 s; raise the limit with --timeout" in stderr
    assert children_of(process.pid) == []


def test_a_worker_is_stopped_at_the_memory_ceiling(spawn: Spawner) -> None:
    process = spawn.start("--max-memory", "200M", "query", "--engine", "oxigraph", "-e", GROWING_QUERY)
    _, stderr = process.communicate(timeout=SAFETY_NET_SECONDS)
    assert process.returncode == 3, stderr
    assert "needed more memory than the limit of 209,715,200 bytes; raise the limit with --max-memory" in stderr
    assert "Traceback" not in stderr


def test_a_memory_error_in_a_worker_is_the_memory_limit_not_a_crash() -> None:
    def exhausted() -> None:
        raise MemoryError

    token = limits.set_limits(limits.Limits(timeout=30, max_memory_bytes=1 << 30))
    try:
        with pytest.raises(limits.LimitExceeded, match="raise the limit with --max-memory"):
            limits.call_with_deadline("the work", exhausted)
    finally:
        limits.reset_limits(token)


def test_a_memory_ceiling_alone_still_runs_the_work_in_a_worker() -> None:
    token = limits.set_limits(limits.Limits(timeout=None, max_memory_bytes=1 << 30))
    try:
        assert limits.call_with_deadline("the work", os.getpid) != os.getpid()
    finally:
        limits.reset_limits(token)
