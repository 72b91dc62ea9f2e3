"""Bounds on the work one input can cause: bytes read and seconds spent parsing or querying.

The libraries underneath have neither (a query runs forever; some parsers go quadratic), so the CLI sets
the limits once, per command, and the code that parses or evaluates asks for them here.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass

from kg.errors import InputError

DEFAULT_TIMEOUT_SECONDS = 60.0
DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    timeout: float | None = DEFAULT_TIMEOUT_SECONDS
    max_input_bytes: int | None = DEFAULT_MAX_INPUT_BYTES


_CURRENT: ContextVar[Limits] = ContextVar("kg_limits", default=Limits())  # noqa: B039 - Limits is frozen


class LimitExceeded(InputError):
    """An input or query needed more time or bytes than allowed."""


class _Deadline(BaseException):
    """Raised by the alarm; a BaseException so that no library's ``except Exception`` can swallow it."""


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

    Uses SIGALRM, so it bounds work only in the main thread; elsewhere it does nothing.
    """
    seconds = current().timeout if seconds is None else seconds
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _Deadline

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Deadline:
        raise LimitExceeded(f"{what} took longer than {seconds:g} s; raise the limit with --timeout") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_size(what: str, size: int) -> None:
    limit = current().max_input_bytes
    if limit is not None and size > limit:
        raise LimitExceeded(f"{what} is {size:,} bytes, over the limit of {limit:,}; raise it with --max-input-size")
