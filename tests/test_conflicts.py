"""Conflicts between sources (kg.validate.conflicts): the rule on small graphs, the library query and the
validation warning on the frozen project plus a second source, and a rank that settles a conflict.

The second source (tests/fixtures/second-source/) is a short text of our own that puts the start of mass
production in the second half of 2024, where the seed says the first half; it agrees with the seed on the CEO.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from rdflib import XSD, Graph, Literal

from kg.backends.oxigraph import load_store
from kg.project import Project
from kg.query.engines import QueryEngine, RdflibEngine, engine_for
from kg.rdf.direct import direct_edges
from kg.rdf.load import load_project
from kg.rdf.namespaces import KG, KGR, KGS, KGSRC
from kg.validate.conflicts import CONFLICT_CHECK, CONFLICTS_QUERY, Conflict, find_conflicts
from kg.validate.report import KGSH, Severity, ValidationReport
from kg.validate.runner import validate
from support.cli import run_kg
from support.html_page import Page
from support.paths import CURATED, FIXTURES, REPO

SECOND_SOURCE = FIXTURES / "second-source"
SEED = KGSRC["xiaomi-car-project-2024"]
SECOND = KGSRC["xiaomi-car-timetable"]
SEED_PERIOD = KGS["mass-production-start-period"]
SECOND_PERIOD = KGS["timetable-mass-production-start-period"]
MASS_PRODUCTION = KGR["mass-production-start"]
CHECK = KGSH["unsettled-conflict-violation"]
PREFERRED = 'kg:rank kg:preferredRank ; kg:rankReason "The later report gives the newer timetable."@en'


def add_second_source(project: Project) -> None:
    """The second source's text, manifest entry and statements added to a copy of the frozen project."""
    for text in (SECOND_SOURCE / "seeds").glob("*.txt"):
        shutil.copy(text, project.seeds_dir / text.name)
    entry = (SECOND_SOURCE / "seeds" / "manifest-entry.ttl").read_text(encoding="utf-8")
    project.manifest.write_text(project.manifest.read_text(encoding="utf-8") + "\n" + entry, encoding="utf-8")
    for data in (SECOND_SOURCE / "data" / "sources").glob("*.ttl"):
        shutil.copy(data, project.root / "data" / "sources" / data.name)


@pytest.fixture
def two_sources(tmp_project: Project) -> Project:
    add_second_source(tmp_project)
    return tmp_project


def rank_second_period(project: Project, rank: str = PREFERRED) -> None:
    path = project.root / "data" / "sources" / "xiaomi-car-timetable.ttl"
    text = path.read_text(encoding="utf-8")
    period, rest = text.split("kgs:timetable-xiaomi-ceo")
    assert period.count("kg:rank kg:normalRank") == 1
    path.write_text(period.replace("kg:rank kg:normalRank", rank) + "kgs:timetable-xiaomi-ceo" + rest, encoding="utf-8")


def conflict_warnings(report: ValidationReport) -> list[str]:
    return [r.message for r in report.results if r.source_shape == CHECK]


# --- the query and the check are the module's -----------------------------------------------------------------


def test_the_library_query_and_the_check_are_the_modules_text() -> None:
    """queries/conflicts.rq and the warning's check, here and in the frozen project, are kg.validate.conflicts'
    text; after changing the module, KG_REGENERATE_GOLDEN=1 (as for the golden answers) writes them again."""
    for root in (REPO, CURATED):
        files = {
            root / "queries" / "conflicts.rq": CONFLICTS_QUERY,
            root / "queries" / "checks" / "unsettled-conflict-violation.rq": CONFLICT_CHECK,
        }
        for path, text in files.items():
            if os.environ.get("KG_REGENERATE_GOLDEN") == "1":
                path.write_text(text, encoding="utf-8")
            assert path.read_text(encoding="utf-8") == text, path


def test_the_frozen_fixture_alone_has_no_conflict(graph: Graph, curated_report: ValidationReport) -> None:
    assert find_conflicts(RdflibEngine(graph)) == []
    assert conflict_warnings(curated_report) == []


# --- the rule, on small graphs ---------------------------------------------------------------------------------

PREFIXES = """\
@prefix kg: <https://w3id.org/kg/ontology#> . @prefix kgr: <https://w3id.org/kg/id/> .
@prefix kgs: <https://w3id.org/kg/statement/> . @prefix kgsrc: <https://w3id.org/kg/source/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kg:date a kg:SingleValuedProperty . kg:price a kg:SingleValuedProperty .
kg:chiefExecutiveOfficer a kg:SingleValuedProperty . kg:numberOfDoors a kg:SingleValuedProperty .
kgr:lei-jun rdfs:label "Lei Jun"@en . kgr:someone-else rdfs:label "Someone Else"@en .
"""


def claim(name: str, predicate: str, value: str, *, source: str, subject: str = "thing") -> str:
    return (
        f"kgs:{name} kg:subject kgr:{subject} ; kg:predicate {predicate} ; {value} ;\n"
        f"    kg:source kgsrc:{source} ; kg:polarity kg:affirmed ; kg:rank kg:normalRank .\n"
    )


