"""Turtle and TriG written by Oxigraph (kg.rdf.quads.write_turtle): nothing lost against the N-Triples and
N-Quads exports, ``@prefix`` lines for exactly the prefixes the body uses, no local-name escapes, the same
bytes in every process."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.rdf.convert import rdflib_triples
from kg.rdf.quads import canonical_quads, write_quads, write_turtle
from support.paths import CURATED, FIXTURES

# Language tags, datatypes (ill-typed and custom ones too), blank nodes shared by two graphs, a blank node
# as a graph name, local names Turtle must escape, non-ASCII names, a literal that looks like Turtle.
AWKWARD_TRIG = r"""
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:g1 {
  ex:a ex:p _:shared , "042"^^xsd:integer , "abc"^^xsd:integer , "1.50"^^xsd:decimal , "-0"^^xsd:double ,
      "x"^^ex:type , "chat"@fr , "colour"@en-GB , "tab\there \"q\" \\ ex:fake <http://example.org/in-a-string>" ,
      "two\nlines\r" , true , "名前"@ja .
  _:shared ex:name "shared" .
  <http://example.org/path/with/slashes> ex:p <http://example.org/x%20y> , <http://example.org/end.> ,
      <http://example.org/-dash> , <http://example.org/tilde~> , <http://example.org/a:b> , ex:名前 .
  <urn:isbn:0451450523> ex:p <http://other.example/#> .
  <http://example.org/path/plain> ex:p "under the empty prefix" .
}
ex:g2 { ex:b ex:p _:shared . _:solo ex:next [ ex:next [ ex:name "deep" ] ] . }
_:graph { ex:c ex:p ex:d . }
{ ex:default ex:p "in the default graph" . }
"""

# Offered to the writer: a name whose namespace nothing uses, two names for one namespace, and xsd, which
# the body needs only for literals Oxigraph writes in full ("abc"^^xsd:integer).
PREFIXES = {
    "ex": "http://example.org/",
    "exb": "http://example.org/",
    "unused": "http://unused.example/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "": "http://example.org/path/",
}


def awkward() -> ox.Dataset:
    return canonical_quads(ox.Dataset(ox.parse(AWKWARD_TRIG.encode("utf-8"), format=ox.RdfFormat.TRIG)))


def hostile() -> ox.Dataset:
    """The hostile corpus's odd IRIs (javascript:, markup, a line separator) and script-laden literals."""
    path = FIXTURES / "hostile" / "turtle" / "script-payloads.ttl"
    return canonical_quads(ox.Dataset(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)))


def head_and_body(data: bytes) -> tuple[list[str], str]:
    text = data.decode("utf-8")
    if not text.startswith("@prefix "):
        return [], text
    head, _, body = text.partition("\n\n")
    return head.splitlines(), body


@pytest.mark.parametrize("make", [awkward, hostile])
def test_turtle_holds_every_triple_the_ntriples_export_holds(make) -> None:
    dataset = make()
    turtle, ntriples = write_turtle(dataset, "turtle", PREFIXES), write_quads(dataset, "ntriples")
    # Oxigraph keeps blank-node labels: both files carry the same canonical ones.
    assert set(ox.parse(turtle, format=ox.RdfFormat.TURTLE)) == set(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    # rdflib reads the Turtle to the same graph (its N-Triples reader splits lines at U+2028, so not from those).
    expected = Graph()
    expected += rdflib_triples(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), expected)


