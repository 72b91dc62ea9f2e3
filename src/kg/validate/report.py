"""Validation results and the three ways kg validate writes them: plain text, Turtle and JSON-LD.

The Turtle and JSON forms are a W3C ``sh:ValidationReport``. Results of the violation queries and the evidence
check appear beside the SHACL ones. ``sh:conforms`` is what the SHACL specification says, true only when there is no
result at all (an ``sh:Info`` included), so that other SHACL engines agree with it; kg's own verdict at the
``--fail-on`` threshold, which the exit code follows, is ``kgsh:passes``, with the threshold as ``kgsh:failOn``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.errors import printable
from kg.rdf.namespaces import PREFIXES, STANDARD_PREFIXES
from kg.rdf.write import serialize

KGSH = Namespace("https://w3id.org/kg/shapes#")

# The prefixes that reports use to shorten IRIs; fixed, so that reports do not depend on the data files.
REPORT_PREFIXES: dict[str, str] = {
    **{name: str(ns) for name, ns in PREFIXES.items()},
    "kgsh": str(KGSH),
    "sh": str(SH),
    **STANDARD_PREFIXES,
}


TURTLE_SHORT_FORMS = {
    XSD.integer: re.compile(r"[+-]?[0-9]+"),
    XSD.decimal: re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD.boolean: re.compile(r"true|false"),
}


class Severity(IntEnum):
    """SHACL's three severities, ordered so that ``--fail-on`` can compare them."""

    INFO = 1
    WARNING = 2
    VIOLATION = 3

    @property
    def iri(self) -> URIRef:
        return SH[self.name.capitalize()]

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def from_iri(cls, iri: Node | None) -> Severity:
        """The severity an ``sh:resultSeverity`` names; anything unknown counts as a violation, as SHACL says."""
        for severity in cls:
            if iri == severity.iri:
                return severity
        return cls.VIOLATION

    @classmethod
    def from_label(cls, label: str) -> Severity:
        return cls[label.upper()]


@dataclass(frozen=True)
class ValidationResult:
    """One problem: where it is (focus node, path, file), what it is (message, value) and which rule found it."""

    severity: Severity
    focus_node: Node
    message: str
    component: URIRef
    source_shape: Node | None = None
    path: Node | None = None
    value: Node | None = None
    focus_label: str | None = None
    data_file: str | None = None
    # The triples describing a complex (blank node) sh:resultPath, so that the report can repeat them.
    path_triples: tuple[tuple[Node, Node, Node], ...] = field(default=(), compare=False)

    def sort_key(self) -> tuple[Any, ...]:
        return (
            -self.severity,
            self.data_file is None,
            self.data_file or "",
            node_key(self.focus_node),
            node_key(self.path),
            str(self.component),
            node_key(self.source_shape),
            self.message,
            node_key(self.value),
        )


def node_key(node: Node | None) -> str:
    """A sort key that does not depend on blank node labels, which change from one parse to the next."""
    if node is None:
        return ""
    return "_:" if isinstance(node, BNode) else f"{type(node).__name__}:{node}"


def compact(node: Node | None) -> str:
    """A short, readable form of a term: a prefixed name where one fits, Turtle syntax otherwise."""
    if node is None:
        return "(none)"
    if isinstance(node, BNode):
        return "[]"
    if isinstance(node, URIRef):
        text = str(node)
        for prefix, namespace in REPORT_PREFIXES.items():
            local = text[len(namespace) :]
            if text.startswith(namespace) and local and all(c.isalnum() or c in "-_." for c in local):
                return f"{prefix}:{local}"
        return f"<{text}>"
    if isinstance(node, Literal):
        if node.language or node.datatype in (None, XSD.string):
            return node.n3()
        if node.datatype in TURTLE_SHORT_FORMS and TURTLE_SHORT_FORMS[node.datatype].fullmatch(str(node)):
            return str(node)  # 50000, 4.5, true: as Turtle writes them
        return f"{Literal(str(node)).n3()}^^{compact(node.datatype)}"
    return str(node)