def pair(predicate: str, one: str, other: str, *, same_source: bool = False) -> Graph:
    text = PREFIXES + claim("a", predicate, one, source="one")
    text += claim("b", predicate, other, source="one" if same_source else "two")
    return Graph().parse(data=text, format="turtle")


def engines(graph: Graph) -> list[QueryEngine]:
    return [RdflibEngine(graph), engine_for("oxigraph", graph)]


PERIOD_H1 = 'a kg:PeriodStatement ; kg:earliestDate "2024-01"^^xsd:gYearMonth ; kg:latestDate "2024-06"^^xsd:gYearMonth'
PERIOD_H2 = 'a kg:PeriodStatement ; kg:earliestDate "2024-07"^^xsd:gYearMonth ; kg:latestDate "2024-12"^^xsd:gYearMonth'
RANGE = 'a kg:QuantityStatement ; kg:minInclusive 40000 ; kg:maxInclusive 50000 ; kg:currency "EUR"'

CASES = [
    # (predicate, one claim, the other, conflict?)
    ("kg:date", PERIOD_H1, PERIOD_H2, True),
    ("kg:date", PERIOD_H1, 'kg:value "2024"^^xsd:gYear', False),  # the year holds the half-year
    ("kg:date", PERIOD_H1, 'kg:value "2024-06-30"^^xsd:date', False),
    ("kg:date", PERIOD_H1, 'kg:value "2024-07-01"^^xsd:date', True),
    ("kg:date", 'kg:value "2024-06"^^xsd:gYearMonth', 'kg:value "2024"^^xsd:gYear', False),
    ("kg:date", 'kg:value "2023"^^xsd:gYear', 'kg:value "2024-01"^^xsd:gYearMonth', True),
    ("kg:chiefExecutiveOfficer", "kg:object kgr:lei-jun", "kg:object kgr:someone-else", True),
    ("kg:chiefExecutiveOfficer", "kg:object kgr:lei-jun", "kg:object kgr:lei-jun", False),
    ("kg:numberOfDoors", "kg:value 4", "kg:value 5", True),
    ("kg:numberOfDoors", "kg:value 4", 'kg:value "4.0"^^xsd:decimal', False),  # one number, two spellings
    ("kg:price", RANGE, 'a kg:QuantityStatement ; kg:amount 50000 ; kg:currency "EUR"', False),
    ("kg:price", RANGE, 'a kg:QuantityStatement ; kg:minExclusive 50000 ; kg:currency "EUR"', True),
    ("kg:price", RANGE, 'a kg:QuantityStatement ; kg:amount 60000 ; kg:currency "EUR"', True),
    ("kg:price", RANGE, 'a kg:QuantityStatement ; kg:amount 300000 ; kg:currency "CNY"', False),  # other money
    ("kg:price", RANGE, 'a kg:QuantityStatement ; kg:maxExclusive 40000 ; kg:currency "EUR"', True),
]


def test_what_cannot_both_hold() -> None:
    """Every case in one graph, each pair about a subject of its own: both engines find exactly the conflicts."""
    text = PREFIXES
    for number, (predicate, one, other, _) in enumerate(CASES):
        text += claim(f"case-{number}-a", predicate, one, source="one", subject=f"case-{number}")
        text += claim(f"case-{number}-b", predicate, other, source="two", subject=f"case-{number}")
    expected = [(KGS[f"case-{n}-a"], KGS[f"case-{n}-b"]) for n, case in enumerate(CASES) if case[3]]
    for engine in engines(Graph().parse(data=text, format="turtle")):
        found = [(c.statement, c.other_statement) for c in find_conflicts(engine)]
        assert sorted(found) == sorted(expected), type(engine).__name__


def test_a_conflict_needs_two_sources_two_affirmed_claims_and_a_single_valued_property() -> None:
    assert find_conflicts(RdflibEngine(pair("kg:date", PERIOD_H1, PERIOD_H2, same_source=True))) == []
    negated = pair("kg:date", PERIOD_H1, PERIOD_H2)
    negated.set((KGS.b, KG.polarity, KG.negated))
    assert find_conflicts(RdflibEngine(negated)) == []
    many_valued = pair("kg:productLine", "kg:object kgr:lei-jun", "kg:object kgr:someone-else")
    assert find_conflicts(RdflibEngine(many_valued)) == []


def test_a_row_shows_both_values_and_sources_and_a_rank_settles_it() -> None:
    expected = Conflict(
        KGS.a, KGS.b, KGR.thing, KG.price, "at least 40000 and at most 50000 EUR", "more than 50000 EUR",
        KGSRC.one, KGSRC.two, settled=False,
    )  # fmt: skip
    graph = pair("kg:price", RANGE, 'a kg:QuantityStatement ; kg:minExclusive 50000 ; kg:currency "EUR"')
    assert [find_conflicts(e) for e in engines(graph)] == [[expected], [expected]]
    for rank in (KG.preferredRank, KG.deprecatedRank):
        graph.set((KGS.b, KG.rank, rank))
        assert [c.settled for e in engines(graph) for c in find_conflicts(e)] == [True, True]


