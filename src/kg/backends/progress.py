"""Progress for long loads and pushes: a live line on a terminal, nothing at all when output is piped.

A task stays silent for its first second, so quick commands print nothing extra; after that a terminal
sees one line, rewritten in place at most a few times a second, and a final line when the task ends.
When standard error is not a terminal (a pipe, a log file, CI) nothing is written, so logs and scripts
see only the command's own output.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

SHOW_AFTER_SECONDS = 1.0
REDRAW_EVERY_SECONDS = 0.2


class Progress:
    """Reports the progress of tasks to ``stream`` if ``is_tty``; silent otherwise."""

    def __init__(
        self,
        stream: TextIO | None = None,
        is_tty: bool = False,
        *,
        clock: Callable[[], float] = time.monotonic,
        show_after: float = SHOW_AFTER_SECONDS,
    ) -> None:
        self.stream = stream
        self.enabled = is_tty and stream is not None
        self.clock = clock
        self.show_after = show_after

    @classmethod
    def to_stderr(cls) -> Progress:
        """Progress on standard error when it is a terminal."""
        return cls(sys.stderr, is_tty=sys.stderr.isatty())

    @classmethod
    def silent(cls) -> Progress:
        return cls(None, is_tty=False)

    @contextmanager
    def task(self, label: str, total: int | None = None, unit: str = "") -> Iterator[Task]:
        """A task of ``total`` units (None when unknown); its final line is drawn only if it was shown."""
        task = Task(self, label, total, unit)
        try:
            yield task
        finally:
            task.finish()


class Task:
    """One measured piece of work; call ``advance`` or ``update`` as it goes."""

    def __init__(self, progress: Progress, label: str, total: int | None, unit: str) -> None:
        self.progress = progress
        self.label = label
        self.total = total
        self.unit = unit
        self.done = 0
        self.started = progress.clock()
        self.last_drawn: float | None = None
        self.width = 0

    def advance(self, amount: int = 1) -> None:
        self.update(self.done + amount)

    def update(self, done: int, label: str | None = None) -> None:
        self.done = done
        if label is not None:
            self.label = label
        if not self.progress.enabled:
            return
        now = self.progress.clock()
        if now - self.started < self.progress.show_after:
            return
        if self.last_drawn is None or now - self.last_drawn >= REDRAW_EVERY_SECONDS:
            self.draw(now, final=False)

    def finish(self) -> None:
        if self.progress.enabled and self.last_drawn is not None:
            self.draw(self.progress.clock(), final=True)

    def draw(self, now: float, final: bool) -> None:
        stream = self.progress.stream
        assert stream is not None
        text = self.line(now - self.started)
        # \r returns to the start of the line; pad so a shorter line erases the end of a longer one.
        stream.write("\r" + text.ljust(self.width) + ("\n" if final else ""))
        stream.flush()
        self.width = len(text)
        self.last_drawn = now

    def line(self, elapsed: float) -> str:
        if self.total:
            share = min(100, self.done * 100 // self.total)
            amount = f"{format_amount(self.done, self.unit)} of {format_amount(self.total, self.unit)} ({share}%)"
        else:
            amount = format_amount(self.done, self.unit)
        return f"{self.label}: {amount}, {elapsed:.1f} s"


def format_amount(value: int, unit: str) -> str:
    """Counts with thousands separators and their unit; bytes in megabytes."""
    if unit == "bytes":
        return f"{value / 1_000_000:,.1f} MB"
    return f"{value:,} {unit}".rstrip()
