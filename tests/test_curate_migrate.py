"""kg curate migrate: old kg:status triples become the axes, in place (comments and layout kept), each guess
named, all files or none; and migrate_graph, the same rule on a graph."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, URIRef

from kg.cli import cli
from kg.curate.axes import AXES
from kg.curate.migrate import migrate_graph
from kg.rdf.namespaces import KG, KGS

FROZEN = Path(__file__).resolve().parent / "fixtures" / "project"
PREFIXES = """@prefix kg:    <https://w3id.org/kg/ontology#> .
@prefix kgr:   <https://w3id.org/kg/id/> .
@prefix kgs:   <https://w3id.org/kg/statement/> .
@prefix kgsrc: <https://w3id.org/kg/source/> .
"""
OLD = (
    "# Hand-written before the axes; this comment stays.\n"
    + PREFIXES
    + """
##### Xiaomi #####

kgs:old-stated a kg:RelationStatement ;
    kg:subject kgr:xiaomi ; kg:predicate kg:country ; kg:object kgr:china ;
    kg:status kg:stated ;   # so the article says
    kg:source kgsrc:xiaomi-car-project-2024 .

kgs:old-stated-named a kg:RelationStatement ; kg:status kg:stated ; kg:attributedTo kgr:lei-jun ;
    kg:subject kgr:xiaomi ; kg:predicate kg:founder ; kg:object kgr:lei-jun .

kgs:old-reported a kg:RelationStatement ;
    kg:subject kgr:xiaomi ; kg:predicate kg:headquarters ; kg:object kgr:beijing ;
    kg:status <https://w3id.org/kg/ontology#reported> ;
    kg:attributedTo kgr:lei-jun .

kgs:old-reported-by-nobody a kg:RelationStatement ;
    kg:subject kgr:xiaomi-auto ; kg:predicate kg:researchTeamSize ;
    kg:status kg:reported .

kgs:old-planned a kg:RelationStatement ;
    kg:subject kgr:xiaomi ; kg:predicate kg:productLine ; kg:object kgr:electric-cars ;
    kg:status kg:planned ;
    kg:hedge "is planning to"@en .

kgs:old-may a kg:RelationStatement ;
    kg:status kg:speculative ; kg:hedge "may be"@en ;
    kg:subject kgr:xiaomi ; kg:predicate kg:productLine ; kg:object kgr:robots .

kgs:old-unlikely a kg:RelationStatement ;
    kg:status kg:speculative ; kg:hedge "it is unlikely that"@en ;
    kg:subject kgr:xiaomi ; kg:predicate kg:usesBrand ; kg:object kgr:borgward .

<https://w3id.org/kg/statement/old-reported-and-planned> a kg:RelationStatement ;
    kg:status kg:reported, kg:planned ; kg:attributedTo kgr:lei-jun ;
    kg:likelihood kg:certain ;
    kg:subject kgr:xiaomi ; kg:predicate kg:productLine ; kg:object kgr:smartphones .
"""
)
FACTUAL = {KG.timing: KG.factual, KG.likelihood: KG.certain, KG.polarity: KG.affirmed, KG.rank: KG.normalRank}
PLANNED = {KG.timing: KG.prospective, KG.outcome: KG.outcomeUnknown, KG.likelihood: KG.likely}
SAME = {KG.polarity: KG.affirmed, KG.rank: KG.normalRank}
EXPECTED_AXES = {
    "old-stated": {KG.attribution: KG.ownVoice, **FACTUAL},
    "old-stated-named": {KG.attribution: KG.ownVoice, **FACTUAL},
    "old-reported": {KG.attribution: KG.attributed, **FACTUAL},
    "old-reported-by-nobody": {KG.attribution: KG.attributed, **FACTUAL},
    "old-planned": {KG.attribution: KG.ownVoice, **PLANNED, **SAME},
    "old-may": {KG.attribution: KG.ownVoice, **FACTUAL, KG.likelihood: KG.possible},
    "old-unlikely": {KG.attribution: KG.ownVoice, **FACTUAL, KG.likelihood: KG.unlikely},
    # reported and planned: attributed and prospective; the likelihood it had already is kept
    "old-reported-and-planned": {KG.attribution: KG.attributed, **PLANNED, **SAME, KG.likelihood: KG.certain},
}
GUESSES = [
    "  kgs:old-may: speculative (hedge 'may be'): likelihood possible",
    "  kgs:old-planned: planned: likelihood likely and outcome unknown are guesses",
    "  kgs:old-reported-and-planned: planned: likelihood likely and outcome unknown are guesses",
    "  kgs:old-reported-by-nobody: reported without kg:attributedTo: add whom the source names",
    "  kgs:old-stated-named: stated, yet names kg:attributedTo kgr:lei-jun: kept own voice",
    "  kgs:old-unlikely: speculative (hedge 'it is unlikely that'): likelihood unlikely",
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the frozen project in the axes (migrated first if it had statuses), with an old file added."""
    target = tmp_path / "project"
    shutil.copytree(FROZEN, target)
    assert kg(target, "curate", "migrate").exit_code == 0
    (target / "data" / "sources" / "old.ttl").write_text(OLD, encoding="utf-8")
    return target


