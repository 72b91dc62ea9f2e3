"""Inferred triples in an export, marked as such: the named graph kgg:inferred where the format has graphs,
else a block of their own after a comment that says so. Formats that can do neither refuse them."""

from __future__ import annotations

import json
from typing import Any

from rdflib import Dataset, Graph

from kg.errors import UsageError
from kg.rdf.write import serialize, serialize_dataset

INFERRED_GRAPH = "https://w3id.org/kg/graph/inferred"
# Formats that can say which triples are inferred: in the kgg:inferred graph, or in a block after a comment.
MARKED_FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld")


def check_marked(format_name: str) -> None:
    if format_name not in MARKED_FORMATS:
        raise UsageError(f"--reason cannot mark inferred triples in {format_name}: use {', '.join(MARKED_FORMATS)}")


def with_inferred(asserted: bytes, inferred: Graph, format_name: str, profile: str) -> bytes:
    """``asserted`` (an export) followed by ``inferred``: in the graph kgg:inferred where the format has graphs,
    else as a block of their own after a comment that says so."""
    note = f"# Inferred by kg --reason {profile}; in N-Quads, TriG and JSON-LD they are the graph <{INFERRED_GRAPH}>.\n"
    from rdflib import URIRef

    dataset = Dataset()
    for name, namespace in inferred.namespaces():
        dataset.bind(name, namespace)
    named = dataset.graph(URIRef(INFERRED_GRAPH))
    for triple in inferred:
        named.add(triple)
    if format_name in ("turtle", "ntriples"):
        return asserted + b"\n" + note.encode("utf-8") + serialize(inferred, format_name)
    if format_name in ("nquads", "trig"):
        return asserted + b"\n" + note.encode("utf-8") + serialize_dataset(dataset, format_name)
    document = json.loads(asserted)
    extra = json.loads(serialize_dataset(dataset, "jsonld", context=document["@context"]))
    document["@graph"] = sorted([*graphs_of(document), *graphs_of(extra)], key=graph_id)
    for key in [k for k in document if k not in ("@context", "@graph")]:
        del document[key]
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def graphs_of(document: dict[str, Any]) -> list[Any]:
    """The top-level graph objects of a JSON-LD document, whether it holds one or several."""
    if "@graph" in document and not any(k in document for k in ("id", "@id")):
        return list(document["@graph"])
    return [{k: v for k, v in document.items() if k != "@context"}] if len(document) > 1 else []


def graph_id(graph: object) -> str:
    if isinstance(graph, dict):
        return str(graph.get("id", graph.get("@id", "")))
    return ""
