"""validate(): one report of shapes, violation queries and evidence, naming what to fix and where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import SH

from kg.errors import CheckFailed, InputError
from kg.project import Project
from kg.rdf.load import LoadedGraph, load_project
from kg.rdf.namespaces import KG, KGR, KGS, KGSRC
from kg.validate.checks import fill_template, parse_check
from kg.validate.report import KGSH, Severity, ValidationReport, ValidationResult
from kg.validate.runner import ensure_conforms, expand, load_for_validation, validate, validation_context

SOURCE = "sources/xiaomi-car-project-2024.ttl"  # the seed article's statements, below data/
DOORS = """rdfs:label "Xiaomi's first electric car"@en ;"""  # a line of the car's entity, to add an edge after


def edit(project: Project, name: str, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the data file ``name`` (relative to data/)."""
    path = project.data_dir / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(project: Project) -> ValidationReport:
    return validate(load_project(project), project)


def results_for(report: ValidationReport, focus: URIRef) -> list[ValidationResult]:
    return [r for r in report.results if r.focus_node == focus]


# --- the curated graph -----------------------------------------------------------------------------------


def test_curated_graph_has_no_violations_and_no_warnings(curated_report: ValidationReport) -> None:
    report = curated_report
    counts = report.counts()
    assert counts[Severity.VIOLATION] == 0 and counts[Severity.WARNING] == 0
    assert report.conforms(Severity.WARNING)


def test_curated_infos_are_the_attributed_claims_that_name_no_one(
    curated_loaded: LoadedGraph, curated_report: ValidationReport
) -> None:
    report = curated_report
    graph = curated_loaded.graph
    attributed = set(graph.subjects(KG.attribution, KG.attributed))
    unattributed = {s for s in attributed if (s, KG.attributedTo, None) not in graph}
    assert unattributed, "the frozen project has an attributed claim that names no one"
    assert {r.focus_node for r in report.results} == unattributed
    assert {r.source_shape for r in report.results} == {KGSH.AttributedStatementShape}


def test_validation_leaves_the_graph_as_it_was(project: Project) -> None:
    loaded = load_project(project)
    before = to_isomorphic(Graph() + loaded.graph)
    validate(loaded, project)
    assert to_isomorphic(loaded.graph) == before


# --- problems a curator makes ----------------------------------------------------------------------------


def test_ceo_who_is_not_a_person_is_named_with_file_path_and_value(tmp_project: Project) -> None:
    edit(
        tmp_project,
        SOURCE,
        "kg:predicate kg:chiefExecutiveOfficer ; kg:object kgr:lei-jun",
        "kg:predicate kg:chiefExecutiveOfficer ; kg:object kgr:foton-motor",
    )
    report = run(tmp_project)
    (range_result,) = results_for(report, KGS["xiaomi-ceo"])
    assert range_result.severity is Severity.VIOLATION
    assert range_result.source_shape == KGSH["statement-range-violation"]
    assert "kgr:foton-motor" in range_result.message and "kg:Person" in range_result.message
    assert range_result.data_file == "data/" + SOURCE
    # The direct edge derived from the statement breaks Organization-ceo too; it is the same mistake, which is
    # reported once, on the statement the curator wrote.
    assert results_for(report, KGR.xiaomi) == []
    assert not report.conforms()


def test_price_minimum_above_maximum(tmp_project: Project) -> None:
    edit(
        tmp_project,
        SOURCE,
        "kg:minInclusive 40000 ; kg:maxInclusive 50000",
        "kg:minInclusive 50000 ; kg:maxInclusive 40000",
    )
    (result,) = run(tmp_project).at_or_above(Severity.WARNING)
    assert (result.focus_node, result.source_shape) == (KGS["first-car-price"], KGSH["quantity-bounds-violation"])
    assert result.component == KGSH.ViolationQueryConstraintComponent
    assert (result.path, result.value) == (KG.minInclusive, Literal(50000))
    assert result.message == "The bounds do not fit together: kg:minInclusive 50000 against kg:maxInclusive 40000."


