"""Where curation keeps a source's parts: its text in seeds/, its manifest entry, its statements in
data/sources/ID.ttl and the entities first named by it in data/entities/ID.ttl; and writing those files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.errors import InputError, UsageError
from kg.guard.files import write_output
from kg.project import Project
from kg.rdf.load import new_graph, parse_file, read_text_input
from kg.rdf.namespaces import KG, KGSRC
from kg.rdf.write import serialize

SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def check_source_id(source_id: str) -> None:
    if not SOURCE_ID.match(source_id):
        raise UsageError(
            f"source id {source_id!r}: use lower-case letters, digits and hyphens, such as xiaomi-su7-launch-2024"
        )


def statements_file(project: Project, source_id: str) -> Path:
    return project.data_dir / "sources" / f"{source_id}.ttl"


def entities_file(project: Project, source_id: str) -> Path:
    return project.data_dir / "entities" / f"{source_id}.ttl"


@dataclass(frozen=True)
class Source:
    """A source described in the manifest, and its text."""

    iri: URIRef
    source_id: str
    language: str
    text: str


def manifest_graph(project: Project) -> Graph:
    return parse_file(project.manifest) if project.manifest.exists() else Graph()


def find_source(project: Project, source_id: str) -> Source:
    """The source ``kgsrc:ID`` of the manifest with its text, or a UsageError listing the known ids."""
    manifest = manifest_graph(project)
    iri = KGSRC[source_id]
    file_name = manifest.value(iri, KG.sourceFile)
    if not isinstance(file_name, Literal):
        known = sorted(str(s)[len(str(KGSRC)) :] for s in manifest.subjects(KG.sourceFile, None))
        raise UsageError(
            f"no source {source_id!r} in {project.manifest.name} (known: {', '.join(known) or 'none'}); "
            "kg source add starts one"
        )
    language = manifest.value(iri, DCTERMS.language)
    text = read_text_input(project.seeds_dir / str(file_name))
    return Source(iri, source_id, str(language) if language is not None else "en", text)


def header(what: str) -> bytes:
    return f"# {what}\n# Written by kg; kg import adds to it, and curators may edit it.\n\n".encode()


def write_turtle(path: Path, graph: Graph, what: str) -> bool:
    """Write ``graph`` as deterministic Turtle under a comment; False when the file held those bytes already."""
    data = header(what) + serialize(graph, "turtle")
    if path.exists() and path.read_bytes() == data:
        return False
    write_output(path, data, what)
    return True


def read_turtle(path: Path) -> Graph:
    """The file's triples in a graph with kg's prefixes bound, or an empty such graph when it is missing."""
    graph = new_graph()
    if path.exists():
        graph += parse_file(path)
    return graph


def relative(project: Project, path: Path) -> str:
    try:
        return str(path.relative_to(project.root))
    except ValueError:
        return str(path)


def refuse_missing(path: Path) -> None:
    if not path.is_file():
        raise InputError("no such file", path=str(path))
