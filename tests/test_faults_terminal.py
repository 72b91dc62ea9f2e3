"""Control characters on the way to a terminal (issue 16): names a server gives its variables, query
headers and file names, and labels in the text validation report are shown escaped, never raw."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.project import Project
from kg.query.library import read_query_file
from kg.query.results import parse_json_results, table

TERMINAL_CONTROLS = ("\x1b", "\x07", "\u202e")


def assert_no_controls(text: str) -> None:
    for character in TERMINAL_CONTROLS:
        assert character not in text, repr(text)


def test_a_variable_name_from_a_server_reaches_the_table_escaped() -> None:
    answer = {
        "head": {"vars": ["x\x1b]0;owned\x07", "y\u202e"]},
        "results": {"bindings": [{"x\x1b]0;owned\x07": {"type": "literal", "value": "a\x1b[2Jb"}}]},
    }
    shown = table(parse_json_results(json.dumps(answer).encode(), "http://server"), {})
    assert_no_controls(shown)
    assert "x\\x1b]0;owned\\x07" in shown and "y\\u202e" in shown
    assert "a\\x1b[2Jb" in shown


def test_a_query_header_and_file_name_are_escaped_and_kept_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b[31m.rq"
    path.write_text(
        "# title: T\u202eitle\n# question: Why\x07?\n# bind: who (IRI) the \x1b]0;x\x07 one\n"
        "SELECT * WHERE { ?who ?p ?o }\n",
        encoding="utf-8",
    )
    query = read_query_file(path, require_header=True)
    for text in (query.name, query.title, query.question, query.parameters[0].description):
        assert_no_controls(text)
    assert query.question == "Why\\x07?"


@pytest.fixture
def project(tmp_project: Project) -> Path:
    """A writable copy of the project (support's tmp_project), by its folder."""
    return tmp_project.root


def test_a_label_in_the_text_validation_report_is_escaped(project: Path) -> None:
    (project / "data" / "odd.ttl").write_text(
        "@prefix kg: <https://w3id.org/kg/ontology#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/kg/id/odd> a kg:Company ; rdfs:label "Evil\\u001b]0;owned\\u0007 \\u202eCo" ;\n'
        "    kg:founder <https://w3id.org/kg/id/odd> .\n",
        encoding="utf-8",
    )
    done = CliRunner().invoke(cli, ["--project", str(project), "validate"])
    assert done.exit_code == 1, done.output  # the unbacked edge is a violation, so the label is shown
    assert_no_controls(done.output)
    assert "Evil\\x1b]0;owned\\x07 \\u202eCo" in done.output
