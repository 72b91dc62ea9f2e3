"""The options that say where a command finds the graph: ``--store oxigraph:PATH`` or ``--endpoint URL``.

Apply ``@backend_options`` to a command below its ``@click.command``; the command then receives one
``backend: BackendChoice`` argument instead of the three options, and opens the backend with
``backend.open(settings)``. Without either option the graph is the project's files, answered from the
Oxigraph store kg keeps of them under ``.kg/`` (kg.backends.cache); ``--engine rdflib`` parses them into
rdflib instead. Nothing heavy is imported until a backend is opened.

    @click.command("query")
    @backend_options
    @click.pass_obj
    def command(settings: Settings, backend: BackendChoice, ...) -> None:
        graph_source = backend.open(settings)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.backends import store_path
from kg.errors import UsageError
from kg.guard import limits

if TYPE_CHECKING:
    from kg.backends import Backend
    from kg.cli import Settings
    from kg.project import Project


@dataclass(frozen=True)
class BackendChoice:
    """What the user chose: an Oxigraph store, a SPARQL endpoint (and its graphs), or neither."""

    store: Path | None = None
    endpoint: str | None = None
    graphs: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.store is not None:
            return f"oxigraph:{self.store}"
        return self.endpoint or "memory"

    def project(self, settings: Settings) -> Project | None:
        """The project: required when the graph is the project's files, else the one there is, if any
        (for output paths, the library and the JSON-LD context)."""
        return settings.project() if self.reads_project_files() else settings.project_if_any()

    def reads_project_files(self) -> bool:
        return self.store is None and self.endpoint is None

    def open(self, settings: Settings, engine_name: str | None = None) -> Backend:
        """The backend chosen. ``engine_name`` picks the engine for the project's files (Oxigraph, from the
        cache, unless ``rdflib``); a
        store or server answers with its own, so naming one for them is a usage error. The files need the
        project; a store or server uses the project's JSON-LD context when there is a project."""
        if self.reads_project_files():
            if engine_name in (None, "oxigraph"):
                from kg.backends.cache import CacheBackend

                return CacheBackend(settings.project())
            from kg.backends.memory import MemoryBackend

            return MemoryBackend.of_project(settings.project(), engine_name)
        if engine_name is not None:
            raise UsageError(f"--engine picks the engine for the files in memory; {self.describe()} answers itself")
        project = self.project(settings)
        context = project.context_file if project is not None else None
        if self.store is not None:
            from kg.backends.oxigraph import OxigraphBackend

            return OxigraphBackend(self.store, context_file=context)
        from kg.backends.endpoint import EndpointBackend
        from kg.backends.http import Endpoint

        endpoint = Endpoint(str(self.endpoint), timeout=limits.current().timeout)
        return EndpointBackend(endpoint, self.graphs, context_file=context)


def choose_backend(store: str | None, endpoint: str | None, graphs: tuple[str, ...]) -> BackendChoice:
    if store is not None and endpoint is not None:
        raise UsageError("give --store or --endpoint, not both")
    if graphs and endpoint is None:
        raise UsageError("--graph names graphs on a SPARQL server: it needs --endpoint")
    return BackendChoice(store_path(store) if store is not None else None, endpoint, graphs)


def backend_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --store, --endpoint and --graph to ``command``, which receives them as ``backend``."""

    @functools.wraps(command)
    def wrapper(*args: Any, store: str | None, endpoint: str | None, graphs: tuple[str, ...], **kwargs: Any) -> Any:
        return command(*args, backend=choose_backend(store, endpoint, graphs), **kwargs)

    options = [
        click.option(
            "--store",
            metavar="oxigraph:PATH",
            help="Use the Oxigraph store that kg load made at PATH instead of parsing the project's files.",
        ),
        click.option(
            "--endpoint",
            metavar="URL",
            help="Use the graph on this SPARQL 1.1 server (credentials: KG_ENDPOINT_USER and "
            "KG_ENDPOINT_PASSWORD, or ~/.netrc).",
        ),
        click.option(
            "--graph",
            "graphs",
            multiple=True,
            metavar="IRI",
            help="With --endpoint: query these named graphs (default: those kg push published there). Repeatable.",
        ),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper
