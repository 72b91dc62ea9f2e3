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

What a store cannot give without the files (kg's named-graph split, the VoID description, the
prefixes the files declare) comes from the files, parsed into rdflib as the in-memory backend does,
only when a command asks for it (kg export, whole-graph views, validation).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.term import Node

from kg.backends.memory import MemoryBackend
from kg.backends.oxigraph import OxigraphBackend, fill_store, load_file, open_store
from kg.backends.progress import Progress
from kg.errors import InputError, UsageError
from kg.guard.sparql import tokens
from kg.project import Project
from kg.query.engines import OxigraphEngine, QueryResult, rdflib_parse
from kg.rdf.formats import rdf_format_for_path
from kg.rdf.load import load_project, read_input

CACHE_DIR = ".kg"
STORE_PREFIX = "oxigraph-"
# Part of the key: a kg that fills the store differently must not read a store an older kg filled.
CACHE_LAYOUT = b"kg-cache-1\n"


def cache_key(files: list[Path], root: Path) -> str:
    """A hash of the files' names (relative to ``root``) and contents, in order."""
    digest = hashlib.blake2b(CACHE_LAYOUT, digest_size=16)
    for path in files:
        name = os.path.relpath(path, root).encode("utf-8")
        data = read_input(path)  # regular files within the size limit, as the load will read them
        digest.update(b"%d:%s%d:" % (len(name), name, len(data)))
        digest.update(data)
    return digest.hexdigest()


def cached_store(project: Project) -> ox.Store:
    """The project's store, read-only: the cached one for the files as they are now, built if missing."""
    files = project.graph_files()
    if not files:
        raise UsageError(f"{project.root} holds no graph files (ontology/, seeds/manifest.ttl, data/)")
    cache = project.root / CACHE_DIR
    target = cache / f"{STORE_PREFIX}{cache_key(files, project.root)}"
    if (target / "CURRENT").is_file():
        return open_store(target)
    try:
        cache.mkdir(exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".build-", dir=cache))
    except OSError:
        return store_in_memory(files)  # nowhere to keep a cache: build it for this command only
    try:
        build_cache(cache, staging, target, files)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return open_store(target)


def build_cache(cache: Path, staging: Path, target: Path, files: list[Path]) -> None:
    """Fill ``staging`` and rename it to ``target``; then drop the stores of older versions of the files."""
    (cache / ".gitignore").write_text("# kg's cache of the project's graph; safe to delete\n*\n", encoding="utf-8")
    with Progress.silent().task("building the cache", None, "bytes") as task:
        fill_store(staging, files, [rdf_format_for_path(p) for p in files], task)
    try:
        staging.rename(target)
    except OSError:
        if not (target / "CURRENT").is_file():
            raise
        return  # another kg built the same store meanwhile: theirs is as good as ours
    for old in cache.glob(f"{STORE_PREFIX}*"):
        if old != target:
            shutil.rmtree(old, ignore_errors=True)


def store_in_memory(files: list[Path]) -> ox.Store:
    store = ox.Store()
    with Progress.silent().task("loading the files", None, "bytes") as task:
        for path in files:
            load_file(store, path, rdf_format_for_path(path), task)
    return store


class CacheBackend(OxigraphBackend):
    """The project's files: queries and parts of the graph from the cached store, the rest from the files."""

    def __init__(self, project: Project) -> None:
        super().__init__(project.root / CACHE_DIR, context_file=project.context_file)
        self.project = project

    def describe(self) -> str:
        return f"the files of {self.project.root}"

    @cached_property
    def store(self) -> ox.Store:
        return cached_store(self.project)

    def make_engine(self) -> CacheEngine:
        return CacheEngine(self)

    @cached_property
    def files(self) -> MemoryBackend:
        # What only the files give (the split, the VoID description, their prefixes), parsed when first asked.
        return MemoryBackend(load_project(self.project), self.project)

    def graph(self) -> Graph:
        return self.files.graph()

    def dataset(self) -> Dataset:
        return self.files.dataset()

    def quads(self) -> ox.Dataset:
        return self.files.quads()

    def prefixes(self) -> dict[str, str]:
        return self.files.prefixes()


class CacheEngine:
    """Oxigraph over the cached store, answering as the files' rdflib engine did where the two differ:
    with ``--bind`` of a variable a SELECT does not list (Oxigraph substitutes only variables the SELECT
    projects; rdflib binds any, so such a query runs in rdflib over the files), and in
    the words of a syntax error (kg's messages and positions are rdflib's), which costs rdflib's
    parser only for a query that fails."""

    def __init__(self, backend: CacheBackend) -> None:
        self.backend = backend

    @cached_property
    def oxigraph(self) -> OxigraphEngine:
        return OxigraphEngine(self.backend.store)

    def run(self, query: str, bindings: Mapping[str, Node] | None = None, *, source: str = "<query>") -> QueryResult:
        if bindings and not oxigraph_binds(query, set(bindings)):
            return self.backend.files.engine().run(query, bindings, source=source)
        try:
            return self.oxigraph.run(query, bindings, source=source)
        except InputError as exc:
            if "invalid SPARQL: " in str(exc):
                rdflib_parse(query, source)  # raises rdflib's error, the one kg has always shown
            raise


def oxigraph_binds(query: str, names: set[str]) -> bool:
    """Whether Oxigraph substitutes values for all of ``names`` as rdflib binds them: in an ASK, CONSTRUCT
    or DESCRIBE any variable, in a SELECT only those it lists (not under ``SELECT *``)."""
    selected = selected_variables(query)
    return selected is None or names <= selected


def selected_variables(query: str) -> set[str] | None:
    """The variables a SELECT lists (``?x``, and ``?y`` of ``(… AS ?y)``), none for ``SELECT *``; None for a
    query of another kind."""
    found: set[str] = set()
    in_select, depth, after_as, first = False, 0, False, True
    for token in tokens(query):
        word = token.text.upper() if token.kind == "word" else ""
        if not in_select:
            in_select = word == "SELECT"
            if word in ("ASK", "CONSTRUCT", "DESCRIBE"):
                return None
            continue
        if (token.kind == "open" and token.text == "{") or (depth == 0 and word in ("WHERE", "FROM")):
            break
        if word in ("DISTINCT", "REDUCED"):
            continue
        if first and token.text == "*":
            return set()
        first = False
        depth += {"(": 1, ")": -1}.get(token.text, 0)
        if token.kind == "variable" and (depth == 0 or after_as):
            found.add(token.text[1:])
        after_as = word == "AS"
    return found
