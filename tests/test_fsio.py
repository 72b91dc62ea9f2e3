"""Outputs appear whole or not at all, with ordinary permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.guard.files import atomic_write, exchange, replace_directory


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_atomic_write_creates_a_file_readable_by_others(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "out" / "graph.html", b"<html></html>")
    finally:
        os.umask(old)
    assert (tmp_path / "out" / "graph.html").read_bytes() == b"<html></html>"
    assert mode(tmp_path / "out" / "graph.html") == 0o644
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["graph.html"]


def test_failed_fill_leaves_the_old_folder_and_no_debris(tmp_path: Path) -> None:
    target = tmp_path / "dist"
    target.mkdir()
    (target / "old.txt").write_text("old", encoding="utf-8")

    def fail(folder: Path) -> None:
        (folder / "half.txt").write_text("half", encoding="utf-8")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        replace_directory(target, fail)
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]
    assert [p.name for p in target.iterdir()] == ["old.txt"]


def test_successful_fill_replaces_the_folder_with_shared_permissions(tmp_path: Path) -> None:
    target = tmp_path / "dist"
    target.mkdir()
    (target / "old.txt").write_text("old", encoding="utf-8")
    old = os.umask(0o022)
    try:
        replace_directory(target, lambda folder: (folder / "new.txt").write_text("new", encoding="utf-8"))
    finally:
        os.umask(old)
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]
    assert [p.name for p in target.iterdir()] == ["new.txt"]
    assert mode(target) == 0o755


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "from-a").touch()
    (second / "from-b").touch()
    if not exchange(first, second):
        pytest.skip("this kernel or filesystem cannot exchange paths in one step")
    assert [p.name for p in first.iterdir()] == ["from-b"]
    assert [p.name for p in second.iterdir()] == ["from-a"]


def test_unwritable_parent_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(InputError, match="cannot create a folder beside"):
        replace_directory(blocker / "dist", lambda folder: None)
