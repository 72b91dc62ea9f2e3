"""The default backend: the project's files parsed into an rdflib graph, held in memory for one command."""

from __future__ import annotations

from functools import cached_property

from rdflib import Dataset, Graph

from kg.backends import Backend
from kg.project import Project
from kg.query.engines import QueryEngine, engine_for
from kg.rdf.load import LoadedGraph, load_project
from kg.rdf.publication import Publication, publish


class MemoryBackend(Backend):
    """A loaded graph; ``engine_name`` picks rdflib's engine or an in-memory Oxigraph copy for queries."""

    def __init__(self, loaded: LoadedGraph, project: Project, engine_name: str = "rdflib") -> None:
        self.loaded = loaded
        self.project = project
        self.engine_name = engine_name
        self.context_file = project.context_file

    @classmethod
    def of_project(cls, project: Project, engine_name: str = "rdflib") -> MemoryBackend:
        return cls(load_project(project), project, engine_name)

    def describe(self) -> str:
        return f"the files of {self.project.root}, in memory"

    def make_engine(self) -> QueryEngine:
        # Made once (Backend.engine): the Oxigraph engine copies the whole graph into a store of its own.
        return engine_for(self.engine_name, self.loaded.graph)

    def triple_count(self) -> int:
        return len(self.loaded.graph)

    def graph(self) -> Graph:
        return self.loaded.graph

    def dataset(self) -> Dataset:
        return self.publication.dataset

    @cached_property
    def publication(self) -> Publication:
        """kg's named graphs and their VoID description, made once (kg build writes both)."""
        return publish(self.loaded, self.project.ontology_files())