def test_statement_without_a_source_is_reported_once(tmp_project: Project) -> None:
    """Both the shapes and the evidence check notice a missing source; the report says it once."""
    claim = (
        "kg:predicate kg:chairperson ; kg:object kgr:lei-jun ;\n"
        "    kg:attribution kg:ownVoice ; kg:timing kg:factual ;\n"
        "    kg:likelihood kg:certain ; kg:polarity kg:affirmed ; kg:rank kg:normalRank ;\n"
    )
    edit(tmp_project, SOURCE, claim + "    kg:source kgsrc:xiaomi-car-project-2024 ;\n", claim)
    (result,) = run(tmp_project).at_or_above(Severity.WARNING)
    assert (result.focus_node, result.path) == (KGS["xiaomi-chairperson"], KG.source)
    assert (result.component, result.source_shape) == (SH.MinCountConstraintComponent, KGSH["Statement-source"])


def test_doctored_quote_is_reported_by_the_evidence_check(tmp_project: Project) -> None:
    edit(
        tmp_project,
        SOURCE,
        "devotes half his time to the auto business",
        "devotes all his time to the auto business",
    )
    (result,) = run(tmp_project).at_or_above(Severity.WARNING)
    assert result.focus_node == KGS["lei-jun-time-on-auto"]
    assert (result.component, result.source_shape) == (KGSH.EvidenceConstraintComponent, KGSH["evidence-check"])
    assert (result.path, result.value) == (KG.evidence, KGSRC["xiaomi-car-project-2024"])
    assert result.message.startswith("Evidence check: evidence quote not found in the source:")
    assert result.data_file == "data/" + SOURCE


def test_a_direct_edge_only_a_possible_claim_backs(tmp_project: Project) -> None:
    edit(
        tmp_project,
        "entities/vehicles.ttl",
        'rdfs:label "Xiaomi\'s first electric car"@en ;',
        'rdfs:label "Xiaomi\'s first electric car"@en ;\n    kg:hasFeature kgr:lidar-sensor ;',
    )
    (result,) = run(tmp_project).at_or_above(Severity.WARNING)
    assert (result.focus_node, result.source_shape) == (
        KGS["first-car-lidar"],
        KGSH["ineligible-direct-edge-violation"],
    )
    assert "kgr:xiaomi-first-car kg:hasFeature kgr:lidar-sensor" in result.message


def test_direct_edge_that_no_statement_backs(tmp_project: Project) -> None:
    edit(
        tmp_project,
        "entities/organizations.ttl",
        'rdfs:label "BMW"@en ;',
        'rdfs:label "BMW"@en ;\n    kg:country kgr:china ;',
    )
    (result,) = run(tmp_project).at_or_above(Severity.WARNING)
    assert (result.focus_node, result.source_shape) == (KGR.bmw, KGSH["unbacked-direct-edge-violation"])
    assert (result.path, result.value, result.focus_label) == (KG.country, KGR.china, "BMW")


def test_statement_label_is_its_claim(tmp_project: Project) -> None:
    edit(tmp_project, SOURCE, 'kg:hedge "has already announced that"@en ;', 'kg:hedge "has announced"@en ;')
    (result,) = run(tmp_project).at_or_above(Severity.WARNING)
    assert result.path == KG.hedge
    assert result.focus_label == "Lei Jun / devotes time to / Xiaomi Auto"


# --- the report -----------------------------------------------------------------------------------------


@pytest.fixture
def failing_report(tmp_project: Project) -> ValidationReport:
    edit(
        tmp_project,
        "entities/organizations.ttl",
        'rdfs:label "BMW"@en ;',
        'rdfs:label "BMW"@en, "Bayerische Motoren Werke"@en ;',
    )
    edit(tmp_project, "entities/vehicles.ttl", DOORS, DOORS + "\n    kg:numberOfDoors 5 ;")
    return run(tmp_project)


