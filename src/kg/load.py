"""Files to one graph: parse errors name the file, line and column."""

from __future__ import annotations

import json
import re
import xml.sax
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.term import IdentifiedNode

from kg.errors import InputError
from kg.formats import RdfFormat, rdf_format_for_path
from kg.project import Project


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
    return Graph(bind_namespaces="core")


def parse_file(path: Path, fmt: RdfFormat | None = None) -> Graph:
    """One file as a graph, or an InputError that says where it went wrong."""
    fmt = fmt or rdf_format_for_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc
    graph = new_graph()
    try:
        graph.parse(data=data, format=fmt.rdflib_name, publicID=path.resolve().as_uri())
    except Exception as exc:  # every parser failure, of whatever type, becomes a located InputError
        raise located_parse_error(path, data, fmt, exc) from exc
    return graph


def located_parse_error(path: Path, data: bytes, fmt: RdfFormat, exc: Exception) -> InputError:
    """Turn whatever the parser raised into one line with file, line and column.

    rdflib's own errors often lack a position (N-Triples) or a file name (Turtle), so where it
    gives none we ask pyoxigraph's strict parser, which reports both line and column.
    """
    line, column, reason = rdflib_error_position(exc)
    if line is None:
        line, column, located_reason = oxigraph_error_position(data, fmt)
        reason = located_reason or reason
    return InputError(f"invalid {fmt.name}: {reason}", path=str(path), line=line, column=column)


def rdflib_error_position(exc: Exception) -> tuple[int | None, int | None, str]:
    if isinstance(exc, xml.sax.SAXParseException):
        return exc.getLineNumber(), exc.getColumnNumber() + 1, exc.getMessage()
    if isinstance(exc, json.JSONDecodeError):
        return exc.lineno, exc.colno, exc.msg
    why = getattr(exc, "_why", None)
    text, index = getattr(exc, "_str", None), getattr(exc, "_i", None)
    if why is not None and isinstance(text, bytes | str) and isinstance(index, int):
        before = text[:index]
        newline = b"\n" if isinstance(before, bytes) else "\n"
        line = before.count(newline) + 1
        column = index - (before.rfind(newline) + 1) + 1
        return line, column, str(why)
    return None, None, one_line(str(exc)) or type(exc).__name__


OXIGRAPH_POSITION = re.compile(r"^Parser error (at|between) line \d+ column \d+( and line \d+ column \d+)?: ")


def oxigraph_error_position(data: bytes, fmt: RdfFormat) -> tuple[int | None, int | None, str | None]:
    import pyoxigraph

    oxigraph_formats = {
        "turtle": pyoxigraph.RdfFormat.TURTLE,
        "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
        "nquads": pyoxigraph.RdfFormat.N_QUADS,
        "trig": pyoxigraph.RdfFormat.TRIG,
        "rdfxml": pyoxigraph.RdfFormat.RDF_XML,
    }
    if fmt.name not in oxigraph_formats:
        return None, None, None
    try:
        for _ in pyoxigraph.parse(data, format=oxigraph_formats[fmt.name]):
            pass
    except SyntaxError as exc:
        message = OXIGRAPH_POSITION.sub("", str(exc).rsplit(" (", 1)[0] if exc.lineno else str(exc))
        return exc.lineno, exc.offset, one_line(message)
    return None, None, None


def one_line(text: str) -> str:
    return " ".join(text.split())
