"""The repository's query library, and comparing two answers to one query as the same answer: graphs up
to blank nodes, rows in order only where the query orders them."""

from __future__ import annotations

from collections import Counter

from rdflib.compare import isomorphic

from kg.query.engines import QueryResult, orders_rows
from kg.query.library import library_queries
from support.paths import REPO

LIBRARY = library_queries(REPO / "queries")


def assert_same_answer(found: QueryResult, expected: QueryResult, query_text: str) -> None:
    assert (found.kind, found.variables, found.boolean) == (expected.kind, expected.variables, expected.boolean)
    if found.kind == "graph":
        assert found.graph is not None and expected.graph is not None
        assert isomorphic(found.graph, expected.graph)
    elif orders_rows(query_text):
        assert list(found.rows) == list(expected.rows)
    else:
        assert Counter(found.rows) == Counter(expected.rows)
