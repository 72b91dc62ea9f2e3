"""Files to one graph: parse errors name the file, line and column; hostile input is bounded.

Every format is read with pyoxigraph's parsers: they are strict, linear in the input (rdflib's Turtle and
RDF/XML parsers slow down quadratically on long literals), report line and column, and never fetch a remote
JSON-LD context. The triples are then held in an rdflib graph, the embedded default store.

Hostile input is bounded before a parser sees it: only regular files are read (a FIFO or /dev/zero linked
into data/ would block or never end), at most --max-input-size bytes of them; RDF/XML may not declare
external or nested entities nor nest elements deeper than MAX_XML_DEPTH (pyoxigraph's RDF/XML parser is
quadratic in depth, in native code that the time limit cannot interrupt). Nothing is fetched: a URL given
as a file is refused, and owl:imports is never followed.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from io import BufferedReader
from pathlib import Path
from xml.parsers import expat

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import IdentifiedNode

from kg.errors import InputError, UsageError, one_line
from kg.guard import limits
from kg.project import Project
from kg.rdf.convert import add_to_graph
from kg.rdf.direct import Triple, derive_direct_edges
from kg.rdf.formats import RdfFormat, rdf_format_for_path
from kg.rdf.namespaces import PREFIXES

# "Parser error at line 2 column 5: ", "... at line 1 between columns 1 and 16: ", "... between line 1 column 3
# and line 2 column 1: ": the position, which InputError shows in its own form.
OXIGRAPH_POSITION = re.compile(r"^Parser error (?:at|between) line \d+[^:]*: ")
ENTITY_REFERENCE = re.compile(rb"&([A-Za-z_][\w.-]*);")
URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:/")
# RDF/XML written by tools nests a few levels (Protégé: under 10); pyoxigraph needs 8 s at depth 40,000.
MAX_XML_DEPTH = 1000


@dataclass
class LoadedGraph:
    """The merged graph, for each subject the file that first described it, and the direct edges that were
    derived from statements rather than read (kg.rdf.direct)."""

    graph: Graph
    files: list[Path]
    subject_files: dict[IdentifiedNode, Path] = field(default_factory=dict)
    derived: set[Triple] = field(default_factory=set)

    def origin_of(self, node: IdentifiedNode) -> Path | None:
        return self.subject_files.get(node)


def load_project(project: Project, extra_files: list[Path] | None = None, *, first: Sequence[Path] = ()) -> LoadedGraph:
    """The ontology, the source manifest and all curated data of ``project`` as one graph, with the direct
    edges its statements imply (kg.rdf.direct). The ``first`` files are read before the project's, so that a
    node they describe is traced to them; a file given twice is read once."""
    paths: dict[Path, Path] = {}
    for path in [*first, *project.graph_files(), *(extra_files or [])]:
        paths.setdefault(path.resolve(), path)
    loaded = load_files(list(paths.values()))
    loaded.derived.update(derive_direct_edges(loaded.graph))
    return loaded


def context_files(project: Project) -> list[Path]:
    """The files that give a source's data file its meaning: the ontology, the manifest and the entities."""
    return [*project.ontology_files(), project.manifest, *sorted((project.data_dir / "entities").glob("**/*.ttl"))]


def load_files(paths: list[Path]) -> LoadedGraph:
    loaded = LoadedGraph(graph=new_graph(), files=list(paths))
    for path in paths:
        part = parse_file(path)
        for subject in part.subjects(unique=True):
            if isinstance(subject, IdentifiedNode):
                loaded.subject_files.setdefault(subject, path)
        loaded.graph += part
        for prefix, namespace in part.namespaces():
            loaded.graph.bind(prefix, namespace, override=False)
    return loaded


