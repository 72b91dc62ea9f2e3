"""SPARQL over a graph: one result model and the engines that produce it (rdflib in memory, Oxigraph).

Every query an engine runs goes through its ``run`` method, which is where remote access is refused
(kg.guard.sparql, before any parser sees the text) and the time limit is kept: both engines evaluate in
a child process that is killed at the deadline (kg.guard.limits.call_with_deadline), since a signal interrupts
neither Oxigraph's native code nor the backtracking of Python's re, which rdflib's REGEX uses. Both
engines return rdflib terms, so results from either compare and format identically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Protocol
from typing import Literal as TypingLiteral

import pyoxigraph
from rdflib import Graph, Variable
from rdflib.term import Node

from kg.errors import InputError, KgError, UsageError, one_line, shorten
from kg.guard import limits, netguard
from kg.guard.sparql import check_query, position_of, tokens
from kg.guard.worker import Worker
from kg.rdf.convert import from_oxigraph, oxigraph_quads, rdflib_triples, to_oxigraph
from kg.rdf.namespaces import PREFIXES, STANDARD_PREFIXES

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

QueryKind = TypingLiteral["select", "ask", "graph"]
Row = tuple[Node | None, ...]

# Prefixes every query may use without declaring them: the project's and the standard W3C ones.
# Library queries declare their own, so that they run unchanged on any SPARQL store.
QUERY_PREFIXES: dict[str, str] = {**{name: str(namespace) for name, namespace in PREFIXES.items()}, **STANDARD_PREFIXES}


@dataclass(frozen=True)
class QueryResult:
    """What a query answered: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT and DESCRIBE."""

    kind: QueryKind
    variables: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None


class QueryEngine(Protocol):
    """Runs SPARQL 1.1 queries; ``source`` names the query in error messages (a file, or ``<query>``)."""

    def run(self, query: str, bindings: Mapping[str, Node] | None = None, *, source: str = "<query>") -> QueryResult:
        """Answer ``query`` with ``bindings`` given to its variables as values, never spliced into text."""
        ...


def rdflib_sparql() -> ModuleType:
    """rdflib's SPARQL package, imported when first needed (a query on a store never needs it), with the
    loading of remote graphs switched off: rdflib would fetch the graph a FROM names over HTTP or read it
    from a local file. kg refuses FROM before evaluation; the switch makes rdflib refuse it too, and
    covers what pySHACL evaluates."""
    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    return rdflib.plugins.sparql


class RdflibEngine:
    """rdflib's in-memory SPARQL engine over an rdflib graph."""

    def __init__(self, graph: Graph) -> None:
        rdflib_sparql()
        self.graph = graph

    def run(self, query: str, bindings: Mapping[str, Node] | None = None, *, source: str = "<query>") -> QueryResult:
        allow_service = netguard.network_allowed()
        check_query(query, source, allow_service=allow_service)
        initial = {Variable(name): value for name, value in (bindings or {}).items()}
        parsed, star = rdflib_parse(query, source)  # here, not in the worker: pyparsing keeps its warm caches
        refuse_remote_access(parsed, source, allow_service=allow_service)
        # Evaluated in a child process: rdflib's REGEX is Python's re, whose backtracking no signal interrupts.
        answer = limits.call_with_deadline(f"the query {source}", lambda: self.evaluate(parsed, star, initial, source))
        return with_result_graph(answer)

    def evaluate(self, parsed: Query, star: bool, initial: Mapping[Variable, Node], source: str) -> QueryResult:
        try:
            answer = self.graph.query(parsed, initBindings=initial)
            if answer.type == "ASK":
                return QueryResult("ask", boolean=bool(answer.askAnswer))
            if answer.type in ("CONSTRUCT", "DESCRIBE"):
                return QueryResult("graph", rows=tuple(answer.graph))  # triples pickle; graphs lose their prefixes
            rows = tuple(tuple(row) for row in answer)  # evaluation happens here, as the rows are drawn
        except KgError:
            raise
        except Exception as exc:  # rdflib's evaluator fails on some valid queries (an ORDER BY STR(?unbound))
            raise InputError(
                f"rdflib could not evaluate the query ({type(exc).__name__}: {shorten(one_line(str(exc)))}); "
                "try --engine oxigraph",
                path=source,
            ) from None
        result = QueryResult("select", tuple(str(v) for v in answer.vars or ()), rows)
        # rdflib gives SELECT * variables in set order, which changes from run to run.
        return columns_by_name(result) if star else result


