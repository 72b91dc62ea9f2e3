"""The violation queries in queries/checks/: SPARQL SELECTs whose every row is a problem.

They run in pyoxigraph over a copy of the graph: they need no per-focus-node re-parsing (pySHACL's cost
for ``sh:sparql``) and take milliseconds where rdflib's SPARQL engine takes a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.errors import InputError
from kg.guard.sparql_reader import header_comments
from kg.rdf.load import read_text_input
from kg.validate.describe import Describer
from kg.validate.report import KGSH, Severity, ValidationResult, compact

if TYPE_CHECKING:
    import pyoxigraph

    from kg.query.engines import QueryEngine, QueryResult

CHECKS_FOLDER = "checks"
CHECK_SUFFIX = "-violation.rq"


@dataclass(frozen=True)
class ViolationQuery:
    """A SPARQL SELECT in queries/checks/ whose every row is a problem; the header gives severity and message."""

    file: Path
    severity: Severity
    message: str
    text: str

    @property
    def iri(self) -> URIRef:
        return KGSH[self.file.name.removesuffix(".rq")]


def load_checks(folder: Path) -> list[ViolationQuery]:
    return [parse_check(path) for path in sorted(folder.glob(f"*{CHECK_SUFFIX}"))]


HEADER_FIELD = re.compile(r"^#\s*(severity|message):\s*(.*?)\s*$")


def parse_check(path: Path) -> ViolationQuery:
    """A check file; its leading comment must say ``# severity: ...`` and ``# message: ...``."""
    text = read_text_input(path)
    header: dict[str, str] = {}
    for number, line in header_comments(text):
        if match := HEADER_FIELD.match(line):
            header[match[1]] = match[2]
            if match[1] == "severity" and match[2] not in {s.label for s in Severity}:
                raise InputError(
                    f"unknown severity {match[2]!r}: use violation, warning or info", path=str(path), line=number
                )
    for key in ("severity", "message"):
        if not header.get(key):
            raise InputError(f"the header comment lacks '# {key}: ...'", path=str(path), line=1)
    return ViolationQuery(path, Severity.from_label(header["severity"]), header["message"], text)


def check_results(
    graph: Graph, checks: list[ViolationQuery], describe: Describer, *, store: pyoxigraph.Store | None = None
) -> list[ValidationResult]:
    """Every row of every check on ``graph`` (``store``: the same triples in Oxigraph, if at hand)."""
    if not checks:
        return []
    from kg.query.engines import (  # Oxigraph refuses SERVICE, locates syntax errors, keeps time
        OxigraphEngine,
        engine_for,
    )

    engine = OxigraphEngine(store) if store is not None else engine_for("oxigraph", graph)
    return [result for check in checks for result in run_check(engine, check, describe)]


def run_check(engine: QueryEngine, check: ViolationQuery, describe: Describer) -> Iterator[ValidationResult]:
    return check_rows(engine.run(check.text, source=str(check.file)), check, describe)


def check_rows(answer: QueryResult, check: ViolationQuery, describe: Describer) -> Iterator[ValidationResult]:
    """A result for each row of the check's ``answer``."""
    if answer.kind != "select" or "this" not in answer.variables:
        raise InputError("a check must be a SELECT query whose rows bind ?this, the focus node", path=str(check.file))
    for values in answer.rows:
        row = {name: value for name, value in zip(answer.variables, values, strict=True) if value is not None}
        focus = row.get("this")
        if focus is None:
            raise InputError("a row of the check leaves ?this unbound", path=str(check.file))
        message = row.get("message")
        yield describe.result(
            check.severity,
            focus,
            str(message) if message is not None else fill_template(check.message, row),
            KGSH.ViolationQueryConstraintComponent,
            source_shape=check.iri,
            path=row.get("path"),
            value=row.get("value"),
        )


TEMPLATE_VARIABLE = re.compile(r"\{[?$](\w+)\}")


def fill_template(template: str, row: dict[str, Node]) -> str:
    """SHACL's message convention: {?name} or {$name} stands for the row's value of that variable."""
    return TEMPLATE_VARIABLE.sub(lambda m: compact(row.get(m[1])), template)
