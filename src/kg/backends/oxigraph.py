"""An on-disk Oxigraph store: ``kg load`` fills it once, every later command opens it without parsing.

Layout: the default graph holds the merged graph, exactly what the in-memory backend builds from the
same files (with the direct edges derived from the statements, kg.rdf.direct), so queries give the same
answers on both. A file in a format with named graphs (N-Quads,
TriG, JSON-LD) keeps its named graphs too, and its triples are merged into the default graph as well,
as the in-memory loader merges them.

A load builds a new store beside the old one and swaps it in only when every file has loaded
(kg.guard.files.replace_directory), so a failed or interrupted load leaves the previous store as it was.
Commands that read open the store read-only, which takes no lock: any number can run at once, also
while a load builds the next version.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.term import IdentifiedNode

from kg.backends import Backend
from kg.backends.progress import Progress, Task
from kg.errors import InputError, KgError, UsageError
from kg.guard import limits
from kg.guard.files import replace_directory
from kg.query.engines import QUERY_PREFIXES, OxigraphEngine, QueryEngine
from kg.rdf.convert import add_to_graph, from_oxigraph
from kg.rdf.direct import DIRECT_EDGES_UPDATE
from kg.rdf.formats import RdfFormat, rdf_format_for_path
from kg.rdf.load import (
    check_entity_expansion,
    located_error,
    new_graph,
    open_regular,
    read_input,
    regular_file_size,
)
from kg.rdf.merged_lines import LineCollector
from kg.rdf.quads import canonical_nquads

COUNT_DEFAULT_GRAPH = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@dataclass(frozen=True)
class LoadReport:
    store: Path
    triples: int
    files: tuple[Path, ...]
    named_graphs: int
    seconds: float

    def summary(self) -> str:
        graphs = f", {plural(self.named_graphs, 'named graph')}" if self.named_graphs else ""
        return (
            f"loaded {plural(self.triples, 'triple')}{graphs} from {plural(len(self.files), 'file')} "
            f"into the Oxigraph store {self.store} in {self.seconds:.1f} s"
        )


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def is_store(path: Path) -> bool:
    """Whether ``path`` holds an Oxigraph (RocksDB) database: RocksDB always writes CURRENT."""
    return (path / "CURRENT").is_file()


def check_replaceable(path: Path) -> None:
    """Refuse to replace anything but a store, an empty folder or nothing: a typo must not delete data."""
    if not path.exists() or is_store(path):
        return
    if path.is_dir() and not any(path.iterdir()):
        return
    raise UsageError(
        f"{path} exists and is not an Oxigraph store; kg load replaces only a store it made, an empty folder, "
        "or nothing: choose a new folder"
    )


def load_store(path: Path, files: Sequence[Path], progress: Progress | None = None) -> LoadReport:
    """Replace the store at ``path`` with the triples of ``files``; on any failure the old store stays."""
    if not files:
        raise UsageError("nothing to load: no files given and none in the project")
    check_replaceable(path)
    formats = [rdf_format_for_path(p) for p in files]
    sizes = [input_size(p) for p in files]
    started = time.monotonic()
    progress = progress or Progress.silent()
    with progress.task(f"loading {plural(len(files), 'file')} into {path}", total=sum(sizes), unit="bytes") as task:
        replace_directory(path, lambda staging: fill_store(staging, files, formats, task))
    store = open_store(path)
    return LoadReport(
        path, count_default_graph(store), tuple(files), len(list(store.named_graphs())), time.monotonic() - started
    )


def input_size(path: Path) -> int:
    return regular_file_size(path)  # a pipe would block the load for ever, a device never end


def fill_store(folder: Path, files: Sequence[Path], formats: Sequence[RdfFormat], task: Task) -> None:
    store = ox.Store(str(folder))
    for path, fmt in zip(files, formats, strict=True):
        load_file(store, path, fmt, task)
    store.update(DIRECT_EDGES_UPDATE)  # the direct layer, derived as the in-memory loader derives it
    store.flush()
    store.optimize()  # compacts the freshly written files: smaller store, faster queries from the start
    # The store closes when its last reference goes, as this function returns, before the folder is moved.


def load_file(
    store: ox.Store,
    path: Path,
    fmt: RdfFormat,
    task: Task,
    *,
    subjects: set[ox.NamedNode | ox.BlankNode] | None = None,
    lines: LineCollector | None = None,
) -> dict[str, str]:
    """Load one file into ``store`` (named graphs kept, and copied into the default graph); return the prefixes it
    declares. ``subjects``, if given, receives every subject the file describes; ``lines`` the triples it adds to
    the default graph."""
    data = b""
    if fmt.name == "rdfxml":  # the entity check reads the whole file; the parser then reads those bytes
        data = read_input(path)
        check_entity_expansion(data, str(path))
    base = path.resolve().as_uri()
    try:
        with io.BytesIO(data) if fmt.name == "rdfxml" else open_regular(path) as handle:
            reader = cast("IO[bytes]", ProgressReader(handle, task, str(path)))  # a file, as far as Oxigraph knows
            parser = ox.parse(reader, format=fmt.oxigraph, base_iri=base, rename_blank_nodes=True)
            quads: Iterable[ox.Quad] = parser
            if fmt.holds_named_graphs:
                quads = chain.from_iterable(with_default_copy(quad) for quad in quads)
            if subjects is not None:
                quads = noting_subjects(quads, subjects)
            if lines is not None:
                quads = lines.watch(quads, only_default=not fmt.holds_named_graphs)
            store.bulk_extend(quads)
    except SyntaxError as exc:
        raise located_error(exc, fmt, str(path), data) from None
    except OSError as exc:
        raise InputError(f"cannot load into the store: {exc}", path=str(path)) from exc
    return {prefix: namespace for prefix, namespace in parser.prefixes.items() if prefix}


def noting_subjects(quads: Iterable[ox.Quad], subjects: set[ox.NamedNode | ox.BlankNode]) -> Iterator[ox.Quad]:
    for quad in quads:
        subjects.add(quad.subject)  # type: ignore[arg-type]
        yield quad


def with_default_copy(quad: ox.Quad) -> Iterator[ox.Quad]:
    """The quad, and for a quad in a named graph its triple in the default graph too."""
    yield quad
    if not isinstance(quad.graph_name, ox.DefaultGraph):
        yield ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph())


class ProgressReader(io.RawIOBase):
    """A file as the parser reads it, reporting bytes read and stopping the load past the time limit."""

    def __init__(self, handle: io.BufferedIOBase, task: Task, source: str) -> None:
        self.handle = handle
        self.task = task
        self.source = source
        timeout = limits.current().timeout
        self.deadline = time.monotonic() + timeout if timeout else None
        self.timeout = timeout

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise limits.LimitExceeded(
                f"loading {self.source} took longer than {self.timeout:g} s; raise the limit with --timeout"
            )
        count = self.handle.readinto(buffer)
        self.task.advance(count)
        return count


def open_store(path: Path) -> ox.Store:
    """The store at ``path``, read-only."""
    if not is_store(path):
        raise UsageError(f"no Oxigraph store at {path}: create one with kg load --store oxigraph:{path}")
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise KgError(f"cannot open the Oxigraph store {path}: {exc}") from exc


def count_default_graph(store: ox.Store) -> int:
    solutions = store.query(COUNT_DEFAULT_GRAPH)
    assert isinstance(solutions, ox.QuerySolutions)  # a SELECT answers with solutions
    count = next(iter(solutions))[0]
    return int(count.value) if count is not None else 0


class OxigraphBackend(Backend):
    """The graph in an Oxigraph store on disk, opened read-only when first used."""

    def __init__(self, path: Path, context_file: Path | None = None) -> None:
        self.path = path
        self.context_file = context_file

    @cached_property
    def store(self) -> ox.Store:
        return open_store(self.path)

    def describe(self) -> str:
        return f"the Oxigraph store {self.path}"

    def make_engine(self) -> QueryEngine:
        return OxigraphEngine(self.store)

    def triple_count(self) -> int:
        return count_default_graph(self.store)

    def graph(self) -> Graph:
        """The default graph as an rdflib graph, with the project's prefixes bound."""
        graph = new_graph()
        for name, namespace in QUERY_PREFIXES.items():
            graph.bind(name, namespace, override=False)
        add_to_graph(graph, self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        return graph

    def quads(self) -> ox.Dataset:
        return ox.Dataset(self.store.quads_for_pattern(None, None, None, None))

    def canonical_nquads(self) -> bytes:
        # Dumped by Oxigraph itself: no dataset of a million quads built in Python on the way.
        return canonical_nquads(self.store.dump(format=ox.RdfFormat.N_QUADS) or b"")

    def prefixes(self) -> dict[str, str]:
        """What ``dataset()`` binds, without copying the store into rdflib for it."""
        return {name: str(namespace) for name, namespace in prefixed_dataset().namespaces()}

    def dataset(self) -> Dataset:
        """Every graph of the store: the default graph (the merged graph) and the named graphs of the files
        loaded into it, with the project's prefixes bound."""
        dataset = prefixed_dataset()
        add_to_graph(dataset.default_graph, self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        for graph_name in sorted(self.store.named_graphs(), key=str):
            target = dataset.graph(cast(IdentifiedNode, from_oxigraph(graph_name)))
            add_to_graph(target, self.store.quads_for_pattern(None, None, None, graph_name))
        return dataset


def prefixed_dataset() -> Dataset:
    """An empty rdflib dataset with the project's prefixes bound (and rdflib's own)."""
    dataset = Dataset()
    for name, namespace in QUERY_PREFIXES.items():
        dataset.bind(name, namespace, override=True, replace=True)
    return dataset