def columns_by_name(result: QueryResult) -> QueryResult:
    """``result`` with its columns in name order, as Oxigraph answers SELECT *: the order every backend gives."""
    order = sorted(range(len(result.variables)), key=lambda i: result.variables[i])
    rows = tuple(tuple(row[i] for i in order) for row in result.rows)
    return QueryResult(result.kind, tuple(result.variables[i] for i in order), rows)


class OxigraphEngine:
    """Oxigraph's SPARQL engine over a pyoxigraph store; its terms come back as rdflib terms."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.store = store
        # One worker for every query this engine runs (kg.guard.worker), not a fork per query.
        self.worker: Worker[OxigraphRequest, OxigraphAnswer] = Worker(self.answer)

    def run(self, query: str, bindings: Mapping[str, Node] | None = None, *, source: str = "<query>") -> QueryResult:
        # Oxigraph runs SERVICE over HTTP from native code, which kg.guard.netguard cannot see: the text is checked.
        check_query(query, source, allow_service=netguard.network_allowed())
        request = OxigraphRequest(query, dict(bindings or {}), source)
        return self.worker.call(f"the query {source}", request).result()

    def answer(self, request: OxigraphRequest) -> OxigraphAnswer:
        substitutions: dict[pyoxigraph.Variable, object] = {
            pyoxigraph.Variable(name): to_oxigraph(value) for name, value in request.bindings.items()
        }
        return answer_in_oxigraph(self.store, request.query, substitutions, request.source)


@dataclass(frozen=True)
class OxigraphRequest:
    """A query as it travels to the worker: rdflib terms pickle, pyoxigraph's do not."""

    query: str
    bindings: dict[str, Node]
    source: str


@dataclass(frozen=True)
class OxigraphAnswer:
    """An answer as Oxigraph writes it: solutions as SPARQL TSV, triples as N-Triples, or a boolean.

    The worker process sends this back rather than rdflib terms, whose pickling cost 3.6 s more for an
    answer of 112,000 rows.
    """

    kind: QueryKind
    data: bytes = b""
    boolean: bool | None = None

    def result(self) -> QueryResult:
        """The answer in rdflib terms; a graph answer knows the query prefixes."""
        if self.kind == "ask":
            return QueryResult("ask", boolean=self.boolean)
        if self.kind == "graph":
            triples = pyoxigraph.parse(self.data, format=pyoxigraph.RdfFormat.N_TRIPLES)
            return QueryResult("graph", graph=result_graph(rdflib_triples(triples)))
        solutions = pyoxigraph.parse_query_results(self.data, format=pyoxigraph.QueryResultsFormat.TSV)
        variables = tuple(v.value for v in solutions.variables)
        converted: dict[object, Node] = {}  # the same term recurs across rows: convert it once

        def term(value: object) -> Node | None:
            if value is None:
                return None
            found = converted.get(value)
            if found is None:
                found = converted[value] = from_oxigraph(value)  # type: ignore[arg-type]
            return found

        rows = tuple(tuple(term(solution[i]) for i in range(len(variables))) for solution in solutions)
        return QueryResult("select", variables, rows)


def answer_in_oxigraph(
    store: pyoxigraph.Store, query: str, substitutions: dict[pyoxigraph.Variable, object], source: str
) -> OxigraphAnswer:
    """Evaluate ``query``; syntax and evaluation errors become InputErrors naming ``source``."""
    try:
        answer = store.query(query, prefixes=QUERY_PREFIXES, substitutions=substitutions)
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return OxigraphAnswer("ask", boolean=bool(answer))
        if isinstance(answer, pyoxigraph.QueryTriples):
            return OxigraphAnswer("graph", answer.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES))
        return OxigraphAnswer("select", answer.serialize(format=pyoxigraph.QueryResultsFormat.TSV))
    except SyntaxError as exc:
        raise oxigraph_syntax_error(exc, source) from None
    except (RuntimeError, OSError) as exc:
        if "SELECT projection" not in str(exc):
            reason = shorten(one_line(str(exc)))
            raise InputError(f"Oxigraph could not evaluate the query: {reason}", path=source) from None
        # Oxigraph substitutes (SPARQL-dev SEP-0007) only variables that the SELECT projects.
        raise UsageError(f"--bind: {exc}; with --engine oxigraph, select every variable you bind") from None


def with_result_graph(answer: QueryResult) -> QueryResult:
    """A graph answer whose triples came back from the worker as rows, made a graph again."""
    if answer.kind != "graph":
        return answer
    return QueryResult("graph", graph=result_graph(answer.rows))  # type: ignore[arg-type]


