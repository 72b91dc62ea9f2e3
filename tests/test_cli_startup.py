"""``kg --help`` stays cheap: it lists the commands from a table and imports neither rdflib nor pyoxigraph."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from kg.cli import COMMANDS, cli


def imported_modules(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kg", *args], capture_output=True, text=True, check=True
    )
    return {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


def test_help_imports_neither_rdflib_nor_pyoxigraph() -> None:
    modules = imported_modules("--help")
    assert "kg.cli" in modules
    heavy = sorted(m for m in modules if m.split(".")[0] in {"rdflib", "pyoxigraph", "pyshacl", "networkx", "jinja2"})
    assert heavy == []


def test_help_lists_every_command_with_its_summary() -> None:
    text = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, check=True).stdout
    listed = text.split("Commands:", 1)[1]
    for name, (_module, summary) in COMMANDS.items():
        assert name in listed
        assert summary.split()[0] in listed


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_loads_and_carries_the_summary_the_table_gives(name: str) -> None:
    with click.Context(cli) as ctx:
        command = cli.get_command(ctx, name)
    assert command is not None
    assert command.short_help == COMMANDS[name][1]
    assert command.help, f"kg {name} has no help text"
