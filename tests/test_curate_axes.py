"""A claims sheet speaks the statement's axes: a column each, concepts by English label in any case, defaults
for empty cells, errors naming row and column, the axes written in a fixed order; kg diff names axis changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.cli import cli
from kg.curate.axes import AXES, fold, read_axes
from kg.rdf.namespaces import AXES as NAMESPACE_AXES
from kg.rdf.namespaces import KG, KGR

FROZEN = Path(__file__).resolve().parent / "fixtures" / "project"
SOURCE = "wuhan"
TEXT = (
    "Xiaomi Auto may open a second plant in Wuhan, the company said on Monday. Lei Jun expects the plant to be "
    "run by Xiaomi Auto. It is unlikely that Beijing keeps the headquarters.\n"
)
HEADER = (
    "subject,property,object,quote,attribution,attributed_to,timing,outcome,likelihood,polarity,rank,rank_reason,"
    "note,hedge"
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the frozen project with the source ``wuhan`` added."""
    target = tmp_path / "project"
    shutil.copytree(FROZEN, target)
    text = tmp_path / "wuhan.txt"
    text.write_text(TEXT, encoding="utf-8")
    added = kg(target, "source", "add", str(text), "--id", SOURCE, "--title", "Wuhan", "--publisher", "Cnevpost")
    assert added.exit_code == 0, added.output
    return target


