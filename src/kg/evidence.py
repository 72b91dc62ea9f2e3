"""The evidence check: every statement's quote must stand verbatim in the source document it cites."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import IdentifiedNode, Node

from kg.vocab import KG


@dataclass(frozen=True)
class EvidenceProblem:
    """One statement whose provenance cannot be shown; ``source`` is None where none is cited."""

    statement: str
    source: str | None
    message: str


def fold(text: str) -> str:
    """Compare text as a reader would: Unicode-normalised, every run of white space one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def statement_nodes(graph: Graph) -> list[IdentifiedNode]:
    """Everything typed as a statement (through subclasses too) or shaped like one."""
    statement_classes = set(graph.transitive_subjects(RDFS.subClassOf, KG.Statement))
    nodes: set[Node] = set()
    for cls in statement_classes:
        nodes.update(graph.subjects(RDF.type, cls))
    for marker in (KG.subject, KG.evidence, KG.status):
        nodes.update(graph.subjects(marker, None))
    return sorted(n for n in nodes if isinstance(n, IdentifiedNode))


def check_evidence(graph: Graph, seeds_dir: Path) -> list[EvidenceProblem]:
    """All provenance problems in ``graph``, sorted; an empty list means every quote was found."""
    documents = SourceTexts(graph, seeds_dir)
    problems: list[EvidenceProblem] = []
    for statement in statement_nodes(graph):
        problems.extend(statement_problems(graph, statement, documents))
    return sorted(problems, key=lambda p: (p.statement, p.source or "", p.message))


def statement_problems(graph: Graph, statement: IdentifiedNode, documents: SourceTexts) -> Iterator[EvidenceProblem]:
    name = str(statement)
    sources = sorted(graph.objects(statement, KG.source))
    quotes = sorted(str(q) for q in graph.objects(statement, KG.evidence))
    if not sources:
        yield EvidenceProblem(name, None, "cites no source (kg:source)")
    if not quotes:
        yield EvidenceProblem(name, None, "has no evidence quote (kg:evidence)")
    if not any(True for _ in graph.objects(statement, KG.status)):
        yield EvidenceProblem(name, None, "has no status (kg:status)")
    for source in sources:
        text, unreadable = documents.text_of(source)
        if text is None:
            yield EvidenceProblem(name, str(source), unreadable)
            continue
        for quote in quotes:
            if fold(quote) not in text:
                yield EvidenceProblem(name, str(source), f"evidence quote not found in the source: {quote!r}")
    for hedge in sorted(str(h) for h in graph.objects(statement, KG.hedge)):
        if quotes and not any(fold(hedge) in fold(q) for q in quotes):
            yield EvidenceProblem(name, None, f"hedge {hedge!r} is not part of the evidence quote")


class SourceTexts:
    """The folded text of each cited source document, read once from seeds/."""

    def __init__(self, graph: Graph, seeds_dir: Path) -> None:
        self.graph = graph
        self.seeds_dir = seeds_dir
        self._cache: dict[Node, tuple[str | None, str]] = {}

    def text_of(self, source: Node) -> tuple[str | None, str]:
        """The folded text, or None and the reason it cannot be had."""
        if source not in self._cache:
            self._cache[source] = self._read(source)
        return self._cache[source]

    def _read(self, source: Node) -> tuple[str | None, str]:
        if not isinstance(source, URIRef) or (source, RDF.type, KG.SourceDocument) not in self.graph:
            return None, "cites a source that is not a kg:SourceDocument in seeds/manifest.ttl"
        file_name = self.graph.value(source, KG.sourceFile)
        if not isinstance(file_name, Literal):
            return None, "cites a source with no kg:sourceFile"
        path = (self.seeds_dir / str(file_name)).resolve()
        if not path.is_relative_to(self.seeds_dir.resolve()):
            return None, f"source file {file_name} lies outside seeds/"
        try:
            return fold(path.read_text(encoding="utf-8")), ""
        except (OSError, UnicodeDecodeError) as exc:
            return None, f"cannot read source file {path}: {exc}"
