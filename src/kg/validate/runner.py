"""Graph to validation report: the shapes (kg.validate.shapes), the violation queries (kg.validate.checks) and
the evidence check (kg.validate.evidence), each result described for a reader (kg.validate.describe).

``validate`` runs them all on a loaded graph; ``validate_project`` on the whole project, from an Oxigraph store
without an rdflib graph wherever that gives the same report. ``load_rules`` and ``Validator`` are what another way of
validating (kg.validate.incremental) needs to run the same rules on the part of a graph it chose.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from kg.errors import CheckFailed
from kg.project import Project
from kg.rdf.formats import RDF_FORMATS
from kg.rdf.load import LoadedGraph, load_project
from kg.validate.checks import CHECKS_FOLDER, ViolationQuery, check_results, check_rows, load_checks
from kg.validate.describe import Describer
from kg.validate.evidence import check_evidence, evidence_results
from kg.validate.fast_engine import DEFAULT_ENGINE, NeedsGraph, about_blank_node
from kg.validate.report import Severity, ValidationReport, ValidationResult
from kg.validate.scope import concerns_the_files, echoes
from kg.validate.shapes import SHAPES_FILE, load_shapes, shacl_results, store_shacl_results
from kg.validate.store_loaded import StoreLoaded
from kg.validate.store_view import dump, project_store

if TYPE_CHECKING:
    import pyoxigraph

    from kg.query.engines import QueryResult

log = logging.getLogger("kg.validate.runner")


@dataclass(frozen=True)
class Rules:
    """What a graph is validated against: the shapes (already checked) and the violation queries."""

    shapes: Graph
    shapes_source: str  # the shapes' file, for messages
    checks: list[ViolationQuery]


def load_rules(project: Project, *, shapes_path: Path | None = None, checks_dir: Path | None = None) -> Rules:
    """The project's shapes and violation queries, or those in ``shapes_path`` and ``checks_dir``."""
    checks = load_checks(checks_dir or project.queries_dir / CHECKS_FOLDER)
    shapes_path = shapes_path or project.ontology_dir / SHAPES_FILE
    return Rules(load_shapes(shapes_path), str(shapes_path), checks)


class Validator:
    """The rules applied to one loaded graph, each kind on its own, its results described for a reader."""

    def __init__(self, rules: Rules, loaded: LoadedGraph, project: Project, *, engine: str = DEFAULT_ENGINE) -> None:
        self.rules = rules
        self.graph = loaded.graph
        self.describe = Describer(loaded, project.root)
        self.seeds_dir = project.seeds_dir
        self.engine = engine

    def shape_results(self, store: pyoxigraph.Store | None = None) -> list[ValidationResult]:
        """The shapes' results (``store``: the same triples in Oxigraph, if at hand)."""
        shapes, source = self.rules.shapes, self.rules.shapes_source
        return shacl_results(self.graph, shapes, self.describe, source=source, engine=self.engine, store=store)

    def check_results(self, store: pyoxigraph.Store | None = None) -> list[ValidationResult]:
        """The violation queries' results (``store``: the same triples in Oxigraph, if at hand)."""
        return check_results(self.graph, self.rules.checks, self.describe, store=store)

    def check_rows(self, answer: QueryResult, check: ViolationQuery) -> Iterator[ValidationResult]:
        """A result for each row of ``check``'s ``answer``, however it was evaluated."""
        return check_rows(answer, check, self.describe)

    def evidence_results(self, earlier: list[ValidationResult]) -> list[ValidationResult]:
        """The evidence check's results, but for those a shape already reports among the ``earlier`` results."""
        return evidence_results(check_evidence(self.graph, self.seeds_dir), earlier, self.describe)


def validate(
    loaded: LoadedGraph,
    project: Project,
    *,
    shapes_path: Path | None = None,
    checks_dir: Path | None = None,
    context: Iterable[Path] = (),
    engine: str = DEFAULT_ENGINE,
    store: pyoxigraph.Store | None = None,
) -> ValidationReport:
    """Every problem the shapes, the violation queries and the evidence check find in ``loaded``.

    ``engine`` runs the shapes: "fast" (kg.validate.fast_engine, pySHACL where it cannot) or "pyshacl".
    ``store`` holds the same triples in Oxigraph, if at hand (the project's cache, kg.backends.cache),
    which saves copying the graph into one.

    Nodes first described in a ``context`` file (the rest of the project, which ``kg validate FILE`` loads
    beside the file) are read but not reported on, unless the result concerns a direct edge that the
    file's statements give them: they are not what was asked about.
    """
    rules = load_rules(project, shapes_path=shapes_path, checks_dir=checks_dir)
    return run_rules(rules, loaded, project, context=context, engine=engine, store=store)


