"""Where the graph lives, behind one small interface: in memory, in an Oxigraph store, or on a SPARQL server.

- ``CacheBackend`` (kg.backends.cache), the default: the project's files, answered and exported from an
  Oxigraph store of them that kg keeps under ``.kg/``, rebuilt when a file changes.
- ``MemoryBackend`` (kg.backends.memory): the project's files parsed into an rdflib graph for one command
  (``--engine rdflib``, and what validation and ``kg build`` read).
- ``OxigraphBackend`` (kg.backends.oxigraph): an on-disk Oxigraph store that ``kg load --store
  oxigraph:PATH`` fills once; later commands open it without parsing anything. Millions of triples.
- ``EndpointBackend`` (kg.backends.endpoint): any SPARQL 1.1 server, through the Protocol for queries;
  ``kg push`` publishes to it through the Graph Store HTTP Protocol (kg.backends.push).

Every backend is a ``Backend``, used the same way by every command: it answers queries with the same
QueryResult, returns what a CONSTRUCT builds (for focused views, kg.view.fetch), hands kg export its
named graphs (kg.export.exports) and validation the whole graph. Nothing above asks which backend it
has. This module imports neither rdflib nor pyoxigraph: the backend modules load what they need, when
they are used.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, cast

from kg.errors import UsageError

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Dataset, Graph

    from kg.query.engines import QueryEngine
    from kg.rdf.jsonld import JsonLdContext

STORE_KINDS = ("oxigraph",)


class Backend(ABC):
    """What kg needs of a place that holds the graph; every command uses every backend the same way.

    ``context_file`` is the project's JSON-LD context, which JSON-LD exports embed (None: one made of
    the prefixes).
    """

    context_file: Path | None = None
    reasoning: str | None = None  # the profile whose inferences the graph holds (kg --reason), if any

    @abstractmethod
    def describe(self) -> str:
        """Where the graph is, in words for messages: ``the Oxigraph store data/store``."""

    def engine(self) -> QueryEngine:
        """The SPARQL engine that answers queries over the whole graph: made once per backend, so that every
        query of a command shares it (and an Oxigraph engine's one worker)."""
        made: QueryEngine | None = self.__dict__.get("_engine")
        if made is None:
            made = self.__dict__["_engine"] = self.make_engine()
        return made

    @abstractmethod
    def make_engine(self) -> QueryEngine:
        """A new engine over the graph (``engine`` keeps the one it made)."""

    @abstractmethod
    def triple_count(self) -> int:
        """How many triples the graph holds (its default graph, as queries see it)."""

    @abstractmethod
    def graph(self) -> Graph:
        """The whole graph as an rdflib graph: what validation reads, and what whole-graph views and the
        network formats draw. Free in memory; from a store or server it copies every triple."""

    @abstractmethod
    def dataset(self) -> Dataset:
        """The graph as the named graphs it is kept in, which kg export writes (kg.export.exports): from the
        files and from a server kg push filled, kg's split with its VoID description (kg.rdf.publication);
        from a store, its default graph and the named graphs of the files loaded into it."""

    def prefixes(self) -> dict[str, str]:
        """The prefixes ``dataset()`` binds, which the Turtle and TriG exports may write names with."""
        return {name: str(namespace) for name, namespace in self.dataset().namespaces()}

    def inferred(self) -> Graph | None:
        """The triples a reasoner added (kg.backends.reasoning), kept apart so that exports can mark them."""
        return None

    def quads(self) -> ox.Dataset:
        """What ``dataset()`` holds, as a pyoxigraph dataset (the default graph as its default graph), which
        N-Triples and N-Quads exports write. A store hands its quads over without rdflib."""
        from kg.rdf.quads import oxigraph_dataset

        dataset = self.dataset()
        return oxigraph_dataset(dataset.graphs(), dataset.default_graph.identifier)

    def canonical_nquads(self) -> bytes:
        """What ``quads()`` holds as N-Quads with RDFC-1.0 blank-node labels, sorted lines: what every export
        of N-Triples, N-Quads, Turtle and TriG is written from. The cache keeps it ready."""
        import pyoxigraph as ox

        from kg.rdf.quads import canonical_nquads, serialized

        return canonical_nquads(serialized(self.quads(), ox.RdfFormat.N_QUADS))

    def canonical_ntriples(self) -> bytes | None:
        """The N-Triples of the union of ``canonical_nquads``' graphs, sorted, where the backend has them at
        hand; None where they are best read off ``canonical_nquads`` (kg.rdf.quads.union_lines)."""
        return None

    def construct(self, query: str, source: str = "<query>") -> Graph:
        """The graph a CONSTRUCT (or DESCRIBE) query returns, for views of part of the graph."""
        return constructed_graph(self.engine().run(query, source=source), source)

    def jsonld_context(self) -> JsonLdContext | None:
        """The JSON-LD context that exports embed: the project's, if there is one."""
        from kg.rdf.jsonld import load_context

        return load_context(self.context_file) if self.context_file is not None else None


def store_path(spec: str) -> Path:
    """The folder of a ``--store`` value: ``oxigraph:PATH``."""
    kind, colon, path = spec.partition(":")
    if not colon or kind not in STORE_KINDS or not path:
        raise UsageError(f"--store {spec!r}: write oxigraph:PATH, the folder of an Oxigraph store")
    return Path(path)


def constructed_graph(result: object, source: str) -> Graph:
    """The graph of a CONSTRUCT or DESCRIBE answer; any other kind of query is a usage error."""
    kind = getattr(result, "kind", None)
    graph = getattr(result, "graph", None)
    if kind != "graph" or graph is None:
        raise UsageError(f"{source}: expected a CONSTRUCT or DESCRIBE query, which returns a graph, not {kind} results")
    return cast("Graph", graph)
