"""The default backend: the project's files parsed into an rdflib graph, held in memory for one command."""

from __future__ import annotations

from functools import cached_property

from rdflib import Graph

from kg.backends import constructed_graph
from kg.project import Project
from kg.query.engines import QueryEngine, engine_for
from kg.rdf.load import LoadedGraph, load_project


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
        return self.query_engine

    @cached_property
    def query_engine(self) -> QueryEngine:
        # Built once: the Oxigraph engine copies the whole graph into a store of its own.
        return engine_for(self.engine_name, self.loaded.graph)

    def triple_count(self) -> int:
        return len(self.loaded.graph)

    def export(self, format_name: str) -> bytes:
        from kg.export.bundle import prepare_exports  # the exporters cost start-up time that queries never need
        from kg.export.network_formats import NETWORK_FORMATS, network_bytes

        if format_name in NETWORK_FORMATS:  # the network needs none of the split, VoID and context
            return network_bytes(self.loaded.graph, format_name)
        return prepare_exports(self.loaded, self.project).render(format_name)

    def construct(self, query: str, source: str = "<query>") -> Graph:
        return constructed_graph(self.engine().run(query, source=source), source)

    def graph(self) -> Graph:
        return self.loaded.graph
