"""The evidence check: every statement's quote must stand verbatim in the source document it cites, and
every document whose manifest entry records a SHA-256 (kg:contentSha256) must still have that content."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import IdentifiedNode, Node

from kg.errors import InputError, KgError
from kg.guard import limits
from kg.rdf.load import decoded_text, read_input
from kg.rdf.namespaces import KG
from kg.rdf.summary import statement_nodes
from kg.validate.describe import Describer
from kg.validate.report import KGSH, Severity, ValidationResult

SOURCE, EVIDENCE, HEDGE = KG.source, KG.evidence, KG.hedge
AXES = (KG.attribution, KG.likelihood, KG.polarity)  # the axes every statement must give
EVIDENCE_CHECK = KGSH["evidence-check"]  # the source shape of the check's results: it is no SHACL shape


@dataclass(frozen=True)
class EvidenceProblem:
    """One statement whose provenance cannot be shown; ``source`` is None where none is cited.

    ``path`` is the property the problem concerns. ``covered_by_shape`` marks the problems the shapes
    report too (a missing source, quote or axis, a source that is no kg:SourceDocument), so that
    evidence_results can keep the shape's result alone.
    """

    statement: str
    source: str | None
    message: str
    path: URIRef
    covered_by_shape: bool
    node: IdentifiedNode = field(compare=False)  # the statement itself, for its label and file in reports
    source_term: Node | None = field(default=None, compare=False)  # as cited: an IRI, or a literal by mistake

    @classmethod
    def about(
        cls,
        node: IdentifiedNode,
        message: str,
        path: URIRef,
        *,
        source: Node | None = None,
        covered_by_shape: bool = False,
    ) -> EvidenceProblem:
        return cls(str(node), None if source is None else str(source), message, path, covered_by_shape, node, source)


@dataclass(frozen=True)
class Unreadable:
    """Why a cited source's text cannot be had, and whether the shapes report that too."""

    reason: str
    covered_by_shape: bool = False


