"""The ``kg`` command line: a thin layer that maps errors to exit codes and imports each command lazily.

Exit codes: 0 success, 1 the graph does not pass a check, 2 usage error, 3 unreadable or invalid input,
70 internal error (a bug: rerun with --debug for the traceback), 130 interrupted.
"""

from __future__ import annotations

import difflib
import importlib
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from kg.cli.option_types import ByteSize, Seconds
from kg.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, KgError, one_line
from kg.guard import limits, netguard
from kg.project import Project, find_project, locate_project, open_project

F = TypeVar("F", bound=Callable[..., Any])

# name -> (module under kg.cli, the line ``kg --help`` shows). Each module defines ``command`` and is imported
# only when its command runs or asks for its own help, so ``kg --help`` loads neither rdflib nor pyoxigraph and
# ``kg query`` never pays for pySHACL or the page renderer.
GRAPH_COMMANDS = {
    "build": ("build", "Check the graph and write every output into dist/."),
    "validate": ("validate", "Check the graph, or given files: shapes, checks, evidence."),
    "query": ("query", "Answer a SPARQL query: a library question, a file or inline text."),
    "render": ("render", "Write the interactive HTML view, whole or around one entity."),
    "export": ("export", "Write the graph in one RDF or network format."),
    "load": ("load", "Load the graph into an on-disk Oxigraph store."),
    "push": ("push", "Publish the graph to a SPARQL 1.1 server, part by part."),
}
# The curators' commands: they write into seeds/ and data/, each only its own files.
CURATION_COMMANDS: dict[str, tuple[str, str]] = {
    "source": ("source", "Start a source: its text into seeds/, its manifest entry."),
    "import": ("import_sheet", "Import a source's claims from a CSV or TSV sheet, all or nothing."),
    "entities": ("entities", "List the entities whose label or IRI matches a text."),
    "quote": ("quote", "Find the exact words of a passage in a source, with their line."),
    "diff": ("diff", "Show the claims added, removed or changed between two versions."),
    "curate": ("curate", "Keep curated data in step with the model: migrate kg:status to the axes."),
}
COMMANDS = {**GRAPH_COMMANDS, **CURATION_COMMANDS}


# click (8.2 and later) raises this usage error to show a group's help when it is called without a command.
NO_ARGS_IS_HELP: type[Exception] = getattr(click.exceptions, "NoArgsIsHelpError", click.exceptions.Exit)


@dataclass
class Settings:
    project_dir: Path | None
    debug: bool

    def project(self) -> Project:
        return open_project(self.project_dir) if self.project_dir else find_project()

    def project_if_any(self) -> Project | None:
        """The project, for commands that can also work on a store without one: --project must exist."""
        return open_project(self.project_dir) if self.project_dir else locate_project()


class KgGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, summary = COMMANDS[cmd_name]
        command: click.Command = importlib.import_module(f"kg.cli.{module_name}").command
        command.short_help = summary
        accept_project_option(command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # From the table, not from the commands: importing them would load every library kg uses.
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in sorted(COMMANDS)])

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = click.utils.make_str(args[0]) if args else ""
        if args and self.get_command(ctx, name) is None and not name.startswith("-"):
            close = difflib.get_close_matches(name, list(COMMANDS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (commands: {', '.join(sorted(COMMANDS))})"
            raise click.UsageError(f"no such command {name!r}{hint}", ctx)
        return super().resolve_command(ctx, args)

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except NO_ARGS_IS_HELP:
            raise  # "kg" or "kg source" alone: click prints the help
        except click.UsageError as exc:
            usage_failure(exc)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NO_ARGS_IS_HELP:
            raise  # "kg" or "kg source" alone: click prints the help
        except click.UsageError as exc:
            usage_failure(exc)
        except KgError as exc:
            fail(exc)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, BrokenPipeError):
            raise
        except KeyboardInterrupt:
            click.echo("kg: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Exception as exc:
            settings = ctx.find_object(Settings)
            if settings is not None and settings.debug:
                raise
            click.echo(
                f"kg: internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)", err=True
            )
            ctx.exit(EXIT_INTERNAL)


def fail(exc: KgError) -> NoReturn:
    details: list[str] = getattr(exc, "details", [])  # CheckFailed's, and a rejected sheet's
    for line in details:
        click.echo(line, err=True)
    click.echo(f"kg: error: {one_line(str(exc))}", err=True)
    sys.exit(exc.exit_code)


def usage_failure(exc: click.UsageError) -> NoReturn:
    """click's usage errors in kg's form: the usage line and where to find help, then ``kg: error: …``."""
    if exc.ctx is not None:
        click.echo(exc.ctx.get_usage(), err=True)
        click.echo(f"Try '{exc.ctx.command_path} -h' for help.", err=True)
    message = exc.format_message()
    if message[:1].isupper() and message[1:2].islower():
        message = message[0].lower() + message[1:]
    click.echo(f"kg: error: {one_line(message)}", err=True)
    sys.exit(EXIT_USAGE)


def accept_project_option(command: click.Command) -> None:
    """Let ``--project DIR`` come after the command name too (kg build --project DIR), for it and its subcommands."""
    if not any(param.name == "project_after" for param in command.params):
        command.params.append(
            click.Option(
                ["--project", "project_after"],
                type=click.Path(file_okay=False, path_type=Path),
                expose_value=False,
                is_eager=True,
                callback=set_project,
                help="The project folder (as kg --project DIR gives it).",
            )
        )
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            accept_project_option(sub)


def set_project(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    settings = ctx.find_object(Settings)
    if value is not None and settings is not None:
        settings.project_dir = value


def limit_option(name: str, kind: Seconds | ByteSize, default: float, what: str) -> Callable[[F], F]:
    """A global option that bounds the work of every command; 0 turns the bound off."""
    return click.option(name, type=kind, default=default, show_default=True, help=f"{what}; 0 for no limit.")


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The project folder (default: the one containing the working directory).",
)
@click.option("--debug", is_flag=True, help="Show the full traceback of unexpected errors.")
@click.option(
    "--allow-network",
    is_flag=True,
    help="Let SPARQL SERVICE reach remote endpoints, each connection with a timeout (FROM, LOAD, owl:imports "
    "and remote JSON-LD contexts stay refused).",
)
@limit_option(
    "--timeout",
    Seconds(),
    limits.DEFAULT_TIMEOUT_SECONDS,
    "Seconds one parse, query or request to a server may take (up to 1000000)",
)
@limit_option(
    "--max-input-size",
    ByteSize(),
    limits.DEFAULT_MAX_INPUT_BYTES,
    "Bytes one input file or server answer may have (after RDF/XML entity expansion; K, M, G suffixes)",
)
@limit_option(
    "--max-memory",
    ByteSize(),
    limits.DEFAULT_MAX_MEMORY_BYTES,
    "Bytes of memory one query or validation worker may add to kg's own (K, M, G suffixes)",
)
@click.version_option(package_name="kg", prog_name="kg")
@click.pass_context
def cli(
    ctx: click.Context,
    project_dir: Path | None,
    debug: bool,
    allow_network: bool,
    timeout: float,
    max_input_size: int,
    max_memory: int,
) -> None:
    """kg: a curated, provenance-first knowledge graph of companies, people and vehicles.

    Exit codes: 0 success, 1 the graph fails a check, 2 usage error, 3 unreadable or invalid input
    (including input over --timeout, --max-input-size or --max-memory, and network access while it is off),
    70 internal error, 130 interrupted.
    """
    ctx.obj = Settings(project_dir=project_dir, debug=debug)
    # rdflib logs a traceback for every ill-typed literal it meets; validation reports those properly.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    netguard.activate(allow_network=allow_network)
    ctx.call_on_close(netguard.deactivate)
    chosen = limits.Limits(timeout or None, max_input_size or None, max_memory or None)
    token = limits.set_limits(chosen)
    ctx.call_on_close(lambda: limits.reset_limits(token))
    ctx.call_on_close(stop_query_workers)


def stop_query_workers() -> None:
    """Stop the children the command's query workers forked (kg.guard.worker), if it made any."""
    worker = sys.modules.get("kg.guard.worker")
    if worker is not None:
        worker.stop_workers()


def main() -> None:
    # click itself turns a closed pipe (kg ... | head) into a quiet exit.
    cli()
