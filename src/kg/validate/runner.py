"""Graph to validation report: the SHACL shapes, the violation queries in queries/checks/, the evidence check.

The shapes run without inference, so that what is checked is what was written: in the fast engine
(kg.validate.fast_engine, the `shacl` package), or in pySHACL where it cannot, or when asked to. The violation
queries run in pyoxigraph over a copy of the graph: they need no per-focus-node re-parsing (pySHACL's
cost for ``sh:sparql``) and take milliseconds where rdflib's SPARQL engine takes a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SH, SKOS
from rdflib.term import IdentifiedNode, Node

from kg.errors import CheckFailed, InputError
from kg.guard import limits
from kg.guard.sparql_reader import header_comments
from kg.project import Project
from kg.rdf.formats import RDF_FORMATS
from kg.rdf.load import LoadedGraph, load_files, load_project, parse_file, read_text_input
from kg.rdf.namespaces import KG
from kg.validate.evidence import EvidenceProblem, check_evidence
from kg.validate.fast_engine import DEFAULT_ENGINE, fast_results
from kg.validate.report import KGSH, Severity, ValidationReport, ValidationResult, compact

if TYPE_CHECKING:
    import pyoxigraph

    from kg.query.engines import QueryEngine, QueryResult

SHAPES_FILE = "shapes.ttl"
CHECKS_FOLDER = "checks"
CHECK_SUFFIX = "-violation.rq"
EVIDENCE_CHECK = KGSH["evidence-check"]
LABELS = (RDFS.label, SKOS.prefLabel, DCTERMS.title)  # a node's own label: the first of these it has


def validate(
    loaded: LoadedGraph,
    project: Project,
    *,
    shapes_path: Path | None = None,
    checks_dir: Path | None = None,
    context: Iterable[Path] = (),
    engine: str = DEFAULT_ENGINE,
) -> ValidationReport:
    """Every problem the shapes, the violation queries and the evidence check find in ``loaded``.

    ``engine`` runs the shapes: "fast" (kg.validate.fast_engine, pySHACL where it cannot) or "pyshacl".

    Nodes first described in a ``context`` file (the ontology and manifest that ``kg validate FILE``
    loads beside the file) are read but not reported on: they are not what was asked about.
    """
    describe = Describer(loaded, project.root)
    shapes_path = shapes_path or project.ontology_dir / SHAPES_FILE
    checks = load_checks(checks_dir or project.queries_dir / CHECKS_FOLDER)
    shapes = parse_file(shapes_path)
    check_shapes(shapes, str(shapes_path))
    from kg.query.engines import oxigraph_store

    store = oxigraph_store(loaded.graph)  # one copy for the fast SHACL engine and the violation queries
    results = shacl_results(loaded.graph, shapes, describe, source=str(shapes_path), engine=engine, store=store)
    results += check_results(loaded.graph, checks, describe, store=store)
    results += evidence_results(check_evidence(loaded.graph, project.seeds_dir), results, describe)
    background = {path.resolve() for path in context}
    return ValidationReport([r for r in results if not describe.comes_from(r.focus_node, background)])


def ensure_conforms(report: ValidationReport, threshold: Severity = Severity.VIOLATION) -> None:
    """Raise CheckFailed, one detail line per failing result, unless the report conforms at ``threshold``."""
    if not report.conforms(threshold):
        failing = ValidationReport(report.at_or_above(threshold))
        raise CheckFailed(f"validation failed, {report.summary(threshold)}", failing.to_text(threshold).splitlines())


def load_for_validation(project: Project, given: list[Path]) -> LoadedGraph:
    """The project's graph, or the ``given`` files (folders already expanded) with the ontology and manifest.

    The given files are read first, so that a node they describe is traced to them, not to the manifest.
    """
    if not given:
        return load_project(project)
    files: dict[Path, Path] = {}
    for path in [*given, *project.ontology_files(), project.manifest]:
        files.setdefault(path.resolve(), path)
    return load_files(list(files.values()))


def validation_context(project: Project, given: list[Path]) -> list[Path]:
    """The files loaded beside the ``given`` ones (folders already expanded) only to make sense of them:
    none when validating the whole project."""
    if not given:
        return []
    resolved = {p.resolve() for p in given}
    return [p for p in [*project.ontology_files(), project.manifest] if p.resolve() not in resolved]


def expand(paths: list[Path]) -> list[Path]:
    """The files among ``paths``, and the RDF files in the folders among them, in order."""
    extensions = {ext for fmt in RDF_FORMATS.values() for ext in fmt.extensions}
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in extensions)
        else:
            out.append(path)
    return out


class Describer:
    """Fills in what a reader needs beside a result: the focus node's label and the file it came from."""

    def __init__(self, loaded: LoadedGraph, root: Path) -> None:
        self.loaded = loaded
        self.graph = loaded.graph
        self.root = root.resolve()

    def result(
        self, severity: Severity, focus: Node, message: str, component: URIRef, **extra: object
    ) -> ValidationResult:
        return ValidationResult(
            severity, focus, message, component, focus_label=self.label(focus), data_file=self.file_of(focus), **extra
        )

    def comes_from(self, node: Node, files: set[Path]) -> bool:
        origin = self.loaded.origin_of(node) if isinstance(node, IdentifiedNode) else None
        return origin is not None and origin.resolve() in files

    def file_of(self, node: Node) -> str | None:
        path = self.loaded.origin_of(node) if isinstance(node, IdentifiedNode) else None
        if path is None:
            return None
        resolved = path.resolve()
        for base in (self.root, Path.cwd().resolve()):
            if resolved.is_relative_to(base):
                return resolved.relative_to(base).as_posix()
        return resolved.as_posix()

    def label(self, node: Node) -> str | None:
        """The node's own label, or for a statement without one: its subject, predicate and object."""
        if not isinstance(node, IdentifiedNode):
            return None
        own = self.own_label(node)
        if own is not None or (node, KG.subject, None) not in self.graph:
            return own
        parts = [self.graph.value(node, p) for p in (KG.subject, KG.predicate)]
        parts.append(self.graph.value(node, KG.object) or self.graph.value(node, KG.value))
        return " / ".join(self.term_label(p) for p in parts if p is not None)

    def own_label(self, node: Node) -> str | None:
        for prop in LABELS:
            labels = sorted(self.graph.objects(node, prop), key=lambda v: (getattr(v, "language", None) != "en", v))
            if labels:
                return str(labels[0])
        return None

    def term_label(self, node: Node) -> str:
        return str(node) if isinstance(node, Literal) else self.own_label(node) or compact(node)


