"""Files to one graph: parse errors name the file, line and column; hostile input is bounded.

Every format is read with pyoxigraph's parsers: they are strict, linear in the input (rdflib's Turtle and
RDF/XML parsers slow down quadratically on long literals), report line and column, and never fetch a remote
JSON-LD context. The triples are then held in an rdflib graph, the embedded default store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import IdentifiedNode

from kg import limits
from kg.errors import InputError
from kg.formats import RdfFormat, rdf_format_for_path
from kg.project import Project
from kg.terms import from_oxigraph
from kg.vocab import PREFIXES

OXIGRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}

OXIGRAPH_POSITION = re.compile(r"^Parser error (at|between) line \d+ column \d+( and line \d+ column \d+)?: ")
ENTITY_DECLARATION = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s>]+)\s+(SYSTEM|PUBLIC|\"([^\"]*)\"|'([^']*)')", re.S)
ENTITY_REFERENCE = re.compile(rb"&([A-Za-z_][\w.-]*);")


@dataclass
class LoadedGraph:
    """The merged graph and, for each subject, the file that first described it."""

    graph: Graph
    files: list[Path]
    subject_files: dict[IdentifiedNode, Path] = field(default_factory=dict)

    def origin_of(self, node: IdentifiedNode) -> Path | None:
        return self.subject_files.get(node)


def load_project(project: Project, extra_files: list[Path] | None = None) -> LoadedGraph:
    """The ontology, the source manifest and all curated data of ``project`` as one graph."""
    return load_files([*project.graph_files(), *(extra_files or [])])


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


def new_graph() -> Graph:
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def parse_file(path: Path, fmt: RdfFormat | None = None) -> Graph:
    """One file as a graph (named graphs merged), or an InputError that says where it went wrong."""
    fmt = fmt or rdf_format_for_path(path)
    try:
        limits.check_size(str(path), path.stat().st_size)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc
    return parse_bytes(data, fmt, source=str(path), base_iri=path.resolve().as_uri())


def parse_bytes(data: bytes, fmt: RdfFormat, *, source: str, base_iri: str | None = None) -> Graph:
    limits.check_size(source, len(data))
    if fmt.name == "rdfxml":
        check_entity_expansion(data, source)
    graph = new_graph()
    try:
        with limits.time_limit(f"parsing {source}"):
            parser = ox.parse(data, format=OXIGRAPH_FORMATS[fmt.name], base_iri=base_iri, rename_blank_nodes=True)
            graph.addN(
                (from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object), graph) for q in parser
            )
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
    """Refuse RDF/XML whose DTD entities could expand out of all proportion, before any parser sees it.

    Editors such as Protégé declare entities as namespace shorthands (&owl;), which stay allowed; what is
    refused is an external entity, an entity that refers to another, and a total expansion beyond the input
    size limit.
    """
    expanded = 0
    values: dict[bytes, bytes] = {}
    for match in ENTITY_DECLARATION.finditer(data):
        name, kind = match.group(2), match.group(3)
        if kind in (b"SYSTEM", b"PUBLIC"):
            raise InputError(f"external entity {name.decode(errors='replace')!r} is not allowed", path=source)
        value = match.group(4) if match.group(4) is not None else match.group(5) or b""
        if b"&" in value or b"%" in value:
            raise InputError(
                f"entity {name.decode(errors='replace')!r} refers to another entity; nested entities are not allowed",
                path=source,
            )
        values[name] = value
    if not values:
        return
    for reference in ENTITY_REFERENCE.finditer(data):
        expanded += len(values.get(reference.group(1), b""))
    limits.check_size(f"{source} after entity expansion", len(data) + expanded)


def one_line(text: str) -> str:
    return " ".join(text.split())
