"""``kg import``: a claims sheet into a source's data file, all of it or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from kg.curate.claims import Problem, SourceContext, read_claims
from kg.curate.layout import append_nodes, entities_file, find_source, read_turtle, relative, statements_file
from kg.curate.names import Vocabulary
from kg.curate.passages import SourceText
from kg.curate.sheet import Sheet, read_sheet
from kg.errors import EXIT_BAD_INPUT, KgError, printable
from kg.project import Project
from kg.rdf.load import load_project
from kg.rdf.summary import statement_nodes


class SheetRejected(KgError):
    """A sheet with problems; ``details`` holds one SHEET:ROW:COLUMN line for each."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, details: list[str]) -> None:
        self.details = [printable(line, one_line=True) for line in details]  # cells may hold control characters
        super().__init__(message)


@dataclass(frozen=True)
class ImportResult:
    claims: int
    new_claims: int
    new_entities: int
    written: list[str]


def import_sheet(project: Project, sheet_path: Path, source_id: str, *, replace: bool = False) -> ImportResult:
    """Read the sheet against the project and write its claims, or raise SheetRejected with every problem."""
    sheet = read_sheet(sheet_path)
    source = find_source(project, source_id)
    graph = load_project(project).graph
    context = SourceContext(
        graph, Vocabulary.of(graph), source.iri, source_id, source.language, SourceText(source.text)
    )
    statements, created, problems = read_claims(sheet.rows, context)
    if problems:
        raise rejection(sheet, problems)
    statements_path, entities_path = statements_file(project, source_id), entities_file(project, source_id)
    before = set(statement_nodes(read_turtle(statements_path)))
    claims = [node for node in statement_nodes(statements) if isinstance(node, URIRef)]
    to_write = claims if replace else [node for node in claims if node not in before]
    written = []
    if append_nodes(statements_path, statements, to_write, f"The claims of source {source_id}.", fresh=replace):
        written.append(relative(project, statements_path))
    known = set(read_turtle(entities_path).subjects())
    entities = sorted(node for node in set(created.subjects()) if isinstance(node, URIRef) and node not in known)
    if entities and append_nodes(entities_path, created, entities, f"Entities first named by source {source_id}."):
        written.append(relative(project, entities_path))
    return ImportResult(len(claims), len(set(claims) - before), len(entities), written)


def rejection(sheet: Sheet, problems: list[Problem]) -> SheetRejected:
    ordered = sorted(set(problems), key=lambda p: (p.row, p.column, p.message))
    details = [f"{sheet.where(p.row, p.column)}: {p.message}" for p in ordered]
    count = f"{len(ordered)} problem{'s' if len(ordered) != 1 else ''}"
    return SheetRejected(f"{sheet.path}: {count}; nothing was written", details)
