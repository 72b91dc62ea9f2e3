"""CPU time, for the tests that bound how much work something does.

Wall time depends on what else the machine runs (a test once failed at 12 s for a 5 s bound on a shared
machine); CPU time counts only the work of this process and of the children it has waited for (kg's
forked workers, ``kg`` processes run with subprocess), so a bound on it fails only when the work grew.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class CpuUse:
    """Filled in when the ``with cpu_used()`` block ends."""

    cpu_seconds: float = 0.0  # this process and its reaped children together
    children: float = 0.0  # the reaped children alone


def children_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def cpu_used() -> Iterator[CpuUse]:
    """The CPU seconds the block used, here and in the child processes that ended (and were reaped) in it."""
    use = CpuUse()
    own, children = time.process_time(), children_seconds()
    try:
        yield use
    finally:
        use.children = children_seconds() - children
        use.cpu_seconds = time.process_time() - own + use.children
