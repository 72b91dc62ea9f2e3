"""A source is a unit: one data file of statements per source, entities apart, the manifest hashing each text.

Adding or removing a source leaves a project that builds and validates; ``kg validate FILE`` checks a new
source as part of the project; library answers keep each claim's source (issue 14).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner, Result
from rdflib import RDF, Literal

from kg.backends.oxigraph import load_store
from kg.cli import cli
from kg.project import Project
from kg.query.engines import RdflibEngine
from kg.query.library import find_query
from kg.query.vocabulary import undefined_terms
from kg.rdf.load import load_files, load_project, parse_file
from kg.rdf.namespaces import KG, KGR, KGSRC
from kg.validate.report import KGSH, Severity
from kg.validate.runner import validate

# It agrees with the seed on the number of variants, so that it brings no conflict between sources (the one in
# tests/fixtures/second-source/ does, for tests/test_conflicts.py).
SECOND_TEXT = (
    "Source: Example Daily - Xiaomi prices its first car\n\n"
    "Xiaomi's first car will sell for 215,900 yuan in two versions, the company said on Thursday.\n"
)
SECOND_MANIFEST = """
kgsrc:second-article
    a kg:SourceDocument ;
    dcterms:identifier "001_second" ;
    rdfs:label "Xiaomi prices its first car"@en ;
    dcterms:title "Xiaomi prices its first car"@en ;
    dcterms:language "en" ;
    kg:publisherUnknown true ;
    kg:sourceFile "001_second.txt" ;
    kg:contentSha256 "{sha}" .
"""
SECOND_DATA = """@prefix kg:    <https://w3id.org/kg/ontology#> .
@prefix kgr:   <https://w3id.org/kg/id/> .
@prefix kgs:   <https://w3id.org/kg/statement/> .
@prefix kgsrc: <https://w3id.org/kg/source/> .

kgs:second-price a kg:QuantityStatement ;
    kg:subject kgr:xiaomi-first-car ; kg:predicate kg:price ;
    kg:amount 215900 ; kg:currency "CNY" ;
    kg:attribution kg:attributed ; kg:timing kg:factual ;
    kg:likelihood kg:certain ; kg:polarity kg:affirmed ; kg:rank kg:normalRank ;
    kg:attributedTo kgr:xiaomi ;
    kg:source kgsrc:second-article ;
    kg:evidence "Xiaomi's first car will sell for 215,900 yuan"@en .

kgs:second-variants a kg:QuantityStatement ;
    kg:subject kgr:xiaomi-first-car ; kg:predicate kg:variantCount ;
    kg:amount 2 ; kg:unit kg:variants ;
    kg:attribution kg:ownVoice ; kg:timing kg:factual ;
    kg:likelihood kg:certain ; kg:polarity kg:affirmed ; kg:rank kg:normalRank ;
    kg:source kgsrc:second-article ;
    kg:evidence "in two versions"@en .

kgs:second-manufacturer a kg:RelationStatement ;
    kg:subject kgr:xiaomi-first-car ; kg:predicate kg:manufacturer ; kg:object kgr:xiaomi ;
    kg:attribution kg:ownVoice ; kg:timing kg:factual ;
    kg:likelihood kg:certain ; kg:polarity kg:affirmed ; kg:rank kg:normalRank ;
    kg:source kgsrc:second-article ;
    kg:evidence "Xiaomi's first car"@en .
