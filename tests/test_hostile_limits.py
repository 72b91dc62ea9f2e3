"""Bounded work and harmless output: the worker process and its deadline, the time limit, what kg agrees
to read, the network guard's timeout, and text from data that reaches a terminal or a spreadsheet."""

from __future__ import annotations

import os
import re
import signal
import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.errors import CheckFailed, InputError, printable
from kg.export.network_formats import edges_csv, nodes_csv
from kg.guard import limits, netguard
from kg.rdf.load import parse_file, read_input
from kg.validate.report import Severity, ValidationResult, text_block
from kg.view.axes import Axes
from kg.view.network import Claim, Network, NetworkEdge, NetworkNode
from support.cpu import cpu_used

BACKTRACKING = ("^(a|a)+$", "a" * 40 + "!")  # 2^40 steps in Python's re


@pytest.fixture
def one_second() -> Iterator[None]:
    token = limits.set_limits(limits.Limits(timeout=1))
    yield
    limits.reset_limits(token)


# --- call_with_deadline ----------------------------------------------------------------------------------------


def test_the_worker_returns_what_the_work_returns(one_second: None) -> None:
    assert limits.call_with_deadline("adding", lambda: (os.getpid(), [Literal("x", lang="en")]))[1] == [
        Literal("x", lang="en")
    ]
    assert limits.call_with_deadline("a pid", os.getpid) != os.getpid()  # it ran in another process


def test_without_a_time_limit_the_work_runs_here() -> None:
    token = limits.set_limits(limits.Limits(timeout=None))
    try:
        assert limits.call_with_deadline("a pid", os.getpid) == os.getpid()
    finally:
        limits.reset_limits(token)


def test_the_worker_stops_what_no_signal_can(one_second: None) -> None:
    """Python's re does not look at signals while it backtracks: SIGALRM would wait for it, a kill does not."""
    with (
        cpu_used() as used,
        pytest.raises(limits.LimitExceeded, match=r"^matching took longer than 1 s; raise the limit with --timeout$"),
    ):
        limits.call_with_deadline("matching", lambda: re.match(*BACKTRACKING))
    # Killed at the deadline, the worker had at most a second of CPU; the 2^40 steps would take hours.
    assert used.cpu_seconds < 3


def test_errors_come_back_whole(one_second: None) -> None:
    def fail() -> None:
        raise InputError("bad input", path="f.ttl", line=2, column=3)

    with pytest.raises(InputError) as raised:
        limits.call_with_deadline("failing", fail)
    assert (str(raised.value), raised.value.line, raised.value.column) == ("f.ttl:2:3: bad input", 2, 3)
    with pytest.raises(ZeroDivisionError):
        limits.call_with_deadline("dividing", lambda: 1 / 0)


def test_a_crashing_worker_is_an_error_not_a_crash(one_second: None) -> None:
    with pytest.raises(InputError, match=r"^crashing failed: the process running it ended with signal 11"):
        limits.call_with_deadline("crashing", lambda: os.kill(os.getpid(), signal.SIGSEGV))