def merged_namespaces(file_prefixes: Sequence[Mapping[str, str]]) -> list[tuple[str, str]]:
    """The prefixes the merged graph of files declaring ``file_prefixes`` (in load order) binds, as
    ``load_files`` binds them, without parsing the files again."""
    merged = new_graph()
    for prefixes in file_prefixes:
        part = new_graph()
        for prefix, namespace in prefixes.items():
            if prefix:
                part.bind(prefix, namespace, override=False)
        for prefix, namespace in part.namespaces():
            merged.bind(prefix, namespace, override=False)
    return [(prefix, str(namespace)) for prefix, namespace in merged.namespaces()]


def new_graph() -> Graph:
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def parse_file(path: Path, fmt: RdfFormat | None = None) -> Graph:
    """One file as a graph (named graphs merged), or an InputError that says where it went wrong."""
    refuse_url(path)
    fmt = fmt or rdf_format_for_path(path)
    return parse_bytes(read_input(path), fmt, source=str(path), base_iri=path.resolve().as_uri())


def refuse_url(path: Path) -> None:
    """A URL where a file should be (``Path`` has made ``https://`` of it ``https:/``) is no file to read."""
    if URL_LIKE.match(str(path)) and not path.exists():
        raise InputError(
            "kg reads local files only and never downloads data; save the document and give its file",
            path=re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*):/(?!/)", r"\1://", str(path)),
        )


def read_input(path: Path) -> bytes:
    """The bytes of a regular file within the size limit; reads one byte past the limit, never more."""
    limit = limits.current().max_input_bytes
    regular_file_size(path)
    try:
        with open_regular(path) as handle:
            data = handle.read() if limit is None else handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc
    limits.check_size(str(path), len(data))  # a file that grew meanwhile, or a /proc file that reports size 0
    return data


def regular_file_size(path: Path) -> int:
    """The size of ``path``, which must be a regular file within the size limit (else an InputError)."""
    refuse_url(path)
    try:
        status = os.stat(path)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc
    if not stat.S_ISREG(status.st_mode):  # opening a pipe would block; a device may never end
        raise InputError("not a regular file (a folder, device or pipe); kg reads files only", path=str(path))
    limits.check_size(str(path), status.st_size)
    return status.st_size


def open_regular(path: Path) -> BufferedReader:
    """``path`` opened for reading without blocking on a pipe put in its place since it was checked:
    the open does not wait for a writer, and what it opened must still be a regular file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError("not a regular file (a folder, device or pipe); kg reads files only", path=str(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_text_input(path: Path) -> str:
    """A text file (a query) read as read_input reads, decoded as UTF-8."""
    return decoded_text(read_input(path), path)


def decoded_text(data: bytes, path: Path) -> str:
    """``data`` read from ``path`` as UTF-8 text; an InputError at the first byte that is not."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line, column = before.count(b"\n") + 1, exc.start - before.rfind(b"\n")
        raise InputError(
            f"cannot read: not UTF-8 text ({exc.reason})", path=str(path), line=line, column=column
        ) from None


def check_output_path(project: Project, target: Path, standard_output: str = "when no output file is given") -> None:
    """Refuse an output path among the project's sources (kg never changes what it reads), and one that
    is not a file: kg replaces an output whole, which would put a file in place of /dev/stdout, say."""
    resolved = refuse_source_folder(project, target, "a file")
    if resolved.exists() and not resolved.is_file():
        raise UsageError(
            f"{target} is not a regular file (a folder, device or pipe); kg writes whole files only, "
            f"and writes to standard output {standard_output}"
        )


def refuse_source_folder(project: Project, target: Path, kind: str) -> Path:
    """``target`` resolved (symbolic links followed), refused if it lies among the project's sources."""
    resolved = target.resolve()
    for folder in (project.data_dir, project.ontology_dir, project.seeds_dir, project.queries_dir):
        if resolved.is_relative_to(folder.resolve()):
            raise UsageError(
                f"{target}: kg never writes into {folder.name}/, which holds the project's sources; "
                f"choose {kind} elsewhere (dist/, say)"
            )
    return resolved


