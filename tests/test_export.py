"""Every RDF export parses back to the graph it came from, in rdflib, pyoxigraph and N3.js, byte for byte the same."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.errors import InputError
from kg.export.bundle import BundleExports
from kg.rdf.formats import RDF_FORMATS
from kg.rdf.load import parse_file
from kg.rdf.write import named_graphs, serialize, serialize_dataset

QUAD_FORMATS = [name for name, fmt in RDF_FORMATS.items() if fmt.holds_named_graphs]
N3JS_FORMATS = {"turtle": "Turtle", "ntriples": "N-Triples", "nquads": "N-Quads", "trig": "TriG"}
JS_DIR = Path(__file__).resolve().parent / "js"

# Blank nodes, a list, a multi-line literal with a carriage return, markup and quotes: the awkward cases.
AWKWARD_TURTLE = """
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a ex:knows [ ex:name "first \\"quoted\\" <b>&amp;</b>"@en ; ex:next [ ex:name "second" ] ] ;
    ex:items ( ex:x ex:y [ ex:name "in a list" ] ) ;
    rdfs:comment \"\"\"two
lines\\r and a return\"\"\" ;
    ex:count 7 ; ex:ratio 0.5 ; ex:flag true ; ex:名前 "名前"@ja .
[] ex:name "unreferenced" .
"""


@pytest.fixture(scope="module")
def exports(curated_exports: BundleExports) -> BundleExports:
    return curated_exports


@pytest.fixture(scope="module")
def rendered(exports: BundleExports) -> dict[str, bytes]:
    return {name: exports.render(name) for name in RDF_FORMATS}


def expected_graph(exports: BundleExports) -> Graph:
    """What every export must hold: the merged graph plus its VoID description."""
    return exports.graph + exports.void


def quad_count(exports: BundleExports) -> int:
    return sum(len(g) for g in named_graphs(exports.dataset))


def parse_dataset(data: bytes, format_name: str) -> Dataset:
    dataset = Dataset()
    dataset.parse(data=data, format=RDF_FORMATS[format_name].rdflib_name)
    return dataset


@pytest.mark.parametrize("format_name", list(RDF_FORMATS))
def test_export_parses_back_through_our_loader_to_the_same_graph(
    format_name: str, rendered: dict[str, bytes], exports: BundleExports, tmp_path: Path
) -> None:
    path = tmp_path / f"graph{RDF_FORMATS[format_name].extensions[0]}"
    path.write_bytes(rendered[format_name])
    back = parse_file(path)  # by extension, with kg's own loader
    assert len(back) == len(expected_graph(exports)) > 1000
    assert isomorphic(back, expected_graph(exports))


@pytest.mark.parametrize("format_name", list(RDF_FORMATS))
def test_export_parses_back_in_rdflib_to_the_same_graph(
    format_name: str, rendered: dict[str, bytes], exports: BundleExports
) -> None:
    back = parse_dataset(rendered[format_name], format_name)
    union = Graph()
    for graph in back.graphs():
        union += graph
    assert isomorphic(union, expected_graph(exports))


@pytest.mark.parametrize("format_name", QUAD_FORMATS)
def test_quad_export_keeps_every_named_graph_apart(
    format_name: str, rendered: dict[str, bytes], exports: BundleExports
) -> None:
    back = parse_dataset(rendered[format_name], format_name)
    parsed = {g.identifier: g for g in named_graphs(back)}
    source = {g.identifier: g for g in named_graphs(exports.dataset)}
    assert sorted(parsed) == sorted(source)
    for name, graph in source.items():
        assert isomorphic(parsed[name], graph), name
    assert len(back.default_graph) == 0


@pytest.mark.parametrize("format_name", list(RDF_FORMATS))
def test_pyoxigraph_reads_every_export_with_the_same_count(
    format_name: str, rendered: dict[str, bytes], exports: BundleExports
) -> None:
    quads = list(pyoxigraph.parse(rendered[format_name], format=RDF_FORMATS[format_name].oxigraph))
    names = {q.graph_name.value for q in quads if not isinstance(q.graph_name, pyoxigraph.DefaultGraph)}
    if format_name in QUAD_FORMATS:
        assert len(quads) == quad_count(exports)
        assert names == {str(g.identifier) for g in named_graphs(exports.dataset)}
    else:
        assert len(quads) == len(expected_graph(exports))
        assert names == set()


def run_n3js(path: Path, format_label: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", str(JS_DIR / "parse-check.mjs"), str(path), format_label],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


needs_n3js = pytest.mark.skipif(
    shutil.which("node") is None or not (JS_DIR / "node_modules" / "n3").is_dir(),
    reason="N3.js needs node and `npm ci --prefix tests/js` (CI installs both)",
)


@needs_n3js
@pytest.mark.parametrize("format_name", list(N3JS_FORMATS))
def test_n3js_reads_every_export_it_knows_with_the_same_count(
    format_name: str, rendered: dict[str, bytes], exports: BundleExports, tmp_path: Path
) -> None:
    path = tmp_path / f"graph{RDF_FORMATS[format_name].extensions[0]}"
    path.write_bytes(rendered[format_name])
    result = run_n3js(path, N3JS_FORMATS[format_name])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    if format_name in QUAD_FORMATS:
        assert report == {
            "quads": quad_count(exports),
            "graphs": sorted(str(g.identifier) for g in named_graphs(exports.dataset)),
        }
    else:
        assert report == {"quads": len(expected_graph(exports)), "graphs": [""]}


@needs_n3js
def test_n3js_check_fails_on_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.nt"
    path.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c .\n", encoding="utf-8")
    result = run_n3js(path, "N-Triples")
    assert result.returncode == 1
    assert "line 1" in result.stderr


@pytest.mark.parametrize("format_name", list(RDF_FORMATS))
def test_blank_node_labels_and_insertion_order_do_not_change_the_bytes(format_name: str) -> None:
    # Each parse gives the blank nodes new random labels; the second graph also gets its triples reversed.
    first = Graph().parse(data=AWKWARD_TURTLE, format="turtle")
    second = Graph()
    for prefix, namespace in first.namespaces():
        second.bind(prefix, namespace)
    for triple in sorted(Graph().parse(data=AWKWARD_TURTLE, format="turtle"), reverse=True):
        second.add(triple)
    assert set(first) != set(second)  # the labels really differ
    assert serialize(first, format_name) == serialize(second, format_name)


@pytest.mark.parametrize("format_name", list(RDF_FORMATS))
def test_awkward_graph_round_trips_in_every_format(format_name: str) -> None:
    graph = Graph().parse(data=AWKWARD_TURTLE, format="turtle")
    data = serialize(graph, format_name)
    back = Graph().parse(data=data, format=RDF_FORMATS[format_name].rdflib_name)
    assert isomorphic(back, graph)
    assert len(list(pyoxigraph.parse(data, format=RDF_FORMATS[format_name].oxigraph))) == len(graph)


@pytest.mark.parametrize("format_name", QUAD_FORMATS)
def test_a_blank_node_shared_by_two_named_graphs_stays_one_node(format_name: str) -> None:
    trig = """
    @prefix ex: <http://example.org/> .
    ex:g1 { ex:a ex:p _:shared . _:shared ex:name "x" . }
    ex:g2 { ex:b ex:p _:shared . _:other ex:name "y" . }
    """
    dataset = Dataset()
    dataset.parse(data=trig, format="trig")
    back = parse_dataset(serialize_dataset(dataset, format_name), format_name)
    graphs = {str(g.identifier): g for g in named_graphs(back)}
    (in_first,) = graphs["http://example.org/g1"].objects(
        URIRef("http://example.org/a"), URIRef("http://example.org/p")
    )
    (in_second,) = graphs["http://example.org/g2"].objects(
        URIRef("http://example.org/b"), URIRef("http://example.org/p")
    )
    assert in_first == in_second


def test_rdfxml_refuses_characters_xml_cannot_hold() -> None:
    graph = Graph()
    graph.add((URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal("bell \x07")))
    with pytest.raises(InputError, match=re.escape("XML 1.0")):
        serialize(graph, "rdfxml")


def test_rdfxml_refuses_a_property_without_an_xml_name() -> None:
    graph = Graph()
    graph.add((URIRef("http://example.org/a"), URIRef("http://example.org/p/"), Literal("x")))
    with pytest.raises(InputError, match=re.escape("<http://example.org/p/>")):
        serialize(graph, "rdfxml")


def test_ntriples_and_nquads_are_sorted_lines(rendered: dict[str, bytes]) -> None:
    for format_name in ("ntriples", "nquads"):
        lines = rendered[format_name].decode("utf-8").splitlines()
        assert lines == sorted(lines)
        assert all(line.endswith(" .") for line in lines)


def test_exports_carry_no_build_time(rendered: dict[str, bytes]) -> None:
    for data in rendered.values():
        assert b"dateTime" not in data
        assert b"modified" not in data


# Predicates in namespaces without a prefix: the writers must name them the same way in every process.
UNBOUND_SCRIPT = """
import sys
from rdflib import Graph, Literal, URIRef
from kg.rdf.write import serialize
graph = Graph(bind_namespaces="none")
for i in range(8):
    graph.add((URIRef(f"http://s.example/{i}"), URIRef(f"http://ns{i}.example/p"), Literal(i)))
sys.stdout.buffer.write(b"".join(serialize(graph, name) for name in ("turtle", "trig", "rdfxml", "jsonld")))
"""


def test_generated_prefixes_are_the_same_in_every_process() -> None:
    outputs = set()
    for seed in ("1", "2", "3"):
        result = subprocess.run(
            [sys.executable, "-c", UNBOUND_SCRIPT],
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_serializing_leaves_the_callers_prefixes_alone() -> None:
    graph = Graph(bind_namespaces="none")
    graph.add((URIRef("http://s.example/a"), URIRef("http://ns.example/p"), Literal("x")))
    before = sorted(graph.namespaces())
    for format_name in RDF_FORMATS:
        serialize(graph, format_name)
    assert sorted(graph.namespaces()) == before
