"""Two engines, one answer: every library query gives the same rows on rdflib and on Oxigraph.

So a user who moves the graph to a real SPARQL store gets the answers kg gave them.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal
from rdflib.term import Node

from kg.query.engines import QueryEngine, engine_for
from kg.query.library import LibraryQuery
from kg.rdf.namespaces import KG, KGR
from support.answers import LIBRARY, assert_same_answer

BY_NAME = {q.name: q for q in LIBRARY}

# Other bindings than the defaults, so that binding is compared too (IRIs and a literal).
OTHER_BINDINGS: list[tuple[str, dict[str, Node]]] = [
    ("sources-of", {"subject": KGR["foton-motor"], "predicate": KG.holdsRight}),
    ("sources-of", {"subject": KGR["xiaomi-first-car"], "predicate": KG.numberOfDoors}),
    ("leaders", {"organization": KGR["foton-motor"]}),
    ("claims", {"likelihood": KG.possible}),
    ("claims", {"attribution": KG.attributed, "timing": KG.factual}),
    ("ownership", {"owner": KGR["foton-motor"]}),
    ("neighbourhood", {"entity": KGR["lei-jun"]}),
    ("compared-models", {"model": KGR["bmw-i4"]}),
    ("is-claimed", {"subject": KGR.xiaomi, "predicate": KG.chiefExecutiveOfficer, "value": KGR["lei-jun"]}),
    ("is-claimed", {"subject": KGR["xiaomi-first-car"], "predicate": KG.hasFeature, "value": KGR["lidar-sensor"]}),
    ("is-claimed", {"subject": KGR["xiaomi-first-car"], "predicate": KG.numberOfDoors, "value": Literal(4)}),
    ("is-claimed", {"subject": KGR["xiaomi-first-car"], "predicate": KG.numberOfDoors, "value": Literal(5)}),
]


@pytest.fixture(scope="module")
def engines(graph: Graph) -> tuple[QueryEngine, QueryEngine]:
    return engine_for("rdflib", graph), engine_for("oxigraph", graph)


# Queries whose empty answer on the curated graph is the point: the frozen project has no conflict between
# sources (tests/test_conflicts.py runs both engines on graphs that have some).
EMPTY_ON_THE_CURATED_GRAPH = {"conflicts"}


@pytest.mark.parametrize("query", LIBRARY, ids=[q.name for q in LIBRARY])
def test_both_engines_give_the_same_answer(query: LibraryQuery, engines: tuple[QueryEngine, QueryEngine]) -> None:
    bindings = query.bindings({})
    answers = [engine.run(query.text, bindings, source=str(query.path)) for engine in engines]
    assert_same_answer(*answers, query.text)
    if answers[0].kind == "select":
        assert bool(answers[0].rows) != (query.name in EMPTY_ON_THE_CURATED_GRAPH), f"{query.name}: rows or none?"
        assert answers[0].variables == query.columns, f"{query.name}: '# columns:' differs from what it selects"
    else:
        assert query.columns == (), f"{query.name}: only SELECT queries have '# columns:'"


@pytest.mark.parametrize(("name", "bindings"), OTHER_BINDINGS, ids=[n for n, _ in OTHER_BINDINGS])
def test_both_engines_agree_under_other_bindings(
    name: str, bindings: dict[str, Node], engines: tuple[QueryEngine, QueryEngine]
) -> None:
    query = BY_NAME[name]
    answers = [engine.run(query.text, query.bindings(bindings), source=str(query.path)) for engine in engines]
    assert_same_answer(*answers, query.text)


def test_bindings_change_the_answer(engines: tuple[QueryEngine, QueryEngine]) -> None:
    rdflib_engine, _ = engines
    query = BY_NAME["claims"]
    possible = rdflib_engine.run(query.text, query.bindings({"likelihood": KG.possible}))
    assert len(possible.rows) == 2
    assert {row[query.columns.index("likelihood")] for row in possible.rows} == {KG.possible}
    everything = rdflib_engine.run(query.text, query.bindings({}))
    assert len(everything.rows) > len(possible.rows)
    is_claimed = BY_NAME["is-claimed"]
    doors = {"subject": KGR["xiaomi-first-car"], "predicate": KG.numberOfDoors}
    assert rdflib_engine.run(is_claimed.text, is_claimed.bindings({**doors, "value": Literal(4)})).boolean is True
    assert rdflib_engine.run(is_claimed.text, is_claimed.bindings({**doors, "value": Literal(5)})).boolean is False
