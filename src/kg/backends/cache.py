"""The default backend: the project's files, answered from an Oxigraph store that kg keeps as a cache.

Without ``--store``, ``kg query`` and the views ask an Oxigraph store of the project's graph files
(ontology, manifest, data) kept under ``.kg/`` in the project, beside data/ (never inside the folders kg
reads). The store's folder is named by a content hash of those files (kg.backends.cache_key), so a
command never answers from a stale cache: when any file changes, the hash names a folder that does
not exist yet and the store is built again, as ``kg load`` builds one. Deleting ``.kg/`` is always
safe; the next command rebuilds it.

A build fills a fresh folder of its own and renames it into place in one step, so two kg processes
building at once never share a half-built store: the first rename wins, the other process drops its
copy and opens the winner's. Where ``.kg/`` cannot be written (a read-only checkout), the store is
built in memory for the one command.

Beside the store, the cache keeps what the store cannot say of the files: the prefixes each declares and
the subjects the ontology files describe. From those and the store, kg's named-graph split and its VoID
description (kg.rdf.publication) are made the first time an export asks, without an rdflib graph, and kept
beside the store for the next export; whole-graph views read the store too. Only what needs the whole graph
in rdflib (validation, the network formats) parses the files into rdflib, as the in-memory backend does.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.backends.cache_engine import CacheEngine
from kg.backends.memory import MemoryBackend
from kg.backends.oxigraph import OxigraphBackend, load_file, open_store
from kg.backends.progress import Progress
from kg.errors import UsageError
from kg.guard.files import atomic_write, atomic_write_parts
from kg.project import Project
from kg.rdf.formats import rdf_format_for_path
from kg.rdf.load import load_project, merged_namespaces, read_input
from kg.rdf.merged_lines import LineCollector, UnionLines, chunked, dumped_lines, sort_lines_file
from kg.rdf.publication import PublishedQuads, publish_store
from kg.rdf.quads import serialized, union_lines
from kg.rdf.split import Resource, dataset_of, derive_direct_layer

CACHE_DIR = ".kg"
STORE_PREFIX = "oxigraph-"
# Part of the key: a kg that fills the cache (or writes its publication) differently must not read a cache
# an older kg filled.
CACHE_LAYOUT = b"kg-cache-5\n"
STORE_FOLDER = "store"  # the Oxigraph store, inside the cache's folder
FILES_FACTS = "files.json"  # what the store cannot say of the files: their prefixes, the ontology's subjects
PUBLICATION = "publication.nq"  # kg's named graphs and their description, made when first asked for
PUBLICATION_PREFIXES = "publication.json"
BACKED_EDGES = "backed-edges.nq"  # each direct edge in the graph of each source that backs it
MERGED_LINES = "merged.nt"  # the merged graph as the store holds it, sorted N-Triples lines
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_RESOURCE = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#Resource")


def cache_key(files: list[Path], root: Path) -> str:
    """A hash of the files' names (relative to ``root``) and contents, in order."""
    digest = hashlib.blake2b(CACHE_LAYOUT, digest_size=16)
    for path in files:
        name = os.path.relpath(path, root).encode("utf-8")
        data = read_input(path)  # regular files within the size limit, as the load will read them
        digest.update(b"%d:%s%d:" % (len(name), name, len(data)))
        digest.update(data)
    return digest.hexdigest()


