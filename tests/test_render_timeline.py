"""``kg render --timeline``: the dated claims on a time axis, at their precision, with their axes and sources.

The dates and conflicts are checked as values; the page in a real Chromium with the network blocked
(skipped only where Chromium or playwright is missing; CI installs both): one item per dated claim of the
frozen fixture, each bar spanning its date's precision, the 2022 prototype struck as a plan that did not
happen, and the dates of a second source that contradicts the first drawn side by side and flagged.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.project import Project
from kg.rdf.namespaces import KG, KGS
from kg.view.flags import Conflicting
from kg.view.timeline import read_rows
from kg.view.timeline_dates import Span, date_span, period_span
from kg.view.timeline_rows import timeline_of
from support.browser import CHROMIUM, OpenedPage, open_view
from support.cli import run_kg


def axes(likelihood: str = "kg:likely", polarity: str = "kg:affirmed", rank: str = "kg:normalRank") -> str:
    return (
        f"kg:attribution kg:ownVoice ; kg:timing kg:factual ; kg:likelihood {likelihood} ; "
        f"kg:polarity {polarity} ; kg:rank {rank} ; kg:source kgsrc:second-opinion"
    )


HOSTILE = '<script>alert("x")</script> & co'
TURTLE_HOSTILE = '"<script>alert(\\"x\\")</script> & co"'
# A second source: it contradicts the seed's mass-production period (not settled) and its 2021 entry into
# the car industry (settled: this source's date is deprecated), agrees with the 2024 production start,
# denies a 2023 start, and names an event whose label is markup.
SECOND_SOURCE = f"""
@prefix kg: <https://w3id.org/kg/ontology#> .  @prefix kgr: <https://w3id.org/kg/id/> .
@prefix kgs: <https://w3id.org/kg/statement/> .  @prefix kgsrc: <https://w3id.org/kg/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .  @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
kgsrc:second-opinion a kg:SourceDocument ; rdfs:label "Second opinion"@en .
kgr:hostile a kg:Event ; rdfs:label {TURTLE_HOSTILE}@en .
kgs:second-period a kg:PeriodStatement ; kg:subject kgr:mass-production-start ; kg:predicate kg:date ;
    kg:earliestDate "2025-07"^^xsd:gYearMonth ; kg:latestDate "2025-12"^^xsd:gYearMonth ; {axes()} .
kgs:second-entry a kg:ValueStatement ; kg:subject kgr:car-industry-entry ; kg:predicate kg:date ;
    kg:value "2020"^^xsd:gYear ; {axes(rank="kg:deprecatedRank")} ; kg:rankReason "The seed dates it." .
kgs:second-start a kg:ValueStatement ; kg:subject kgr:production-start ; kg:predicate kg:date ;
    kg:value "2024-03"^^xsd:gYearMonth ; {axes()} .
kgs:second-not-2023 a kg:ValueStatement ; kg:subject kgr:production-start ; kg:predicate kg:date ;
    kg:value "2023"^^xsd:gYear ; {axes(polarity="kg:negated")} .
kgs:second-hostile a kg:ValueStatement ; kg:subject kgr:hostile ; kg:predicate kg:date ;
    kg:value "2023-05-04"^^xsd:date ; {axes(likelihood="kg:unlikely")} .
