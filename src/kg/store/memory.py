"""The default backend: the project's files parsed into an rdflib graph, held in memory for one command."""

from __future__ import annotations

from rdflib import Graph

from kg.load import LoadedGraph, load_project
from kg.project import Project
from kg.query import QueryEngine, engine_for
from kg.store import constructed_graph


class MemoryBackend:
    """A loaded graph; ``engine_name`` picks rdflib's engine or an in-memory Oxigraph copy for queries."""

    def __init__(self, loaded: LoadedGraph, project: Project, engine_name: str = "rdflib") -> None:
        self.loaded = loaded
        self.project = project
        self.engine_name = engine_name

    @classmethod
    def of_project(cls, project: Project, engine_name: str = "rdflib") -> MemoryBackend:
        return cls(load_project(project), project, engine_name)

    def describe(self) -> str:
        return f"the files of {self.project.root}, in memory"

    def engine(self) -> QueryEngine:
        return engine_for(self.engine_name, self.loaded.graph)

    def triple_count(self) -> int:
        return len(self.loaded.graph)

    def export(self, format_name: str) -> bytes:
        from kg.bundle import prepare_exports  # the exporters cost start-up time that queries never need

        return prepare_exports(self.loaded, self.project).render(format_name)

    def construct(self, query: str, source: str = "<query>") -> Graph:
        return constructed_graph(self.engine().run(query, source=source), source)

    def graph(self) -> Graph:
        return self.loaded.graph
