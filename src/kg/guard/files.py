"""Writing outputs so that a reader never sees a half-written file or folder."""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from kg.errors import InputError


def write_output(path: Path, data: bytes, what: str) -> None:
    """``atomic_write``, with a failure reported as the user's error: "cannot write the {what}: …"."""
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise InputError(f"cannot write the {what}: {exc.strerror or exc}", path=str(path)) from exc


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    atomic_write_parts(path, [data])


def atomic_write_parts(path: Path, parts: Iterable[bytes]) -> None:
    """Write ``parts`` one after another to a temporary file beside ``path``, then rename it into place (a
    large output need not be joined into one string first)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{within_name_limit(path, TEMPORARY_EXTRA)}.", suffix=".tmp", dir=path.parent
    )
    try:
        # mkstemp creates the file private (0600); an output is meant to be shared like any other file.
        os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "wb") as handle:
            for part in parts:
                handle.write(part)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


# Bytes a temporary name adds to the name it is made from: a dot, ".new-" or ".old-", eight random
# characters (tempfile's) or a process id, ".tmp"; with room to spare.
TEMPORARY_EXTRA = 24
NAME_MAX = 255  # the usual limit on one name, in bytes, where the file system does not say


def within_name_limit(path: Path, extra: int) -> str:
    """``path.name``, cut short so that a temporary name made of it and ``extra`` more bytes is still a
    name the file system takes: a legal name of 250 bytes would otherwise give an illegal one beside it."""
    try:
        limit = os.pathconf(path.parent, "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = NAME_MAX
    encoded = os.fsencode(path.name)
    if len(encoded) + extra <= limit:
        return path.name
    return os.fsdecode(encoded[: max(limit - extra, 1)])  # a character cut in two stays as escaped bytes


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def replace_directory(target: Path, fill: Callable[[Path], None]) -> None:
    """Build a new folder with ``fill`` beside ``target`` and swap it in only if ``fill`` succeeds.

    On Linux the two folders are exchanged in one step (renameat2), so a reader or a kill at any moment
    finds either the old folder or the complete new one. Elsewhere the old folder is moved aside first,
    which leaves a moment without ``target`` but never a half-written one.
    """
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{within_name_limit(target, TEMPORARY_EXTRA)}.new-", dir=parent))
    except OSError as exc:
        raise InputError(f"cannot create a folder beside {target}: {exc.strerror or exc}", path=str(target)) from exc
    os.chmod(staging, 0o777 & ~current_umask())  # mkdtemp makes it 0700; dist/ is meant to be shared
    try:
        fill(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    retired = parent / f".{within_name_limit(target, TEMPORARY_EXTRA)}.old-{os.getpid()}"
    try:
        if target.is_dir() and exchange(staging, target):
            shutil.rmtree(staging, ignore_errors=True)  # now holds the old folder
            return
        if target.exists():
            os.replace(target, retired)
        os.replace(staging, target)
    except OSError as exc:
        if retired.exists() and not target.exists():
            os.replace(retired, target)
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(f"cannot replace {target}: {exc.strerror or exc}", path=str(target)) from exc
    shutil.rmtree(retired, ignore_errors=True)


AT_FDCWD = -100
RENAME_EXCHANGE = 2


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one step (Linux renameat2); False where the kernel or filesystem cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(second))
