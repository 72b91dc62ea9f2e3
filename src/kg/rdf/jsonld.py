"""JSON-LD as kg writes it: the project's context embedded, never linked; nodes, keys and arrays sorted.

``load_context`` reads the project's context file (ontology/context.jsonld), refusing one that refers to
another document, which a reader would fetch; ``jsonld`` writes a canonical dataset (kg.rdf.write) with it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import Dataset

from kg.errors import InputError
from kg.rdf.formats import jsonld_remote_references
from kg.rdf.lexical import non_finite_marked, unmarked
from kg.rdf.load import read_text_input

JsonLdContext = dict[str, Any]


def load_context(path: Path) -> JsonLdContext | None:
    """The JSON-LD context object in ``path`` (None if there is no such file); it must be wholly local."""
    if not path.exists():
        return None
    text = read_text_input(path)  # a regular file within the size limit, as every file kg reads
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", path=str(path), line=exc.lineno, column=exc.colno) from exc
    context = document.get("@context") if isinstance(document, dict) else None
    if not isinstance(context, dict):
        raise InputError('expected an object {"@context": {...}}', path=str(path))
    remote = jsonld_remote_references(context)
    if remote:
        raise InputError(
            f"the context refers to another document ({remote[0]}); a reader would fetch it", path=str(path)
        )
    return context


def jsonld(dataset: Dataset, context: JsonLdContext) -> bytes:
    """JSON-LD that embeds ``context`` (never a link to one), nodes sorted by id, keys and arrays sorted."""
    try:
        text = non_finite_marked(dataset).serialize(
            format="json-ld", context=context, auto_compact=True, encoding="utf-8"
        )
    except RecursionError:  # rdflib's writer recurses once per level of blank nodes
        raise InputError("cannot write JSON-LD: blank nodes nest too deep for rdflib's writer") from None
    type_keys = ("@type", *sorted(k for k, v in context.items() if v == "@type"))
    body = unmarked(json.loads(text), type_keys)
    body.pop("@context", None)
    id_keys = ("@id", *sorted(k for k, v in context.items() if v == "@id"))
    first_keys = (*id_keys, *type_keys)
    # The context keeps its own order (as in ontology/context.jsonld); in everything else the id and
    # type come first, then the other keys in order, and arrays are sorted.
    document = {"@context": context, **sort_json(body, id_keys, first_keys)}
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def sort_json(value: Any, id_keys: tuple[str, ...], first_keys: tuple[str, ...], key: str | None = None) -> Any:
    """Keys in order (``first_keys`` first), arrays sorted (nodes by id) except @list arrays, whose order is data."""
    if isinstance(value, dict):
        order = sorted(value, key=lambda k: (first_keys.index(k) if k in first_keys else len(first_keys), k))
        return {k: sort_json(value[k], id_keys, first_keys, k) for k in order}
    if isinstance(value, list):
        items = [sort_json(item, id_keys, first_keys) for item in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda item: (node_id(item, id_keys), json.dumps(item, sort_keys=True)))
    return value


def node_id(item: Any, id_keys: tuple[str, ...]) -> str:
    if isinstance(item, dict):
        for key in id_keys:
            value = item.get(key)
            if isinstance(value, str):
                return value
    return ""


def prefix_context(dataset: Dataset) -> JsonLdContext:
    """A context of the dataset's prefixes alone, for JSON-LD written without the project's context."""
    return {prefix: str(ns) for prefix, ns in sorted(dataset.namespaces()) if prefix and prefix != "xml"}
