"""``kg source add``: a document's text into seeds/, its entry into the manifest, and its empty data file.

The manifest is appended to as text, not rewritten, so that its comments and layout stay as curators keep
them; every value is written as an RDF term (escaped), and the result is parsed before anything is written.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from kg.curate.claims import DATE_TYPES, slug
from kg.curate.layout import (
    SOURCE_ID,
    TurtleTerms,
    append_nodes,
    check_source_id,
    entities_file,
    manifest_graph,
    relative,
    statements_file,
)
from kg.curate.names import NameProblem, entity_index
from kg.errors import UsageError
from kg.guard.files import write_output
from kg.project import Project
from kg.rdf.formats import RDF_FORMATS
from kg.rdf.load import load_project, parse_bytes, read_input, read_text_input
from kg.rdf.namespaces import KG, KGR, KGSRC, PROV, SCHEMA


@dataclass(frozen=True)
class SourceRequest:
    path: Path
    source_id: str
    title: str
    publisher: str | None  # None: the document does not say who published it (kg:publisherUnknown)
    language: str = "en"  # a BCP 47 tag, as dcterms:language gives it
    published: str | None = None
    url: str | None = None
    derived_from: str | None = None


LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
SEED_NUMBER = re.compile(r"^(\d+)_")


def add_source(project: Project, request: SourceRequest) -> list[str]:
    """Write the seed, the manifest entry, the publisher if new, and the data file; the paths written."""
    check_source_id(request.source_id)
    text = read_text_input(request.path)
    data = read_input(request.path)
    refuse_known(project, request.source_id, data)
    derived = request.derived_from
    if derived and SOURCE_ID.match(derived) and (KGSRC[derived], None, None) not in manifest_graph(project):
        raise UsageError(f"--derived-from {derived!r}: no such source in seeds/manifest.ttl (give its id or a URL)")
    seed_name = f"{next_seed_number(project):03d}_{request.source_id}.txt"
    publisher, new_publisher = resolve_publisher(load_project(project).graph, request.publisher)
    manifest_text = project.manifest.read_text(encoding="utf-8")
    entry = manifest_entry(request, manifest_text, seed_name, publisher, text, hashlib.sha256(data).hexdigest())
    new_manifest = manifest_text.rstrip("\n") + "\n\n" + entry
    parse_bytes(new_manifest.encode("utf-8"), RDF_FORMATS["turtle"], source=str(project.manifest))
    write_output(project.seeds_dir / seed_name, data, "source text")
    write_output(project.manifest, new_manifest.encode("utf-8"), "manifest")
    written = [relative(project, project.seeds_dir / seed_name), relative(project, project.manifest)]
    if new_publisher and publisher is not None and request.publisher is not None:
        path = entities_file(project, request.source_id)
        entities = Graph()
        entities.add((publisher, RDF.type, KG.Publisher))
        entities.add((publisher, RDFS.label, Literal(request.publisher, lang=request.language)))
        append_nodes(path, entities, [publisher], f"Entities first named by source {request.source_id}.")
        written.append(relative(project, path))
    path = statements_file(project, request.source_id)
    append_nodes(path, Graph(), [], f"The claims of source {request.source_id}.")
    return [*written, relative(project, path)]


def resolve_publisher(graph: Graph, name: str | None) -> tuple[URIRef | None, bool]:
    """The publisher's IRI, and whether it is new to the graph; no IRI when the publisher is unknown."""
    if name is None:
        return None, False
    try:
        return entity_index(graph).resolve(name), False
    except NameProblem:
        return KGR[slug(name)], True


def refuse_known(project: Project, source_id: str, data: bytes) -> None:
    """Refuse an id the manifest or data/ has, and a text that seeds/ holds already."""
    manifest = manifest_graph(project)
    if (KGSRC[source_id], None, None) in manifest or statements_file(project, source_id).exists():
        raise UsageError(
            f"source {source_id!r} exists already (seeds/manifest.ttl or data/sources/); choose another id"
        )
    digest = hashlib.sha256(data).hexdigest()
    for seed in sorted(project.seeds_dir.glob("*")):
        if seed.is_file() and seed != project.manifest and hashlib.sha256(seed.read_bytes()).hexdigest() == digest:
            raise UsageError(f"this text is in seeds/ already, as {seed.name}")
    for known in manifest.subjects(KG.contentSha256, Literal(digest)):
        raise UsageError(f"this text is in seeds/ already, as source {known}")


def next_seed_number(project: Project) -> int:
    numbers = [int(m.group(1)) for p in project.seeds_dir.glob("*") if (m := SEED_NUMBER.match(p.name))]
    return max(numbers, default=-1) + 1


def manifest_entry(
    request: SourceRequest, manifest_text: str, seed: str, publisher: URIRef | None, text: str, digest: str
) -> str:
    """The Turtle block for the source, its terms prefixed where the manifest declares their namespace."""
    term = TurtleTerms(manifest_text).term
    fields: list[tuple[URIRef, Node]] = [
        (RDF.type, KG.SourceDocument),
        (DCTERMS.identifier, Literal(seed.removesuffix(".txt"))),
        (RDFS.label, Literal(request.title, lang=checked_language(request.language))),
        (DCTERMS.title, Literal(request.title, lang=request.language)),
        (DCTERMS.publisher, publisher) if publisher is not None else (KG.publisherUnknown, Literal(True)),
        (DCTERMS.language, Literal(request.language)),
    ]
    fields += optional_fields(request)
    fields.append((KG.sourceFile, Literal(seed)))
    source_line = next((line.strip() for line in text.splitlines() if line.startswith("Source:")), None)
    if source_line:
        fields.append((KG.sourceLine, Literal(source_line)))
    fields.append((KG.contentSha256, Literal(digest)))
    body = " ;\n".join(f"    {'a' if p == RDF.type else term(p)} {term(o)}" for p, o in fields)
    return f"{term(KGSRC[request.source_id])}\n{body} .\n"


def optional_fields(request: SourceRequest) -> list[tuple[URIRef, Node]]:
    fields: list[tuple[URIRef, Node]] = []
    if request.published:
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", request.published):
            raise UsageError(f"--published {request.published!r}: write 2024, 2024-03 or 2024-03-28")
        fields.append((DCTERMS.issued, Literal(request.published, datatype=DATE_TYPES[len(request.published)])))
    if request.url:
        fields.append((SCHEMA.url, checked_url(request.url, "--url")))
    if request.derived_from:
        derived = request.derived_from
        origin = KGSRC[derived] if SOURCE_ID.match(derived) else checked_url(derived, "--derived-from")
        fields.append((PROV.wasDerivedFrom, origin))
    return fields


def checked_url(url: str, option: str) -> URIRef:
    if not URL.match(url):
        raise UsageError(f"{option} {url!r} is not an http(s) URL (nor a source id)")
    return URIRef(url)


def checked_language(language: str) -> str:
    if not LANGUAGE.match(language):
        raise UsageError(f"--language {language!r} is not a BCP 47 tag such as en or de-CH")
    return language
