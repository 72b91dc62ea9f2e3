"""Bounds on the work one input can cause: bytes read, seconds spent parsing or querying, memory used.

The libraries underneath have none (a query runs forever; a property path takes gigabytes), so the CLI sets
the limits once, per command, and the code that parses or evaluates asks for them here."""

from __future__ import annotations

import ctypes
import faulthandler
import functools
import os
import pickle
import select
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import NoReturn, TypeVar, cast

from kg.errors import InputError

DEFAULT_TIMEOUT_SECONDS = 60.0
DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_MEMORY_BYTES = 4 * 1024**3
# The largest values the options take: beyond them the timers and reads underneath overflow (setitimer,
# a lock's timeout, a read's size), and no run of kg needs more.
MAX_TIMEOUT_SECONDS = 1_000_000.0
MAX_SIZE_BYTES = 1 << 40
MEMORY_POLL_SECONDS = 0.05  # how often the parent looks at a worker's memory
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    timeout: float | None = DEFAULT_TIMEOUT_SECONDS
    max_input_bytes: int | None = DEFAULT_MAX_INPUT_BYTES
    # What a worker may add to the process it was forked from. None here, so that code using kg as a library
    # keeps running work in its own process without a time limit; the command line's default is 4 GiB.
    max_memory_bytes: int | None = None


_CURRENT: ContextVar[Limits] = ContextVar("kg_limits", default=Limits())  # noqa: B039 - Limits is frozen


class LimitExceeded(InputError):
    """An input or query needed more time or bytes than allowed."""


class _Deadline(BaseException):
    """Raised by the alarm; a BaseException so that no library's ``except Exception`` can swallow it."""


class _WorkerLate(Exception):
    """The child of call_with_deadline has not answered in time."""


class _WorkerTooLarge(Exception):
    """The child of call_with_deadline grew past the memory ceiling."""


def current() -> Limits:
    return _CURRENT.get()


def set_limits(limits: Limits) -> Token[Limits]:
    """Make ``limits`` current; pass the returned token to ``reset_limits`` to undo it."""
    return _CURRENT.set(limits)


def reset_limits(token: Token[Limits]) -> None:
    _CURRENT.reset(token)


@contextmanager
def time_limit(what: str, seconds: float | None = None) -> Iterator[None]:
    """Stop ``what`` after ``seconds`` (default: the current timeout) with a LimitExceeded.

    Uses SIGALRM, so it bounds work only in the main thread; elsewhere it does nothing. Inside another
    time_limit it adds nothing: the outer deadline still holds. The alarm interrupts Python code only;
    native code that runs long without returning (an Oxigraph query) needs ``call_with_deadline``.
    """
    seconds = current().timeout if seconds is None else seconds
    if not seconds or _ALARM.armed or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        if _ALARM.armed:  # an alarm delivered just after the work ended must not interrupt the caller
            raise _Deadline

    previous = signal.signal(signal.SIGALRM, expire)
    _ALARM.armed = True
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        try:
            yield
        finally:
            _ALARM.armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Deadline:
        raise LimitExceeded(f"{what} took longer than {seconds:g} s; raise the limit with --timeout") from None
    finally:
        signal.signal(signal.SIGALRM, previous)


class _Alarm(threading.local):
    armed = False


_ALARM = _Alarm()


def call_with_deadline(what: str, work: Callable[[], T], seconds: float | None = None) -> T:
    """``work()``, run in a forked child process that is killed if it takes longer than ``seconds`` or
    grows by more than the memory ceiling (``--max-memory``).

    For native code that a signal cannot interrupt. The child starts as a copy of this process, so
    ``work`` sees everything built so far (a store, a graph); its result, or the exception it raised,
    comes back pickled. The child dies with this process, and ends itself at the deadline too, so
    that nothing is left running if this process is killed or stopped. Without a time limit and a
    memory ceiling ``work`` runs here, in this process.
    """
    seconds = current().timeout if seconds is None else seconds
    memory = current().max_memory_bytes
    if not seconds and not memory:
        return work()
    parent, inherited = os.getpid(), resident_bytes(os.getpid())
    prctl = _prctl()  # looked up here: loading a library in a child forked from threads can deadlock
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage cannot follow it
        os.close(reader)
        _run_child(work, writer, _Binding(parent, prctl, seconds, memory))
    os.close(writer)
    watch = _MemoryWatch(pid, inherited + memory) if memory else None
    try:
        data = _read_all(reader, time.monotonic() + seconds if seconds else None, watch)
    except _WorkerLate:
        raise LimitExceeded(f"{what} took longer than {seconds:g} s; raise the limit with --timeout") from None
    except _WorkerTooLarge:
        raise memory_exceeded(what, memory) from None
    finally:
        os.close(reader)
        status = _stop(pid)
    return cast(T, _answer(what, data, status, seconds, memory))


