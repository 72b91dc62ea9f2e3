"""A query that asks for the product of patterns open to every triple is refused before any engine runs it
(issue 16): the first corpus's cross product used to run until the time limit, 60 s by default."""

from __future__ import annotations

import pytest

from kg.guard.sparql import find_problem
from support.cli import run_kg
from support.paths import FIXTURES

OPEN = "patterns that each match every triple and share no variable"


def test_the_corpus_cross_product_is_refused_even_without_a_time_limit() -> None:
    query = FIXTURES / "hostile" / "sparql" / "cross-product.rq"
    result = run_kg("--timeout", "0", "query", str(query), project=FIXTURES / "project")
    assert result.exit_code == 3, result.output
    assert "the product of 5 " + OPEN in result.output


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s WHERE { ?s ?p ?o . ?x ?y ?z . ?q ?r ?t }",
        "ASK { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
        "CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    ],
)
def test_three_unconnected_open_patterns_are_refused(query: str) -> None:
    problem = find_problem(query)
    assert problem is not None and OPEN in problem.reason


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",  # two: the square of a small graph, kept
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(?a = ?d && ?d = ?g) }",  # joined by a filter
        "SELECT * WHERE { ?a ?b ?c . ?c ?e ?f . ?f ?h ?i }",  # a chain
        "SELECT * WHERE { ?a a ?c . ?d a ?f . ?g a ?i }",  # each bound by a term
        'SELECT * WHERE { ?a ?b "?c ?d ?e ?f ?g ?h ?i" }',  # variables inside a string are text
        "SELECT * WHERE { ?a ?b ?c } # . ?d ?e ?f . ?g ?h ?i",  # and inside a comment
    ],
)
def test_joined_bounded_or_fewer_patterns_are_left_to_run(query: str) -> None:
    assert find_problem(query) is None
