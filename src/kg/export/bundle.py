"""Everything ``kg build`` puts into dist/ from the graph: every export format, the VoID description, a README.

``prepare_exports`` wraps the project's graph in memory for the one export pipeline (kg.export.exports);
``store_exports`` gives the same exports from an in-memory Oxigraph store of the files, as kg build has it
(the split and the RDF formats made there, as the cache makes them for kg export, with no copy of the graph
from rdflib); ``build_bundle`` (or ``bundle_files``, from exports already prepared) gives the bytes of every
file that dist/ gets from this module. Which files those are, and the VoID description that lists them, live in
kg.rdf.publication, since the published dataset is also what kg push uploads.
"""

from __future__ import annotations

from functools import cached_property

from rdflib import Graph

from kg.backends.cache import CacheBackend, CachedGraph, CachedPublication
from kg.backends.memory import MemoryBackend
from kg.export.exports import Exports
from kg.project import Project
from kg.rdf.load import LoadedGraph, merged_namespaces
from kg.rdf.publication import (
    BUNDLE_FILES,
    OTHER_FILES,
    README_FILE,
    REPORT_FILE,
    TIMELINE_FILE,
    VIEW_FILE,
    VOID_FILE,
    PublishedQuads,
    publish_store,
)
from kg.rdf.write import named_graphs, serialize

__all__ = [
    "BUNDLE_FILES",
    "OTHER_FILES",
    "README_FILE",
    "REPORT_FILE",
    "TIMELINE_FILE",
    "VIEW_FILE",
    "VOID_FILE",
    "BundleExports",
]


class BundleExports(Exports):
    """The exports of the project's files, which also carry the dataset's VoID description alone."""

    def __init__(self, backend: MemoryBackend | StoreBackend) -> None:
        super().__init__(backend)
        self.void = backend.publication.void


class StorePublication(CachedPublication):
    """The publication of a store of the files, with its VoID description alone, which dist/void.ttl holds."""

    def __init__(self, made: PublishedQuads) -> None:
        super().__init__(made.prefixes, None, made, made.union)
        self.void: Graph = made.void


class StoreBackend(CacheBackend):
    """The project's files in an in-memory Oxigraph store that kg build fills once and validates too: the RDF
    exports, the split and the pages' queries from the store, as the cache gives them to kg export and kg
    render; the network, the class names and the summary from the rdflib graph of the files, already loaded."""

    def __init__(self, loaded: LoadedGraph, project: Project, cached: CachedGraph) -> None:
        super().__init__(project)
        self.cached = cached  # the store kg build validated: filled once for the whole build
        self.files = MemoryBackend(loaded, project)  # already loaded: not parsed again

    def describe(self) -> str:
        return f"the files of {self.project.root}, in memory"

    @cached_property
    def publication(self) -> StorePublication:
        built = self.cached.facts()
        namespaces = merged_namespaces(built.file_prefixes)
        lines = self.cached.merged_lines()
        return StorePublication(publish_store(self.store, built.ontology, namespaces, built.backed, lines))


def prepare_exports(loaded: LoadedGraph, project: Project) -> BundleExports:
    """The project's graph, ready to be written in every format (the split and VoID made when first needed)."""
    # The pages' queries (conflicts, the timeline) run in Oxigraph, as kg render's do: rdflib took seconds.
    return BundleExports(MemoryBackend(loaded, project, engine_name="oxigraph"))


def store_exports(loaded: LoadedGraph, project: Project, cached: CachedGraph) -> BundleExports:
    """The project's graph from ``cached``, a store of its files (kg.backends.cache.graph_in_memory), with
    ``loaded``, the same files in rdflib: the same exports as ``prepare_exports`` gives, with no copy of the
    graph between the two."""
    return BundleExports(StoreBackend(loaded, project, cached))


def build_bundle(loaded: LoadedGraph, project: Project) -> dict[str, bytes]:
    """The bytes of every file this module puts into dist/, by file name."""
    return bundle_files(prepare_exports(loaded, project))


def bundle_files(exports: BundleExports) -> dict[str, bytes]:
    """The bytes of every file this module puts into dist/, by file name, from exports already prepared."""
    files = {f.name: exports.render(f.format_name) for f in BUNDLE_FILES}
    files[VOID_FILE] = serialize(exports.void, "turtle")
    files[README_FILE] = bundle_readme(exports)
    return files


def bundle_readme(exports: BundleExports) -> bytes:
    """dist/README.md: what each file holds and what it is for; the same graph gives the same text."""
    lines = [
        "# kg: the built graph",
        "",
        f"Built by `kg build` from the project's ontology, sources and curated data: {len(exports.graph)} triples "
        f"(plus {len(exports.void)} describing the dataset), {len(exports.network.nodes)} entities and "
        f"{len(exports.network.edges)} claims between them. The same input always gives the same bytes.",
        "",
        "| file | what it holds |",
        "| --- | --- |",
    ]
    lines += [f"| `{f.name}` | {f.purpose} |" for f in BUNDLE_FILES]
    lines += [f"| `{name}` | {purpose} |" for name, _, purpose in OTHER_FILES]
    lines += ["", "## Named graphs", "", "`graph.nq`, `graph.trig` and `graph.jsonld` keep these apart:", ""]
    lines += [f"- `{g.identifier}`: {len(g)} triples" for g in named_graphs(exports.dataset)]
    lines += [
        "",
        "A source's graph holds its statements and the direct edges they back, so replacing or dropping that",
        "graph in a store replaces or drops exactly what the source contributed.",
        "",
        "## Loading",
        "",
        "```bash",
        "oxigraph load --location store --file graph.nq      # Oxigraph",
        "tdb2.tdbloader --loc DB graph.nq                     # Jena TDB2, then: fuseki-server --loc DB /kg",
        "```",
        "",
        "The network files (`graph.graphml`, `graph.gexf`, `nodes.csv`, `edges.csv`) open in Gephi, yEd or networkx.",
        "See docs/export.md in the project for every format, the named graphs and the JSON-LD context.",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