@pytest.mark.parametrize("make", [awkward, hostile])
def test_trig_holds_every_quad_the_nquads_export_holds(make) -> None:
    dataset = make()
    trig, nquads = write_turtle(dataset, "trig", PREFIXES), write_quads(dataset, "nquads")
    assert set(ox.parse(trig, format=ox.RdfFormat.TRIG)) == set(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    in_rdflib = Dataset()
    in_rdflib.parse(data=trig, format="trig")
    assert sum(len(graph) for graph in in_rdflib.graphs()) == len(dataset)


def test_the_shared_blank_node_keeps_one_label_across_graphs() -> None:
    trig = write_turtle(awkward(), "trig", PREFIXES)
    back = ox.Dataset(ox.parse(trig, format=ox.RdfFormat.TRIG))

    def blank_objects(subject: str) -> list[ox.BlankNode]:
        quads = back.quads_for_subject(ox.NamedNode(f"http://example.org/{subject}"))
        return [q.object for q in quads if isinstance(q.object, ox.BlankNode)]

    assert blank_objects("a") == blank_objects("b") != []


@pytest.mark.parametrize("format_name", ["turtle", "trig"])
def test_prefix_lines_declare_exactly_the_prefixes_used(format_name: str) -> None:
    head, body = head_and_body(write_turtle(awkward(), format_name, PREFIXES))
    # One name a namespace, the first in order; never SPARQL's PREFIX (the OWL API reads only @prefix).
    assert head == [
        "@prefix : <http://example.org/path/> .",
        "@prefix ex: <http://example.org/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
    ]
    assert "PREFIX" not in body and "@prefix" not in body
    assert re.search(r"\s:plain ex:p", body) and "ex:p" in body and '"abc"^^xsd:integer' in body
    assert "exb:" not in body and "unused:" not in body


def test_a_prefix_only_numbers_would_use_is_left_out() -> None:
    quads = ox.Dataset(
        ox.parse(b"<http://example.org/a> <http://example.org/p> 7 , 0.5 , true .", format=ox.RdfFormat.TURTLE)
    )
    head, body = head_and_body(write_turtle(quads, "turtle", PREFIXES))
    assert head == ["@prefix ex: <http://example.org/> ."]
    assert body == "ex:a ex:p 0.5 , 7 , true .\n"


@pytest.mark.parametrize("format_name", ["turtle", "trig"])
def test_local_names_that_need_escapes_are_written_as_full_iris(format_name: str) -> None:
    data = write_turtle(awkward(), format_name, PREFIXES).decode("utf-8")
    assert "\\" not in re.sub(r'"(?:[^"\\]|\\.)*"', "", data)  # strings aside, no escapes
    for iri in ("http://example.org/x%20y", "http://example.org/end.", "http://example.org/-dash"):
        assert f"<{iri}>" in data


def test_a_literal_that_looks_like_a_prefixed_name_declares_nothing() -> None:
    quads = ox.Dataset(
        ox.parse(b'<http://s.example/a> <http://s.example/p> "see unused:thing" .', format=ox.RdfFormat.N_TRIPLES)
    )
    head, body = head_and_body(write_turtle(quads, "turtle", PREFIXES))
    assert head == [] and body.startswith("<http://s.example/a>")


# The curated project's Turtle and TriG exports in a fresh interpreter, with the hash seed given.
EXPORT_SCRIPT = f"""
import sys
from pathlib import Path
from kg.backends.memory import MemoryBackend
from kg.export.exports import Exports
from kg.project import Project
exports = Exports(MemoryBackend.of_project(Project(Path({str(CURATED)!r}))))
sys.stdout.buffer.write(exports.render("turtle") + exports.render("trig"))
"""


def test_the_exports_are_the_same_bytes_under_every_hash_seed() -> None:
    outputs = set()
    for seed in ("0", "7"):
        done = subprocess.run(
            [sys.executable, "-c", EXPORT_SCRIPT],
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        outputs.add(done.stdout)
    (data,) = outputs
    assert data.startswith(b"@prefix ") and b"\nPREFIX " not in data


def test_prefixes_turtle_cannot_declare_are_not_offered() -> None:
    quads = ox.Dataset(
        ox.parse(b"<http://x.example/a> <http://x.example/b> <http://x.example/c> .", format=ox.RdfFormat.N_TRIPLES)
    )
    for name, namespace in [("1a", "http://x.example/"), ("a b", "http://x.example/"), ("ok", "relative/")]:
        data = write_turtle(quads, "turtle", {name: namespace})
        assert data == b"<http://x.example/a> <http://x.example/b> <http://x.example/c> .\n", name