# --- the second source: kg query conflicts, kg validate, a rank ------------------------------------------------


def query_rows(project: Project) -> list[dict[str, str]]:
    result = run_kg("query", "conflicts", "--format", "csv", project=project, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_kg_query_conflicts_lists_the_two_periods(two_sources: Project) -> None:
    assert query_rows(two_sources) == [
        {
            "statement": str(SEED_PERIOD),
            "otherStatement": str(SECOND_PERIOD),
            "subject": str(MASS_PRODUCTION),
            "predicate": str(KG.date),
            "value": "2024-01 .. 2024-06",
            "otherValue": "2024-07 .. 2024-12",
            "source": str(SEED),
            "otherSource": str(SECOND),
            "settled": "false",
        }
    ]


def test_kg_validate_warns_naming_both_statements_and_passes(two_sources: Project) -> None:
    result = run_kg("validate", "--format", "json", project=two_sources, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    [warning] = [r for r in report["result"] if r.get("sourceShape") == {"@id": str(CHECK)}]
    assert warning["resultSeverity"] == str(Severity.WARNING.iri)
    assert (warning["focusNode"], warning["resultPath"]) == ({"@id": str(MASS_PRODUCTION)}, {"@id": str(KG.date)})
    assert warning["value"] == {"@id": str(SECOND_PERIOD)}
    message = warning["resultMessage"]
    assert "kgs:mass-production-start-period" in message and "kgs:timetable-mass-production-start-period" in message
    assert '"2024-01 .. 2024-06"' in message and "kgsrc:xiaomi-car-timetable" in message
    assert run_kg("validate", "--fail-on", "warning", project=two_sources).exit_code == 1


def test_validating_the_second_sources_file_shows_the_conflict(two_sources: Project) -> None:
    path = two_sources.root / "data" / "sources" / "xiaomi-car-timetable.ttl"
    result = run_kg("validate", str(path), project=two_sources, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "kgs:timetable-mass-production-start-period" in result.stdout
    assert "unsettled-conflict-violation" in result.stdout


def test_a_preferred_rank_settles_it_and_changes_the_direct_layer_only(two_sources: Project) -> None:
    before = load_project(two_sources).graph
    assert conflict_warnings(validate(load_project(two_sources), two_sources)) != []
    rank_second_period(two_sources)
    loaded = load_project(two_sources)
    after = loaded.graph
    assert conflict_warnings(validate(loaded, two_sources)) == []
    assert [row["settled"] for row in query_rows(two_sources)] == ["true"]
    gone = {
        (MASS_PRODUCTION, KG.earliestDate, Literal("2024-01", datatype=XSD.gYearMonth)),
        (MASS_PRODUCTION, KG.latestDate, Literal("2024-06", datatype=XSD.gYearMonth)),
    }
    assert set(direct_edges(before)) - set(direct_edges(after)) == gone
    assert set(direct_edges(after)) - set(direct_edges(before)) == set()
    reason = Literal("The later report gives the newer timetable.", lang="en")
    assert set(after - before) == {(SECOND_PERIOD, KG.rank, KG.preferredRank), (SECOND_PERIOD, KG.rankReason, reason)}
    assert set(before - after) == {*gone, (SECOND_PERIOD, KG.rank, KG.normalRank)}


def test_validating_the_new_source_against_a_store_shows_the_conflict(tmp_project: Project, tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_store(store, tmp_project.graph_files())
    add_second_source(tmp_project)
    changed = [str(tmp_project.root / "data" / "sources" / "xiaomi-car-timetable.ttl"), str(tmp_project.manifest)]
    result = run_kg("validate", "--store", f"oxigraph:{store}", "--changed", *changed, project=tmp_project)
    assert result.exit_code == 0, result.output
    assert "kgs:timetable-mass-production-start-period" in result.stdout
    assert "unsettled-conflict-violation" in result.stdout


def page_conflicts(project: Project, tmp_path: Path) -> list[dict[str, object]]:
    out = tmp_path / "page.html"
    result = run_kg("render", "--out", str(out), project=project)
    assert result.exit_code == 0, result.output
    data = Page(out.read_text(encoding="utf-8")).json("kg-data")
    assert isinstance(data, dict)
    conflicts: list[dict[str, object]] = data["page"]["conflicts"]
    return conflicts


def test_kg_render_flags_the_conflict_until_a_rank_settles_it(two_sources: Project, tmp_path: Path) -> None:
    (flagged,) = page_conflicts(two_sources, tmp_path)
    assert flagged["settled"] is False
    claims = flagged["claims"]
    assert isinstance(claims, list)
    assert [side["statement"] for side in claims] == [str(SEED_PERIOD), str(SECOND_PERIOD)]
    rank_second_period(two_sources)
    (settled,) = page_conflicts(two_sources, tmp_path)
    assert settled["settled"] is True