def _answer(what: str, data: bytes, status: int, seconds: float | None, memory: int | None) -> object:
    """What the worker sent back (its result, or its exception raised here), or why it sent nothing."""
    try:
        succeeded, value = pickle.loads(data)
    except Exception:
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM and seconds:  # its own deadline
            raise LimitExceeded(f"{what} took longer than {seconds:g} s; raise the limit with --timeout") from None
        ending = (
            f"signal {os.WTERMSIG(status)}"
            if os.WIFSIGNALED(status)
            else f"exit status {os.waitstatus_to_exitcode(status)}"
        )
        raise InputError(f"{what} failed: the process running it ended with {ending}, without an answer") from None
    if succeeded:
        return value
    if isinstance(value, MemoryError):
        raise memory_exceeded(what, memory) from None
    raise value


def memory_exceeded(what: str, memory: int | None) -> LimitExceeded:
    ceiling = f"the limit of {memory:,} bytes" if memory else "the memory there is"
    return LimitExceeded(f"{what} needed more memory than {ceiling}; raise the limit with --max-memory")


@dataclass(frozen=True)
class _Binding:
    """What ties a worker to its parent: the parent's pid, Linux's prctl if there is one, its limits."""

    parent: int
    prctl: Callable[..., int] | None
    seconds: float | None
    memory: int | None


@functools.cache
def _prctl() -> Callable[..., int] | None:
    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
        return prctl
    except (AttributeError, OSError):
        return None  # not Linux: a worker's own deadline still ends it


def _run_child(work: Callable[[], object], writer: int, binding: _Binding) -> NoReturn:  # pragma: no cover - child
    status = 0
    try:
        _prepare_child(binding)
        _write_all(writer, _pickled_result(work))
    except BaseException:
        status = 1
    finally:
        os._exit(status)  # never return into the parent's code: no atexit handlers, no flushed buffers


def _prepare_child(binding: _Binding) -> None:  # pragma: no cover - runs in the child
    """What every forked worker does first (call_with_deadline's and kg.guard.worker's)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a Ctrl-C stops the child at once; the parent reports it
    faulthandler.disable()  # a crash is reported by the parent, in one line, not as a dump of the stack
    _bind_to_parent(binding)


def _pickled_result(work: Callable[[], object]) -> bytes:  # pragma: no cover - runs in the child
    """``work()``'s result or the exception it raised, pickled for the parent."""
    try:
        return pickle.dumps((True, work()))
    except Exception as exc:
        try:
            return pickle.dumps((False, exc))
        except Exception:  # an exception that does not pickle still reaches the parent, as text
            return pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))


def _write_all(writer: int, message: bytes) -> None:
    view = memoryview(message)
    while view:
        view = view[os.write(writer, view) :]


def _bind_to_parent(binding: _Binding) -> None:  # pragma: no cover - runs in the child
    """Make the child end with its parent, at its deadline, and (where the parent cannot watch) at its ceiling."""
    if binding.prctl is not None:
        binding.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != binding.parent:  # the parent died before the request took hold: nobody waits for an answer
        os._exit(1)
    if binding.seconds:
        # Its own alarm, with the default action: it ends the process even inside native code, and
        # even if the parent is stopped and cannot kill it.
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.setitimer(signal.ITIMER_REAL, binding.seconds)
    if binding.memory and not os.path.exists(f"/proc/{os.getpid()}/statm"):
        import resource  # without /proc the parent cannot watch: a ceiling on the address space instead

        resource.setrlimit(resource.RLIMIT_AS, (binding.memory, binding.memory))


class _MemoryWatch:
    """The resident size of a worker, looked at now and then: over ``ceiling`` bytes it is too large."""

    def __init__(self, pid: int, ceiling: int) -> None:
        self.pid = pid
        self.ceiling = ceiling

    def check(self) -> None:
        if resident_bytes(self.pid) > self.ceiling:
            raise _WorkerTooLarge


def resident_bytes(pid: int) -> int:
    """The resident memory of process ``pid`` (Linux /proc), or 0 where that cannot be read."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _read_all(reader: int, deadline: float | None, watch: _MemoryWatch | None) -> bytes:
    chunks: list[bytes] = []
    while chunk := _read_some(reader, 1 << 20, deadline, watch):
        chunks.append(chunk)
    return b"".join(chunks)


def _read_some(reader: int, most: int, deadline: float | None, watch: _MemoryWatch | None) -> bytes:
    """Up to ``most`` bytes from a worker's pipe (b"" at its end), once they come; a _WorkerLate past the
    deadline, a _WorkerTooLarge when the worker outgrows its ceiling while the parent waits."""
    while True:
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            raise _WorkerLate
        wait = remaining if watch is None else min(remaining or MEMORY_POLL_SECONDS, MEMORY_POLL_SECONDS)
        ready = select.select([reader], [], [], wait)[0]
        if watch is not None:
            watch.check()
        if ready:
            return os.read(reader, most)


def _stop(pid: int) -> int:
    """Kill the child if it still runs, reap it, and return its wait status."""
    os.kill(pid, signal.SIGKILL)  # a child that has exited is a zombie until reaped: the signal does nothing
    return os.waitpid(pid, 0)[1]


def check_size(what: str, size: int) -> None:
    limit = current().max_input_bytes
    if limit is not None and size > limit:
        raise LimitExceeded(f"{what} is {size:,} bytes, over the limit of {limit:,}; raise it with --max-input-size")
