"""Every library query, run on the curated graph, gives its golden answer in tests/golden/queries/.

The curated graph is the frozen copy in tests/fixtures/project/ (the ``graph`` fixture), so that a new
source in data/ does not change the answers; the queries are the repository's own, queries/.

SELECT and ASK answers are kept as W3C SPARQL results JSON (``<name>.srj``) and compared as unordered
rows, or in order where the query has an ORDER BY; graphs are kept as Turtle (``<name>.ttl``) and
compared as graphs. To rewrite them after a deliberate change to the data or a query, run

    KG_REGENERATE_GOLDEN=1 python -m pytest tests/test_query_golden.py

and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.query.engines import QueryEngine, QueryResult, RdflibEngine
from kg.query.library import LibraryQuery
from kg.query.results import parse_json_results, results_json
from kg.rdf.namespaces import KG, KGS, KGSRC
from kg.rdf.write import serialize
from support.answers import LIBRARY, assert_same_answer

GOLDEN = Path(__file__).resolve().parent / "golden" / "queries"
REGENERATE = os.environ.get("KG_REGENERATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def rdflib_engine(graph: Graph) -> QueryEngine:
    return RdflibEngine(graph)


def golden_path(query: LibraryQuery, result: QueryResult) -> Path:
    return GOLDEN / f"{query.name}.{'ttl' if result.kind == 'graph' else 'srj'}"


def write_golden(path: Path, result: QueryResult) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = serialize(result.graph, "turtle") if result.graph is not None else results_json(result).encode("utf-8")
    path.write_bytes(data)


@pytest.mark.parametrize("query", LIBRARY, ids=[q.name for q in LIBRARY])
def test_library_query_matches_its_golden_answer(query: LibraryQuery, rdflib_engine: QueryEngine) -> None:
    result = rdflib_engine.run(query.text, query.bindings({}), source=str(query.path))
    path = golden_path(query, result)
    if REGENERATE:
        write_golden(path, result)
    assert path.is_file(), f"no golden answer {path}; create it with KG_REGENERATE_GOLDEN=1 (see this file's doc)"
    if result.kind == "graph":
        expected_graph = Graph().parse(path, format="turtle")
        assert result.graph is not None
        if not isomorphic(result.graph, expected_graph):
            _, missing, extra = graph_diff(to_isomorphic(expected_graph), to_isomorphic(result.graph))
            pytest.fail(f"{query.name}: missing {sorted(missing)[:5]}, unexpected {sorted(extra)[:5]}")
        return
    assert_same_answer(result, parse_json_results(path.read_bytes(), str(path)), query.text)


def test_every_golden_answer_belongs_to_a_library_query() -> None:
    names = {q.name for q in LIBRARY}
    stale = sorted(p.name for p in GOLDEN.iterdir() if p.stem not in names)
    assert stale == [], f"golden answers without a query: {stale}"


def test_the_golden_answers_say_what_the_source_says() -> None:
    """A few facts read straight from the seed article, so that a wrong regeneration cannot pass unseen."""
    ceo = parse_json_results((GOLDEN / "ceo.srj").read_bytes())
    assert [str(row[3]) for row in ceo.rows] == ["Lei Jun"]
    timeline = parse_json_results((GOLDEN / "timeline.srj").read_bytes())
    outcome = timeline.variables.index("outcome")
    assert [(str(r[0]), str(r[2]), r[outcome]) for r in timeline.rows] == [
        ("2021", "year", None),
        ("2022", "year", KG.didNotHappen),  # "interested parties waited in vain"
        ("2022-11", "month", None),
        ("2024", "year", KG.outcomeUnknown),
        ("2024-01", "month", KG.outcomeUnknown),
    ]
    prices = parse_json_results((GOLDEN / "prices.srj").read_bytes())
    priced = [r for r in prices.rows if r[3] is not None]
    assert [(r[3].toPython(), r[4].toPython(), str(r[5])) for r in priced] == [(40000, 50000, "EUR")]
    assert parse_json_results((GOLDEN / "is-claimed.srj").read_bytes()).boolean is False
    claims = parse_json_results((GOLDEN / "claims.srj").read_bytes())
    likelihood, statement = claims.variables.index("likelihood"), claims.variables.index("statement")
    doubted = {row[statement]: row[likelihood] for row in claims.rows if row[likelihood] not in (KG.certain, KG.likely)}
    assert doubted == {
        KGS["borgward-name-reuse-about"]: KG.unlikely,
        KGS["first-car-lidar"]: KG.possible,
        KGS["first-car-self-propelled"]: KG.possible,
    }


# Queries that count or ask rather than list claims, or that leave the statements out: no row is one claim.
# conflicts lists pairs of claims, each row with the sources of both.
NOT_LISTING_CLAIMS = {"axis-counts", "is-claimed", "neighbourhood", "conflicts"}
AXIS_COLUMNS = {"attribution", "timing", "outcome", "likelihood", "polarity", "rank", "hedge", "source"}


def test_every_query_that_lists_claims_gives_each_claims_axes_and_source() -> None:
    """No row shows a hedged, failed or inferred claim as a fact, nor one source's value as another's."""
    listing = [q for q in LIBRARY if "kg:subject" in q.text and q.name not in NOT_LISTING_CLAIMS]
    assert len(listing) >= 10
    lacking = {q.name: sorted(AXIS_COLUMNS - set(q.columns)) for q in listing}
    assert {name: missing for name, missing in lacking.items() if missing} == {}
    assert not [q.name for q in LIBRARY if "kg:status" in q.text]
    for query in listing:
        answer = parse_json_results((GOLDEN / f"{query.name}.srj").read_bytes())
        sources = {row[answer.variables.index("source")] for row in answer.rows} - {None}
        assert sources == {KGSRC["xiaomi-car-project-2024"]}, query.name
