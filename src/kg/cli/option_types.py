"""Option types for the limits: values kg can honour, or exit 2 with a message that says which ones.

click's FloatRange lets ``inf`` and ``nan`` through (no comparison fails on them), and its IntRange takes
any integer, so ``--timeout 1e300`` or ``--max-input-size 10**20`` reached the timers and reads beneath,
which overflow. These types refuse such values where they are typed.
"""

from __future__ import annotations

import math
import re

import click

from kg.guard import limits

SIZE = re.compile(r"(?P<number>[0-9]+)\s*(?P<unit>[KMGT]?)(?:i?B)?", re.IGNORECASE)
UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


class Seconds(click.ParamType[float]):
    """A number of seconds from 0 (no limit) up to kg.guard.limits.MAX_TIMEOUT_SECONDS; never inf or nan."""

    name = "seconds"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, float | int):
            seconds = float(value)
        else:
            try:
                seconds = float(str(value))
            except ValueError:
                self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(seconds) or not 0 <= seconds <= limits.MAX_TIMEOUT_SECONDS:
            self.fail(
                f"{value!r} is not a number of seconds from 0 (no limit) to {limits.MAX_TIMEOUT_SECONDS:,.0f}",
                param,
                ctx,
            )
        return seconds


class ByteSize(click.ParamType[int]):
    """A whole number of bytes, with K, M, G or T for 1024 to the power 1 to 4 (``512M``), from 0 (no limit)
    up to kg.guard.limits.MAX_SIZE_BYTES."""

    name = "bytes"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            size = value
        else:
            match = SIZE.fullmatch(str(value).strip())
            if match is None:
                self.fail(f"{value!r} is not a size in bytes (such as 268435456, 256M or 4G)", param, ctx)
            size = int(match["number"]) * UNITS[match["unit"].upper()]
        if not 0 <= size <= limits.MAX_SIZE_BYTES:
            self.fail(f"{value!r} is over the largest size kg takes, {limits.MAX_SIZE_BYTES:,} bytes (1T)", param, ctx)
        return size
