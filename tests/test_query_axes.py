"""The library and the seed's hedged sentences: the claim queries give each with its axes, and no answer
read from the direct layer holds it as something that is or was so.

The sentences: "it is unlikely that the name Borgward will be used again" (unlikely), the prototype "planned
to present ... in 2022. However, interested parties waited in vain" (did not happen), the roof bump that
"may be a LiDAR sensor" and the self-propelled functions it "points to" (possible), and the car built in
the Beijing factory, which the source never says (the curator's inference).
"""

from __future__ import annotations

import pytest
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.term import Node

from kg.query.engines import QueryEngine, QueryResult, RdflibEngine
from kg.rdf.direct import is_admitted
from kg.rdf.namespaces import KG, KGR, KGS, KGSRC
from support.answers import LIBRARY

BY_NAME = {q.name: q for q in LIBRARY}

# Each hedged statement with the axes that make it so.
HEDGED: dict[URIRef, dict[str, URIRef]] = {
    KGS["borgward-name-reuse-about"]: {"likelihood": KG.unlikely, "timing": KG.prospective},
    KGS["prototype-presentation-date"]: {"outcome": KG.didNotHappen, "timing": KG.prospective},
    KGS["prototype-presentation-by"]: {"outcome": KG.didNotHappen, "timing": KG.prospective},
    KGS["prototype-presentation-about"]: {"outcome": KG.didNotHappen, "timing": KG.prospective},
    KGS["first-car-lidar"]: {"likelihood": KG.possible},
    KGS["first-car-self-propelled"]: {"likelihood": KG.possible},
    KGS["first-car-plant"]: {"attribution": KG.curatorInference},
}

# The queries that read the direct layer, with the bindings that come closest to a hedged sentence.
DIRECT_LAYER: list[tuple[str, dict[str, Node]]] = [
    ("ceo", {}),
    ("leaders", {}),
    ("brand-rights", {}),
    ("brand-rights", {"brand": KGR.borgward}),
    ("compared-models", {}),
    ("ownership", {}),
    ("ownership", {"owner": KGR["xiaomi-auto"]}),
    ("organizations", {}),
    ("wikidata", {}),
    *[("neighbourhood", {"entity": entity}) for entity in sorted({
        KGR.xiaomi, KGR.borgward, KGR["borgward-name-reuse"], KGR["prototype-presentation"],
        KGR["xiaomi-first-car"], KGR["lidar-sensor"], KGR["self-propelled-functions"], KGR["xiaomi-auto-factory"],
    })],
]  # fmt: skip


@pytest.fixture(scope="module")
def engine(graph: Graph) -> QueryEngine:
    return RdflibEngine(graph)


def run(engine: QueryEngine, name: str, bindings: dict[str, Node] | None = None) -> QueryResult:
    query = BY_NAME[name]
    return engine.run(query.text, query.bindings(bindings or {}), source=str(query.path))


def rows_by_statement(result: QueryResult) -> dict[Node, dict[str, Node | None]]:
    at = result.variables.index("statement")
    return {row[at]: dict(zip(result.variables, row, strict=True)) for row in result.rows}


def claim(graph: Graph, statement: URIRef) -> tuple[Node, Node, Node]:
    subject, predicate = graph.value(statement, KG.subject), graph.value(statement, KG.predicate)
    value = graph.value(statement, KG.object) or graph.value(statement, KG.value)
    assert subject is not None and predicate is not None and value is not None, statement
    return subject, predicate, value


def test_the_hedged_statements_are_the_ones_the_direct_layer_refuses(graph: Graph) -> None:
    assert {st for st in graph.subjects(KG.subject, None) if not is_admitted(graph, st)} == set(HEDGED)


@pytest.mark.parametrize("statement", sorted(HEDGED), ids=lambda s: s.rsplit("/", 1)[-1])
def test_claims_gives_each_hedged_sentence_with_its_axes(statement: URIRef, engine: QueryEngine, graph: Graph) -> None:
    row = rows_by_statement(run(engine, "claims"))[statement]
    assert {axis: row[axis] for axis in HEDGED[statement]} == HEDGED[statement]
    assert row["polarity"] == KG.affirmed and row["rank"] == KG.normalRank
    assert row["hedge"] == graph.value(statement, KG.hedge)
    assert row["source"] == graph.value(statement, KG.source)


