"""Lexical forms that every writer must get right: numbers beyond a double's range, and text XML cannot hold.

rdflib reads ``"1e999999"^^xsd:double`` as the float infinity and writes it back as Python spells it,
``inf``, which is no xsd:double (its lexical space has ``INF``, ``-INF`` and ``NaN``); its Turtle writer
spells it ``INF``. Every kg writer uses the XML Schema spelling, so the same value reads the same in every
format. XML 1.0 has no way to write most C0 controls nor U+FFFE and U+FFFF, not even as references: an
XML output refuses text holding one (exit 3), the same way in RDF/XML, GraphML and GEXF.
"""

from __future__ import annotations

import math
import re
from typing import Any

from rdflib import XSD, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.errors import InputError

FLOATING_TYPES = (XSD.double, XSD.float)
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A non-finite number as rdflib's N-Triples writer spells it, and its spelling in XML Schema.
PYTHON_NON_FINITE = re.compile(r'"(-?inf|nan)"(\^\^<http://www\.w3\.org/2001/XMLSchema#(?:double|float)>)')
SCHEMA_SPELLING = {"inf": "INF", "-inf": "-INF", "nan": "NaN"}


def lexical_form(literal: Literal) -> str:
    """The literal's lexical form, with a non-finite xsd:double or xsd:float spelt as XML Schema spells it."""
    value = literal.value
    if literal.datatype in FLOATING_TYPES and isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else "INF" if value > 0 else "-INF"
    return str(literal)


def schema_numbers_in_line(line: str) -> str:
    """An N-Triples or N-Quads line from rdflib with its non-finite numbers spelt as XML Schema spells them."""
    return PYTHON_NON_FINITE.sub(lambda m: f'"{SCHEMA_SPELLING[m.group(1)]}"{m.group(2)}', line)


def refuse_outside_xml(text: str, what: str) -> None:
    """Refuse ``text`` that XML 1.0 cannot hold; ``what`` says what it is and where it was to go."""
    if NOT_IN_XML.search(text):
        raise InputError(f"cannot write {what}: XML 1.0 has no such characters")


# rdflib's JSON-LD writer makes every xsd:double a JSON number, and JSON has none for infinity: it wrote
# null. A non-finite number goes through it under a marked datatype, which it keeps as text, and the
# mark is taken off the JSON it wrote.
NON_FINITE_MARK = "-x-kg-non-finite"


def is_non_finite(term: object) -> bool:
    return isinstance(term, Literal) and term.datatype in FLOATING_TYPES and lexical_form(term) != str(term)


def non_finite_marked(dataset: Dataset) -> Dataset:
    """``dataset`` itself, or if it holds a non-finite number a copy where such numbers carry a marked type."""
    if not any(is_non_finite(o) for _, _, o, _ in dataset.quads((None, None, None, None))):
        return dataset
    marked = Dataset()
    for prefix, namespace in dataset.namespaces():
        marked.bind(prefix, namespace, override=True, replace=True)
    for s, p, o, graph in dataset.quads((None, None, None, None)):
        if is_non_finite(o):
            assert isinstance(o, Literal)
            o = Literal(lexical_form(o), datatype=URIRef(f"{o.datatype}{NON_FINITE_MARK}"))
        name = graph.identifier if isinstance(graph, Graph) else graph
        marked.add((s, p, o, marked.graph(name)) if name != DATASET_DEFAULT_GRAPH_ID else (s, p, o))
    return marked


def unmarked(value: Any, type_keys: tuple[str, ...]) -> Any:
    """The JSON rdflib wrote, the mark of non_finite_marked taken off every ``@type`` (or its alias)."""
    if isinstance(value, dict):
        return {
            key: item.removesuffix(NON_FINITE_MARK)
            if key in type_keys and isinstance(item, str)
            else unmarked(item, type_keys)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [unmarked(item, type_keys) for item in value]
    return value
