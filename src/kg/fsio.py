"""Writing outputs so that a reader never sees a half-written file or folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from kg.errors import InputError


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates the file private (0600); an output is meant to be shared like any other file.
        os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def replace_directory(target: Path, fill: Callable[[Path], None]) -> None:
    """Build a new folder with ``fill`` beside ``target`` and swap it in only if ``fill`` succeeds.

    The old folder is moved aside before the new one takes its name and is deleted afterwards, so a
    failure or a kill at any point leaves either the old folder or the complete new one.
    """
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=parent))
    os.chmod(staging, 0o777 & ~current_umask())  # mkdtemp makes it 0700; dist/ is meant to be shared
    try:
        fill(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    retired = parent / f".{target.name}.old-{os.getpid()}"
    try:
        if target.exists():
            os.replace(target, retired)
        os.replace(staging, target)
    except OSError as exc:
        if retired.exists() and not target.exists():
            os.replace(retired, target)
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(f"cannot replace {target}: {exc.strerror or exc}", path=str(target)) from exc
    shutil.rmtree(retired, ignore_errors=True)