def run_rules(
    rules: Rules,
    loaded: LoadedGraph,
    project: Project,
    *,
    context: Iterable[Path] = (),
    engine: str = DEFAULT_ENGINE,
    store: pyoxigraph.Store | None = None,
) -> ValidationReport:
    """``validate`` with the rules already loaded."""
    validator = Validator(rules, loaded, project, engine=engine)
    if store is None:
        from kg.query.engines import oxigraph_store

        store = oxigraph_store(loaded.graph)  # one copy for the fast SHACL engine and the violation queries
    results = validator.shape_results(store)
    results += validator.check_results(store)
    results += validator.evidence_results(results)
    background = {path.resolve() for path in context}
    describe = validator.describe
    results = [r for r in results if concerns_the_files(r, describe, background) and not echoes(r, results, loaded)]
    return ValidationReport(results)


def validate_project(
    project: Project,
    *,
    shapes_path: Path | None = None,
    checks_dir: Path | None = None,
    engine: str = DEFAULT_ENGINE,
    store: pyoxigraph.Store | None = None,
    loaded: LoadedGraph | None = None,
) -> ValidationReport:
    """The whole project validated as ``validate`` validates it, from an in-memory Oxigraph store of its files
    and direct layer (kg.validate.store_view.project_store; ``store``: that store, if the caller made it, and
    ``loaded``: the rdflib graph of the files, if it has one, for where that graph is needed).

    With the fast engine the data is never parsed into rdflib: the shapes run in `shacl` on the store's
    triples, the checks in Oxigraph on the store, the evidence check and the report's labels read the store
    (kg.validate.store_loaded). Where that cannot give the same report (pySHACL must run some shapes or
    nodes, a result concerns a blank node, whose labels differ between the store and the files), the
    project is loaded into rdflib and validated as before.
    """
    store, dumped = project_store(project) if store is None else (store, dump(store))
    checks = load_checks(checks_dir or project.queries_dir / CHECKS_FOLDER)
    shapes_path = shapes_path or project.ontology_dir / SHAPES_FILE
    if engine == "fast":
        try:
            return validate_from_store(StoreLoaded(project, store, dumped), project, shapes_path, checks)
        except NeedsGraph as reason:
            log.info("kg: validating the rdflib graph of the files: %s", reason)
    rules = Rules(load_shapes(shapes_path), str(shapes_path), checks)
    return run_rules(rules, loaded or load_project(project), project, engine=engine, store=store)


def validate_from_store(
    loaded: StoreLoaded, project: Project, shapes_path: Path, checks: list[ViolationQuery]
) -> ValidationReport:
    describe = Describer(loaded, project.root)
    results = store_shacl_results(loaded.graph, loaded.store, project, shapes_path, describe, loaded.dumped)
    results += check_results(loaded.graph, checks, describe, store=loaded.store)
    results += evidence_results(check_evidence(loaded.graph, project.seeds_dir), results, describe)
    if any(about_blank_node(r) for r in results):
        raise NeedsGraph("a result concerns a blank node")
    if results:
        loaded.trace()  # the derived edges, which echoes() reads
    return ValidationReport([r for r in results if not echoes(r, results, loaded)])


def ensure_conforms(report: ValidationReport, threshold: Severity = Severity.VIOLATION) -> None:
    """Raise CheckFailed, one detail line per failing result, unless the report conforms at ``threshold``."""
    if not report.conforms(threshold):
        failing = ValidationReport(report.at_or_above(threshold))
        raise CheckFailed(f"validation failed, {report.summary(threshold)}", failing.to_text(threshold).splitlines())


# --- which files kg validate reads ---------------------------------------------------------------------------


def load_for_validation(project: Project, given: list[Path]) -> LoadedGraph:
    """The project's graph, with the ``given`` files (folders already expanded) as part of it: a new source
    file is checked against the entities, manifest and ontology it refers to.

    The given files are read first, so that a node they describe is traced to them, not to another file.
    """
    return load_project(project, first=given)


def validation_context(project: Project, given: list[Path]) -> list[Path]:
    """The files loaded beside the ``given`` ones (folders already expanded) only to make sense of them:
    the rest of the project; none when validating the whole project."""
    if not given:
        return []
    resolved = {p.resolve() for p in given}
    return [p for p in project.graph_files() if p.resolve() not in resolved]


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