class CachedGraph:
    """The project's graph as the cache keeps it: the store, and what the files say beyond their triples
    (their prefixes, the ontology's subjects, the direct edges with their sources), which only the split needs
    and so is read from the cache's folder when first asked for."""

    def __init__(self, store: ox.Store, folder: Path | None, built: Built | None = None) -> None:
        self.store = store
        self.folder = folder  # None: built in memory, for one command, where .kg/ cannot be written
        self.built = built

    def merged_lines(self) -> list[bytes]:
        if self.folder is None:  # a store in memory dumps itself quickly (an on-disk one takes seconds a million)
            return dumped_lines(self.store)
        return (self.folder / MERGED_LINES).read_bytes().split(b"\n")[:-1]  # ended by a line break

    def facts(self) -> Built:
        if self.built is None:
            assert self.folder is not None  # a graph built in memory carries what its build found
            facts = json.loads((self.folder / FILES_FACTS).read_text(encoding="utf-8"))
            listed = ox.parse(facts["ontology"].encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
            backed = (self.folder / BACKED_EDGES).read_bytes()
            self.built = Built(facts["prefixes"], {t.subject for t in listed}, backed)
        return self.built


@dataclass(frozen=True)
class Built:
    """What filling the store found: the prefixes each graph file declares (in the order of the files), the
    subjects the ontology files describe (as the store names them), the direct edges in the graph of each source
    that backs them (kg.rdf.split.backed_edges)."""

    file_prefixes: list[dict[str, str]]
    ontology: set[Resource]
    backed: bytes  # N-Quads


def cached_store(project: Project) -> ox.Store:
    """The project's store, read-only: the cached one for the files as they are now, built if missing."""
    return cached_graph(project).store


def cached_graph(project: Project) -> CachedGraph:
    """The project's cached graph for the files as they are now, built if missing."""
    files = project.graph_files()
    if not files:
        raise UsageError(f"{project.root} holds no graph files (ontology/, seeds/manifest.ttl, data/)")
    cache = project.root / CACHE_DIR
    target = cache / f"{STORE_PREFIX}{cache_key(files, project.root)}"
    if not (target / STORE_FOLDER / "CURRENT").is_file():
        try:
            cache.mkdir(exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".build-", dir=cache))
        except OSError:
            return graph_in_memory(project)  # nowhere to keep a cache: build it for this command only
        try:
            build_cache(cache, staging, target, files, set(project.ontology_files()))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return CachedGraph(open_store(target / STORE_FOLDER), target)


def build_cache(cache: Path, staging: Path, target: Path, files: list[Path], ontology: set[Path]) -> None:
    """Fill ``staging`` and rename it to ``target``; then drop the caches of older versions of the files."""
    (cache / ".gitignore").write_text("# kg's cache of the project's graph; safe to delete\n*\n", encoding="utf-8")
    store = ox.Store(str(staging / STORE_FOLDER))
    unsorted = staging / "merged-unsorted.nt"
    with unsorted.open("wb") as spill:
        built = fill(store, files, ontology, spill)
    store.flush()
    store.optimize()  # compacts the freshly written files: smaller store, faster queries from the start
    del store  # closed before the folder moves, and before the lines are sorted: less memory at once
    sort_lines_file(unsorted, staging / MERGED_LINES)
    unsorted.unlink()
    (staging / BACKED_EDGES).write_bytes(built.backed)
    (staging / FILES_FACTS).write_text(json.dumps(files_facts(built)), encoding="utf-8")
    try:
        staging.rename(target)
    except OSError:
        if not (target / STORE_FOLDER / "CURRENT").is_file():
            raise
        return  # another kg built the same cache meanwhile: theirs is as good as ours
    for old in cache.glob(f"{STORE_PREFIX}*"):
        if old != target:
            shutil.rmtree(old, ignore_errors=True)


def fill(store: ox.Store, files: list[Path], ontology: set[Path], spill: BinaryIO | None = None) -> Built:
    """Load ``files`` into ``store`` with the direct layer; what the split needs besides the store. The merged
    graph's lines go to ``spill`` where given (unsorted): the split reads those, not a dump of an on-disk store."""
    prefixes: list[dict[str, str]] = []
    subjects: set[Resource] = set()
    lines = LineCollector(spill) if spill is not None else None
    with Progress.silent().task("building the cache", None, "bytes") as task:
        for path in files:
            found = subjects if path in ontology else None
            prefixes.append(load_file(store, path, rdf_format_for_path(path), task, subjects=found, lines=lines))
    backed = derive_direct_layer(store)  # the direct layer, derived as the in-memory loader derives it
    if lines is not None:
        lines.add(backed)
    return Built(prefixes, subjects, serialized(backed, ox.RdfFormat.N_QUADS))


def files_facts(built: Built) -> dict[str, object]:
    # Written as N-Triples (each subject typed rdfs:Resource), which keeps blank nodes' labels as the store has them.
    listed = [ox.Triple(subject, RDF_TYPE, RDFS_RESOURCE) for subject in sorted(built.ontology, key=str)]
    return {"prefixes": built.file_prefixes, "ontology": serialized(listed, ox.RdfFormat.N_TRIPLES).decode()}


