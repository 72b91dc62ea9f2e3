"""Round two of odd files and odd values (issue 16): FIFOs, writes where kg promises none, labels XML cannot hold,
numbers outside a double's range, control characters on the way to a terminal, and work outside the time limit.

Each case runs the real command in a child process on a copy of the project; the child's timeout only keeps a
broken kg from hanging the suite, and no assertion is about how long anything took.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.project import Project

RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
XSD_DOUBLE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")
ODD = ox.NamedNode("https://w3id.org/kg/id/x")

SAFETY_NET_SECONDS = 120
ODD_LABEL = '"bad\\u0001label\\u000c\\uFFFEend"@en'
PREFIXES = """@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@pytest.fixture
def project(tmp_project: Project) -> Path:
    """A writable copy of the project (support's tmp_project), by its folder."""
    return tmp_project.root


def kg(project: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "kg", "--project", str(project), *args],
        capture_output=True,
        input=stdin,
        timeout=SAFETY_NET_SECONDS,
        check=False,
    )


def test_kg_load_refuses_a_fifo_instead_of_waiting_for_a_writer(project: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    done = kg(project, "load", "--store", f"oxigraph:{tmp_path / 'store'}", str(fifo))
    assert done.returncode == 3
    assert b"not a regular file" in done.stderr
    assert str(fifo).encode() in done.stderr


def test_a_fifo_in_place_of_a_cited_seed_is_refused_by_validate(project: Path) -> None:
    (seed,) = [p for p in (project / "seeds").iterdir() if p.suffix == ".txt"]
    seed.unlink()
    os.mkfifo(seed)
    done = kg(project, "--timeout", "5", "validate")
    assert done.returncode in (1, 3)
    assert b"not a regular file" in done.stderr + done.stdout


@pytest.mark.parametrize("folder", ["data", "ontology", "seeds", "queries"])
def test_no_store_is_written_inside_the_project_sources(project: Path, folder: str) -> None:
    target = project / folder / "store"
    done = kg(project, "load", "--store", f"oxigraph:{target}")
    assert done.returncode == 2
    assert f"{folder}/".encode() in done.stderr
    assert not target.exists()


def odd_project(project: Path, body: str) -> Path:
    (project / "data" / "odd.ttl").write_text(PREFIXES + body, encoding="utf-8")
    return project


@pytest.mark.parametrize("form", ["graphml", "gexf", "rdfxml"])
def test_xml_outputs_refuse_a_label_that_xml_cannot_hold_the_same_way(project: Path, form: str) -> None:
    odd_project(project, f"<https://w3id.org/kg/id/x> a kg:Company ; rdfs:label {ODD_LABEL} .\n")
    done = kg(project, "export", "--format", form)
    assert done.returncode == 3, done.stdout[-400:]
    assert b"XML 1.0 has no such characters" in done.stderr


@pytest.mark.parametrize("form", ["graphml", "gexf"])
def test_xml_outputs_of_ordinary_labels_stay_well_formed(project: Path, form: str) -> None:
    odd_project(project, '<https://w3id.org/kg/id/x> a kg:Company ; rdfs:label "a <b> & \\"c\\" \\u00e9"@en .\n')
    done = kg(project, "export", "--format", form)
    assert done.returncode == 0, done.stderr
    root = ElementTree.fromstring(done.stdout)
    texts = {el.text for el in root.iter()} | {value for el in root.iter() for value in el.attrib.values()}
    assert 'a <b> & "c" é' in texts


def test_a_double_beyond_range_keeps_a_valid_lexical_form_in_every_format(project: Path) -> None:
    odd_project(project, '<https://w3id.org/kg/id/x> a kg:Company ; rdfs:comment "1e999999"^^xsd:double .\n')
    lexical = set()
    formats = {"ntriples": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS}
    formats |= {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG}
    for form, rdf_format in formats.items():
        done = kg(project, "export", "--format", form)
        assert done.returncode == 0, done.stderr
        # Read back as written (Turtle may write the double as a bare number), never normalised by a store.
        (value,) = [
            q.object
            for q in ox.parse(done.stdout, format=rdf_format)
            if q.predicate == RDFS_COMMENT and q.subject == ODD
        ]
        assert isinstance(value, ox.Literal) and value.datatype == XSD_DOUBLE
        lexical.add(value.value)
    # xsd:double's lexical space has INF and 1e999999 (which means INF), not "inf".
    assert len(lexical) == 1 and lexical <= {"1e999999", "INF"}


def test_control_characters_in_a_query_header_reach_the_terminal_escaped(project: Path) -> None:
    header = "# title: Evil \x1b]0;owned\x07 title \u202eoverride\n# question: What?\n"
    (project / "queries" / "evil.rq").write_text(header + "SELECT * WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    done = kg(project, "query", "--list")
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode()
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "evil" in text


def nested_blank_nodes(depth: int) -> str:
    return (
        "<https://w3id.org/kg/id/x> rdfs:seeAlso " + "[ rdfs:seeAlso " * depth + "<urn:x:end>" + " ]" * depth + " .\n"
    )


def test_canonical_labels_of_deeply_nested_blank_nodes_stay_under_the_time_limit(project: Path) -> None:
    odd_project(project, "<https://w3id.org/kg/id/x> a kg:Company .\n" + nested_blank_nodes(3000))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = kg(project, "--timeout", "5", "export", "--format", "turtle")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    assert done.returncode in (0, 3), done.stderr
    if done.returncode == 3:
        assert b"--timeout" in done.stderr
    # The deadline is 5 s of wall time, so at most 5 s of CPU go to the work it bounds: a kg that labels or
    # sorts outside it spends 20 s and more of CPU here.
    assert cpu < 12, cpu


def test_a_double_beyond_range_is_no_null_in_json_ld(project: Path) -> None:
    odd_project(project, '<https://w3id.org/kg/id/x> a kg:Company ; rdfs:comment "1e999999"^^xsd:double .\n')
    done = kg(project, "export", "--format", "jsonld")
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode()
    assert '"@value": "INF"' in text and "null" not in text and "non-finite" not in text
