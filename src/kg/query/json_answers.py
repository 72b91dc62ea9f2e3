"""Reading SPARQL 1.1 Query Results JSON, as a server answers or a golden file holds it, checked for shape.

A server's answer is input like any other: before use it is checked to be what the format promises (an
object with a JSON boolean, or with ``head.vars`` and ``results.bindings`` of term objects), and anything
else is an InputError (exit 3) that quotes what was sent. ``{"boolean": "false"}`` is no answer of yes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import InputError, shorten
from kg.query.engines import QueryResult

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def parse_json_results(data: bytes | str, source: str = "<results>") -> QueryResult:
    """Read W3C SPARQL 1.1 Query Results JSON back into a QueryResult (of kind select or ask).

    The document is checked against the shape the format promises first (results_document), so an
    answer of another shape is an InputError that says what was sent, never a wrong answer."""
    document = results_document(data, source)
    if "boolean" in document:
        return QueryResult("ask", boolean=document["boolean"])
    variables = tuple(document["head"]["vars"])
    try:
        rows = tuple(
            tuple(term_from_json(binding[v]) if v in binding else None for v in variables)
            for binding in document["results"]["bindings"]
        )
    except ValueError as exc:  # rdflib refuses some terms the shape allows (an IRI holding a space)
        raise InputError(f"not SPARQL results JSON: {exc}", path=source) from exc
    return QueryResult("select", variables, rows)


def results_document(data: bytes | str, source: str = "<results>") -> dict[str, Any]:
    """The parsed JSON document if it has the shape of SPARQL 1.1 Query Results JSON: an object with a
    JSON boolean ``boolean``, or with ``head.vars`` a list of names and ``results.bindings`` a list of
    objects whose values are term objects. An InputError that says what was sent otherwise."""
    try:
        document = json.loads(data)
    except ValueError as exc:  # UnicodeDecodeError included
        raise InputError(f"not SPARQL results JSON: not JSON at all ({exc})", path=source) from None
    problem = results_shape_problem(document)
    if problem is not None:
        raise InputError(f"not SPARQL results JSON: {problem}", path=source)
    return cast(dict[str, Any], document)


def results_shape_problem(document: object) -> str | None:
    """What is wrong with the shape of a results document, in words that quote what was sent; None if nothing."""
    if not isinstance(document, dict):
        return f"the answer is {sent(document)}, not an object"
    if "boolean" in document:
        value = document["boolean"]
        return None if isinstance(value, bool) else f'"boolean" is {sent(value)}, not true or false'
    head, results = document.get("head"), document.get("results")
    if not isinstance(head, dict) or not is_list_of(head.get("vars"), str):
        return f'"head" is {sent(head)}, not an object whose "vars" is a list of names'
    if not isinstance(results, dict) or not is_list_of(results.get("bindings"), dict):
        return f'"results" is {sent(results)}, not an object whose "bindings" is a list of objects'
    for number, binding in enumerate(results["bindings"], start=1):
        for name, term in binding.items():
            problem = term_shape_problem(term)
            if problem is not None:
                return f"row {number}, ?{name}: {problem}"
    return None


TERM_TYPES = frozenset({"uri", "bnode", "literal", "typed-literal"})


def term_shape_problem(term: object) -> str | None:
    if not isinstance(term, dict):
        return f"the term is {sent(term)}, not an object"
    if term.get("type") not in TERM_TYPES:
        return f'"type" is {sent(term.get("type"))}, not uri, bnode or literal'
    for key in ("value", "xml:lang", "datatype"):
        if (key == "value" or key in term) and not isinstance(term.get(key), str):
            return f'"{key}" is {sent(term.get(key))}, not a string'
    return None


def is_list_of(value: object, kind: type) -> bool:
    return isinstance(value, list) and all(isinstance(item, kind) for item in value)


def sent(value: object) -> str:
    """A JSON value as a message quotes it: its kind and its first characters."""
    kinds = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    kind = kinds.get(type(value), "a number")
    return "missing" if value is None else f"{kind} {shorten(json.dumps(value, ensure_ascii=True), 60)}"


def term_from_json(value: Mapping[str, str]) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):  # typed-literal: the 2008 JSON note's spelling
        datatype = value.get("datatype")
        if datatype == XSD_STRING:  # the same literal as a plain one in RDF 1.1; rdflib keeps them apart
            datatype = None
        return Literal(value["value"], lang=value.get("xml:lang"), datatype=URIRef(datatype) if datatype else None)
    raise ValueError(f"unknown term type {kind!r}")
