"""What a reader needs beside a validation result: the focus node's label and the file it came from."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import IdentifiedNode, Node

from kg.rdf.load import LoadedGraph
from kg.rdf.namespaces import KG
from kg.validate.report import Severity, ValidationResult, compact

LABELS = (RDFS.label, SKOS.prefLabel, DCTERMS.title)  # a node's own label: the first of these it has


class Describer:
    """Fills in what a reader needs beside a result: the focus node's label and the file it came from."""

    def __init__(self, loaded: LoadedGraph, root: Path) -> None:
        self.loaded = loaded
        self.graph = loaded.graph
        self.root = root.resolve()

    def result(
        self,
        severity: Severity,
        focus: Node,
        message: str,
        component: URIRef,
        *,
        source_shape: Node | None = None,
        path: Node | None = None,
        value: Node | None = None,
        path_triples: tuple[tuple[Node, Node, Node], ...] = (),
    ) -> ValidationResult:
        return ValidationResult(
            severity,
            focus,
            message,
            component,
            source_shape=source_shape,
            path=path,
            value=value,
            path_triples=path_triples,
            focus_label=self.label(focus),
            data_file=self.file_of(focus),
        )

    def comes_from(self, node: Node, files: set[Path]) -> bool:
        origin = self.loaded.origin_of(node) if isinstance(node, IdentifiedNode) else None
        return origin is not None and origin.resolve() in files

    def file_of(self, node: Node) -> str | None:
        path = self.loaded.origin_of(node) if isinstance(node, IdentifiedNode) else None
        if path is None:
            return None
        resolved = path.resolve()
        for base in (self.root, Path.cwd().resolve()):
            if resolved.is_relative_to(base):
                return resolved.relative_to(base).as_posix()
        return resolved.as_posix()

    def label(self, node: Node) -> str | None:
        """The node's own label, or for a statement without one: its subject, predicate and object."""
        if not isinstance(node, IdentifiedNode):
            return None
        own = self.own_label(node)
        if own is not None or (node, KG.subject, None) not in self.graph:
            return own
        parts = [self.first(node, p) for p in (KG.subject, KG.predicate)]
        parts.append(self.first(node, KG.object) or self.first(node, KG.value))
        return " / ".join(self.term_label(p) for p in parts if p is not None)

    def first(self, node: Node, prop: URIRef) -> Node | None:
        """The first of the node's values for ``prop`` in a fixed order (IRIs and blank nodes, then literals, each
        by text), so that a statement with two objects is described the same way whatever the graph's order."""
        values = sorted(self.graph.objects(node, prop), key=lambda v: (isinstance(v, Literal), str(v)))
        return values[0] if values else None

    def own_label(self, node: Node) -> str | None:
        for prop in LABELS:
            labels = sorted(self.graph.objects(node, prop), key=lambda v: (getattr(v, "language", None) != "en", v))
            if labels:
                return str(labels[0])
        return None

    def term_label(self, node: Node) -> str:
        return str(node) if isinstance(node, Literal) else self.own_label(node) or compact(node)
