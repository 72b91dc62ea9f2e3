"""``kg query``: library names, files, -e and stdin; --bind, --format, -o, --list; exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import Result
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.project import Project
from kg.query.results import RESULTS_NAMESPACE
from support.cli import KG_PROCESS, run_kg
from support.cpu import cpu_used
from support.paths import CURATED

CEO_CSV = (
    "organization,organizationLabel,ceo,ceoLabel,attribution,timing,outcome,likelihood,polarity,rank,hedge,"
    "evidence,source\r\n"
    "https://w3id.org/kg/id/xiaomi,Xiaomi,https://w3id.org/kg/id/lei-jun,Lei Jun,"
    "https://w3id.org/kg/ontology#ownVoice,https://w3id.org/kg/ontology#factual,,"
    "https://w3id.org/kg/ontology#certain,https://w3id.org/kg/ontology#affirmed,https://w3id.org/kg/ontology#normalRank,"
    ',"Xiaomi founder, chairman and CEO Lei Jun",https://w3id.org/kg/source/xiaomi-car-project-2024\r\n'
)


def kg(*args: str, input: str | None = None) -> Result:
    return run_kg("query", *args, project=CURATED, input=input)


def test_a_library_query_by_name_writes_csv_when_piped() -> None:
    result = kg("ceo")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode("utf-8") == CEO_CSV


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_either_engine_gives_the_same_output(engine: str) -> None:
    assert kg("ceo", "--engine", engine).stdout_bytes.decode("utf-8") == CEO_CSV


def test_format_table() -> None:
    lines = kg("timeline", "--format", "table").stdout.splitlines()
    assert lines[0].split() == [
        *("date", "until", "precision", "event", "eventLabel", "kindLabel", "attribution", "timing", "outcome"),
        *("likelihood", "polarity", "rank", "hedge", "source", "statement"),
    ]
    assert lines[2].startswith("2021 ") and "kgr:car-industry-entry" in lines[2]
    assert lines[2].split()[-6:] == [
        *("kg:factual", "kg:certain", "kg:affirmed", "kg:normalRank"),
        *("kgsrc:xiaomi-car-project-2024", "kgs:car-industry-entry-date"),
    ]
    assert "kg:didNotHappen" in lines[3]  # the 2022 prototype
    assert lines[-1] == "(5 rows)"


def test_format_tsv() -> None:
    lines = kg("ceo", "-f", "tsv").stdout.splitlines()
    assert lines[0] == (
        "?organization\t?organizationLabel\t?ceo\t?ceoLabel\t?attribution\t?timing\t?outcome\t?likelihood"
        "\t?polarity\t?rank\t?hedge\t?evidence\t?source"
    )
    assert lines[1].split("\t")[:2] == ["<https://w3id.org/kg/id/xiaomi>", '"Xiaomi"@en']


def test_format_json_is_sparql_results_json() -> None:
    document = json.loads(kg("wikidata", "--format", "json").stdout)
    assert document["head"]["vars"] == ["entity", "label", "kindLabel", "item", "qid"]
    bindings = document["results"]["bindings"]
    assert len(bindings) == 9
    for binding in bindings:
        assert binding["entity"]["type"] == "uri"
        assert binding["label"]["xml:lang"] == "en"
        assert binding["qid"] == {"type": "literal", "value": binding["item"]["value"].rsplit("/", 1)[1]}


def test_format_xml_is_sparql_results_xml() -> None:
    root = ET.fromstring(kg("leaders", "--format", "xml").stdout_bytes)
    assert root.tag == f"{{{RESULTS_NAMESPACE}}}sparql"
    assert len(root.findall(f".//{{{RESULTS_NAMESPACE}}}result")) == 3


def test_construct_writes_turtle_by_default_and_other_rdf_formats(graph: Graph) -> None:
    turtle = kg("neighbourhood", "--bind", "entity=kgr:lei-jun")
    assert turtle.exit_code == 0, turtle.output
    as_turtle = Graph().parse(data=turtle.stdout, format="turtle")
    as_ntriples = Graph().parse(
        data=kg("neighbourhood", "-b", "entity=kgr:lei-jun", "-f", "ntriples").stdout, format="nt"
    )
    assert isomorphic(as_turtle, as_ntriples)
    assert len(as_turtle) > 10
    assert all(s in graph.all_nodes() for s, _, _ in as_turtle)


def test_a_format_that_does_not_fit_is_a_usage_error() -> None:
    result = kg("neighbourhood", "--format", "csv")
    assert result.exit_code == 2
    assert "kg: error: --format csv is for SELECT and ASK; this query returns a graph" in result.stderr
    assert kg("ceo", "--format", "turtle").exit_code == 2


def test_ask_prints_yes_or_no_and_exits_0_or_1() -> None:
    no = kg("is-claimed")
    assert (no.exit_code, no.stdout) == (1, "no\n")
    ceo = (
        "--bind",
        "subject=kgr:xiaomi",
        "--bind",
        "predicate=kg:chiefExecutiveOfficer",
        "--bind",
        "value=kgr:lei-jun",
    )
    yes = kg("is-claimed", *ceo)
    assert (yes.exit_code, yes.stdout) == (0, "yes\n")
    assert json.loads(kg("is-claimed", "-f", "json").stdout) == {"head": {}, "boolean": False}


def test_bind_reaches_the_query_as_a_value() -> None:
    result = kg("sources-of", "--bind", "subject=kgr:foton-motor", "--bind", "predicate=kg:holdsRight", "-f", "json")
    [binding] = json.loads(result.stdout)["results"]["bindings"]
    assert binding["statement"]["value"] == "https://w3id.org/kg/statement/foton-borgward-rights"
    assert binding["value"]["value"] == "https://w3id.org/kg/id/borgward-name-rights"
    literal = kg("-e", "SELECT ?m WHERE { ?m kg:numberOfDoors ?d }", "--bind", 'd="4"^^xsd:integer')
    assert literal.stdout.splitlines() == ["m", "https://w3id.org/kg/id/xiaomi-first-car"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sources-of", "--bind", "subject=xiaomi"], "--bind subject: 'xiaomi' is not an IRI or a literal"),
        (["sources-of", "--bind", "subject"], "--bind 'subject': write NAME=VALUE"),
        (["sources-of", "--bind", "object=kgr:x"], "--bind object: sources-of has no parameter 'object'"),
        (["sources-of", "--bind", 'subject="Xiaomi"'], "--bind subject: sources-of expects an IRI"),
        (["ceo", "-b", "x=kgr:a", "-b", "x=kgr:b"], "--bind x is given twice"),
        (["-e", "ASK { ?s ?p ?o }", "--bind", "q=1"], "--bind q: the query has no variable ?q"),
        (["cEo"], "no library query named 'cEo' (did you mean ceo?); kg query --list shows them"),
        (["ceo", "-e", "ASK {}"], "give one QUERY (a library name, a file, or -) or -e SPARQL"),
        ([], "give one QUERY"),
        (["--list", "ceo"], "--list takes no query or --bind"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = kg(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"kg: error: {message}")
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_a_syntax_error_names_line_and_column_and_exits_3(tmp_path: Path) -> None:
    broken = tmp_path / "broken.rq"
    broken.write_text("# a comment\nSELECT ?x\nWHERE { ?x ?y }\n", encoding="utf-8")
    result = kg(str(broken))
    assert result.exit_code == 3
    assert result.stderr == f"kg: error: {broken}:3:9: invalid SPARQL: Expected SelectQuery, found '?'\n"
    inline = kg("-e", "SELECT ?x WHERE { ?x undeclared:p ?y }", "--engine", "oxigraph")
    assert inline.exit_code == 3
    assert inline.stderr.startswith("kg: error: <query>:1:")
    assert "Traceback" not in inline.output


def test_service_is_refused_with_exit_3() -> None:
    result = kg("-e", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert result.exit_code == 3
    assert "SERVICE is refused" in result.stderr


def test_list_shows_every_question_and_parameter() -> None:
    result = kg("--list")
    assert result.exit_code == 0
    questions = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert len(questions) >= 12
    assert any(line.startswith("ceo ") and line.endswith("?") for line in questions)
    assert "--bind subject=IRI (default kgr:xiaomi)  the entity the fact is about" in result.stdout


def test_a_query_from_stdin_and_from_a_file(tmp_path: Path) -> None:
    text = "SELECT ?p WHERE { kgr:xiaomi kg:founder ?p }"
    assert kg("-", input=text).stdout_bytes == b"p\r\nhttps://w3id.org/kg/id/lei-jun\r\n"
    own = tmp_path / "founder.rq"
    own.write_text(text, encoding="utf-8")
    assert kg(str(own)).stdout == kg("-e", text).stdout == kg("-", input=text).stdout


def test_output_file_is_written_in_the_format_its_name_asks_for(tmp_path: Path) -> None:
    target = tmp_path / "out" / "ceo.json"
    result = kg("ceo", "-o", str(target))
    assert (result.exit_code, result.stdout) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["head"]["vars"][0] == "organization"
    graph_file = tmp_path / "xiaomi.nt"
    assert kg("neighbourhood", "-o", str(graph_file)).exit_code == 0
    assert len(Graph().parse(graph_file, format="nt")) >= 50
    refused = kg("ceo", "--output", str(tmp_path / "ceo.xlsx"))  # once written as CSV under a spreadsheet's name
    assert refused.exit_code == 2
    assert "kg: error: -o " in refused.stderr and "cannot tell the format from the extension .xlsx" in refused.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["ceo.json", "out", "xiaomi.nt"]


def test_a_broken_library_file_is_reported_by_list(tmp_project: Project) -> None:
    (tmp_project.queries_dir / "zz-broken.rq").write_text("# title: no question\nASK {}\n", encoding="utf-8")
    result = run_kg("query", "--list", project=tmp_project)
    assert result.exit_code == 3
    assert "zz-broken.rq:1: the query header lacks '# question:'" in result.stderr


def test_help_has_an_example() -> None:
    result = run_kg("query", "--help")
    assert result.exit_code == 0
    assert "Example: kg query sources-of --bind" in result.output


# Real processes: start-up, the terminal default, and what the query path imports.


def kg_command() -> list[str]:
    found = shutil.which("kg")
    return [found] if found else [*KG_PROCESS]


def test_real_process_pipes_csv() -> None:
    done = subprocess.run([*kg_command(), "query", "ceo"], cwd=CURATED, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert list(csv.reader(io.StringIO(done.stdout.decode("utf-8"), newline="")))[1][3] == "Lei Jun"


def test_real_process_on_a_terminal_prints_a_table() -> None:
    controller, terminal = pty.openpty()
    env = {**os.environ, "COLUMNS": "200"}
    process = subprocess.Popen([*kg_command(), "query", "ceo"], cwd=CURATED, stdout=terminal, stderr=terminal, env=env)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert process.wait(timeout=60) == 0
    lines = b"".join(chunks).decode("utf-8").splitlines()
    assert lines[0].split() == CEO_CSV.split("\r\n")[0].split(",")
    assert lines[2].split()[:4] == ["kgr:xiaomi", "Xiaomi", "kgr:lei-jun", "Lei"]
    assert lines[-1] == "(1 row)"


def test_kg_query_ceo_answers_within_a_second() -> None:
    """Start-up included. The machine may be shared, so the bound is on the CPU time the process used
    (on an idle machine, its wall time); the best of three runs counts."""
    runs = []
    for _ in range(3):
        with cpu_used() as used:
            done = subprocess.run([*kg_command(), "query", "ceo"], cwd=CURATED, capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr
        runs.append(round(used.children, 3))
    assert min(runs) < 1.0, f"CPU seconds per run: {runs}"


def test_the_query_path_does_not_import_pyshacl_or_pyvis() -> None:
    script = (
        "import sys\n"
        "from kg.cli import main\n"
        "sys.argv = ['kg', 'query', 'ceo', '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'pyshacl', 'pyvis', 'networkx', 'IPython'})\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=CURATED, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["results"]["bindings"][0]["ceoLabel"]["value"] == "Lei Jun"
    assert "LOADED []" in done.stderr
