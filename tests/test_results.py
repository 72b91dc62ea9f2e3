"""Result formats: the W3C SPARQL 1.1 results formats, read back by independent parsers, and the table."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pyoxigraph
import pytest
from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result
from rdflib.term import Node

from kg.errors import InputError, UsageError
from kg.query.engines import QUERY_PREFIXES, QueryResult
from kg.query.results import (
    RESULTS_NAMESPACE,
    TABLE_CELL_LIMIT,
    compact,
    format_result,
    parse_json_results,
)
from kg.rdf.convert import from_oxigraph
from kg.rdf.namespaces import KG, KGR

TRICKY = 'He said "yes", then\nleft;\tfine'
RESULT = QueryResult(
    "select",
    ("entity", "label", "count", "note", "blank"),
    (
        (KGR.xiaomi, Literal("Xiaomi", lang="en"), Literal(3), Literal(TRICKY), BNode("b0")),
        (KGR["lei-jun"], Literal("雷军", lang="zh"), Literal("2022-11", datatype=XSD.gYearMonth), None, None),
        (URIRef("http://example.org/a?x=1"), None, None, Literal(""), None),
    ),
)


def render(result: QueryResult, name: str) -> bytes:
    return format_result(result, name, QUERY_PREFIXES)


def oxigraph_rows(data: bytes, fmt: pyoxigraph.QueryResultsFormat) -> list[tuple[Node | None, ...]]:
    solutions = pyoxigraph.parse_query_results(data, fmt)
    names = [v.value for v in solutions.variables]
    assert names == list(RESULT.variables)
    return [tuple(None if s[n] is None else from_oxigraph(s[n]) for n in names) for s in solutions]


def comparable(rows: object) -> list[tuple[Node | None, ...]]:
    """Rows with blank nodes left out, since every parser names them afresh."""
    return [tuple(None if isinstance(t, BNode) else t for t in row) for row in rows]  # type: ignore[attr-defined]


def test_json_is_w3c_sparql_results_json() -> None:
    document = json.loads(render(RESULT, "json"))
    assert document["head"]["vars"] == list(RESULT.variables)
    first, second, third = document["results"]["bindings"]
    assert first["entity"] == {"type": "uri", "value": str(KGR.xiaomi)}
    assert first["label"] == {"type": "literal", "value": "Xiaomi", "xml:lang": "en"}
    assert first["count"] == {"type": "literal", "value": "3", "datatype": str(XSD.integer)}
    assert first["note"] == {"type": "literal", "value": TRICKY}
    assert first["blank"] == {"type": "bnode", "value": "b0"}
    assert set(second) == {"entity", "label", "count"}  # unbound variables are left out
    assert third["note"] == {"type": "literal", "value": ""}


def test_json_reads_back_the_same_in_three_parsers() -> None:
    data = render(RESULT, "json")
    assert parse_json_results(data) == RESULT
    assert comparable(oxigraph_rows(data, pyoxigraph.QueryResultsFormat.JSON)) == comparable(RESULT.rows)
    parsed = Result.parse(io.BytesIO(data), format="json")
    assert comparable(tuple(row) for row in parsed) == comparable(RESULT.rows)


def test_xml_is_well_formed_w3c_sparql_results_xml() -> None:
    data = render(RESULT, "xml")
    root = ET.fromstring(data)
    assert root.tag == f"{{{RESULTS_NAMESPACE}}}sparql"
    names = [v.get("name") for v in root.iter(f"{{{RESULTS_NAMESPACE}}}variable")]
    assert names == list(RESULT.variables)
    results = root.findall(f"{{{RESULTS_NAMESPACE}}}results/{{{RESULTS_NAMESPACE}}}result")
    assert len(results) == 3
    label = results[1].find(f"{{{RESULTS_NAMESPACE}}}binding[@name='label']/{{{RESULTS_NAMESPACE}}}literal")
    assert label is not None
    assert (label.text, label.get("{http://www.w3.org/XML/1998/namespace}lang")) == ("雷军", "zh")
    assert comparable(oxigraph_rows(data, pyoxigraph.QueryResultsFormat.XML)) == comparable(RESULT.rows)
    parsed = Result.parse(io.BytesIO(data), format="xml")
    assert comparable(tuple(row) for row in parsed) == comparable(RESULT.rows)


def test_xml_refuses_characters_xml_cannot_carry() -> None:
    bad = QueryResult("select", ("x",), ((Literal("bell\x07"),),))
    with pytest.raises(UsageError, match="use --format json"):
        render(bad, "xml")


def test_csv_is_w3c_sparql_csv() -> None:
    text = render(RESULT, "csv").decode("utf-8")
    assert text.startswith("entity,label,count,note,blank\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(RESULT.variables)
    assert rows[1] == [str(KGR.xiaomi), "Xiaomi", "3", TRICKY, "_:b0"]
    assert rows[2] == [str(KGR["lei-jun"]), "雷军", "2022-11", "", ""]
    assert len(rows) == 4


def test_tsv_is_w3c_sparql_tsv() -> None:
    data = render(RESULT, "tsv")
    lines = data.decode("utf-8").split("\n")
    assert lines[0] == "?entity\t?label\t?count\t?note\t?blank"
    assert lines[1].startswith(
        f'<{KGR.xiaomi}>\t"Xiaomi"@en\t"3"^^<{XSD.integer}>\t"He said \\"yes\\", then\\nleft;\\tfine"'
    )
    assert len(lines) == 5 and lines[-1] == ""
    assert comparable(oxigraph_rows(data, pyoxigraph.QueryResultsFormat.TSV)) == comparable(RESULT.rows)


def test_table_aligns_compacts_and_counts() -> None:
    lines = render(RESULT, "table").decode("utf-8").splitlines()
    assert lines[0].split() == list(RESULT.variables)
    assert lines[1].split() == ["-" * len(w) for w in lines[1].split()]
    assert re.split(r"  +", lines[2]) == ["kgr:xiaomi", "Xiaomi", "3", 'He said "yes", then\\nleft;\\tfine', "_:b0"]
    assert re.split(r"  +", lines[3]) == ["kgr:lei-jun", "雷军", "2022-11"]
    assert re.split(r"  +", lines[4]) == ["<http://example.org/a?x=1>"]
    assert lines[-1] == "(3 rows)"
    # each column starts at the same display position on every line; 雷军 takes four columns, not two
    assert lines[0].index("count") == lines[2].index("3") == lines[3].index("2022-11") + 2


def test_table_escapes_control_characters_and_cuts_long_cells() -> None:
    result = QueryResult("select", ("x",), ((Literal("\x1b[31mred" + "x" * 200),),))
    cell = render(result, "table").decode("utf-8").splitlines()[2]
    assert "\x1b" not in cell and cell.startswith("\\x1b[31mred")
    assert len(cell) == TABLE_CELL_LIMIT and cell.endswith("…")


def test_table_with_one_row_says_row() -> None:
    assert render(QueryResult("select", ("x",), ((KG.stated,),)), "table").decode().endswith("kg:stated\n(1 row)\n")


def test_compact_uses_the_longest_namespace_and_only_simple_local_names() -> None:
    prefixes = {"a": "http://example.org/", "ab": "http://example.org/b/"}
    assert compact(URIRef("http://example.org/b/c"), prefixes) == "ab:c"
    assert compact(URIRef("http://example.org/x"), prefixes) == "a:x"
    assert compact(URIRef("http://example.org/x/y"), prefixes) == "<http://example.org/x/y>"
    assert compact(URIRef("http://example.org/x."), prefixes) == "<http://example.org/x.>"


@pytest.mark.parametrize(("answer", "word"), [(True, "yes"), (False, "no")])
def test_ask_in_every_answer_format(answer: bool, word: str) -> None:
    result = QueryResult("ask", boolean=answer)
    assert render(result, "table") == f"{word}\n".encode()
    assert render(result, "csv") == f"{word}\r\n".encode()
    assert render(result, "tsv") == f"{word}\n".encode()
    assert json.loads(render(result, "json")) == {"head": {}, "boolean": answer}
    assert bool(pyoxigraph.parse_query_results(render(result, "json"), pyoxigraph.QueryResultsFormat.JSON)) is answer
    assert bool(pyoxigraph.parse_query_results(render(result, "xml"), pyoxigraph.QueryResultsFormat.XML)) is answer
    assert parse_json_results(render(result, "json")) == result


def graph_result() -> QueryResult:
    graph = Graph()
    graph.add((KGR.xiaomi, KG.founder, KGR["lei-jun"]))
    graph.add((KGR["lei-jun"], URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Lei Jun", lang="en")))
    return QueryResult("graph", graph=graph)


@pytest.mark.parametrize(("name", "rdflib_format"), [("turtle", "turtle"), ("ntriples", "nt"), ("rdfxml", "xml")])
def test_graphs_in_rdf_formats_read_back_the_same(name: str, rdflib_format: str) -> None:
    result = graph_result()
    data = render(result, name)
    assert isomorphic(Graph().parse(data=data, format=rdflib_format), result.graph)
    assert render(graph_result(), name) == data


def test_a_format_that_does_not_fit_the_query_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--format csv is for SELECT and ASK; this query returns a graph"):
        render(graph_result(), "csv")
    with pytest.raises(UsageError, match="--format turtle is for graphs; this query returns select results"):
        render(RESULT, "turtle")


def test_parse_json_results_refuses_other_json() -> None:
    with pytest.raises(InputError, match=r"golden\.srj: not SPARQL results JSON"):
        parse_json_results(b'{"head": {"vars": ["x"]}}', "golden.srj")
    with pytest.raises(InputError, match="not SPARQL results JSON"):
        parse_json_results(b"[1, 2", "x")
    typed = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "a",'
    typed += b' "datatype": "http://www.w3.org/2001/XMLSchema#string"}}]}}'
    assert parse_json_results(typed).rows == ((Literal("a"),),)
