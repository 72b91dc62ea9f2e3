"""``kg validate`` on the command line: exit codes 0, 1, 2 and 3, formats, thresholds and file arguments."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from click.testing import Result
from rdflib import Graph, Literal
from rdflib.namespace import SH

from kg.project import Project
from kg.validate.report import KGSH
from support.cli import KG_PROCESS, run_kg

GOOD_COMPANY = """@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/volta> a kg:Company ; rdfs:label "Volta"@en .
"""


def validate(project: Project, *args: str) -> Result:
    return run_kg("validate", *args, project=project)


def test_curated_graph_conforms_exit_0(project: Project) -> None:
    result = validate(project)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("conforms: 0 violations, 0 warnings, 1 info\n")
    assert result.stderr == ""


def test_non_conforming_graph_exit_1_with_report_on_stdout(tmp_project: Project) -> None:
    path = tmp_project.data_dir / "sources" / "xiaomi-car-project-2024.ttl"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kg:numberOfDoors ; kg:value 4 ;", "kg:numberOfDoors ; kg:value 40 ;", 1))
    result = validate(tmp_project)
    assert result.exit_code == 1
    assert (
        "data/entities/vehicles.ttl: violation: Xiaomi's first electric car <https://w3id.org/kg/id/xiaomi-first-car>"
        in (result.stdout)
    )
    assert "a whole number from 1 to 8" in result.stdout
    assert result.stderr.splitlines()[-1].startswith("kg: error: does not conform: ")


def test_fail_on_sets_the_threshold(project: Project) -> None:
    assert validate(project, "--fail-on", "warning").exit_code == 0
    strict = validate(project, "--fail-on", "info")
    assert strict.exit_code == 1
    assert "kg: error: does not conform: 0 violations, 0 warnings, 1 info (failing on info and above)" in strict.stderr


def test_usage_errors_exit_2(project: Project, tmp_path: Path) -> None:
    assert validate(project, "--fail-on", "fatal").exit_code == 2
    assert validate(project, "--format", "xml").exit_code == 2
    notes = tmp_path / "notes.txt"
    notes.write_text("not RDF", encoding="utf-8")
    unknown = validate(project, str(notes))
    assert unknown.exit_code == 2
    assert "cannot tell the RDF format from the extension '.txt'" in unknown.stderr


def test_malformed_turtle_exit_3_one_line_with_file_line_column(tmp_project: Project) -> None:
    broken = tmp_project.data_dir / "broken.ttl"
    broken.write_text(
        '@prefix kg: <https://w3id.org/kg/ontology#> .\n\n<urn:x> kg:label "unclosed ;\n', encoding="utf-8"
    )
    result = validate(tmp_project)
    assert result.exit_code == 3
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"kg: error: {broken}:3:")
    assert line.split(":")[3].strip().isdigit()  # the column
    assert "Traceback" not in result.output


def test_missing_file_exit_3(project: Project, tmp_path: Path) -> None:
    result = validate(project, str(tmp_path / "absent.ttl"))
    assert result.exit_code == 3
    assert "absent.ttl: cannot read" in result.stderr


def test_given_files_are_validated_with_the_ontology(project: Project, tmp_path: Path) -> None:
    good = tmp_path / "volta.ttl"
    good.write_text(GOOD_COMPANY, encoding="utf-8")
    assert validate(project, str(good)).exit_code == 0
    bad = tmp_path / "nameless.ttl"
    bad.write_text(GOOD_COMPANY.replace(' ; rdfs:label "Volta"@en', ""), encoding="utf-8")
    result = validate(project, str(bad))
    assert result.exit_code == 1
    assert f"{bad.as_posix()}: violation: <https://example.org/volta>" in result.stdout


def test_turtle_format_is_a_shacl_report(project: Project) -> None:
    result = validate(project, "--format", "turtle")
    assert result.exit_code == 0
    report = Graph().parse(data=result.stdout, format="turtle")
    assert list(report.objects(None, SH.conforms)) == [Literal(False)]  # three infos: SHACL's reading
    assert list(report.objects(None, KGSH.passes)) == [Literal(True)]  # kg's, at --fail-on violation
    assert len(list(report.objects(None, SH.result))) == 1


def test_json_format_parses_and_matches_exit_code(tmp_project: Project) -> None:
    path = tmp_project.data_dir / "entities" / "people.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace('rdfs:label "Lei Jun"@en ;', ""), encoding="utf-8")
    result = validate(tmp_project, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["conforms"] is False
    (violation,) = [r for r in document["result"] if r["resultSeverity"].endswith("#Violation")]
    assert violation["focusNode"] == {"@id": "https://w3id.org/kg/id/lei-jun"}
    assert violation["dataFile"] == "data/entities/people.ttl"


def test_other_shapes_can_be_given(project: Project, tmp_path: Path) -> None:
    shapes = tmp_path / "strict.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kg: <https://w3id.org/kg/ontology#> .\n"
        "<urn:s> a sh:NodeShape ; sh:targetClass kg:Person ;\n"
        '    sh:property [ sh:path kg:founder ; sh:minCount 1 ; sh:message "x"@en ] .\n',
        encoding="utf-8",
    )
    result = validate(project, "--shapes", str(shapes))
    assert result.exit_code == 1
    assert "data/entities/people.ttl: violation: Lei Jun <https://w3id.org/kg/id/lei-jun>" in result.stdout


def test_malformed_shapes_exit_3_naming_the_shapes_file(project: Project, tmp_path: Path) -> None:
    shapes = tmp_path / "broken-shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kg: <https://w3id.org/kg/ontology#> .\n"
        '<urn:s> a sh:NodeShape ; sh:targetClass kg:Person ; sh:minCount "one" .\n',
        encoding="utf-8",
    )
    result = validate(project, "--shapes", str(shapes))
    assert result.exit_code == 3
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"kg: error: {shapes}: invalid shapes: MinCountConstraintComponent can only be present")


def test_help_explains_exit_codes_with_an_example(project: Project) -> None:
    result = validate(project, "--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "Example: kg validate" in text and "3 a file cannot be read or parsed" in text


# --- real processes ------------------------------------------------------------------------------------------


def kg(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    command = [*KG_PROCESS, "validate", *args]
    return subprocess.run(command, cwd=project.root, capture_output=True, text=True, check=False, timeout=120)


def test_real_process_conforms(project: Project) -> None:
    done = kg(project)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("1 info\n")


def test_real_process_reports_ill_typed_date_without_traceback(tmp_project: Project) -> None:
    path = tmp_project.data_dir / "sources" / "xiaomi-car-project-2024.ttl"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('kg:value "2022-11"^^xsd:gYearMonth ;', 'kg:value "2022-11-31"^^xsd:date ;', 1))
    done = kg(tmp_project)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert 'value "2022-11-31"^^xsd:date, rule kgsh:Entity-date' in done.stdout


def test_real_process_malformed_file_exit_3(tmp_project: Project) -> None:
    (tmp_project.data_dir / "broken.ttl").write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    done = kg(tmp_project)
    assert done.returncode == 3
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert "broken.ttl:1:" in line and "Traceback" not in line


def test_real_process_malformed_shapes_exit_3_in_one_line(project: Project, tmp_path: Path) -> None:
    """pySHACL logs shape errors to the real standard error itself; kg keeps it to its own one line."""
    shapes = tmp_path / "broken-shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kg: <https://w3id.org/kg/ontology#> .\n"
        '<urn:s> a sh:NodeShape ; sh:targetClass kg:Person ; sh:minCount "one" .\n',
        encoding="utf-8",
    )
    done = kg(project, "--shapes", str(shapes))
    assert done.returncode == 3
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"kg: error: {shapes}: invalid shapes: ")


def test_a_literal_cited_as_a_source_is_reported_in_turtle_not_a_crash(tmp_project: Project, tmp_path: Path) -> None:
    """The evidence check's result names the literal as its value; with no shape to report it first, the
    Turtle report must still write it (it was once made an IRI, which rdflib refused to serialize)."""
    people = tmp_project.data_dir / "sources" / "xiaomi-car-project-2024.ttl"
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace("kg:source kgsrc:", 'kg:source "a press release" , kgsrc:', 1), encoding="utf-8")
    no_shapes = tmp_path / "no-shapes.ttl"
    no_shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n", encoding="utf-8")
    result = validate(tmp_project, "--shapes", str(no_shapes), "--format", "turtle")
    assert result.exit_code == 1, result.output
    values = set(Graph().parse(data=result.stdout, format="turtle").objects(None, SH.value))
    assert Literal("a press release") in values
