"""Fault injection: option values kg cannot honour are refused with exit 2, and odd but legal values work.

Before, ``--timeout inf``, ``--timeout nan``, ``--timeout 1e300`` and ``--max-input-size 10**20`` reached the
timers and reads underneath and came out as internal errors (exit 70).
"""

from __future__ import annotations

from contextvars import Token
from pathlib import Path

import pytest

from kg.backends.http import Endpoint
from kg.errors import UsageError
from kg.guard import limits
from kg.guard.files import atomic_write
from support.cli import run_kg
from support.paths import REPO


def invoke(*args: str) -> tuple[int, str]:
    result = run_kg(*args, "query", "-e", "ASK {}", project=REPO)
    return result.exit_code, result.output


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e300", "-1", "1e7", "soon"])
def test_a_timeout_kg_cannot_keep_is_a_usage_error(value: str) -> None:
    code, output = invoke("--timeout", value)
    assert code == 2, output
    assert f"kg: error: invalid value for '--timeout': {value!r} is not a number of seconds" in output


@pytest.mark.parametrize(
    ("option", "value"),
    [
        # click's IntRange already refused "1e20" and "-1" here, but let these reach the reads beneath:
        ("--max-input-size", "100000000000000000000"),
        ("--max-input-size", str((1 << 40) + 1)),
        *(("--max-memory", value) for value in ["1e20", "100000000000000000000", "-1", "2T", "12 apples", "1.5G"]),
    ],
)
def test_a_size_kg_cannot_keep_is_a_usage_error(option: str, value: str) -> None:
    code, output = invoke(option, value)
    assert code == 2, output
    assert f"kg: error: invalid value for '{option}': {value!r}" in output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--timeout", "0", "--max-input-size", "0", "--max-memory", "0"], (None, None, None)),
        (
            ["--timeout", "2.5", "--max-input-size", "512K", "--max-memory", "1G"],
            (2.5, 512 << 10, 1 << 30),
        ),
        ([], (60.0, 256 << 20, 4 << 30)),
    ],
)
def test_limits_take_plain_numbers_and_binary_suffixes(
    args: list[str], expected: tuple[float | None, int | None, int | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[limits.Limits] = []
    set_limits = limits.set_limits

    def recorded(chosen: limits.Limits) -> Token[limits.Limits]:
        seen.append(chosen)
        return set_limits(chosen)

    monkeypatch.setattr(limits, "set_limits", recorded)
    code, output = invoke(*args)
    assert code == 0, output
    assert [(chosen.timeout, chosen.max_input_bytes, chosen.max_memory_bytes) for chosen in seen] == [expected]


@pytest.mark.parametrize("seconds", [float("inf"), float("nan"), 1e300])
def test_an_endpoint_refuses_a_timeout_it_cannot_keep(seconds: float) -> None:
    with pytest.raises(UsageError, match="the timeout must be a positive number of seconds"):
        Endpoint("http://127.0.0.1:9/sparql", timeout=seconds)


def test_kg_push_refuses_an_infinite_request_timeout() -> None:
    result = run_kg("push", "--endpoint", "http://127.0.0.1:9/sparql", "--request-timeout", "inf", project=REPO)
    assert result.exit_code == 2, result.output
    assert "the timeout must be a positive number of seconds" in result.output


@pytest.mark.parametrize("length", [250, 255])
def test_an_output_with_a_long_legal_name_is_written(tmp_path: Path, length: int) -> None:
    target = tmp_path / ("a" * (length - 4) + ".ttl")
    atomic_write(target, b"<urn:x-s> <urn:x-p> <urn:x-o> .\n")
    assert target.read_bytes() == b"<urn:x-s> <urn:x-p> <urn:x-o> .\n"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left beside it


def test_kg_export_writes_to_a_250_character_name(tmp_path: Path) -> None:
    target = tmp_path / ("g" * 246 + ".ttl")
    result = run_kg("export", "--format", "turtle", "--out", str(target), project=REPO)
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"@prefix ")