# --- SHACL -------------------------------------------------------------------------------------------------

# Where SHACL-SPARQL (and SHACL-AF, which kg does not run) keep query text that pySHACL would evaluate.
SPARQL_TEXT = (SH.select, SH.ask, SH.construct, SH.update)


def check_shapes(shapes: Graph, source: str) -> None:
    """Refuse shapes that would reach beyond the graphs kg gives pySHACL, before pySHACL sees them.

    pySHACL's own ban on SERVICE in sh:sparql is a regular expression that ``\\u0053ERVICE`` gets past,
    and owl:imports would pull in shapes from elsewhere (kg never follows it: the shapes are this file).
    """
    from kg.guard import netguard
    from kg.guard.sparql import find_problem

    for imported in sorted(shapes.objects(None, OWL.imports)):
        raise InputError(
            f"owl:imports <{imported}> is not followed: kg validates against the shapes in this file only; "
            "copy the shapes you need into it and remove the import",
            path=source,
        )
    for predicate in SPARQL_TEXT:
        for node, text in sorted(shapes.subject_objects(predicate)):
            problem = find_problem(str(text), allow_service=netguard.network_allowed())
            if problem is not None:
                owner = f" of {compact(node)}" if isinstance(node, URIRef) else ""
                raise InputError(
                    f"the {compact(predicate)} query{owner}, at its line {problem.line} column {problem.column}: "
                    f"{problem.reason}",
                    path=source,
                )


def shacl_results(
    graph: Graph,
    shapes: Graph,
    describe: Describer,
    *,
    source: str = "shapes",
    engine: str = DEFAULT_ENGINE,
    store: pyoxigraph.Store | None = None,
) -> list[ValidationResult]:
    """Every top-level result of the shapes on ``graph`` (``store``: the same triples in Oxigraph, if at hand)."""
    if engine == "fast":

        def read(report: Graph) -> list[ValidationResult]:
            return report_results(report, describe)

        def slow(some_shapes: Graph) -> list[ValidationResult]:
            return pyshacl_results(graph, some_shapes, describe, source)

        return fast_results(graph, shapes, read, slow, store=store)
    return pyshacl_results(graph, shapes, describe, source)


