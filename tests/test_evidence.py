"""The evidence check finds every quote in its source, and names the statement and source when it does not."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal

from kg.project import Project
from kg.rdf.load import load_project
from kg.rdf.namespaces import KG, KGS, KGSRC
from kg.validate.evidence import check_evidence, fold


def test_curated_graph_passes(graph: Graph, project: Project) -> None:
    assert check_evidence(graph, project.seeds_dir) == []


def test_fold_ignores_line_breaks_and_repeated_spaces() -> None:
    assert fold("more than\n  2,300\tpeople") == "more than 2,300 people"


def test_quote_with_different_line_breaks_still_matches(graph: Graph, project: Project) -> None:
    doctored = Graph() + graph
    statement = KGS["xiaomi-ceo"]
    doctored.set((statement, KG.evidence, Literal("Xiaomi founder,\n    chairman and CEO   Lei Jun", lang="en")))
    assert check_evidence(doctored, project.seeds_dir) == []


def test_doctored_quote_names_statement_and_source(graph: Graph, project: Project) -> None:
    doctored = Graph() + graph
    statement = KGS["xiaomi-ceo"]
    doctored.set((statement, KG.evidence, Literal("Xiaomi founder and sole owner Lei Jun", lang="en")))
    problems = check_evidence(doctored, project.seeds_dir)
    assert len(problems) == 1
    assert problems[0].statement == str(statement)
    assert problems[0].source == str(KGSRC["xiaomi-car-project-2024"])
    assert "not found" in problems[0].message


def test_missing_source_quote_and_axes_are_each_reported(graph: Graph, project: Project) -> None:
    doctored = Graph() + graph
    statement = KGS["xiaomi-founder"]
    for prop in (KG.source, KG.evidence, KG.attribution, KG.likelihood, KG.polarity):
        doctored.remove((statement, prop, None))
    messages = {p.message for p in check_evidence(doctored, project.seeds_dir) if p.statement == str(statement)}
    assert messages == {
        "cites no source (kg:source)",
        "has no evidence quote (kg:evidence)",
        "has no attribution (kg:attribution)",
        "has no likelihood (kg:likelihood)",
        "has no polarity (kg:polarity)",
    }


def test_hedge_must_be_part_of_the_quote(graph: Graph, project: Project) -> None:
    doctored = Graph() + graph
    doctored.set((KGS["first-car-lidar"], KG.hedge, Literal("certainly", lang="en")))
    (problem,) = check_evidence(doctored, project.seeds_dir)
    assert problem.statement == str(KGS["first-car-lidar"])
    assert "hedge 'certainly'" in problem.message


def test_source_file_missing_from_seeds(tmp_project: Project) -> None:
    (tmp_project.seeds_dir / "000_1b7fbd84b75bfcac.txt").unlink()
    problems = check_evidence(load_project(tmp_project).graph, tmp_project.seeds_dir)
    assert problems
    assert all("cannot read source file" in p.message for p in problems)


def test_source_file_outside_seeds_is_refused(tmp_project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("Xiaomi founder, chairman and CEO Lei Jun", encoding="utf-8")
    manifest = tmp_project.manifest
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('"000_1b7fbd84b75bfcac.txt"', '"../../elsewhere.txt"'),
        encoding="utf-8",
    )
    problems = check_evidence(load_project(tmp_project).graph, tmp_project.seeds_dir)
    assert problems and all("outside seeds/" in p.message for p in problems)