@dataclass
class ValidationReport:
    """All results of one validation, sorted: violations first, then by file, focus node and rule."""

    results: list[ValidationResult]

    def __post_init__(self) -> None:
        self.results = sorted(self.results, key=ValidationResult.sort_key)

    def at_or_above(self, threshold: Severity) -> list[ValidationResult]:
        return [r for r in self.results if r.severity >= threshold]

    def conforms(self, threshold: Severity = Severity.VIOLATION) -> bool:
        """True unless some result is at least as severe as ``threshold`` (``--fail-on``)."""
        return not self.at_or_above(threshold)

    def counts(self) -> dict[Severity, int]:
        return {s: sum(1 for r in self.results if r.severity is s) for s in sorted(Severity, reverse=True)}

    def summary(self, threshold: Severity = Severity.VIOLATION) -> str:
        counts = ", ".join(f"{n} {s.label}{'' if n == 1 else 's'}" for s, n in self.counts().items())
        if self.conforms(threshold):
            return f"conforms: {counts}"
        return f"does not conform: {counts} (failing on {threshold.label} and above)"

    def render(self, format_name: str, threshold: Severity = Severity.VIOLATION) -> str:
        return REPORT_FORMATS[format_name](self, threshold)

    def to_text(self, threshold: Severity = Severity.VIOLATION) -> str:
        blocks = [text_block(r) for r in self.results]
        return "".join(f"{block}\n\n" for block in blocks) + self.summary(threshold) + "\n"

    def to_graph(self, threshold: Severity = Severity.VIOLATION) -> Graph:
        graph = Graph(bind_namespaces="core")
        for prefix, namespace in REPORT_PREFIXES.items():
            graph.bind(prefix, namespace)
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(not self.results)))
        graph.add((report, KGSH.passes, Literal(self.conforms(threshold))))
        graph.add((report, KGSH.failOn, threshold.iri))
        for result in self.results:
            node = BNode()
            graph.add((report, SH.result, node))
            for triple in result_triples(node, result):
                graph.add(triple)
        return graph

    def to_turtle(self, threshold: Severity = Severity.VIOLATION) -> str:
        return serialize(self.to_graph(threshold), "turtle").decode("utf-8")

    def to_json(self, threshold: Severity = Severity.VIOLATION) -> str:
        blank_ids: dict[BNode, str] = {}
        document = {
            "@context": JSON_CONTEXT,
            "@type": "sh:ValidationReport",
            "conforms": not self.results,
            "passes": self.conforms(threshold),
            "failOn": str(threshold.iri),
            "result": [json_result(r, blank_ids) for r in self.results],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def text_block(result: ValidationResult) -> str:
    """Three lines a reader can act on: where and how bad, what is wrong, which rule said so."""
    where = result.data_file or "(in no file)"
    label = f"{result.focus_label} " if result.focus_label else ""
    focus = f"<{result.focus_node}>" if isinstance(result.focus_node, URIRef) else compact(result.focus_node)
    details = []
    if result.path is not None:
        details.append(f"path {compact(result.path) if isinstance(result.path, URIRef) else 'a complex path'}")
    if result.value is not None and result.value != result.focus_node:
        details.append(f"value {compact(result.value)}")
    details.append(f"rule {compact(result.source_shape)} ({compact(result.component)})")
    # Labels, messages and values come from data: escaped, so that none can add lines or steer a terminal.
    lines = (f"{where}: {result.severity.label}: {label}{focus}", result.message, ", ".join(details))
    return "\n    ".join(printable(line, one_line=True) for line in lines)


def result_triples(node: BNode, result: ValidationResult) -> Iterable[tuple[Node, Node, Node]]:
    yield node, RDF.type, SH.ValidationResult
    yield node, SH.resultSeverity, result.severity.iri
    yield node, SH.focusNode, result.focus_node
    yield node, SH.resultMessage, Literal(result.message)
    yield node, SH.sourceConstraintComponent, result.component
    optional = (
        (SH.sourceShape, result.source_shape),
        (SH.resultPath, result.path),
        (SH.value, result.value),
        (KGSH.focusNodeLabel, Literal(result.focus_label) if result.focus_label else None),
        (KGSH.dataFile, Literal(result.data_file) if result.data_file else None),
    )
    for predicate, value in optional:
        if value is not None:
            yield node, predicate, value
    yield from result.path_triples


JSON_CONTEXT: dict[str, Any] = {
    "sh": str(SH),
    "kgsh": str(KGSH),
    "conforms": "sh:conforms",
    "passes": "kgsh:passes",
    "failOn": {"@id": "kgsh:failOn", "@type": "@id"},
    "result": {"@id": "sh:result", "@container": "@set"},
    "resultSeverity": {"@id": "sh:resultSeverity", "@type": "@id"},
    "focusNode": "sh:focusNode",
    "focusNodeLabel": "kgsh:focusNodeLabel",
    "dataFile": "kgsh:dataFile",
    "resultPath": "sh:resultPath",
    "value": "sh:value",
    "resultMessage": "sh:resultMessage",
    "sourceConstraintComponent": {"@id": "sh:sourceConstraintComponent", "@type": "@id"},
    "sourceShape": "sh:sourceShape",
}


def json_result(result: ValidationResult, blank_ids: dict[BNode, str]) -> dict[str, Any]:
    """One result as JSON-LD; terms are written out in full so that a script needs no context to read them."""
    out: dict[str, Any] = {
        "@type": "sh:ValidationResult",
        "resultSeverity": str(result.severity.iri),
        "focusNode": json_term(result.focus_node, blank_ids),
    }
    if result.focus_label:
        out["focusNodeLabel"] = result.focus_label
    if result.data_file:
        out["dataFile"] = result.data_file
    if isinstance(result.path, URIRef):
        out["resultPath"] = json_term(result.path, blank_ids)
    if result.value is not None:
        out["value"] = json_term(result.value, blank_ids)
    out["resultMessage"] = result.message
    out["sourceConstraintComponent"] = str(result.component)
    if result.source_shape is not None:
        out["sourceShape"] = json_term(result.source_shape, blank_ids)
    return out


def json_term(node: Node, blank_ids: dict[BNode, str]) -> dict[str, str]:
    if isinstance(node, BNode):
        return {"@id": blank_ids.setdefault(node, f"_:b{len(blank_ids)}")}
    if isinstance(node, Literal):
        term = {"@value": str(node)}
        if node.language:
            term["@language"] = node.language
        elif node.datatype is not None and node.datatype != XSD.string:
            term["@type"] = str(node.datatype)
        return term
    return {"@id": str(node)}


REPORT_FORMATS = {
    "text": ValidationReport.to_text,
    "turtle": ValidationReport.to_turtle,
    "json": ValidationReport.to_json,
}