def rdflib_parse(query: str, source: str) -> tuple[Query, bool]:
    """The translated query and whether it projects ``*``; any failure is an InputError at its position.
    Parsing is bounded by the time limit: pyparsing backtracks for long on some texts."""
    rdflib_sparql()
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    with limits.time_limit(f"parsing the query {source}"):
        try:
            tree = parseQuery(query)
        except Exception as exc:  # pyparsing's ParseException, or rdflib's errors for bad escapes and the like
            line, column = getattr(exc, "lineno", None), getattr(exc, "col", None)
            reason = pyparsing_reason(exc)
            raise InputError(f"invalid SPARQL: {reason}", path=source, line=line, column=column) from exc
        try:
            parsed = translateQuery(tree, initNs=QUERY_PREFIXES)
        except Exception as exc:  # rdflib raises bare Exceptions, such as for an undeclared prefix
            line, column = undeclared_prefix_position(query, str(exc))
            raise InputError(f"invalid SPARQL: {one_line(str(exc))}", path=source, line=line, column=column) from exc
    return parsed, "projection" not in tree[1]


def orders_rows(query: str) -> bool:
    """Whether ``query`` fixes the order of its answer with an ORDER BY at its top level."""
    from rdflib.plugins.sparql.sparql import CompValue

    parsed, _ = rdflib_parse(query, "<query>")
    node = parsed.algebra
    while isinstance(node, CompValue):
        if node.name == "OrderBy":
            return True
        if node.name not in ("SelectQuery", "Project", "Distinct", "Reduced", "Slice"):
            return False
        node = node.get("p")
    return False


def refuse_remote_access(parsed: Query, source: str, *, allow_service: bool = False) -> None:
    """Refuse SERVICE (unless ``allow_service``) and FROM in a parsed query: rdflib would fetch them.

    kg.guard.sparql has refused them in the text already; this looks at what rdflib will evaluate.
    """
    from rdflib.plugins.sparql.algebra import traverse
    from rdflib.plugins.sparql.sparql import CompValue

    found: list[str] = []

    def visit(node: object) -> None:
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern" and not allow_service:
            found.append("SERVICE")

    traverse(parsed.algebra, visitPre=visit)
    if parsed.algebra.get("datasetClause"):
        found.append("FROM")
    if found:
        raise InputError(f"{found[0]} is refused: kg queries only the local graph", path=source)


def pyparsing_reason(exc: Exception) -> str:
    """pyparsing's message without the position it appends, which InputError already shows."""
    return one_line(re.sub(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)$", "", str(exc))) or type(exc).__name__


def undeclared_prefix_position(query: str, message: str) -> tuple[int | None, int | None]:
    match = re.search(r"Unknown namespace prefix : (\S+)", message)
    if not match:
        return None, None
    use = next((t for t in tokens(query) if t.kind == "name" and t.text.startswith(f"{match.group(1)}:")), None)
    return position_of(query, use.offset) if use else (None, None)


OXIGRAPH_POSITION = re.compile(r"^error at (\d+):(\d+): ")


def oxigraph_syntax_error(exc: SyntaxError, source: str) -> InputError:
    message = str(exc)
    match = OXIGRAPH_POSITION.match(message)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (None, None)
    reason = one_line(OXIGRAPH_POSITION.sub("", message))
    return InputError(f"invalid SPARQL: {shorten(reason)}", path=source, line=line, column=column)


def without_comments_strings_and_iris(query: str) -> str:
    """The query with comments, string literals and IRIs blanked out, keeping every character's position."""
    pattern = re.compile(
        r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|<[^<>\s]*>|#[^\n]*'
    )
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), query)


def result_graph(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    """A CONSTRUCT or DESCRIBE answer as a graph that knows the query prefixes and no others."""
    graph = Graph(bind_namespaces="none")
    for name, namespace in QUERY_PREFIXES.items():
        graph.bind(name, namespace)
    for triple in triples:
        graph.add(triple)
    return graph


def oxigraph_store(graph: Graph) -> pyoxigraph.Store:
    """An in-memory Oxigraph store holding the triples of ``graph`` in its default graph."""
    store = pyoxigraph.Store()
    store.bulk_extend(oxigraph_quads(graph))
    return store


ENGINES = ("rdflib", "oxigraph")


def engine_for(name: str, graph: Graph) -> QueryEngine:
    """The engine called ``name`` (one of ENGINES), over ``graph``."""
    if name == "oxigraph":
        return OxigraphEngine(oxigraph_store(graph))
    return RdflibEngine(graph)
