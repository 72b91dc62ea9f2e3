"""SPARQL over a graph: one result model and the engines that produce it (rdflib in memory, Oxigraph).

Every query an engine runs goes through its ``run`` method, which is where remote access is refused
(kg.guard.sparql, before any parser sees the text) and the time limit is kept: both engines evaluate in
a child process that is killed at the deadline (kg.guard.limits.call_with_deadline), since a signal interrupts
neither Oxigraph's native code nor the backtracking of Python's re, which rdflib's REGEX uses. Both
engines return rdflib terms, so results from either compare and format identically.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast
from typing import Literal as TypingLiteral

import pyoxigraph
from rdflib import Graph, Variable
from rdflib.term import Node

from kg.errors import InputError, KgError, UsageError, one_line, shorten
from kg.guard import limits, netguard
from kg.guard.sparql import check_query
from kg.guard.worker import Worker

# Names that moved to kg.query.syntax, imported from here as before (the 'as' re-exports them).
from kg.query.syntax import QUERY_PREFIXES as QUERY_PREFIXES
from kg.query.syntax import orders_rows as orders_rows
from kg.query.syntax import oxigraph_syntax_error
from kg.query.syntax import rdflib_parse as rdflib_parse
from kg.query.syntax import rdflib_sparql as rdflib_sparql
from kg.query.syntax import refuse_remote_access as refuse_remote_access
from kg.rdf.convert import from_oxigraph, oxigraph_quads, rdflib_triples, to_oxigraph

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query
    from rdflib.query import ResultRow
    from rdflib.term import Identifier

OxigraphTerm = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple
QueryKind = TypingLiteral["select", "ask", "graph"]
Row = tuple[Node | None, ...]


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
            answer = self.graph.query(parsed, initBindings=cast("Mapping[str, Identifier]", initial))
            if answer.type == "ASK":
                return QueryResult("ask", boolean=bool(answer.askAnswer))
            if answer.type in ("CONSTRUCT", "DESCRIBE"):
                return QueryResult(
                    "graph", rows=tuple(answer.graph or ())
                )  # triples pickle; graphs lose their prefixes
            rows = tuple(tuple(row) for row in cast("Iterable[ResultRow]", answer))  # evaluated as they are drawn
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
        assert isinstance(solutions, pyoxigraph.QuerySolutions)  # TSV holds solutions, never a boolean
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
    store: pyoxigraph.Store, query: str, substitutions: Mapping[pyoxigraph.Variable, object], source: str
) -> OxigraphAnswer:
    """Evaluate ``query``; syntax and evaluation errors become InputErrors naming ``source``."""
    try:
        bound = cast("dict[pyoxigraph.Variable, OxigraphTerm]", dict(substitutions))
        answer = store.query(query, prefixes=QUERY_PREFIXES, substitutions=bound)
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return OxigraphAnswer("ask", boolean=bool(answer))
        if isinstance(answer, pyoxigraph.QueryTriples):
            return OxigraphAnswer("graph", answer.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES) or b"")
        return OxigraphAnswer("select", answer.serialize(format=pyoxigraph.QueryResultsFormat.TSV) or b"")
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