def fold(text: str) -> str:
    """Compare text as a reader would: Unicode-normalised, every run of white space one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def check_evidence(graph: Graph, seeds_dir: Path) -> list[EvidenceProblem]:
    """All provenance problems in ``graph``, sorted; an empty list means every quote was found."""
    documents = SourceTexts(graph, seeds_dir)
    problems: list[EvidenceProblem] = []
    with limits.time_limit("the evidence check (each quote searched for in its source files)"):
        values = StatementValues(graph)
        for statement in statement_nodes(graph):
            problems.extend(statement_problems(values, statement, documents))
        problems.extend(content_problems(graph, seeds_dir, documents.files))
        return sorted(problems, key=lambda p: (p.statement, p.source or "", p.message))


def evidence_results(
    problems: Iterable[EvidenceProblem], earlier: list[ValidationResult], describe: Describer
) -> list[ValidationResult]:
    """A result for each problem, but for those a shape already reports among the ``earlier`` results."""
    reported = {(r.focus_node, r.path) for r in earlier}
    return [
        describe.result(
            Severity.VIOLATION,
            problem.node,
            f"Evidence check: {problem.message}.",
            KGSH.EvidenceConstraintComponent,
            source_shape=EVIDENCE_CHECK,
            path=problem.path,
            value=problem.source_term,
        )
        for problem in problems
        if not (problem.covered_by_shape and (problem.node, problem.path) in reported)
    ]


class StatementValues:
    """The values of the properties the check reads, gathered with one pass per property: a view of a store
    (kg.validate.store_view) answers one pattern per property quicker than one per statement and property."""

    PROPERTIES = (KG.source, KG.evidence, KG.attribution, KG.likelihood, KG.polarity, KG.hedge)

    def __init__(self, graph: Graph) -> None:
        self.values: dict[tuple[Node, Node], list[Node]] = defaultdict(list)
        for prop in self.PROPERTIES:
            for subject, value in graph.subject_objects(prop):
                self.values[subject, prop].append(value)

    def objects(self, subject: Node, prop: URIRef) -> list[Node]:
        return self.values.get((subject, prop), [])


def statement_problems(
    graph: StatementValues, statement: IdentifiedNode, documents: SourceTexts
) -> Iterator[EvidenceProblem]:
    sources = sorted(graph.objects(statement, SOURCE), key=term_order)
    quotes = sorted(str(q) for q in graph.objects(statement, EVIDENCE))
    if not sources:
        yield EvidenceProblem.about(statement, "cites no source (kg:source)", KG.source, covered_by_shape=True)
    if not quotes:
        yield EvidenceProblem.about(
            statement, "has no evidence quote (kg:evidence)", KG.evidence, covered_by_shape=True
        )
    for axis in AXES:
        if not graph.objects(statement, axis):
            yield EvidenceProblem.about(
                statement, f"has no {axis.fragment} (kg:{axis.fragment})", axis, covered_by_shape=True
            )
    for source in sources:
        text = documents.text_of(source)
        if isinstance(text, Unreadable):
            yield EvidenceProblem.about(
                statement, text.reason, KG.source, source=source, covered_by_shape=text.covered_by_shape
            )
            continue
        for quote in quotes:
            if fold(quote) not in text:
                message = f"evidence quote not found in the source: {quote!r}"
                yield EvidenceProblem.about(statement, message, KG.evidence, source=source)
    for hedge in sorted(str(h) for h in graph.objects(statement, HEDGE)):
        if quotes and not any(fold(hedge) in fold(q) for q in quotes):
            yield EvidenceProblem.about(statement, f"hedge {hedge!r} is not part of the evidence quote", KG.hedge)


def term_order(node: Node) -> tuple[int, str]:
    """Blank nodes, then IRIs, then literals (as rdflib orders terms), each by text."""
    return (0 if isinstance(node, BNode) else 1 if isinstance(node, URIRef) else 2), str(node)


def content_problems(graph: Graph, seeds_dir: Path, files: SourceFiles | None = None) -> Iterator[EvidenceProblem]:
    """A problem for each source document whose file no longer has the SHA-256 its manifest entry records:
    its text was edited after the claims were checked against it. An unreadable file is reported by the
    statements that cite it. ``files``: the files read so far, which are not read again."""
    files = files or SourceFiles()
    for source in sorted(s for s in graph.subjects(KG.contentSha256, None) if isinstance(s, URIRef)):
        file_name = graph.value(source, KG.sourceFile)
        path = (seeds_dir / str(file_name)).resolve()
        if not isinstance(file_name, Literal) or not path.is_relative_to(seeds_dir.resolve()):
            continue
        data = files.bytes_of(path)  # a regular file within the size limit only
        if isinstance(data, KgError):
            continue
        actual = hashlib.sha256(data).hexdigest()
        recorded = sorted(str(h) for h in graph.objects(source, KG.contentSha256))
        if actual not in recorded:
            message = (
                f"the text of seeds/{file_name} has changed since its manifest entry was written: its SHA-256 is "
                f"{actual}, the manifest records {', '.join(recorded)}; check the quotes that cite it, then record "
                "the new hash"
            )
            yield EvidenceProblem.about(source, message, KG.contentSha256, source=source)


class SourceFiles:
    """The bytes of each source file, read once for both the quotes and the content hash."""

    def __init__(self) -> None:
        self._bytes: dict[Path, bytes | KgError] = {}

    def bytes_of(self, path: Path) -> bytes | KgError:
        """The file's bytes, or why they cannot be had (not a regular file, too large, unreadable)."""
        if path not in self._bytes:
            try:
                self._bytes[path] = read_input(path)
            except KgError as exc:
                self._bytes[path] = exc
        return self._bytes[path]

    def text_of(self, path: Path) -> str:
        """The file as UTF-8 text, as kg.rdf.load.read_text_input reads it; an InputError if it cannot be."""
        data = self.bytes_of(path)
        if isinstance(data, KgError):
            raise data
        return decoded_text(data, path)


class SourceTexts:
    """The folded text of each cited source document, read once from seeds/."""

    def __init__(self, graph: Graph, seeds_dir: Path) -> None:
        self.graph = graph
        self.seeds_dir = seeds_dir
        self.files = SourceFiles()
        self._cache: dict[Node, str | Unreadable] = {}

    def text_of(self, source: Node) -> str | Unreadable:
        """The folded text, or why it cannot be had."""
        if source not in self._cache:
            self._cache[source] = self._read(source)
        return self._cache[source]

    def _read(self, source: Node) -> str | Unreadable:
        if not isinstance(source, URIRef) or (source, RDF.type, KG.SourceDocument) not in self.graph:
            return Unreadable(
                "cites a source that is not a kg:SourceDocument in seeds/manifest.ttl", covered_by_shape=True
            )
        file_name = self.graph.value(source, KG.sourceFile)
        if not isinstance(file_name, Literal):
            return Unreadable("cites a source with no kg:sourceFile")
        path = (self.seeds_dir / str(file_name)).resolve()
        if not path.is_relative_to(self.seeds_dir.resolve()):
            return Unreadable(f"source file {file_name} lies outside seeds/")
        try:
            return fold(self.files.text_of(path))  # a regular file within the size limit: a pipe would block
        except InputError as exc:
            return Unreadable(f"cannot read source file {exc}")