def graph_in_memory(project: Project) -> CachedGraph:
    store = ox.Store()
    return CachedGraph(store, None, fill(store, project.graph_files(), set(project.ontology_files())))


class CachedPublication:
    """kg's named graphs with their description, as sorted N-Quads with canonical blank-node labels (read from
    ``file`` when first asked for, or ``made`` by this process), and the prefixes the published dataset binds;
    ``union``, where this process split the graph, what gives the union of the graphs without the N-Quads."""

    def __init__(
        self, prefixes: dict[str, str], file: Path | None, made: PublishedQuads | None, union: UnionLines | None
    ) -> None:
        self.prefixes, self.file, self.made, self.union_lines = prefixes, file, made, union

    @classmethod
    def of(cls, made: PublishedQuads) -> CachedPublication:
        """A publication this process made and holds."""
        return cls(made.prefixes, None, made, made.union)

    @cached_property
    def nquads(self) -> bytes:
        if self.made is not None:
            return self.made.nquads
        assert self.file is not None  # neither kept nor made: nothing to read
        return self.file.read_bytes()

    def union(self) -> bytes:
        """The N-Triples of the union of the graphs, sorted."""
        return self.union_lines.text() if self.union_lines is not None else union_lines(self.nquads)


def cached_publication(cached: CachedGraph) -> CachedPublication:
    """The publication of the cached graph, split and described once and kept beside the store."""
    folder = cached.folder
    if folder is not None and (folder / PUBLICATION_PREFIXES).is_file():
        prefixes = json.loads((folder / PUBLICATION_PREFIXES).read_text(encoding="utf-8"))
        return CachedPublication(prefixes, folder / PUBLICATION, None, None)
    built = cached.facts()
    namespaces = merged_namespaces(built.file_prefixes)
    published = publish_store(cached.store, built.ontology, namespaces, built.backed, cached.merged_lines())
    if folder is not None:
        try:  # the prefixes last: their file says the publication is whole
            atomic_write_parts(folder / PUBLICATION, chunked(published.lines))
            atomic_write(folder / PUBLICATION_PREFIXES, json.dumps(published.prefixes).encode())
        except OSError:
            return CachedPublication.of(published)  # made again next time
        # Kept, the N-Quads are read back from the file if asked for (from memory the system keeps of it), so
        # that a Turtle export, which needs only the union, does not hold both.
        return CachedPublication(published.prefixes, folder / PUBLICATION, None, published.union)
    return CachedPublication.of(published)


class CacheBackend(OxigraphBackend):
    """The project's files: queries, exports and parts of the graph from the cache, the rest from the files."""

    def __init__(self, project: Project) -> None:
        super().__init__(project.root / CACHE_DIR, context_file=project.context_file)
        self.project = project

    def describe(self) -> str:
        return f"the files of {self.project.root}"

    @cached_property
    def cached(self) -> CachedGraph:
        return cached_graph(self.project)

    @cached_property
    def store(self) -> ox.Store:
        return self.cached.store

    @cached_property
    def publication(self) -> CachedPublication:
        return cached_publication(self.cached)

    def make_engine(self) -> CacheEngine:
        return CacheEngine(self)

    @cached_property
    def files(self) -> MemoryBackend:
        # What only an rdflib graph of the files gives (the whole graph for validation and the network formats).
        return MemoryBackend(load_project(self.project), self.project)

    def graph(self) -> Graph:
        return self.files.graph()

    def dataset(self) -> Dataset:
        return dataset_of(self.publication.nquads, self.publication.prefixes.items())

    def quads(self) -> ox.Dataset:
        return ox.Dataset(ox.parse(self.publication.nquads, format=ox.RdfFormat.N_QUADS))

    def canonical_nquads(self) -> bytes:
        return self.publication.nquads  # canonical and sorted already, with no dataset built

    def canonical_ntriples(self) -> bytes:
        return self.publication.union()

    def prefixes(self) -> dict[str, str]:
        return dict(self.publication.prefixes)
