"""Bounds on the work one input can cause: bytes read and seconds spent parsing or querying.

The libraries underneath have neither (a query runs forever; some parsers go quadratic), so the CLI sets
the limits once, per command, and the code that parses or evaluates asks for them here.
"""

from __future__ import annotations

import faulthandler
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
from typing import NoReturn, TypeVar

from kg.errors import InputError

DEFAULT_TIMEOUT_SECONDS = 60.0
DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    timeout: float | None = DEFAULT_TIMEOUT_SECONDS
    max_input_bytes: int | None = DEFAULT_MAX_INPUT_BYTES


_CURRENT: ContextVar[Limits] = ContextVar("kg_limits", default=Limits())  # noqa: B039 - Limits is frozen


class LimitExceeded(InputError):
    """An input or query needed more time or bytes than allowed."""


class _Deadline(BaseException):
    """Raised by the alarm; a BaseException so that no library's ``except Exception`` can swallow it."""


class _WorkerLate(Exception):
    """The child of call_with_deadline has not answered in time."""


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
    """``work()``, run in a forked child process that is killed if it takes longer than ``seconds``.

    For native code that a signal cannot interrupt. The child starts as a copy of this process, so
    ``work`` sees everything built so far (a store, a graph); its result, or the exception it raised,
    comes back pickled. Without a time limit ``work`` runs here, in this process.
    """
    seconds = current().timeout if seconds is None else seconds
    if not seconds:
        return work()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage cannot follow it
        os.close(reader)
        _run_child(work, writer)
    os.close(writer)
    try:
        data = _read_all(reader, time.monotonic() + seconds)
    except _WorkerLate:
        raise LimitExceeded(f"{what} took longer than {seconds:g} s; raise the limit with --timeout") from None
    finally:
        os.close(reader)
        status = _stop(pid)
    try:
        succeeded, value = pickle.loads(data)
    except Exception:
        ending = (
            f"signal {os.WTERMSIG(status)}"
            if os.WIFSIGNALED(status)
            else f"exit status {os.waitstatus_to_exitcode(status)}"
        )
        raise InputError(f"{what} failed: the process running it ended with {ending}, without an answer") from None
    if succeeded:
        return value
    raise value


def _prepare_child() -> None:  # pragma: no cover - runs in the child
    """What every forked worker does first (call_with_deadline's and a Worker's)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a Ctrl-C stops the child at once; the parent reports it
    faulthandler.disable()  # a crash is reported by the parent, in one line, not as a dump of the stack


def _run_child(work: Callable[[], object], writer: int) -> NoReturn:  # pragma: no cover - runs in the child
    _prepare_child()
    status = 0
    try:
        _write_all(writer, _answer(work))
    except BaseException:
        status = 1
    finally:
        os._exit(status)  # never return into the parent's code: no atexit handlers, no flushed buffers


def _answer(work: Callable[[], object]) -> bytes:  # pragma: no cover - runs in the child
    """``work()``'s result or exception, pickled for the parent."""
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


def _read_all(reader: int, deadline: float) -> bytes:
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([reader], [], [], remaining)[0]:
            raise _WorkerLate
        chunk = os.read(reader, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _stop(pid: int) -> int:
    """Kill the child if it still runs, reap it, and return its wait status."""
    os.kill(pid, signal.SIGKILL)  # a child that has exited is a zombie until reaped: the signal does nothing
    return os.waitpid(pid, 0)[1]


def check_size(what: str, size: int) -> None:
    limit = current().max_input_bytes
    if limit is not None and size > limit:
        raise LimitExceeded(f"{what} is {size:,} bytes, over the limit of {limit:,}; raise it with --max-input-size")
