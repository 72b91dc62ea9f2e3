"""Progress: a live line on a terminal after the first second, nothing at all when output is piped."""

from __future__ import annotations

import io

from kg.backends.progress import Progress


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_piped_output_gets_nothing_however_long_the_task() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, is_tty=False, clock=clock)
    with progress.task("loading", total=10, unit="files") as task:
        for _ in range(10):
            clock.now += 5
            task.advance()
    assert stream.getvalue() == ""


def test_a_task_shorter_than_a_second_prints_nothing_on_a_terminal() -> None:
    stream, clock = io.StringIO(), Clock()
    with Progress(stream, is_tty=True, clock=clock).task("loading", total=3) as task:
        for _ in range(3):
            clock.now += 0.2
            task.advance()
    assert stream.getvalue() == ""


def test_a_long_task_redraws_one_line_and_ends_it() -> None:
    stream, clock = io.StringIO(), Clock()
    with Progress(stream, is_tty=True, clock=clock).task("uploading", total=4_000_000, unit="triples") as task:
        clock.now += 1.5
        task.advance(1_000_000)
        clock.now += 1.0
        task.advance(1_000_000)
        clock.now += 1.0
        task.advance(2_000_000)
    text = stream.getvalue()
    assert text.count("\r") == 4  # three redraws and the final line
    assert text.endswith("\n") and text.count("\n") == 1
    assert "uploading: 1,000,000 triples of 4,000,000 triples (25%), 1.5 s" in text
    assert text.rstrip().endswith("4,000,000 triples of 4,000,000 triples (100%), 3.5 s")


def test_redraws_are_throttled() -> None:
    stream, clock = io.StringIO(), Clock()
    with Progress(stream, is_tty=True, clock=clock).task("loading", total=1000) as task:
        clock.now += 2
        for _ in range(1000):
            clock.now += 0.001  # a thousand updates within one second
            task.advance()
    assert 2 <= stream.getvalue().count("\r") <= 7


def test_bytes_are_shown_in_megabytes_and_a_shorter_line_erases_a_longer_one() -> None:
    stream, clock = io.StringIO(), Clock()
    with Progress(stream, is_tty=True, clock=clock).task("loading a long label", total=50_000_000, unit="bytes") as t:
        clock.now += 2
        t.update(25_000_000)
        clock.now += 1
        t.update(50_000_000, label="done")
    first, second, final = stream.getvalue().split("\r")[1:]
    assert first == "loading a long label: 25.0 MB of 50.0 MB (50%), 2.0 s"
    assert second.startswith("done: 50.0 MB of 50.0 MB (100%), 3.0 s ")
    assert len(second) == len(first)  # padded with spaces over the longer line before it
    assert final == "done: 50.0 MB of 50.0 MB (100%), 3.0 s\n"


def test_unknown_totals_show_the_count_alone() -> None:
    stream, clock = io.StringIO(), Clock()
    with Progress(stream, is_tty=True, clock=clock).task("reading") as task:
        clock.now += 2
        task.advance(12_345)
    assert "reading: 12,345, 2.0 s" in stream.getvalue()


def test_to_stderr_follows_whether_stderr_is_a_terminal(monkeypatch) -> None:
    fake = io.StringIO()
    monkeypatch.setattr("sys.stderr", fake)
    assert Progress.to_stderr().enabled is False
    monkeypatch.setattr(fake, "isatty", lambda: True, raising=False)
    assert Progress.to_stderr().enabled is True
