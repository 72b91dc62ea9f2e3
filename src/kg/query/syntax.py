"""Reading a query as the engines do: the prefixes it may leave undeclared, rdflib's parser, and the
errors of either parser turned into kg's InputError at the line and column they name."""

from __future__ import annotations

import re
from types import ModuleType
from typing import TYPE_CHECKING

from kg.errors import InputError, one_line, shorten
from kg.guard import limits
from kg.guard.sparql_lexer import position_of
from kg.guard.sparql_reader import prefixed_name_uses
from kg.rdf.namespaces import PREFIXES, STANDARD_PREFIXES

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

# Prefixes every query may use without declaring them: the project's and the standard W3C ones.
# Library queries declare their own, so that they run unchanged on any SPARQL store.
QUERY_PREFIXES: dict[str, str] = {**{name: str(namespace) for name, namespace in PREFIXES.items()}, **STANDARD_PREFIXES}


def rdflib_sparql() -> ModuleType:
    """rdflib's SPARQL package, imported when first needed (a query on a store never needs it), with the
    loading of remote graphs switched off: rdflib would fetch the graph a FROM names over HTTP or read it
    from a local file. kg refuses FROM before evaluation; the switch makes rdflib refuse it too, and
    covers what pySHACL evaluates."""
    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    return rdflib.plugins.sparql


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
    from rdflib.plugins.sparql.parserutils import CompValue

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
    from rdflib.plugins.sparql.parserutils import CompValue

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
    use = next(prefixed_name_uses(query, match.group(1).removesuffix(":")), None)
    return position_of(query, use.offset) if use else (None, None)


OXIGRAPH_POSITION = re.compile(r"^error at (\d+):(\d+): ")


def oxigraph_syntax_error(exc: SyntaxError, source: str) -> InputError:
    message = str(exc)
    match = OXIGRAPH_POSITION.match(message)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (None, None)
    reason = one_line(OXIGRAPH_POSITION.sub("", message))
    return InputError(f"invalid SPARQL: {shorten(reason)}", path=source, line=line, column=column)