def parse_bytes(data: bytes, fmt: RdfFormat, *, source: str, base_iri: str | None = None) -> Graph:
    limits.check_size(source, len(data))
    if fmt.name == "rdfxml":
        check_entity_expansion(data, source)
    graph = new_graph()
    try:
        with limits.time_limit(f"parsing {source}"):
            parser = ox.parse(data, format=fmt.oxigraph, base_iri=base_iri, rename_blank_nodes=True)
            add_to_graph(graph, parser)
    except SyntaxError as exc:
        raise located_error(exc, fmt, source, data) from None
    for prefix, namespace in parser.prefixes.items():
        if prefix:
            graph.bind(prefix, namespace, override=False)
    return graph


def located_error(exc: SyntaxError, fmt: RdfFormat, source: str, data: bytes) -> InputError:
    message = str(exc)
    if exc.lineno:
        message = OXIGRAPH_POSITION.sub("", message.rsplit(" (", 1)[0])
    if "LoadDocumentCallback" in message:
        message = "the document names a remote JSON-LD context, and kg never fetches one; inline the context"
    line, column = exc.lineno, exc.offset
    if line is None and fmt.name == "rdfxml":
        line, column = xml_error_position(data)
    return InputError(f"invalid {fmt.name}: {one_line(message)}", path=source, line=line, column=column)


def xml_error_position(data: bytes) -> tuple[int | None, int | None]:
    """Where expat finds the document ill-formed (pyoxigraph's RDF/XML errors carry no position)."""
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        return exc.lineno, exc.offset + 1
    return None, None


def check_entity_expansion(data: bytes, source: str) -> None:
    """Refuse RDF/XML whose entities or nesting could make the parser's work explode, before it sees it.

    One pass of expat (linear, and interruptible through its Python callbacks). Editors such as Protégé
    declare entities as namespace shorthands (&owl;), which stay allowed; refused are an external entity,
    an entity that refers to another, a total expansion beyond the input size limit (counted when the
    first element opens, after the declarations and before any expansion), elements nested more than
    MAX_XML_DEPTH deep, and anything expat finds ill-formed: pyoxigraph reads some ill-formed documents
    (a comment holding ``--``), so such a flaw before the DTD would otherwise hide its entities from this
    check, while pyoxigraph expands them, nested ones too.
    """
    parser = expat.ParserCreate()
    entities: dict[str, int] = {}
    depth = 0

    def declared(name: str, is_parameter: int, value: str | None, base: object, system: str | None, *_: object) -> None:
        if system is not None or value is None:
            raise xml_refusal(f"external entity {name!r} is not allowed", parser, source)
        if "&" in value or "%" in value:
            raise xml_refusal(
                f"entity {name!r} refers to another entity; nested entities are not allowed", parser, source
            )
        entities[name] = len(value.encode("utf-8"))

    def opened(name: str, attributes: object) -> None:
        nonlocal depth
        depth += 1
        if depth == 1 and entities:
            expanded = sum(
                entities.get(m.group(1).decode(errors="replace"), 0) for m in ENTITY_REFERENCE.finditer(data)
            )
            limits.check_size(f"{source} after entity expansion", len(data) + expanded)
        if depth > MAX_XML_DEPTH:
            raise xml_refusal(f"elements nest more than {MAX_XML_DEPTH} deep, which kg does not read", parser, source)

    def closed(name: str) -> None:
        nonlocal depth
        depth -= 1

    parser.EntityDeclHandler = declared
    parser.StartElementHandler = opened
    parser.EndElementHandler = closed
    with limits.time_limit(f"checking the XML of {source}"):
        try:
            parser.Parse(data, True)
        except expat.ExpatError as exc:
            reason = expat.ErrorString(exc.code) if exc.code else str(exc)
            raise InputError(f"invalid rdfxml: {reason}", path=source, line=exc.lineno, column=exc.offset + 1) from None


def xml_refusal(reason: str, parser: expat.XMLParserType, source: str) -> InputError:
    return InputError(
        f"invalid rdfxml: {reason}", path=source, line=parser.CurrentLineNumber, column=parser.CurrentColumnNumber + 1
    )
