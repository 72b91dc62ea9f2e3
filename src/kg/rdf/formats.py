"""The RDF serialisations kg reads and writes, in one table that parsers, exporters and the CLI share."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import UsageError

if TYPE_CHECKING:
    import pyoxigraph


@dataclass(frozen=True)
class RdfFormat:
    """One serialisation: kg's name for it, its file extensions, rdflib's name and its media type."""

    name: str
    extensions: tuple[str, ...]
    rdflib_name: str
    media_type: str
    holds_named_graphs: bool = False

    @property
    def oxigraph(self) -> pyoxigraph.RdfFormat:
        """The same format as pyoxigraph names it, for its parsers and serializers."""
        import pyoxigraph  # imported here: kg.rdf.formats is read by commands that never parse

        found = pyoxigraph.RdfFormat.from_media_type(self.media_type)
        if found is None:
            raise LookupError(f"pyoxigraph knows no format for {self.media_type}")
        return found


RDF_FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("turtle", (".ttl",), "turtle", "text/turtle"),
        RdfFormat("ntriples", (".nt",), "nt", "application/n-triples"),
        RdfFormat("nquads", (".nq",), "nquads", "application/n-quads", holds_named_graphs=True),
        RdfFormat("trig", (".trig",), "trig", "application/trig", holds_named_graphs=True),
        RdfFormat("jsonld", (".jsonld", ".json"), "json-ld", "application/ld+json", holds_named_graphs=True),
        RdfFormat("rdfxml", (".rdf", ".owl", ".xml"), "xml", "application/rdf+xml"),
    )
}

# RDF 1.2, statements as reifiers of triple terms (kg.rdf.rdf12): written by Oxigraph, since rdflib reads no
# triple terms, and only when asked for by name; a .ttl or .trig file is read and written as RDF 1.1.
RDF12_FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("turtle12", (), "", "text/turtle"),
        RdfFormat("trig12", (), "", "application/trig", holds_named_graphs=True),
    )
}


def rdf_format_for_path(path: Path) -> RdfFormat:
    """The format a file's extension names; an unknown extension is a usage error."""
    suffix = path.suffix.lower()
    for fmt in RDF_FORMATS.values():
        if suffix in fmt.extensions:
            return fmt
    known = ", ".join(ext for f in RDF_FORMATS.values() for ext in f.extensions)
    raise UsageError(f"{path}: cannot tell the RDF format from the extension {suffix!r} (known: {known})")


def jsonld_remote_references(document: Any) -> list[str]:
    """Every ``@context`` or ``@import`` in a JSON-LD document that names another document.

    rdflib's JSON-LD parser fetches such a context on every parse (over the network, or from a file),
    so a reader that must stay offline refuses a document for which this list is not empty.
    """
    found: list[str] = []
    if isinstance(document, dict):
        for key, value in document.items():
            if key == "@context" and isinstance(value, list):
                found += [json.dumps(item) for item in value if not isinstance(item, dict | type(None))]
            elif key in ("@context", "@import") and not isinstance(value, dict | type(None)):
                found.append(json.dumps(value))
            found += jsonld_remote_references(value)
    elif isinstance(document, list):
        for item in document:
            found += jsonld_remote_references(item)
    return found
