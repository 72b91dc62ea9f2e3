"""Running kg as its users do: in this process through click (fast, and the output is captured), or as a process."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner, Result

from kg.cli import cli
from kg.project import Project

# ``python -m kg`` with this interpreter, so that a process runs the same kg (and PYTHONPATH) as the tests.
KG_PROCESS = (sys.executable, "-m", "kg")


def run_kg(
    *arguments: str,
    project: Project | Path | None = None,
    input: str | bytes | None = None,
    catch_exceptions: bool = True,
) -> Result:
    """``kg [--project ROOT] ARGUMENTS`` in this process: its exit code, stdout, stderr (and stdout_bytes).

    With ``catch_exceptions=False`` an exception kg lets escape fails the test with its traceback, instead of
    being kept in ``result.exception``.
    """
    root = project.root if isinstance(project, Project) else project
    options = ["--project", str(root)] if root is not None else []
    return CliRunner().invoke(cli, [*options, *arguments], input=input, catch_exceptions=catch_exceptions)
