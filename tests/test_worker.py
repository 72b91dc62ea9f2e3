"""One forked worker serves every call of a command; a late call kills it and the next one starts afresh."""

from __future__ import annotations

import os
import time

import pyoxigraph
import pytest

from kg.errors import InputError
from kg.guard import limits
from kg.guard import worker as worker_module
from kg.guard.worker import Worker
from kg.project import Project
from kg.query.engines import OxigraphEngine
from support.cli import run_kg


def pid_of_worker(argument: int) -> tuple[int, int]:
    return os.getpid(), argument * 2


def sleep_then_answer(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def refuse(argument: str) -> None:
    raise InputError(f"refused {argument}")


def test_every_call_goes_to_the_same_child() -> None:
    worker: Worker[int, tuple[int, int]] = Worker(pid_of_worker)
    try:
        answers = [worker.call("doubling", n, seconds=30) for n in range(5)]
    finally:
        worker.close()
    assert [value for _, value in answers] == [0, 2, 4, 6, 8]
    pids = {pid for pid, _ in answers}
    assert len(pids) == 1 and os.getpid() not in pids


def test_a_late_call_kills_the_worker_and_the_next_call_forks_a_new_one() -> None:
    worker: Worker[float, int] = Worker(sleep_then_answer)
    try:
        first = worker.call("napping", 0, seconds=30)
        with pytest.raises(limits.LimitExceeded, match=r"napping took longer than 0\.2 s"):
            worker.call("napping", 30, seconds=0.2)
        assert worker.child is None
        second = worker.call("napping", 0, seconds=30)
    finally:
        worker.close()
    assert first != second


def test_an_error_in_the_worker_reaches_the_caller_and_the_worker_stays() -> None:
    worker: Worker[str, None] = Worker(refuse)
    try:
        with pytest.raises(InputError, match="refused this"):
            worker.call("refusing", "this", seconds=30)
        child = worker.child
        with pytest.raises(InputError, match="refused that"):
            worker.call("refusing", "that", seconds=30)
        assert worker.child is child is not None
    finally:
        worker.close()


def test_a_worker_that_dies_is_reported_in_one_line() -> None:
    worker: Worker[int, None] = Worker(lambda _: os._exit(7))
    with pytest.raises(InputError, match="ended with exit status 7, without an answer"):
        worker.call("dying", 0, seconds=30)
    assert worker.child is None


def test_without_a_time_limit_the_call_runs_here() -> None:
    worker: Worker[int, tuple[int, int]] = Worker(pid_of_worker)
    assert worker.call("doubling", 1, seconds=0) == (os.getpid(), 2)
    assert worker.child is None


def test_an_oxigraph_engine_forks_once_for_all_its_queries() -> None:
    store = pyoxigraph.Store()
    store.add(
        pyoxigraph.Quad(pyoxigraph.NamedNode("urn:x:s"), pyoxigraph.NamedNode("urn:x:p"), pyoxigraph.Literal("o"))
    )
    engine = OxigraphEngine(store)
    try:
        engine.run("ASK { ?s ?p ?o }")
        assert engine.worker.child is not None
        pid = engine.worker.child.pid
        for _ in range(3):
            assert len(engine.run("SELECT ?s WHERE { ?s ?p ?o }").rows) == 1
        assert engine.worker.child.pid == pid
    finally:
        engine.worker.close()


def test_a_worker_no_one_holds_stops_its_child() -> None:
    import gc

    engine = OxigraphEngine(pyoxigraph.Store())
    engine.run("ASK { ?s ?p ?o }")
    assert engine.worker.child is not None
    pid = engine.worker.child.pid
    del engine
    gc.collect()  # the engine and its worker refer to each other: a cycle, freed by the collector
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped already: no such child


def test_a_command_stops_the_workers_it_started_when_it_ends(project: Project) -> None:
    before = set(worker_module._LIVE_WORKERS)
    result = run_kg("query", "ceo", project=project)
    assert result.exit_code == 0, result.output
    started = [w for w in worker_module._LIVE_WORKERS if w not in before]
    assert started, "kg query ran its query in a worker"
    assert all(w.child is None for w in started)


def test_a_stopped_worker_starts_a_new_child_when_called_again() -> None:
    engine = OxigraphEngine(pyoxigraph.Store())
    try:
        engine.run("ASK { ?s ?p ?o }")
        assert engine.worker.child is not None
        worker_module.stop_workers()
        assert engine.worker.child is None
        assert engine.run("ASK { ?s ?p ?o }").boolean is False
        assert engine.worker.child is not None
    finally:
        engine.worker.close()