def test_report_graph_is_a_w3c_validation_report(failing_report: ValidationReport) -> None:
    graph = failing_report.to_graph()
    (report,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms) == Literal(False)
    results = list(graph.objects(report, SH.result))
    assert len(results) == len(failing_report.results) >= 4
    for node in results:
        assert (node, RDF.type, SH.ValidationResult) in graph
        for prop in (SH.focusNode, SH.resultSeverity, SH.resultMessage, SH.sourceConstraintComponent, SH.sourceShape):
            assert graph.value(node, prop) is not None, prop
    components = set(graph.objects(None, SH.sourceConstraintComponent))
    assert {SH.UniqueLangConstraintComponent, KGSH.ViolationQueryConstraintComponent} <= components


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD parser
def test_json_report_is_json_ld_of_the_same_graph(failing_report: ValidationReport) -> None:
    document = json.loads(failing_report.to_json())
    assert document["conforms"] is False
    assert document["result"][0]["resultSeverity"] == str(SH.Violation)
    parsed = Graph().parse(data=failing_report.to_json(), format="json-ld")
    assert to_isomorphic(parsed) == to_isomorphic(failing_report.to_graph())


def test_every_format_is_deterministic(tmp_project: Project) -> None:
    edit(tmp_project, "entities/vehicles.ttl", DOORS, DOORS + "\n    kg:numberOfDoors 5 ;")
    first, second = run(tmp_project), run(tmp_project)
    for name in ("text", "turtle", "json"):
        assert first.render(name) == second.render(name), name


def test_text_report_gives_file_severity_label_iri_path_and_message(failing_report: ValidationReport) -> None:
    text = failing_report.to_text()
    assert "data/entities/organizations.ttl: violation: BMW <https://w3id.org/kg/id/bmw>\n" in text
    assert "    An entity needs a name: an rdfs:label with a language tag" in text
    assert "    path rdfs:label, rule kgsh:Entity-label (sh:UniqueLangConstraintComponent)" in text
    assert text.endswith("(failing on violation and above)\n")
    assert text.index("data/entities/organizations.ttl") < text.index("data/sources/")


def test_threshold_decides_kgs_verdict_and_sh_conforms_keeps_the_shacl_meaning() -> None:
    focus = KGR.somebody
    warning = ValidationResult(Severity.WARNING, focus, "Probably wrong.", SH.MaxCountConstraintComponent)
    report = ValidationReport([warning])
    assert report.conforms(Severity.VIOLATION) and not report.conforms(Severity.WARNING)
    for threshold, passes in ((Severity.VIOLATION, True), (Severity.WARNING, False)):
        graph = report.to_graph(threshold)
        assert list(graph.objects(None, SH.conforms)) == [Literal(False)]  # a result, so not conforming
        assert list(graph.objects(None, KGSH.passes)) == [Literal(passes)]
        assert list(graph.objects(None, KGSH.failOn)) == [threshold.iri]
    assert list(ValidationReport([]).to_graph().objects(None, SH.conforms)) == [Literal(True)]
    assert (
        report.summary(Severity.INFO)
        == "does not conform: 0 violations, 1 warning, 0 infos (failing on info and above)"
    )
    ensure_conforms(report)
    with pytest.raises(CheckFailed) as failure:
        ensure_conforms(report, Severity.WARNING)
    assert "1 warning" in str(failure.value)
    assert failure.value.details[0] == "(in no file): warning: <https://w3id.org/kg/id/somebody>"


# --- violation query files -------------------------------------------------------------------------------


def write_check(folder: Path, text: str, name: str = "probe-violation.rq") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_check_header_needs_severity_and_message(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"probe-violation.rq:1: the header comment lacks '# message: ...'"):
        parse_check(write_check(tmp_path, "# severity: warning\nSELECT ?this WHERE { ?this ?p ?o }\n"))
    with pytest.raises(InputError, match=r"probe-violation.rq:2: unknown severity 'fatal'"):
        parse_check(write_check(tmp_path, "# x\n# severity: fatal\n# message: m\nSELECT ?this WHERE {}\n"))


def run_one_check(project: Project, text: str) -> ValidationReport:
    folder = project.queries_dir / "checks"
    for old in folder.glob("*.rq"):
        old.unlink()
    write_check(folder, text)
    return run(project)


def test_check_with_a_syntax_error_names_file_line_and_column(tmp_project: Project) -> None:
    with pytest.raises(InputError) as error:
        run_one_check(tmp_project, "# severity: info\n# message: m\nSELECT ?this WHERE {\n  ?this ?p\n}\n")
    assert str(error.value).startswith(
        f"{tmp_project.queries_dir / 'checks' / 'probe-violation.rq'}:5:1: invalid SPARQL"
    )