"""

pytestmark_browser = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs it)")


def with_second_source(project: Project) -> Project:
    (project.data_dir / "sources" / "second-opinion.ttl").write_text(SECOND_SOURCE, encoding="utf-8")
    return project


def dated_statements(graph: Graph) -> set[str]:
    """The dated claims, found without kg: value dates, periods and start dates."""
    values = {s for s in graph.subjects(KG.predicate, KG.date) if (s, KG.value, None) in graph}
    periods = set(graph.subjects(RDF.type, KG.PeriodStatement))
    starts = {s for s in graph.subjects(KG.startDate, None) if (s, KG.object, None) in graph}
    return {str(s) for s in values | periods | starts}


def kg(*arguments: str, project: Project) -> Result:
    """kg in this process; the command stops its query workers when it ends (kg.guard.worker.stop_workers)."""
    return run_kg(*arguments, project=project, catch_exceptions=False)


def render(project: Project, target: Path, *options: str) -> str:
    result = kg("render", "--timeline", "-o", str(target), *options, project=project)
    assert result.exit_code == 0, result.output
    return result.stdout


def rendered(project: Project, target: Path) -> Path:
    render(project, target)
    return target


def bounds(span: Span | None) -> tuple[date, date] | None:
    return None if span is None else (span.start, span.end)


def test_a_date_spans_its_precision_and_a_period_its_bounds() -> None:
    assert bounds(date_span(Literal("2021", datatype=XSD.gYear))) == (date(2021, 1, 1), date(2022, 1, 1))
    assert bounds(date_span(Literal("2022-12", datatype=XSD.gYearMonth))) == (date(2022, 12, 1), date(2023, 1, 1))
    assert bounds(date_span(Literal("2024-02-29", datatype=XSD.date))) == (date(2024, 2, 29), date(2024, 3, 1))
    half = period_span(Literal("2024-01", datatype=XSD.gYearMonth), Literal("2024-06", datatype=XSD.gYearMonth))
    assert half is not None and (bounds(half), half.text) == (
        (date(2024, 1, 1), date(2024, 7, 1)),
        "Jan 2024 \u2013 Jun 2024",
    )
    instant = Literal("2024-03-28T23:30:00+08:00", datatype=XSD.dateTime)
    assert bounds(date_span(instant)) == (date(2024, 3, 28), date(2024, 3, 29))  # its day, as conflicts.rq has it
    for unreadable in (Literal("2021-13", datatype=XSD.gYearMonth), Literal("2023-02-29", datatype=XSD.date)):
        assert date_span(unreadable) is None
    assert date_span(Literal("2021")) is None  # no datatype, no precision
    assert period_span(Literal("2024", datatype=XSD.gYear), Literal("2023", datatype=XSD.gYear)) is None


def test_only_conflicts_between_drawn_dates_are_flagged_and_each_group_sits_together() -> None:
    rows = [
        (URIRef(f"urn:s{i}"), Literal("date"), URIRef("urn:event"), KG.date, Literal(year, datatype=XSD.gYear))
        for i, year in enumerate(["2020", "2022", "2021"])
    ]
    dated = read_rows(("statement", "kind", "subject", "predicate", "date"), rows)
    timeline = timeline_of(dated, [Conflicting("urn:s1", "urn:s0"), Conflicting("urn:s0", "urn:a-ceo", True)])
    assert [(c.statement, c.other, c.settled) for c in timeline.conflicts] == [("urn:s0", "urn:s1", False)]
    assert [row.claim.statement for row in timeline.rows] == ["urn:s0", "urn:s1", "urn:s2"]  # 2022 beside 2020
    assert timeline.groups == ((0, 1, False),)
    assert [row.group for row in timeline.rows] == [0, 0, None]


def test_writes_dist_timeline_html_the_same_from_files_store_and_build(
    tmp_project: Project, graph: Graph, curated_store: Path, tmp_path: Path
) -> None:
    result = kg("render", "--timeline", project=tmp_project)
    target = tmp_project.dist_dir / "timeline.html"
    assert (result.exit_code, result.stdout) == (0, f"wrote {target} (6 dated claims, 0 conflicting pairs)\n")
    page = target.read_bytes()
    assert page.count(b'<g class="kg-item ') == len(dated_statements(graph)) == 6
    assert render(tmp_project, tmp_path / "again.html") and (tmp_path / "again.html").read_bytes() == page
    render(tmp_project, tmp_path / "store.html", "--store", f"oxigraph:{curated_store}")
    assert (tmp_path / "store.html").read_bytes() == page
    assert kg("build", project=tmp_project).exit_code == 0
    assert (tmp_project.dist_dir / "timeline.html").read_bytes() == page


def test_standard_output_and_refusals(tmp_project: Project) -> None:
    result = kg("render", "--timeline", "-o", "-", project=tmp_project)
    assert result.exit_code == 0 and result.stdout.startswith("<!DOCTYPE html>")
    assert not (tmp_project.dist_dir / "timeline.html").exists()
    refused = kg("render", "--timeline", "--focus", "kgr:xiaomi", "-o", "-", project=tmp_project)
    assert refused.exit_code == 2
    assert refused.stderr == "kg: error: --timeline draws every dated claim: it takes neither --focus nor --query\n"


def test_conflicting_dates_are_found_once_and_settled_by_rank(tmp_project: Project, tmp_path: Path) -> None:
    out = render(with_second_source(tmp_project), tmp_path / "t.html")
    assert out.endswith("(11 dated claims, 2 conflicting pairs)\n")
    html = (tmp_path / "t.html").read_text(encoding="utf-8")
    assert "2 pairs of conflicting dates (1 settled by rank)" in html
    assert "<script" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in html


@pytest.fixture
def seed_page(browser: object, tmp_project: Project, tmp_path: Path) -> Iterator[OpenedPage]:
    opened = open_view(browser, rendered(tmp_project, tmp_path / "seed.html"))
    yield opened
    opened.page.close()


@pytest.fixture
def two_source_page(browser: object, tmp_project: Project, tmp_path: Path) -> Iterator[OpenedPage]:
    opened = open_view(browser, rendered(with_second_source(tmp_project), tmp_path / "two.html"))
    yield opened
    opened.page.close()


ITEMS = """() => [...document.querySelectorAll('g.kg-item')].map((g) => {
  const bar = g.querySelector('rect.kg-bar').getBBox(), box = g.getBBox();
  return {statement: g.dataset.statement, start: g.dataset.start, end: g.dataset.end, x: bar.x, width: bar.width,
          top: box.y, bottom: box.y + box.height, classes: g.getAttribute('class'),
          label: g.querySelector('.kg-label').textContent, words: g.querySelector('.kg-words').textContent,
          struck: g.querySelectorAll('line.kg-strike').length, negated: g.querySelectorAll('rect.kg-negated').length,
          decoration: getComputedStyle(g.querySelector('.kg-label')).textDecorationLine,
          opacity: getComputedStyle(g.querySelector('rect.kg-bar')).fillOpacity,
          dash: getComputedStyle(g.querySelector('rect.kg-bar')).strokeDasharray,
          note: (g.querySelector('.kg-conflict-note') || {}).textContent || ''}; })"""
YEARS = """() => Object.fromEntries([...document.querySelectorAll('text.kg-year')]
  .map((t) => [t.textContent, t.x.baseVal[0].value]))"""

BANDS = """() => [...document.querySelectorAll('#kg-timeline rect.kg-band')].map((r) => {
  const b = r.getBBox(); return {top: b.y, bottom: b.y + b.height, settled: r.classList.contains('settled')}; })"""


def days(text: str) -> int:
    return date.fromisoformat(text).toordinal()


@pytestmark_browser
def test_page_opens_offline_with_one_item_per_dated_claim_each_spanning_its_precision(
    seed_page: OpenedPage, graph: Graph
) -> None:
    assert (seed_page.requests, seed_page.console_errors) == ([], [])
    items = seed_page.js(ITEMS)
    assert {i["statement"] for i in items} == dated_statements(graph) and len(items) == 6
    years = {int(year): x for year, x in seed_page.js(YEARS).items()}
    first, last = min(years), max(years)
    per_day = (years[last] - years[first]) / (date(last, 1, 1).toordinal() - date(first, 1, 1).toordinal())
    for item in items:  # every bar starts and ends where its span does, on one linear axis of days
        start = years[first] + (days(item["start"]) - date(first, 1, 1).toordinal()) * per_day
        assert item["x"] == pytest.approx(start, abs=0.2)
        assert item["width"] == pytest.approx(max((days(item["end"]) - days(item["start"])) * per_day, 3), abs=0.2)
    entry = next(i for i in items if i["statement"] == str(KGS["car-industry-entry-date"]))
    assert entry["x"] == pytest.approx(years[2021], abs=0.1)
    assert entry["x"] + entry["width"] == pytest.approx(years[2022], abs=0.1)
    period = next(i for i in items if i["statement"] == str(KGS["mass-production-start-period"]))
    assert (period["start"], period["end"]) == ("2024-01-01", "2024-07-01")


@pytestmark_browser
def test_the_2022_prototype_is_struck_as_a_plan_that_did_not_happen(seed_page: OpenedPage) -> None:
    items = {i["statement"]: i for i in seed_page.js(ITEMS)}
    prototype = items.pop(str(KGS["prototype-presentation-date"]))
    assert prototype["struck"] == 1 and "line-through" in prototype["decoration"]
    assert "✗ did not happen" in prototype["words"] and "prospective" in prototype["words"]
    assert all(i["struck"] == 0 and "line-through" not in i["decoration"] for i in items.values())
    factual = items[str(KGS["car-industry-entry-date"])]
    assert prototype["dash"] != factual["dash"]  # prospective is dashed, factual solid


@pytestmark_browser
def test_conflicting_dates_are_side_by_side_in_a_flagged_band(two_source_page: OpenedPage) -> None:
    assert (two_source_page.requests, two_source_page.console_errors) == ([], [])
    items = two_source_page.js(ITEMS)
    order = [i["statement"] for i in items]
    bands = two_source_page.js(BANDS)
    pairs = [
        ("mass-production-start-period", "second-period", False),
        ("car-industry-entry-date", "second-entry", True),
    ]
    for seed, second, settled in pairs:
        a, b = order.index(str(KGS[seed])), order.index(str(KGS[second]))
        assert abs(a - b) == 1  # adjacent rows
        band = next(band for band in bands if band["top"] <= items[a]["top"] and items[a]["bottom"] <= band["bottom"])
        assert band["top"] <= items[b]["top"] and items[b]["bottom"] <= band["bottom"] and band["settled"] is settled
        for index in (a, b):
            assert items[index]["note"].startswith("⚠ conflicts with")
            assert ("conflict-settled" if settled else " conflict") in items[index]["classes"]
    assert len(bands) == 2
    flagged = {i["statement"] for i in items if i["note"]}
    assert flagged == {str(KGS[name]) for seed, second, _ in pairs for name in (seed, second)}


@pytestmark_browser
def test_unlikely_and_negated_claims_are_drawn_distinctly_and_text_stays_text(two_source_page: OpenedPage) -> None:
    items = {i["statement"]: i for i in two_source_page.js(ITEMS)}
    unlikely, negated = items[str(KGS["second-hostile"])], items[str(KGS["second-not-2023"])]
    certain, likely = items[str(KGS["car-industry-entry-date"])], items[str(KGS["second-start"])]
    assert len({unlikely["opacity"], likely["opacity"], certain["opacity"]}) == 3
    assert negated["negated"] == 1 and sum(i["negated"] for i in items.values()) == 1
    assert "¬ negated" in negated["words"] and "unlikely" in unlikely["words"]
    assert unlikely["label"] == HOSTILE  # markup in a label is shown as text, never run
    assert two_source_page.js("() => document.querySelectorAll('script').length") == 0
