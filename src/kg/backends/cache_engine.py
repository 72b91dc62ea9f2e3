"""How the default backend answers a query: Oxigraph over the cached store, with rdflib over the files where the
two would answer differently (kg.backends.cache)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING

from rdflib.term import Node

from kg.errors import InputError
from kg.guard.sparql import tokens
from kg.query.engines import OxigraphEngine, QueryResult, rdflib_parse

if TYPE_CHECKING:
    from kg.backends.cache import CacheBackend

__all__ = ["CacheEngine", "oxigraph_binds", "selected_variables"]


class CacheEngine:
    """Oxigraph over the cached store, answering as the files' rdflib engine did where the two differ:
    with ``--bind`` of a variable a SELECT does not list (Oxigraph substitutes only variables the SELECT
    projects; rdflib binds any, so such a query runs in rdflib over the files), and in
    the words of a syntax error (kg's messages and positions are rdflib's), which costs rdflib's
    parser only for a query that fails."""

    def __init__(self, backend: CacheBackend) -> None:
        self.backend = backend

    @cached_property
    def oxigraph(self) -> OxigraphEngine:
        return OxigraphEngine(self.backend.store)

    def run(self, query: str, bindings: Mapping[str, Node] | None = None, *, source: str = "<query>") -> QueryResult:
        if bindings and not oxigraph_binds(query, set(bindings)):
            return self.backend.files.engine().run(query, bindings, source=source)
        try:
            return self.oxigraph.run(query, bindings, source=source)
        except InputError as exc:
            if "invalid SPARQL: " in str(exc):
                rdflib_parse(query, source)  # raises rdflib's error, the one kg has always shown
            raise


def oxigraph_binds(query: str, names: set[str]) -> bool:
    """Whether Oxigraph substitutes values for all of ``names`` as rdflib binds them: in an ASK, CONSTRUCT
    or DESCRIBE any variable, in a SELECT only those it lists (not under ``SELECT *``)."""
    selected = selected_variables(query)
    return selected is None or names <= selected


def selected_variables(query: str) -> set[str] | None:
    """The variables a SELECT lists (``?x``, and ``?y`` of ``(… AS ?y)``), none for ``SELECT *``; None for a
    query of another kind."""
    found: set[str] = set()
    in_select, depth, after_as, first = False, 0, False, True
    for token in tokens(query):
        word = token.text.upper() if token.kind == "word" else ""
        if not in_select:
            in_select = word == "SELECT"
            if word in ("ASK", "CONSTRUCT", "DESCRIBE"):
                return None
            continue
        if (token.kind == "open" and token.text == "{") or (depth == 0 and word in ("WHERE", "FROM")):
            break
        if word in ("DISTINCT", "REDUCED"):
            continue
        if first and token.text == "*":
            return set()
        first = False
        depth += {"(": 1, ")": -1}.get(token.text, 0)
        if token.kind == "variable" and (depth == 0 or after_as):
            found.add(token.text[1:])
        after_as = word == "AS"
    return found