"""


def add_second_source(project: Project, *, data: bool = True) -> Path:
    """A second article: its seed text, its manifest entry and (unless ``data`` is False) its data file."""
    seed = project.seeds_dir / "001_second.txt"
    seed.write_text(SECOND_TEXT, encoding="utf-8")
    sha = hashlib.sha256(seed.read_bytes()).hexdigest()
    with project.manifest.open("a", encoding="utf-8") as manifest:
        manifest.write(SECOND_MANIFEST.replace("{sha}", sha))
    path = project.data_dir / "sources" / "second-article.ttl"
    if data:
        path.write_text(SECOND_DATA, encoding="utf-8")
    return path


def kg(project: Project, *arguments: str) -> Result:
    return CliRunner().invoke(cli, ["--project", str(project.root), *arguments])


# --- the layout --------------------------------------------------------------------------------------------


def test_entity_files_hold_no_claims_and_source_files_only_their_sources_statements(project: Project) -> None:
    for path in sorted((project.data_dir / "entities").glob("*.ttl")):
        graph = parse_file(path)
        assert not any(graph.triples((None, KG.subject, None))), path.name
        claim_properties = set(load_files(project.ontology_files()).graph.subjects(RDF.type, KG.ClaimProperty))
        assert not [t for t in graph if t[1] in claim_properties], f"{path.name} holds a direct edge"
    sources = sorted((project.data_dir / "sources").glob("*.ttl"))
    assert [p.stem for p in sources] == ["xiaomi-car-project-2024"]
    for path in sources:
        graph = parse_file(path)
        statements = set(graph.subjects(KG.subject, None))
        assert statements and set(graph.subjects()) == statements, f"{path.name} holds more than statements"
        assert set(graph.objects(None, KG.source)) == {KGSRC[path.stem]}


def test_the_manifest_records_each_texts_sha256(project: Project) -> None:
    graph = parse_file(project.manifest)
    for source in graph.subjects(RDF.type, KG.SourceDocument):
        seed = project.seeds_dir / str(graph.value(source, KG.sourceFile))
        assert graph.value(source, KG.contentSha256) == Literal(hashlib.sha256(seed.read_bytes()).hexdigest())


def test_an_edited_seed_is_caught_once_on_its_manifest_entry(tmp_project: Project) -> None:
    seed = next(tmp_project.seeds_dir.glob("000_*.txt"))
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA later addition.\n", encoding="utf-8")
    (result,) = validate(load_project(tmp_project), tmp_project).at_or_above(Severity.WARNING)
    assert (result.focus_node, result.path) == (KGSRC["xiaomi-car-project-2024"], KG.contentSha256)
    assert result.source_shape == KGSH["evidence-check"]
    assert "has changed since its manifest entry was written" in result.message


def test_removing_a_source_leaves_a_project_that_builds(tmp_project: Project) -> None:
    (tmp_project.data_dir / "sources" / "xiaomi-car-project-2024.ttl").unlink()
    for seed in tmp_project.seeds_dir.glob("000_*.txt"):
        seed.unlink()
    manifest = tmp_project.manifest.read_text(encoding="utf-8")
    tmp_project.manifest.write_text(manifest[: manifest.index("kgsrc:xiaomi-car-project-2024\n")], encoding="utf-8")
    result = kg(tmp_project, "build")
    assert result.exit_code == 0, result.output
    assert not any(load_project(tmp_project).graph.triples((None, KG.subject, None)))


# --- a second source ---------------------------------------------------------------------------------------


def test_a_second_source_builds_and_its_prices_stay_in_rows_of_their_own(tmp_project: Project) -> None:
    add_second_source(tmp_project)
    assert kg(tmp_project, "build").exit_code == 0
    graph = load_project(tmp_project).graph
    query = find_query(tmp_project.queries_dir, "prices")
    answer = RdflibEngine(graph).run(query.text, query.bindings({}))
    columns = answer.variables
    car = [dict(zip(columns, row, strict=True)) for row in answer.rows if row[0] == KGR["xiaomi-first-car"]]
    by_source = {
        row["source"]: (row["minPrice"], row["currency"], row["variants"], row["timing"], row["attribution"])
        for row in car
    }
    assert by_source == {
        KGSRC["xiaomi-car-project-2024"]: (Literal(40000), Literal("EUR"), Literal(2), KG.prospective, KG.ownVoice),
        KGSRC["second-article"]: (Literal(215900), Literal("CNY"), Literal(2), KG.factual, KG.attributed),
    }


def test_validating_a_correct_new_source_file_reports_nothing(tmp_project: Project) -> None:
    path = add_second_source(tmp_project)
    result = kg(tmp_project, "validate", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == "conforms: 0 violations, 0 warnings, 0 infos\n"


def test_validating_a_new_source_file_with_a_typo_reports_exactly_the_typo(tmp_project: Project) -> None:
    path = add_second_source(tmp_project)
    path.write_text(SECOND_DATA.replace("kg:object kgr:xiaomi ;", "kg:object kgr:xiaomu ;"), encoding="utf-8")
    result = kg(tmp_project, "validate", "--format", "json", str(path))
    assert result.exit_code == 1
    reported = {(r["focusNode"]["@id"], r["value"]["@id"]) for r in json.loads(result.stdout)["result"]}
    assert reported == {("https://w3id.org/kg/statement/second-manufacturer", str(KGR.xiaomu))}


def test_changed_against_a_store_reads_the_new_manifest_entry(tmp_project: Project, tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_store(store, tmp_project.graph_files())
    path = add_second_source(tmp_project)
    result = kg(tmp_project, "validate", "--store", f"oxigraph:{store}", "--changed", str(path))
    assert result.exit_code == 0, result.output
    assert "cites" not in result.stdout


# --- warnings ----------------------------------------------------------------------------------------------


def test_a_query_term_the_ontology_does_not_define_is_named(project: Project) -> None:
    ontology = load_files(project.ontology_files()).graph
    query = (
        "PREFIX o: <https://w3id.org/kg/ontology#>\n"
        'SELECT ?p WHERE { ?p a kg:Persn, kg:Person ; o:labell ?x ; <https://w3id.org/kg/ontology#Nope> "kg:Nah" }\n'
        "# kg:InAComment\n"
    )
    assert undefined_terms(query, ontology) == ["kg:Persn", "o:labell", "<https://w3id.org/kg/ontology#Nope>"]
    result = kg(project, "query", "-e", "SELECT ?p WHERE { ?p a kg:Persn }")
    assert result.exit_code == 0
    assert "kg: warning: the ontology does not define kg:Persn" in result.stderr
    assert kg(project, "query", "ceo").stderr == ""


def test_loading_data_without_the_ontology_says_so(project: Project, tmp_path: Path) -> None:
    source = project.data_dir / "sources" / "xiaomi-car-project-2024.ttl"
    alone = kg(project, "load", "--store", f"oxigraph:{tmp_path / 'alone'}", str(source))
    assert alone.exit_code == 0
    assert "does not hold the ontology" in alone.stderr
    ontology = project.ontology_dir / "kg.ttl"
    together = kg(project, "load", "--store", f"oxigraph:{tmp_path / 'together'}", str(source), str(ontology))
    assert together.exit_code == 0 and "ontology" not in together.stderr
    unrelated = tmp_path / "other.nt"
    unrelated.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    other = kg(project, "load", "--store", f"oxigraph:{tmp_path / 'other'}", str(unrelated))
    assert other.exit_code == 0 and "ontology" not in other.stderr


def test_the_library_names_only_terms_the_ontology_defines(repo_project: Project) -> None:
    from kg.query.library import library_queries

    ontology = load_files(repo_project.ontology_files()).graph
    assert {q.name: undefined_terms(q.text, ontology) for q in library_queries(repo_project.queries_dir)} == {
        q.name: [] for q in library_queries(repo_project.queries_dir)
    }