@pytest.mark.parametrize(
    ("axis", "value", "expected"),
    [
        ("likelihood", KG.unlikely, {KGS["borgward-name-reuse-about"]}),
        ("likelihood", KG.possible, {KGS["first-car-lidar"], KGS["first-car-self-propelled"]}),
        ("attribution", KG.curatorInference, {KGS["first-car-plant"]}),
        ("polarity", KG.negated, set()),
    ],
)
def test_claims_lists_only_the_claims_of_a_bound_axis_value(
    axis: str, value: URIRef, expected: set[URIRef], engine: QueryEngine
) -> None:
    answer = run(engine, "claims", {axis: value})
    assert set(rows_by_statement(answer)) == expected
    assert {row[answer.variables.index(axis)] for row in answer.rows} <= {value}


def test_timeline_marks_the_2022_prototype_as_did_not_happen(engine: QueryEngine) -> None:
    rows = rows_by_statement(run(engine, "timeline"))
    prototype = rows[KGS["prototype-presentation-date"]]
    assert prototype["date"] == Literal("2022", datatype=XSD.gYear)
    assert prototype["event"] == KGR["prototype-presentation"]
    assert (prototype["timing"], prototype["outcome"], prototype["hedge"]) == (
        KG.prospective,
        KG.didNotHappen,
        Literal("It was actually planned to", lang="en"),
    )
    others = [row for st, row in rows.items() if st != KGS["prototype-presentation-date"]]
    assert others and all(row["outcome"] != KG.didNotHappen for row in others)


@pytest.mark.parametrize("statement", sorted(HEDGED), ids=lambda s: s.rsplit("/", 1)[-1])
def test_is_claimed_says_no_to_each_hedged_sentence(statement: URIRef, engine: QueryEngine, graph: Graph) -> None:
    subject, predicate, value = claim(graph, statement)
    asked = run(engine, "is-claimed", {"subject": subject, "predicate": predicate, "value": value})
    assert asked.boolean is False


def test_is_claimed_says_yes_to_a_fact_and_no_by_default_to_the_borgward_reuse(engine: QueryEngine) -> None:
    ceo = {"subject": KGR.xiaomi, "predicate": KG.chiefExecutiveOfficer, "value": KGR["lei-jun"]}
    assert run(engine, "is-claimed", ceo).boolean is True
    planned = {"subject": KGR.xiaomi, "predicate": KG.productLine, "value": KGR["electric-cars"]}
    assert run(engine, "is-claimed", planned).boolean is True  # a plan the source puts as certain
    defaults = BY_NAME["is-claimed"].bindings({})
    assert (defaults["subject"], defaults["value"]) == (KGR["borgward-name-reuse"], KGR.borgward)
    assert run(engine, "is-claimed").boolean is False


def hedged_terms(graph: Graph) -> list[tuple[URIRef, Node, Node, Node]]:
    return [(statement, *claim(graph, statement)) for statement in sorted(HEDGED)]


def case_id(name: str, bindings: dict[str, Node]) -> str:
    return "-".join([name, *(str(v).rsplit("/", 1)[-1] for v in bindings.values())])


@pytest.mark.parametrize(("name", "bindings"), DIRECT_LAYER, ids=[case_id(n, b) for n, b in DIRECT_LAYER])
def test_no_direct_layer_answer_holds_a_hedged_sentence(
    name: str, bindings: dict[str, Node], engine: QueryEngine, graph: Graph
) -> None:
    answer = run(engine, name, bindings)
    for statement, subject, predicate, value in hedged_terms(graph):
        if answer.graph is not None:
            assert (subject, predicate, value) not in answer.graph, statement
            assert not any(answer.graph.triples((statement, None, None))), statement
            continue
        for row in answer.rows:
            assert statement not in row, (name, statement)
            assert not (subject in row and value in row), (name, statement, row)


@pytest.mark.parametrize("name", ["ceo", "leaders", "brand-rights", "compared-models"])
def test_the_statements_shown_beside_direct_edges_are_ones_the_rule_admits(name: str, engine: QueryEngine) -> None:
    answer = run(engine, name)
    column = {axis: answer.variables.index(axis) for axis in ("attribution", "likelihood", "polarity", "rank")}
    assert answer.rows
    for row in answer.rows:
        axes = {axis: row[at] for axis, at in column.items()}
        assert axes["likelihood"] in (KG.certain, KG.likely) and axes["polarity"] == KG.affirmed, (name, row)
        assert axes["attribution"] != KG.curatorInference and axes["rank"] != KG.deprecatedRank, (name, row)


def test_claims_of_one_source(engine: QueryEngine, graph: Graph) -> None:
    seed = run(engine, "claims", {"source": KGSRC["xiaomi-car-project-2024"]})
    assert set(rows_by_statement(seed)) == set(graph.subjects(KG.subject, None))
    assert run(engine, "claims", {"source": KGSRC["cnevpost-xiaomi-car-project-progresses"]}).rows == ()
