"""Query results as text and bytes: a table for people, and the W3C SPARQL 1.1 results formats for tools.

SELECT and ASK answers are written as a table, CSV, TSV, JSON or XML (the last four as the W3C
specifications define them); CONSTRUCT and DESCRIBE answers in the RDF formats of kg.rdf.formats.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import UsageError, printable
from kg.query.engines import QueryResult
from kg.query.json_answers import parse_json_results as parse_json_results  # read back where kg wrote it
from kg.rdf.formats import RDF_FORMATS

RESULTS_NAMESPACE = "http://www.w3.org/2005/sparql-results#"
TABLE_CELL_LIMIT = 80
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SIMPLE_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_](?:[\w.-]*[\w-])?$")


def format_result(result: QueryResult, format_name: str, prefixes: Mapping[str, str]) -> bytes:
    """``result`` in ``format_name``; a format that does not fit the kind of query is a UsageError."""
    if result.kind == "graph":
        if format_name not in RDF_FORMATS:
            raise UsageError(
                f"--format {format_name} is for SELECT and ASK; this query returns a graph ({graph_formats()})"
            )
        assert result.graph is not None
        return serialize_graph(result, format_name)
    if format_name not in ANSWER_FORMATS:
        raise UsageError(
            f"--format {format_name} is for graphs; this query returns {result.kind} results ({answer_formats()})"
        )
    return ANSWER_FORMATS[format_name](result, prefixes).encode("utf-8")


def serialize_graph(result: QueryResult, format_name: str) -> bytes:
    from kg.rdf.write import serialize  # imported here: the exporters cost start-up time that SELECT never needs

    assert result.graph is not None
    return serialize(result.graph, format_name)


def table(result: QueryResult, prefixes: Mapping[str, str]) -> str:
    """Aligned columns for reading on a terminal: prefixed names, plain text, long cells cut short."""
    if result.kind == "ask":
        return "yes\n" if result.boolean else "no\n"
    header = [printable(str(name), one_line=True) for name in result.variables]  # a server names them
    cells = [[table_cell(term, prefixes) for term in row] for row in result.rows]
    widths = [max([display_width(h), *(display_width(r[i]) for r in cells)]) for i, h in enumerate(header)]
    lines = [align(header, widths), align(["-" * w for w in widths], widths)]
    lines += [align(row, widths) for row in cells]
    count = len(result.rows)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(lines) + "\n"


def align(cells: list[str], widths: list[int]) -> str:
    padded = [cell + " " * (width - display_width(cell)) for cell, width in zip(cells, widths, strict=True)]
    return "  ".join(padded).rstrip()


def table_cell(term: Node | None, prefixes: Mapping[str, str]) -> str:
    if term is None:
        return ""
    text = compact(term, prefixes) if isinstance(term, URIRef) else term.n3() if isinstance(term, BNode) else str(term)
    text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    if display_width(text) > TABLE_CELL_LIMIT:
        text = within_width(text, TABLE_CELL_LIMIT - 1) + "…"
    return text


def within_width(text: str, width: int) -> str:
    """The longest start of ``text`` that takes at most ``width`` columns on a terminal."""
    used = 0
    for end, ch in enumerate(text):
        used += char_width(ch)
        if used > width:
            return text[:end]
    return text


def compact(iri: URIRef, prefixes: Mapping[str, str]) -> str:
    """``kgr:xiaomi`` for an IRI in a known namespace (the longest that fits), else ``<iri>``."""
    text = str(iri)
    for prefix, namespace in sorted(prefixes.items(), key=lambda item: -len(item[1])):
        local = text[len(namespace) :]
        if text.startswith(namespace) and (local == "" or SIMPLE_LOCAL_NAME.match(local)):
            return f"{prefix}:{local}"
    return f"<{text}>"


def display_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def char_width(ch: str) -> int:
    """Columns a character takes on a terminal: two for wide East Asian ones, none for combining marks."""
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1


def select_csv(result: QueryResult, prefixes: Mapping[str, str]) -> str:
    """W3C SPARQL 1.1 CSV: IRIs and literals as bare text, unbound as empty, lines ending CRLF."""
    if result.kind == "ask":
        return "yes\r\n" if result.boolean else "no\r\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else t.n3() if isinstance(t, BNode) else str(t) for t in row])
    return out.getvalue()


def select_tsv(result: QueryResult, prefixes: Mapping[str, str]) -> str:
    """W3C SPARQL 1.1 TSV: a ``?name`` header, then each term in SPARQL syntax, unbound as empty."""
    if result.kind == "ask":
        return "yes\n" if result.boolean else "no\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else sparql_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def sparql_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return term.n3()
    assert isinstance(term, Literal)
    text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    text = text.replace("\t", "\\t")
    if term.language:
        return f'"{text}"@{term.language}'
    return f'"{text}"^^<{term.datatype}>' if term.datatype else f'"{text}"'


def results_json(result: QueryResult, prefixes: Mapping[str, str] | None = None) -> str:
    """W3C SPARQL 1.1 Query Results JSON."""
    if result.kind == "ask":
        document: dict[str, object] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {name: json_term(term) for name, term in zip(result.variables, row, strict=True) if term is not None}
            for row in result.rows
        ]
        document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    if term.language:
        return {"type": "literal", "value": str(term), "xml:lang": term.language}
    if term.datatype:
        return {"type": "literal", "value": str(term), "datatype": str(term.datatype)}
    return {"type": "literal", "value": str(term)}


def results_xml(result: QueryResult, prefixes: Mapping[str, str] | None = None) -> str:
    """W3C SPARQL Query Results XML."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sparql xmlns="{RESULTS_NAMESPACE}">', "  <head>"]
    if result.kind == "ask":
        lines += ["  </head>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(lines) + "\n"
    lines += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
    lines += ["  </head>", "  <results>"]
    for row in result.rows:
        lines.append("    <result>")
        for name, term in zip(result.variables, row, strict=True):
            if term is not None:
                lines.append(f"      <binding name={quoteattr(name)}>{xml_term(term)}</binding>")
        lines.append("    </result>")
    lines += ["  </results>", "</sparql>"]
    return "\n".join(lines) + "\n"


def xml_term(term: Node) -> str:
    if XML_FORBIDDEN.search(str(term)):
        raise UsageError(f"a value holds a character XML 1.0 cannot carry: {str(term)[:40]!r}; use --format json")
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
    if term.datatype:
        return f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


ANSWER_FORMATS: dict[str, Callable[[QueryResult, Mapping[str, str]], str]] = {
    "table": table,
    "csv": select_csv,
    "tsv": select_tsv,
    "json": results_json,
    "xml": results_xml,
}
FORMAT_NAMES = (*ANSWER_FORMATS, *RDF_FORMATS)


def answer_formats() -> str:
    return ", ".join(ANSWER_FORMATS)


def graph_formats() -> str:
    return ", ".join(RDF_FORMATS)
