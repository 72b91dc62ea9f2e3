"""One forked worker for every call a command makes, killed at each call's deadline (and then restarted).

``call_with_deadline`` forks a child per call: 20 ms each, 13 times in one ``kg validate``. A ``Worker``
forks once, when first called, and then serves every call of the same function from that child: the
argument goes to it pickled, the answer (or the exception raised) comes back pickled, each message
framed by its length. A call that outlives its deadline kills the child; the next call forks a new one,
a copy of the process as it is then. The child ends when this process closes its end of the pipes
(``close``, or this process ending), so no worker outlives the command.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, NoReturn, TypeVar

from kg.errors import InputError
from kg.guard.limits import (
    LimitExceeded,
    _Binding,
    _MemoryWatch,
    _pickled_result,
    _prctl,
    _prepare_child,
    _read_some,
    _stop,
    _WorkerLate,
    _WorkerTooLarge,
    _write_all,
    current,
    memory_exceeded,
    resident_bytes,
)

A = TypeVar("A")
T = TypeVar("T")
HEADER = struct.Struct("!Q")
# The parent's ends of every worker's pipes: a worker forked later closes them, so that each child sees
# the end of its requests when this process closes them, not when the last of its siblings ends.
_PARENT_ENDS: set[int] = set()


class _Late(Exception):
    """The worker has not answered in time."""


class _Gone(Exception):
    """The worker closed its pipe without an answer: it died."""


@dataclass
class _Child:
    pid: int
    requests: int  # the parent writes arguments here
    answers: int  # and reads answers here
    watch: _MemoryWatch | None  # its memory, looked at while the parent waits for an answer


class _Slot:
    """Where a worker keeps its child."""

    child: _Child | None = None

    def stop(self) -> int:
        """Stop the child (if there is one) and return its wait status."""
        child, self.child = self.child, None
        if child is None:
            return 0
        for fd in (child.requests, child.answers):
            _PARENT_ENDS.discard(fd)
            os.close(fd)
        return _stop(child.pid)


class Worker(Generic[A, T]):
    """Runs ``serve(argument)`` in one long-lived forked child; without a time limit, in this process."""

    def __init__(self, serve: Callable[[A], T]) -> None:
        self.serve = serve
        self.slot = _Slot()
        # A worker no one holds any more stops its child, so a long-lived process (a test session, a
        # program using kg's API) does not keep one idle child per engine it ever made. The finalizer
        # holds only the slot: holding ``serve`` would keep the worker alive through its engine.
        weakref.finalize(self, _Slot.stop, self.slot)
        _LIVE_WORKERS.add(self)

    @property
    def child(self) -> _Child | None:
        return self.slot.child

    def call(self, what: str, argument: A, seconds: float | None = None) -> T:
        seconds = current().timeout if seconds is None else seconds
        memory = current().max_memory_bytes
        if not seconds and not memory:
            return self.serve(argument)
        child = self.child or self.start(memory)
        try:
            _write_all(child.requests, frame(pickle.dumps((seconds, argument))))
            data = read_message(child.answers, time.monotonic() + seconds if seconds else None, child.watch)
        except _Late:
            self.close()
            raise LimitExceeded(f"{what} took longer than {seconds:g} s; raise the limit with --timeout") from None
        except _WorkerTooLarge:
            self.close()
            raise memory_exceeded(what, memory) from None
        except (_Gone, OSError):
            status = self.close()
            if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM and seconds:  # its own deadline
                raise LimitExceeded(f"{what} took longer than {seconds:g} s; raise the limit with --timeout") from None
            reason = f"the process running it ended with {ending(status)}, without an answer"
            raise InputError(f"{what} failed: {reason}") from None
        except BaseException:  # the caller's own deadline or a Ctrl-C: the child is mid-call, so it goes
            self.close()
            raise
        succeeded, value = pickle.loads(data)
        if succeeded:
            return value  # type: ignore[no-any-return]
        raise value

    def start(self, memory: int | None) -> _Child:
        # The child dies with this process (kg.guard.limits's binding) and ends itself at each call's
        # deadline; its memory is counted from what it inherits, as call_with_deadline's is.
        binding = _Binding(os.getpid(), _prctl(), None, memory)
        inherited = resident_bytes(os.getpid())
        request_reader, request_writer = os.pipe()
        answer_reader, answer_writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; coverage cannot follow it
            for fd in (request_writer, answer_reader, *_PARENT_ENDS):
                os.close(fd)
            serve_forever(self.serve, request_reader, answer_writer, binding)
        os.close(request_reader)
        os.close(answer_writer)
        _PARENT_ENDS.update((request_writer, answer_reader))
        watch = _MemoryWatch(pid, inherited + memory) if memory else None
        self.slot.child = _Child(pid, request_writer, answer_reader, watch)
        return self.slot.child

    def close(self) -> int:
        """Stop the child (if there is one) and return its wait status."""
        return self.slot.stop()


# Every worker not yet collected, so that a command can stop their children when it ends (stop_workers).
_LIVE_WORKERS: weakref.WeakSet[Worker[Any, Any]] = weakref.WeakSet()


def stop_workers() -> None:
    """Stop the child of every live worker: a command calls it when it ends, so that no child it forked
    outlives it inside a longer-lived process (a test session, a program using kg's API) and keeps the
    pipes it inherited open. A worker called again starts a new child."""
    for worker in list(_LIVE_WORKERS):
        worker.close()


def serve_forever(
    serve: Callable[[A], object], requests: int, answers: int, binding: _Binding
) -> NoReturn:  # pragma: no cover - runs in the child
    status = 0
    try:
        _prepare_child(binding)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)  # its own deadline ends it, even inside native code
        while True:
            try:
                request = read_message(requests, None, None)
            except _Gone:
                break  # the parent is done with this worker
            seconds, argument = pickle.loads(request)
            if seconds:  # a little after the parent's, which normally stops it first
                signal.setitimer(signal.ITIMER_REAL, seconds + 1)
            answer = _pickled_result(lambda: serve(argument))  # noqa: B023 - called at once
            signal.setitimer(signal.ITIMER_REAL, 0)
            _write_all(answers, frame(answer))
    except BaseException:
        status = 1
    finally:
        os._exit(status)  # never return into the parent's code: no atexit handlers, no flushed buffers


def frame(message: bytes) -> bytes:
    return HEADER.pack(len(message)) + message


def read_message(reader: int, deadline: float | None, watch: _MemoryWatch | None) -> bytes:
    (length,) = HEADER.unpack(read_exactly(reader, HEADER.size, deadline, watch))
    return read_exactly(reader, length, deadline, watch)


def read_exactly(reader: int, count: int, deadline: float | None, watch: _MemoryWatch | None) -> bytes:
    chunks: list[bytes] = []
    while count:
        try:
            chunk = _read_some(reader, min(count, 1 << 20), deadline, watch)
        except _WorkerLate:
            raise _Late from None
        if not chunk:
            raise _Gone
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def ending(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