@pytest.mark.parametrize("service", ["SERVICE", "service", "\\u0053ERVICE"])
def test_check_may_not_reach_the_network(tmp_project: Project, service: str) -> None:
    query = (
        f"# severity: info\n# message: m\nSELECT ?this WHERE {{ {service} <http://127.0.0.1:9/> {{ ?this ?p ?o }} }}\n"
    )
    # Oxigraph reads no \\u escapes outside strings, so the escaped keyword fails to parse: refused either way.
    with pytest.raises(InputError, match=r"SERVICE is refused|invalid SPARQL"):
        run_one_check(tmp_project, query)


def test_check_must_be_a_select_with_this(tmp_project: Project) -> None:
    with pytest.raises(InputError, match=r"must be a SELECT query whose rows bind \?this"):
        run_one_check(tmp_project, "# severity: info\n# message: m\nASK { ?s ?p ?o }\n")


def test_message_column_and_template_variables(tmp_project: Project) -> None:
    report = run_one_check(
        tmp_project,
        "# severity: warning\n# message: Has {?p} {?o} and {$missing}.\n"
        "PREFIX kgr: <https://w3id.org/kg/id/>\nSELECT ?this ?p ?o ?message WHERE {\n"
        "  VALUES ?this { kgr:bmw kgr:weibo } ?this ?p ?o . FILTER (isLiteral(?o))\n"
        '  BIND (IF(?this = kgr:weibo, "Weibo, in its own words.", ?unbound) AS ?message)\n}\n',
    )
    messages = {(r.focus_node, r.message) for r in report.results if r.severity is Severity.WARNING}
    assert (KGR.bmw, 'Has rdfs:label "BMW"@en and (none).') in messages
    assert (KGR.weibo, "Weibo, in its own words.") in messages


def test_fill_template_shortens_terms() -> None:
    row = {
        "p": KG.chiefExecutiveOfficer,
        "o": Literal("2022-11", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYearMonth")),
    }
    assert fill_template("{?p} on {$o}", row) == 'kg:chiefExecutiveOfficer on "2022-11"^^xsd:gYearMonth'


# --- what gets validated -----------------------------------------------------------------------------------


def test_given_files_are_merged_with_ontology_and_manifest_once(project: Project) -> None:
    given = expand([project.data_dir, project.ontology_dir / "kg.ttl"])
    loaded = load_for_validation(project, given)
    names = [p.name for p in loaded.files]
    assert names[-2:] == ["kg.ttl", "manifest.ttl"]
    assert sorted(names[:-2]) == sorted(p.name for p in project.data_files())
    assert len(loaded.graph) == len(load_project(project).graph)
    assert validation_context(project, given) == [project.manifest]
    assert validation_context(project, []) == []


def test_context_files_are_read_but_not_reported_on(project: Project, tmp_path: Path) -> None:
    """A file given alone is checked as part of the project; only its own nodes are reported on."""
    statement = tmp_path / "statement.ttl"
    statement.write_text(
        "@prefix kg: <https://w3id.org/kg/ontology#> . @prefix kgr: <https://w3id.org/kg/id/> .\n"
        "@prefix kgsrc: <https://w3id.org/kg/source/> .\n"
        "<urn:st> a kg:RelationStatement ; kg:subject kgr:xiaomi ; kg:predicate kg:founder ; kg:object kgr:lei-jun ;\n"
        "    kg:attribution kg:ownVoice ; kg:timing kg:factual ; kg:likelihood kg:possible ;\n"
        '    kg:polarity kg:affirmed ; kg:rank kg:normalRank ; kg:hedge "said"@en ;\n'
        "    kg:source kgsrc:xiaomi-car-project-2024 ;\n"
        '    kg:evidence "Lei Jun, not said"@en .\n',
        encoding="utf-8",
    )
    report = validate(
        load_for_validation(project, [statement]), project, context=validation_context(project, [statement])
    )
    assert {r.focus_node for r in report.results} == {URIRef("urn:st")}
    assert {r.data_file for r in report.results} == {statement.as_posix()}
    # The rest of the project is read, so kgr:xiaomi and kgr:lei-jun are known entities: only the quote,
    # which is not in the source, is wrong.
    assert {str(r.source_shape).removeprefix(str(KGSH)) for r in report.results} == {"evidence-check"}