def kg(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--project", str(root), *args])


def import_rows(root: Path, *rows: str, header: str = HEADER, replace: bool = False) -> Result:
    sheet = root.parent / "sheet.csv"
    sheet.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return kg(root, "import", str(sheet), "--source", SOURCE, *(["--replace"] if replace else []))


def axes_of(root: Path) -> dict[URIRef, dict[URIRef, set[object]]]:
    """Each statement of the source, by its predicate: the axes' values it has."""
    graph = Graph().parse(root / "data" / "sources" / f"{SOURCE}.ttl")
    found: dict[URIRef, dict[URIRef, set[object]]] = {}
    for statement in graph.subjects(KG.source, None):
        predicate = graph.value(statement, KG.predicate)
        assert isinstance(predicate, URIRef) and predicate not in found
        props = [a.prop for a in AXES] + [KG.attributedTo, KG.rankReason, KG.curatorNote]
        found[predicate] = {p: set(graph.objects(statement, p)) for p in props if (statement, p, None) in graph}
    return found


PLANT = "Xiaomi Auto factory,operator,Xiaomi Auto,Lei Jun expects the plant to be run by Xiaomi Auto"
HEADQUARTERS = "Xiaomi,headquarters,Beijing,It is unlikely that Beijing keeps the headquarters"


def test_empty_cells_take_the_defaults_a_curator_types_least(root: Path) -> None:
    result = import_rows(root, PLANT + ",,,,,,,,,")
    assert (result.exit_code, result.stderr) == (0, "")
    assert axes_of(root)[KG.operator] == {
        KG.attribution: {KG.ownVoice},
        KG.timing: {KG.factual},
        KG.likelihood: {KG.certain},
        KG.polarity: {KG.affirmed},
        KG.rank: {KG.normalRank},
    }
    spelled_out = import_rows(root, PLANT + ",own voice,,factual,,certain,affirmed,normal,,")
    assert spelled_out.stdout == "1 claim (0 new), 0 new entities; nothing changed\n"  # the defaults, written


def test_a_prospective_claim_has_outcome_unknown_and_naming_who_says_it_makes_it_attributed(root: Path) -> None:
    result = import_rows(root, PLANT + ",,Lei Jun,prospective,,likely,,,,")
    assert (result.exit_code, result.stderr) == (0, "")
    assert axes_of(root)[KG.operator] == {
        KG.attribution: {KG.attributed},
        KG.attributedTo: {KGR["lei-jun"]},
        KG.timing: {KG.prospective},
        KG.outcome: {KG.outcomeUnknown},
        KG.likelihood: {KG.likely},
        KG.polarity: {KG.affirmed},
        KG.rank: {KG.normalRank},
    }


def test_values_are_named_by_label_local_or_prefixed_name_in_any_case(root: Path) -> None:
    rows = [
        PLANT + ",Curator Inference,,PROSPECTIVE,did-not-happen,kg:unlikely,Negated,Preferred,the only claim,reasons,"
        "expects",
        HEADQUARTERS + ",own_voice,,factual,happened,possible,affirmed,deprecatedRank,superseded,,It is unlikely that",
    ]
    result = import_rows(root, *rows)
    assert (result.exit_code, result.stderr) == (0, "")
    found = axes_of(root)
    assert found[KG.operator] == {
        KG.attribution: {KG.curatorInference},
        KG.timing: {KG.prospective},
        KG.outcome: {KG.didNotHappen},
        KG.likelihood: {KG.unlikely},
        KG.polarity: {KG.negated},
        KG.rank: {KG.preferredRank},
        KG.rankReason: {Literal("the only claim", lang="en")},
        KG.curatorNote: {Literal("reasons")},
    }
    assert found[KG.headquarters][KG.outcome] == {KG.happened}
    assert found[KG.headquarters][KG.rank] == {KG.deprecatedRank}
    validated = kg(root, "validate", str(root / "data" / "sources" / f"{SOURCE}.ttl"))  # as the shapes ask
    assert (validated.exit_code, validated.stdout) == (0, "conforms: 0 violations, 0 warnings, 0 infos\n")


def test_each_axis_problem_names_its_row_and_column(root: Path) -> None:
    rows = [
        PLANT + ",reported,,later,maybe,probable,denied,best,,",
        PLANT + ",attributed,,,,,,,,",
        PLANT + ",curator inference,,,,,,,,",
        PLANT + ",,,,,,,preferred,,",
        PLANT + ",,,,,,,deprecated,,",
        PLANT + ",,,,,,,normal,why not,",
        PLANT + ",own voice,Lei Jun,,,,,,,",
    ]
    before = (root / "data" / "sources" / f"{SOURCE}.ttl").read_bytes()
    result = import_rows(root, *rows)
    sheet = root.parent / "sheet.csv"
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        f"{sheet}:2:attribution: unknown attribution 'reported'; one of: own voice, attributed, curator inference",
        f"{sheet}:2:likelihood: unknown likelihood 'probable'; one of: certain, likely, possible, unlikely",
        f"{sheet}:2:outcome: unknown outcome 'maybe'; one of: unknown, happened, did not happen, cancelled",
        f"{sheet}:2:polarity: unknown polarity 'denied'; one of: affirmed, negated",
        f"{sheet}:2:rank: unknown rank 'best'; one of: preferred, normal, deprecated",
        f"{sheet}:2:timing: unknown timing 'later'; one of: factual, prospective",
        f"{sheet}:4:note: a curator inference needs a note giving the curator's reasoning",
        f"{sheet}:5:rank_reason: a preferred rank needs its reason",
        f"{sheet}:6:rank_reason: a deprecated rank needs its reason",
        f"{sheet}:7:rank_reason: a reason goes with rank preferred or deprecated only",
        f"{sheet}:8:attributed_to: the claim is 'own voice': attributed_to goes with attribution attributed",
        f"kg: error: {sheet}: 11 problems; nothing was written",
    ]
    assert f"{sheet}:3:" not in result.stderr, "an attributed claim may name no one, as the source does"
    assert (root / "data" / "sources" / f"{SOURCE}.ttl").read_bytes() == before


def test_a_sheet_with_the_old_status_column_is_told_what_replaced_it(root: Path) -> None:
    result = import_rows(root, PLANT + ",stated", header="subject,property,object,quote,status")
    assert result.exit_code == 3
    assert result.stderr == (
        f"kg: error: {root.parent / 'sheet.csv'}:1: the status column is gone: a claim's axes have a column each "
        "(attribution, timing, outcome, likelihood, polarity, rank), whose empty cells take the defaults; see "
        "docs/curation.md\n"
    )