def children() -> set[int]:
    """The processes whose parent is this one, zombies included."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            found.add(int(stat.parent.name))
    return found


def test_no_worker_is_left_behind(one_second: None) -> None:
    before = children()
    with pytest.raises(limits.LimitExceeded):
        limits.call_with_deadline("sleeping", lambda: time.sleep(30))
    assert children() == before  # killed and reaped: not even a zombie remains


# --- time_limit --------------------------------------------------------------------------------------------------


def test_an_inner_time_limit_keeps_the_outer_deadline() -> None:
    with (
        cpu_used() as used,
        pytest.raises(limits.LimitExceeded, match=r"^outer took longer than 0\.3 s"),
        limits.time_limit("outer", 0.3),
        limits.time_limit("inner", 10),
    ):
        while True:
            pass
    assert used.cpu_seconds < 2  # the loop spins for its whole wall time, so the inner 10 s would show here too


def test_a_time_limit_leaves_no_alarm_behind() -> None:
    with limits.time_limit("quick", 0.05):
        pass
    time.sleep(0.1)  # an alarm left armed would raise here
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


# --- what kg reads ---------------------------------------------------------------------------------------------------


def test_a_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "data.ttl"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        parse_file(fifo)


def test_a_link_to_an_endless_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.ttl"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="not a regular file"):
        read_input(link)


def test_a_file_that_reports_no_size_is_still_bounded(tmp_path: Path) -> None:
    token = limits.set_limits(limits.Limits(max_input_bytes=100))
    try:
        with pytest.raises(limits.LimitExceeded, match=r"is 101 bytes, over the limit of 100"):
            read_input(Path("/proc/self/environ") if len(os.environ) > 3 else Path("/proc/self/maps"))
    finally:
        limits.reset_limits(token)


def test_a_url_is_refused_as_a_file() -> None:
    with pytest.raises(InputError, match="kg reads local files only and never downloads data"):
        parse_file(Path("https://example.org/data.ttl"))


# --- the network guard's timeout -------------------------------------------------------------------------------


def test_with_the_network_allowed_a_silent_server_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection in the kernel; nobody ever answers
    given: list[float | None] = []
    settimeout = socket.socket.settimeout

    def recording_settimeout(sock: socket.socket, value: float | None) -> None:
        given.append(value)
        settimeout(sock, value)

    monkeypatch.setattr(socket.socket, "settimeout", recording_settimeout)
    netguard.activate(allow_network=True)
    token = limits.set_limits(limits.Limits(timeout=0.5))
    try:
        with pytest.raises(OSError, match="timed out"):
            urllib.request.urlopen(f"http://127.0.0.1:{listener.getsockname()[1]}/")  # no timeout given
    finally:
        limits.reset_limits(token)
        netguard.deactivate()
        listener.close()
    assert given == [0.5]  # the guard gave the connection the time limit (and nothing else set one)


def test_datagrams_are_refused_while_the_network_is_off() -> None:
    netguard.activate(allow_network=False)
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, pytest.raises(netguard.NetworkRefused):
            udp.sendto(b"x", ("127.0.0.1", 9))
    finally:
        netguard.deactivate()


# --- text from data ---------------------------------------------------------------------------------------------


def test_error_messages_cannot_steer_a_terminal() -> None:
    error = InputError("unexpected '\x1b]0;owned\x07' and \u202eevil", path="data/\x1bx.ttl", line=1)
    assert str(error) == "data/\\x1bx.ttl:1: unexpected '\\x1b]0;owned\\x07' and \\u202eevil"
    assert CheckFailed("failed", ["a\x1b[2Jb"]).details == ["a\\x1b[2Jb"]
    assert printable("two\nlines\tand a tab", one_line=True) == "two\\nlines\\tand a tab"


def test_a_report_line_cannot_be_faked_by_a_label() -> None:
    result = ValidationResult(
        Severity.VIOLATION,
        URIRef("https://example.org/a"),
        "bad\n\nconforms: 0 violations",
        URIRef("http://www.w3.org/ns/shacl#MinCountConstraintComponent"),
        focus_label="x\u2028y\x1b[31m",
    )
    lines = text_block(result).split("\n")
    assert len(lines) == 3
    assert lines[0].endswith("x\\u2028y\\x1b[31m <https://example.org/a>")
    assert lines[1] == "    bad\\n\\nconforms: 0 violations"


def test_csv_cells_that_a_spreadsheet_would_run_stay_text() -> None:
    node = NetworkNode("https://example.org/a", '=HYPERLINK("http://evil/","click")', "Person", ("Person",), None)
    other = NetworkNode("https://example.org/b", "-2+3", "Person", ("Person",), None)
    claim = Claim("https://example.org/st", Axes(), None, None, "@SUM(1)", None, None, ())
    edge = NetworkEdge("https://example.org/a", "https://example.org/b", "https://example.org/p", "\tTAB", True)
    edge.claims.append(claim)
    network = Network(nodes={n.iri: n for n in (node, other)}, edges=[edge])
    nodes = nodes_csv(network).decode()
    assert "'=HYPERLINK(" in nodes and "'-2+3" in nodes
    assert ",'\tTAB," in edges_csv(network).decode()
    assert ",https://example.org/a," in edges_csv(network).decode()  # IRIs and numbers are left alone