def kg(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--project", str(root), *args])


def axes(graph: Graph, statement: URIRef) -> dict[URIRef, object]:
    return {axis.prop: graph.value(statement, axis.prop) for axis in AXES if (statement, axis.prop, None) in graph}


def test_migrate_rewrites_each_status_as_the_axes_and_names_each_guess(root: Path) -> None:
    path = root / "data" / "sources" / "old.ttl"
    old_graph = Graph().parse(path)
    result = kg(root, "curate", "migrate")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "wrote data/sources/old.ttl",
        "8 statements migrated; 6 guessed, to check:",
        *GUESSES,
    ]
    graph = Graph().parse(path)
    assert not list(graph.triples((None, KG.status, None)))
    assert {name: axes(graph, KGS[name]) for name in EXPECTED_AXES} == EXPECTED_AXES
    axis_props = {axis.prop for axis in AXES}
    unchanged = {t for t in old_graph if t[1] != KG.status and t[1] not in axis_props}
    assert unchanged == {t for t in graph if t[1] not in axis_props}  # everything else as it was
    assert (graph.value(KGS["old-reported"], KG.attributedTo)) is not None


def test_migrate_keeps_comments_and_layout_and_a_second_run_changes_nothing(root: Path) -> None:
    path = root / "data" / "sources" / "old.ttl"
    assert kg(root, "curate", "migrate").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Hand-written before the axes; this comment stays.\n" + PREFIXES + "\n##### Xiaomi")
    assert (
        "kgs:old-stated a kg:RelationStatement ;\n"
        "    kg:subject kgr:xiaomi ; kg:predicate kg:country ; kg:object kgr:china ;\n"
        "    kg:attribution kg:ownVoice ; kg:timing kg:factual ;\n"
        "    kg:likelihood kg:certain ; kg:polarity kg:affirmed ; kg:rank kg:normalRank ;   # so the article says\n"
    ) in text
    assert (
        "    kg:attribution kg:ownVoice ; kg:timing kg:prospective ; kg:outcome kg:outcomeUnknown ;\n"
        "    kg:likelihood kg:likely ; kg:polarity kg:affirmed ; kg:rank kg:normalRank ;\n"
        '    kg:hedge "is planning to"@en .\n'
    ) in text
    again = kg(root, "curate", "migrate")
    assert (again.exit_code, again.stdout) == (0, "no statement has a kg:status; nothing to migrate\n")
    assert path.read_text(encoding="utf-8") == text


def test_a_dry_run_says_what_it_would_do_and_writes_nothing(root: Path) -> None:
    before = (root / "data" / "sources" / "old.ttl").read_bytes()
    result = kg(root, "curate", "migrate", "--dry-run")
    assert result.stdout.splitlines()[:2] == [
        "would write data/sources/old.ttl",
        "8 statements to migrate; 6 guessed, to check:",
    ]
    assert (root / "data" / "sources" / "old.ttl").read_bytes() == before


def test_a_status_it_cannot_rewrite_in_place_stops_it_before_any_file_is_written(root: Path) -> None:
    blank = root / "data" / "sources" / "blank.ttl"
    blank.write_text(PREFIXES + "[] a kg:RelationStatement ; kg:status kg:stated .\n", encoding="utf-8")
    files = sorted((root / "data").rglob("*.ttl"))
    before = {p: p.read_bytes() for p in files}
    result = kg(root, "curate", "migrate")
    assert (result.exit_code, result.stderr) == (
        3,
        f"kg: error: {blank}: the kg:status of its statements could not be rewritten in place (left: a blank "
        "node); nothing was written: edit them by hand\n",
    )
    assert {p: p.read_bytes() for p in files} == before


def test_migrate_graph_applies_the_same_rule_to_a_graph() -> None:
    graph = Graph().parse(data=OLD, format="turtle")
    migrated, guesses = migrate_graph(graph)
    assert {name: axes(migrated, KGS[name]) for name in EXPECTED_AXES} == EXPECTED_AXES
    assert [f"  {g.line()}" for g in sorted(guesses, key=lambda g: str(g.statement))] == GUESSES
    assert not list(migrated.triples((None, KG.status, None)))
    assert (KGS["old-stated"], KG.status, KG.stated) in graph  # the given graph is left as it was
