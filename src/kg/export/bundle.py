"""Everything ``kg export`` and ``dist/`` hold: the graph in every format, its description, a README.

``prepare_exports`` does the shared work once (the named-graph split, the VoID description, the JSON-LD
context, the network); ``Exports.render`` turns it into one format's bytes; ``build_bundle`` (or
``bundle_files``, from exports already prepared) gives the bytes of every file that dist/ gets from this
module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import Dataset, Graph

from kg.errors import InputError, UsageError
from kg.export.network_formats import NETWORK_FORMATS
from kg.export.split import (
    VOID_GRAPH,
    add_description,
    source_graph_name,
    split_into_named_graphs,
)
from kg.export.void import Distribution, Subset, describe_dataset
from kg.project import Project
from kg.rdf.formats import RDF_FORMATS, jsonld_remote_references
from kg.rdf.load import LoadedGraph
from kg.rdf.namespaces import KG
from kg.rdf.write import (
    JsonLdContext,
    canonical_dataset,
    named_graphs,
    serialize,
    union_graph,
    write_dataset,
    write_graph,
)
from kg.view.network import Network, build_network

README_FILE = "README.md"
VOID_FILE = "void.ttl"
VIEW_FILE = "graph.html"
REPORT_FILE = "validation-report.ttl"


@dataclass(frozen=True)
class BundleFile:
    name: str
    format_name: str
    media_type: str
    purpose: str


BUNDLE_FILES: tuple[BundleFile, ...] = (
    BundleFile("graph.ttl", "turtle", "text/turtle", "the whole graph in Turtle, for reading and for most RDF tools"),
    BundleFile("graph.nt", "ntriples", "application/n-triples", "the whole graph, one triple a line, sorted"),
    BundleFile("graph.nq", "nquads", "application/n-quads", "the named graphs, one quad a line, for stores"),
    BundleFile("graph.trig", "trig", "application/trig", "the named graphs in TriG, for stores and reading"),
    BundleFile("graph.jsonld", "jsonld", "application/ld+json", "the named graphs in JSON-LD, context embedded"),
    BundleFile("graph.rdf", "rdfxml", "application/rdf+xml", "the whole graph in RDF/XML, for Protégé and OWL tools"),
    BundleFile("graph.graphml", "graphml", "application/graphml+xml", "the entity network in GraphML (yEd, Gephi)"),
    BundleFile("graph.gexf", "gexf", "application/gexf+xml", "the entity network in GEXF (Gephi)"),
    BundleFile("nodes.csv", "csv-nodes", "text/csv", "the entity network's nodes, one entity a row"),
    BundleFile("edges.csv", "csv-edges", "text/csv", "the entity network's edges, one claim a row"),
)
# Files that ``kg build`` writes beside ours, from other steps; the README describes them too.
OTHER_FILES: tuple[tuple[str, str, str], ...] = (
    (VOID_FILE, "text/turtle", "the dataset's VoID/DCAT description alone (also inside every RDF file above)"),
    (REPORT_FILE, "text/turtle", "the SHACL validation report of this build (`kg validate`)"),
    (VIEW_FILE, "text/html", "the interactive network view; opens offline in a browser (`kg render`)"),
    (README_FILE, "text/markdown", "this file"),
)


def export_format_names() -> list[str]:
    """Every format ``kg export`` writes: the RDF formats of kg.rdf.formats, then the network formats."""
    return [*RDF_FORMATS, *NETWORK_FORMATS]


def format_for_output(path: Path | None, format_name: str | None) -> str:
    """The format asked for, else the one ``path``'s extension names, else Turtle."""
    if format_name is not None:
        if format_name not in export_format_names():
            raise UsageError(f"unknown format {format_name!r} (known: {', '.join(export_format_names())})")
        return format_name
    if path is None:
        return "turtle"
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raise UsageError(f"{path}: a .csv file holds one table: add --format csv-nodes or --format csv-edges")
    for name, fmt in [*RDF_FORMATS.items(), *NETWORK_FORMATS.items()]:
        if suffix in fmt.extensions:
            return name
    known = ", ".join(e for f in [*RDF_FORMATS.values(), *NETWORK_FORMATS.values()] for e in f.extensions)
    raise UsageError(f"{path}: cannot tell the format from the extension {suffix!r} (known: {known}); use --format")


