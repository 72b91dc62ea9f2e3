"""Validate changed files against a graph in an Oxigraph store, in about the time one article takes to read.

``kg validate --changed FILE... --store oxigraph:PATH`` checks what the files can have changed, against
the whole stored graph plus the files, without touching the million triples that cannot be affected:

1. The union. The store is checkpointed beside itself (RocksDB hard-links its immutable files, so this
   takes milliseconds at any size), the checkpoint is opened for writing and the files' triples added.
   The store itself is only read.
2. The focus nodes: every subject and object of the files' triples; the nodes that reach a changed
   subject through the predicates of the shapes' paths, as far as the shapes look; the statements
   about the same subject and predicate as a changed edge or statement (what the layer checks compare);
   and the nodes that reach a changed subject through a predicate a check follows with * or +.
3. The shapes run on the focus nodes' descriptions and what the shapes read around them (the values'
   types and paths, the class hierarchy), extracted from the union; the violation queries run on the
   union itself, once per focus node with ?this bound to it; the evidence check on the statements
   among the focus nodes. Only results about focus nodes are reported.

Files are read as additions: triples that an edited file no longer has are still in the store until
the next ``kg load``. The project's manifest, entity files and ontology are added to the union too (not
to the focus), so that a new source file's source and entities are known; the direct edges of the files'
statements are derived as kg load derives them.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph
from rdflib.term import IdentifiedNode, Node, URIRef

from kg.backends.oxigraph import OxigraphBackend, open_store
from kg.errors import KgError
from kg.guard import limits, netguard
from kg.guard.sparql import check_query
from kg.guard.sparql_reader import assigns_variable
from kg.project import Project
from kg.query.engines import OxigraphAnswer, answer_in_oxigraph
from kg.rdf.convert import add_to_graph, from_oxigraph, oxigraph_quads, to_oxigraph
from kg.rdf.load import LoadedGraph, load_files
from kg.rdf.namespaces import KG
from kg.validate.additions import add_derived_edges, project_context
from kg.validate.change_reach import Reach
from kg.validate.checks import ViolationQuery
from kg.validate.describe import LABELS
from kg.validate.fast_engine import DEFAULT_ENGINE
from kg.validate.report import ValidationReport, ValidationResult
from kg.validate.runner import Validator, load_rules, validate
from kg.validate.scope import echoes

DESCRIBING = (RDF.type, *LABELS, RDFS.subClassOf, KG.sourceFile)


def validate_changed(
    store_path: Path,
    changed: list[Path],
    project: Project,
    *,
    shapes_path: Path | None = None,
    checks_dir: Path | None = None,
    engine: str = DEFAULT_ENGINE,
) -> ValidationReport:
    """Every problem the ``changed`` files cause or carry, judged against the graph in the store."""
    rules = load_rules(project, shapes_path=shapes_path, checks_dir=checks_dir)
    additions = load_files(changed)
    reach = Reach.of(rules.shapes, rules.checks)
    with union_store(store_path, additions.graph + project_context(project, changed)) as union:
        add_derived_edges(union, additions)
        focus = focus_nodes(union, additions.graph, reach)
        loaded = neighbourhood(union, additions, focus, reach, store_path)
        validator = Validator(rules, loaded, project, engine=engine)
        results = [r for r in validator.shape_results() if r.focus_node in focus]
        results += restricted_check_results(union, rules.checks, focus, validator)
    results += [r for r in validator.evidence_results(results) if r.focus_node in focus]
    loaded.derived.update(additions.derived)
    return ValidationReport([r for r in results if not echoes(r, results, loaded)])


def validate_store(
    store_path: Path, project: Project, *, shapes_path: Path | None = None, engine: str = DEFAULT_ENGINE
) -> ValidationReport:
    """The whole stored graph, validated as kg validate validates the project's files.

    The graph is copied into memory first (kg.backends.oxigraph.OxigraphBackend.graph), which costs about
    what loading the files does; ``--changed`` avoids that."""
    graph = OxigraphBackend(store_path).graph()
    origins = {s: store_path for s in graph.subjects(unique=True) if isinstance(s, IdentifiedNode)}
    return validate(LoadedGraph(graph, [], origins), project, shapes_path=shapes_path, engine=engine)


# --- the union of the store and the changed files ------------------------------------------------------------


@contextmanager
def union_store(store_path: Path, additions: Graph) -> Iterator[ox.Store]:
    """A writable checkpoint of the store with ``additions`` in its default graph, deleted afterwards."""
    stored = open_store(store_path)
    scratch = Path(tempfile.mkdtemp(prefix=".kg-validate-", dir=scratch_parent(store_path)))
    try:
        try:
            stored.backup(str(scratch / "store"))
            union = ox.Store(str(scratch / "store"))
        except OSError as exc:
            raise KgError(f"cannot make a working copy of the Oxigraph store {store_path}: {exc}") from exc
        union.extend(oxigraph_quads(additions))
        yield union
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def scratch_parent(store_path: Path) -> Path | None:
    """Beside the store, so that the checkpoint hard-links its files; else the temporary folder (a copy)."""
    parent = store_path.resolve().parent
    return parent if writable(parent) else None


def writable(folder: Path) -> bool:
    try:
        Path(tempfile.mkdtemp(prefix=".kg-probe-", dir=folder)).rmdir()
    except OSError:
        return False
    return True


# --- focus nodes and their neighbourhood ---------------------------------------------------------------------


def focus_nodes(union: ox.Store, additions: Graph, reach: Reach) -> set[IdentifiedNode]:
    """The nodes whose results the changed triples can alter (see the module's description)."""
    subjects = {s for s in additions.subjects() if isinstance(s, IdentifiedNode)}
    focus = subjects | {o for o in additions.objects() if isinstance(o, IdentifiedNode)}
    frontier: set[IdentifiedNode] = set(subjects)
    for _ in range(reach.depth):  # a node whose triples changed matters to those that reach it by a path
        behind: set[IdentifiedNode] = set()
        for node in frontier:
            behind |= linked(union, node, reach.forward, backwards=True)
            behind |= linked(union, node, reach.inverse, backwards=False)
        frontier = behind - focus
        focus |= frontier
    focus |= same_claims(union, additions)
    for predicate in reach.transitive:
        focus |= {x for n in subjects for x in closure(union, n, predicate)}
    return focus


def linked(
    union: ox.Store, node: IdentifiedNode, predicates: Iterable[Node], *, backwards: bool
) -> set[IdentifiedNode]:
    found: set[IdentifiedNode] = set()
    term = resource_term(node)
    others: Iterator[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]
    for predicate in map(predicate_term, predicates):
        if backwards:
            others = (q.subject for q in union.quads_for_pattern(None, predicate, term, ox.DefaultGraph()))
        else:
            others = (q.object for q in union.quads_for_pattern(term, predicate, None, ox.DefaultGraph()))
        found |= {other for other in map(rdflib_term, others) if isinstance(other, IdentifiedNode)}
    return found


def same_claims(union: ox.Store, additions: Graph) -> set[IdentifiedNode]:
    """Statements about a (subject, predicate) that a changed direct edge or statement is about."""
    claims: set[tuple[Node, Node]] = {
        (s, p) for s, p, _ in additions if isinstance(s, IdentifiedNode) and isinstance(p, URIRef)
    }
    for statement in additions.subjects(KG.subject, unique=True):
        claims |= {
            (s, p) for s in additions.objects(statement, KG.subject) for p in additions.objects(statement, KG.predicate)
        }
    about, making = predicate_term(KG.subject), predicate_term(KG.predicate)
    found: set[IdentifiedNode] = set()
    for subject, predicate in claims:
        for quad in union.quads_for_pattern(None, about, to_oxigraph(subject), ox.DefaultGraph()):
            statement = rdflib_term(quad.subject)
            making_it = union.quads_for_pattern(quad.subject, making, to_oxigraph(predicate), ox.DefaultGraph())
            if isinstance(statement, IdentifiedNode) and any(True for _ in making_it):
                found.add(statement)
    return found


def closure(union: ox.Store, node: IdentifiedNode, predicate: Node) -> set[IdentifiedNode]:
    """The nodes from which ``node`` is reached through one or more ``predicate`` edges."""
    seen: set[IdentifiedNode] = set()
    todo = [node]
    while todo:
        for other in linked(union, todo.pop(), [predicate], backwards=True):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def neighbourhood(
    union: ox.Store, additions: LoadedGraph, focus: set[IdentifiedNode], reach: Reach, store_path: Path
) -> LoadedGraph:
    """The focus nodes' descriptions and what shapes, labels and the evidence check read around them."""
    graph = Graph()
    graph += additions.graph
    add_to_graph(graph, union.quads_for_pattern(None, predicate_term(RDFS.subClassOf), None, ox.DefaultGraph()))
    level: set[Node] = set()
    for node in focus:
        quads = list(union.quads_for_pattern(resource_term(node), None, None, ox.DefaultGraph()))
        add_to_graph(graph, quads)
        level |= {rdflib_term(q.object) for q in quads}
        add_incoming(graph, union, node, reach.inverse)
    seen: set[IdentifiedNode] = set(focus)
    for _ in range(reach.depth):
        step = {n for n in level if isinstance(n, IdentifiedNode)} - seen
        seen |= step
        level = set()
        for node in step:
            level |= add_outgoing(graph, union, node, {*reach.forward, *DESCRIBING})
            add_incoming(graph, union, node, reach.inverse)
    origins = {**{s: store_path for s in graph.subjects() if isinstance(s, IdentifiedNode)}, **additions.subject_files}
    return LoadedGraph(graph, additions.files, origins)


def add_outgoing(graph: Graph, union: ox.Store, node: IdentifiedNode, predicates: Iterable[Node]) -> set[Node]:
    """Add the node's triples with these predicates; return their objects but for classes (not followed)."""
    objects: set[Node] = set()
    for predicate in predicates:
        quads = list(union.quads_for_pattern(resource_term(node), predicate_term(predicate), None, ox.DefaultGraph()))
        add_to_graph(graph, quads)
        objects |= {rdflib_term(q.object) for q in quads if q.predicate.value != str(RDF.type)}
    return objects


def add_incoming(graph: Graph, union: ox.Store, node: IdentifiedNode, predicates: Iterable[Node]) -> None:
    for predicate in predicates:
        quads = union.quads_for_pattern(None, predicate_term(predicate), resource_term(node), ox.DefaultGraph())
        add_to_graph(graph, quads)


# --- reading the union by pattern: rdflib terms in, rdflib terms out -----------------------------------------


def resource_term(node: Node) -> ox.NamedNode | ox.BlankNode:
    """``node`` as an Oxigraph subject."""
    term = to_oxigraph(node)
    if isinstance(term, ox.Literal):
        raise TypeError(f"a literal is no subject: {node!r}")
    return term


def predicate_term(node: Node) -> ox.NamedNode:
    """``node`` as an Oxigraph predicate."""
    term = to_oxigraph(node)
    if not isinstance(term, ox.NamedNode):
        raise TypeError(f"only an IRI is a predicate: {node!r}")
    return term


def rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """A quad's subject or object as an rdflib term; kg's graphs hold no RDF-star triple terms."""
    if isinstance(term, ox.Triple):
        raise TypeError(f"no rdflib equivalent for {term!r}")
    return from_oxigraph(term)


# --- the violation queries, restricted to the focus nodes ----------------------------------------------------


def restricted_check_results(
    union: ox.Store, checks: list[ViolationQuery], focus: set[IdentifiedNode], validator: Validator
) -> list[ValidationResult]:
    """The checks' rows about the focus nodes: each query runs once per focus node with ?this bound before
    evaluation (Oxigraph's substitutions), which keeps every join anchored on it; a ``VALUES ?this`` block
    is joined too late by some queries (3 s instead of 0.06 s for statement-range at 1M). All queries run
    in one child process, under the time limit (kg.guard.limits)."""
    nodes = sorted(focus, key=str)
    runs: list[tuple[ViolationQuery, dict[ox.Variable, object]]] = []
    for check in checks:
        check_query(check.text, str(check.file), allow_service=netguard.network_allowed())
        if binds_this(check.text):  # it must run whole; only the focus nodes' rows count
            runs.append((check, {}))
        else:
            runs += [(check, {ox.Variable("this"): to_oxigraph(node)}) for node in nodes]

    def evaluate() -> list[OxigraphAnswer]:
        return [answer_in_oxigraph(union, check.text, bound, str(check.file)) for check, bound in runs]

    answers = limits.call_with_deadline("the violation queries", evaluate)
    results: list[ValidationResult] = []
    for (check, _), answer in zip(runs, answers, strict=True):
        results += [r for r in validator.check_rows(answer.result(), check) if r.focus_node in focus]
    return results


def binds_this(query: str) -> bool:
    """Whether the query assigns ?this itself (BIND or a projection ``AS ?this``), so it cannot be pre-bound."""
    return assigns_variable(query, "this")