def pyshacl_results(graph: Graph, shapes: Graph, describe: Describer, source: str) -> list[ValidationResult]:
    """Every top-level result of pySHACL, run in a child process that the time limit can stop: shapes
    run regular expressions (sh:pattern, REGEX in sh:sparql) with Python's re, which no signal interrupts."""
    import pyshacl  # noqa: F401 - imported here, once, rather than in every child (0.3 s each)

    from kg.query.engines import rdflib_sparql

    rdflib_sparql()  # pySHACL evaluates sh:sparql constraints with rdflib: never loading what FROM names

    return limits.call_with_deadline(
        f"validating against the shapes in {source}", lambda: run_pyshacl(graph, shapes, describe, source)
    )


def run_pyshacl(graph: Graph, shapes: Graph, describe: Describer, source: str) -> list[ValidationResult]:
    import pyshacl  # 0.3 s to import; only validation needs it
    from pyshacl.errors import ReportableRuntimeError

    try:
        _, report, _ = pyshacl.validate(
            graph,
            shacl_graph=shapes,
            inference="none",
            abort_on_first=False,
            allow_infos=True,
            allow_warnings=True,
            meta_shacl=False,
            advanced=False,
            js=False,
            do_owl_imports=False,
            inplace=True,  # no inference, so nothing is written to the data graph; a copy would cost memory
        )
    except ReportableRuntimeError as exc:  # a malformed shape: sh:minCount on a node shape, a missing sh:node
        reason = " ".join(str(exc).split("For reference, see")[0].split())
        raise InputError(f"invalid shapes: {reason}", path=source) from None
    return report_results(report, describe)


def report_results(report: Graph, describe: Describer) -> list[ValidationResult]:
    """The results of a W3C report graph. Only the report's own: those nested under sh:detail (inside
    sh:node) explain them, no more."""
    top = [
        node
        for report_node in report.subjects(RDF.type, SH.ValidationReport)
        for node in report.objects(report_node, SH.result)
    ]
    return [shacl_result(report, node, describe) for node in top]


def shacl_result(report: Graph, node: Node, describe: Describer) -> ValidationResult:
    path = report.value(node, SH.resultPath)
    messages = sorted(report.objects(node, SH.resultMessage), key=lambda m: (getattr(m, "language", None) != "en", m))
    component = report.value(node, SH.sourceConstraintComponent)
    return describe.result(
        Severity.from_iri(report.value(node, SH.resultSeverity)),
        report.value(node, SH.focusNode),
        str(messages[0]) if messages else f"fails {compact(component)}",
        component if isinstance(component, URIRef) else SH.ConstraintComponent,
        source_shape=report.value(node, SH.sourceShape),
        path=path,
        value=report.value(node, SH.value),
        path_triples=tuple(blank_description(report, path)),
    )


def blank_description(graph: Graph, node: Node | None) -> Iterator[tuple[Node, Node, Node]]:
    """The triples of a blank node and the blank nodes below it (a complex SHACL path, an RDF list)."""
    if not isinstance(node, BNode):
        return
    for _, predicate, value in graph.triples((node, None, None)):
        yield node, predicate, value
        yield from blank_description(graph, value)


# --- violation queries ---------------------------------------------------------------------------------------


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


HEADER_FIELD = re.compile(r"^#\s*(severity|message):\s*(.*?)\s*$")
TEMPLATE_VARIABLE = re.compile(r"\{[?$](\w+)\}")


def load_checks(folder: Path) -> list[ViolationQuery]:
    return [parse_check(path) for path in sorted(folder.glob(f"*{CHECK_SUFFIX}"))]


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
        if "this" not in row:
            raise InputError("a row of the check leaves ?this unbound", path=str(check.file))
        message = row.get("message")
        yield describe.result(
            check.severity,
            row["this"],
            str(message) if message is not None else fill_template(check.message, row),
            KGSH.ViolationQueryConstraintComponent,
            source_shape=check.iri,
            path=row.get("path"),
            value=row.get("value"),
        )


def fill_template(template: str, row: dict[str, Node]) -> str:
    """SHACL's message convention: {?name} or {$name} stands for the row's value of that variable."""
    return TEMPLATE_VARIABLE.sub(lambda m: compact(row.get(m[1])), template)


# --- evidence ------------------------------------------------------------------------------------------------


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