@dataclass
class Exports:
    """The graph prepared once for every export format."""

    graph: Graph
    dataset: Dataset
    void: Graph
    context: JsonLdContext | None

    @cached_property
    def canonical(self) -> Dataset:
        # Blank nodes are labelled once, for the whole dataset, and every format writes from that.
        return canonical_dataset(self.dataset)

    @cached_property
    def union(self) -> Graph:
        return union_graph(self.canonical)

    @cached_property
    def network(self) -> Network:
        return build_network(self.graph)

    def render(self, format_name: str) -> bytes:
        format_name = format_for_output(None, format_name)
        if format_name in NETWORK_FORMATS:
            return NETWORK_FORMATS[format_name].write(self.network)
        if RDF_FORMATS[format_name].holds_named_graphs:
            return write_dataset(self.canonical, format_name, context=self.context)
        return write_graph(self.union, format_name)


def prepare_exports(loaded: LoadedGraph, project: Project) -> Exports:
    """Split the graph into named graphs, describe it, and add the description to the dataset."""
    dataset = split_into_named_graphs(loaded, project.ontology_files())
    void = describe_dataset(loaded.graph, subsets(loaded.graph, dataset), distributions())
    add_description(dataset, void)
    return Exports(loaded.graph, dataset, void, load_context(project.context_file))


def subsets(graph: Graph, dataset: Dataset) -> list[Subset]:
    sources = {source_graph_name(s): s for s in graph.objects(None, KG.source)}
    found = [g for g in named_graphs(dataset) if g.identifier != VOID_GRAPH]
    return [Subset(g.identifier, len(g), sources.get(g.identifier)) for g in found]


def distributions() -> list[Distribution]:
    described = [(f.name, f.media_type, f.purpose) for f in BUNDLE_FILES] + [
        f for f in OTHER_FILES if f[0] == VOID_FILE
    ]
    return [Distribution(name, media_type, purpose) for name, media_type, purpose in described]


def build_bundle(loaded: LoadedGraph, project: Project) -> dict[str, bytes]:
    """The bytes of every file this module puts into dist/, by file name."""
    return bundle_files(prepare_exports(loaded, project))


def bundle_files(exports: Exports) -> dict[str, bytes]:
    """The bytes of every file this module puts into dist/, by file name, from exports already prepared."""
    files = {f.name: exports.render(f.format_name) for f in BUNDLE_FILES}
    files[VOID_FILE] = serialize(exports.void, "turtle")
    files[README_FILE] = bundle_readme(exports)
    return files


def load_context(path: Path) -> JsonLdContext | None:
    """The JSON-LD context object in ``path`` (None if there is no such file); it must be wholly local."""
    if not path.is_file():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", path=str(path), line=exc.lineno, column=exc.colno) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", path=str(path)) from exc
    context = document.get("@context") if isinstance(document, dict) else None
    if not isinstance(context, dict):
        raise InputError('expected an object {"@context": {...}}', path=str(path))
    remote = jsonld_remote_references(context)
    if remote:
        raise InputError(
            f"the context refers to another document ({remote[0]}); a reader would fetch it", path=str(path)
        )
    return context


def bundle_readme(exports: Exports) -> bytes:
    """dist/README.md: what each file holds and what it is for; the same graph gives the same text."""
    lines = [
        "# kg: the built graph",
        "",
        f"Built by `kg build` from the project's ontology, sources and curated data: {len(exports.graph)} triples "
        f"(plus {len(exports.void)} describing the dataset), {len(exports.network.nodes)} entities and "
        f"{len(exports.network.edges)} claims between them. The same input always gives the same bytes.",
        "",
        "| file | what it holds |",
        "| --- | --- |",
    ]
    lines += [f"| `{f.name}` | {f.purpose} |" for f in BUNDLE_FILES]
    lines += [f"| `{name}` | {purpose} |" for name, _, purpose in OTHER_FILES]
    lines += ["", "## Named graphs", "", "`graph.nq`, `graph.trig` and `graph.jsonld` keep these apart:", ""]
    lines += [f"- `{g.identifier}`: {len(g)} triples" for g in named_graphs(exports.dataset)]
    lines += [
        "",
        "A source's graph holds its statements and the direct edges they back, so replacing or dropping that",
        "graph in a store replaces or drops exactly what the source contributed.",
        "",
        "## Loading",
        "",
        "```bash",
        "oxigraph load --location store --file graph.nq      # Oxigraph",
        "tdb2.tdbloader --loc DB graph.nq                     # Jena TDB2, then: fuseki-server --loc DB /kg",
        "```",
        "",
        "The network files (`graph.graphml`, `graph.gexf`, `nodes.csv`, `edges.csv`) open in Gephi, yEd or networkx.",
        "See docs/export.md in the project for every format, the named graphs and the JSON-LD context.",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
