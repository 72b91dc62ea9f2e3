"""Where curation keeps a source's parts: its text in seeds/, its manifest entry, its statements in
data/sources/ID.ttl and the entities first named by it in data/entities/ID.ttl; and writing those files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from kg.curate.axes import AXIS_LINES
from kg.curate.names import ALL_PREFIXES
from kg.errors import UsageError
from kg.guard.files import write_output
from kg.project import Project
from kg.rdf.formats import RDF_FORMATS
from kg.rdf.load import parse_bytes, parse_file, read_text_input
from kg.rdf.namespaces import KG, KGSRC

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


NEW_FILE_PREFIXES = ("kg", "kgr", "kgs", "kgsrc", "rdfs", "skos", "xsd", "wd")
PREFIX_DECLARATION = re.compile(r"@prefix\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>")
LOCAL_NAME = re.compile(r"[A-Za-z0-9_][\w-]*")
# The order in which a block lists a node's properties, the rest following by IRI: the claim on one line,
# its axes on the next two (kg.curate.axes.AXIS_LINES), then who it is attributed to, the rank's reason,
# the hedge, the source and the quote, one line each.
CLAIM_LINE = [KG.subject, KG.predicate, KG.object, KG.value]
GROUPED = [CLAIM_LINE, *([axis.prop for axis in line] for line in AXIS_LINES)]
FIRST = [*(p for group in GROUPED for p in group), KG.attributedTo, KG.rankReason, KG.hedge, KG.source, KG.evidence]


class TurtleTerms:
    """RDF terms written as Turtle, prefixed where the file declares the namespace, else as full IRIs."""

    def __init__(self, text: str) -> None:
        declared = {namespace: prefix or "" for prefix, namespace in PREFIX_DECLARATION.findall(text)}
        self.declared = sorted(declared.items(), key=lambda item: -len(item[0]))

    def term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            for namespace, prefix in self.declared:
                rest = str(node)[len(namespace) :]
                if str(node).startswith(namespace) and LOCAL_NAME.fullmatch(rest):
                    return f"{prefix}:{rest}"
        if isinstance(node, Literal) and node.datatype in BARE:
            return str(node)
        if isinstance(node, Literal) and node.datatype is not None:
            return f"{Literal(str(node)).n3()}^^{self.term(node.datatype)}"
        return node.n3()

    def block(self, graph: Graph, node: URIRef) -> str:
        """The node's triples as one Turtle block: type, then the claim on one line, then one line a property."""
        types = sorted(t for t in graph.objects(node, RDF.type) if isinstance(t, URIRef))
        head = self.term(node) + (" a " + ", ".join(self.term(t) for t in types) if types else "")
        predicates = sorted(
            {p for p in graph.predicates(node) if isinstance(p, URIRef)} - {RDF.type}, key=property_order
        )
        parts = {
            p: f"{self.term(p)} {', '.join(sorted(self.term(o) for o in graph.objects(node, p)))}" for p in predicates
        }
        grouped = [" ; ".join(parts[p] for p in predicates if p in group) for group in GROUPED]
        single = [parts[p] for p in predicates if not any(p in group for group in GROUPED)]
        lines = [line for line in grouped if line] + single
        return head + "".join(f" ;\n    {line}" for line in lines) + " .\n"


def property_order(predicate: URIRef) -> tuple[int, str]:
    return (FIRST.index(predicate) if predicate in FIRST else len(FIRST), str(predicate))


BARE = {XSD.integer, XSD.boolean}


def new_file_text(what: str) -> str:
    lines = [f"@prefix {prefix}: <{ALL_PREFIXES[prefix]}> ." for prefix in NEW_FILE_PREFIXES]
    return (
        f"# {what}\n# Started by kg; kg import appends to it, and curators may edit it.\n\n" + "\n".join(lines) + "\n"
    )


def append_nodes(path: Path, graph: Graph, nodes: list[URIRef], what: str, *, fresh: bool = False) -> bool:
    """Append the blocks of ``nodes`` to the Turtle file (started if missing, or ``fresh``); False if none."""
    if not nodes and path.exists() and not fresh:
        return False
    text = new_file_text(what) if fresh or not path.exists() else path.read_text(encoding="utf-8")
    terms = TurtleTerms(text)
    blocks = "".join("\n" + terms.block(graph, node) for node in nodes)
    new_text = text.rstrip("\n") + "\n" + blocks
    parse_bytes(new_text.encode("utf-8"), RDF_FORMATS["turtle"], source=str(path))  # never write broken Turtle
    if path.exists() and path.read_text(encoding="utf-8") == new_text:
        return False
    write_output(path, new_text.encode("utf-8"), what)
    return True


def read_turtle(path: Path) -> Graph:
    """The file's triples, or an empty graph when it is missing."""
    return parse_file(path) if path.exists() else Graph()


def relative(project: Project, path: Path) -> str:
    try:
        return str(path.relative_to(project.root))
    except ValueError:
        return str(path)