def test_the_written_statement_lists_the_axes_in_a_fixed_order(root: Path) -> None:
    row = PLANT + ",,Lei Jun,prospective,,likely,,preferred,the plant's operator as Lei Jun names it,"
    assert import_rows(root, row).exit_code == 0
    assert kg(root, "validate").exit_code == 0
    text = (root / "data" / "sources" / f"{SOURCE}.ttl").read_text(encoding="utf-8")
    block = text[text.index("\nkgs:wuhan-xiaomi-auto-factory-operator-") + 1 :]
    assert block.split(" ;\n", 1)[1] == (
        "    kg:subject kgr:xiaomi-auto-factory ; kg:predicate kg:operator ; kg:object kgr:xiaomi-auto ;\n"
        "    kg:attribution kg:attributed ; kg:timing kg:prospective ; kg:outcome kg:outcomeUnknown ;\n"
        "    kg:likelihood kg:likely ; kg:polarity kg:affirmed ; kg:rank kg:preferredRank ;\n"
        "    kg:attributedTo kgr:lei-jun ;\n"
        '    kg:rankReason "the plant\'s operator as Lei Jun names it"@en ;\n'
        "    kg:source kgsrc:wuhan ;\n"
        '    kg:evidence "Lei Jun expects the plant to be run by Xiaomi Auto"@en .\n'
    )
    first = root.parent / "first.ttl"
    first.write_text(text, encoding="utf-8")
    assert import_rows(root, row, replace=True).exit_code == 0  # written afresh: the same bytes
    assert (root / "data" / "sources" / f"{SOURCE}.ttl").read_text(encoding="utf-8").endswith(block)


def test_diff_names_each_changed_axis_by_its_labels(root: Path, tmp_path: Path) -> None:
    assert import_rows(root, HEADQUARTERS + ",,,,,possible,,,,").exit_code == 0
    before = tmp_path / "before"
    shutil.copytree(root, before)
    assert import_rows(root, HEADQUARTERS + ",,,prospective,,unlikely,,,,", replace=True).exit_code == 0
    result = kg(root, "diff", str(before), str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == (
        "    ~ kgr:xiaomi kg:headquarters: timing: factual → prospective; outcome: none → unknown; "
        "likelihood: possible → unlikely"
    )
    added = kg(root, "diff", str(FROZEN), str(root))
    assert (
        "    + kgr:xiaomi kg:headquarters kgr:beijing (own voice, prospective, outcome unknown, unlikely, affirmed, "
        'normal) "It is unlikely that Beijing keeps the headquarters"@en'
    ) in added.stdout.splitlines()


def test_fold_treats_case_spaces_hyphens_and_underscores_alike() -> None:
    assert fold("  Did-Not_happen ") == fold("did not happen") == "did not happen"
    cells = {"likelihood": "LIKELY", "timing": "Prospective"}
    read = read_axes(lambda column: cells.get(column, ""))
    assert (read.problems, dict(read.pairs)[KG.outcome], dict(read.pairs)[KG.likelihood]) == (
        [],
        KG.outcomeUnknown,
        KG.likely,
    )


def test_the_axes_are_the_ontologys_concept_schemes_with_their_labels() -> None:
    ontology = Graph().parse(FROZEN / "ontology" / "kg.ttl")
    for axis in AXES:
        scheme = KG[f"{axis.column}Scheme"]
        members = {c: str(ontology.value(c, SKOS.prefLabel)) for c in ontology.subjects(SKOS.inScheme, scheme)}
        assert members == axis.concepts, axis.column
        assert [str(c)[len(str(KG)) :] for c in axis.concepts] == list(NAMESPACE_AXES[axis.column])
    assert [axis.column for axis in AXES] == list(NAMESPACE_AXES)
