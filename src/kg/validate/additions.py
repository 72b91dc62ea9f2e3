"""What ``kg validate --changed`` adds to a checkpoint of the store besides the changed files.

The store was loaded before the files changed, so it may lack what a new source file needs to make sense:
the source's manifest entry and the entities it names. Those files are added as they are now (to the
union, not to the focus). The changed statements' direct edges are derived there as kg load derives them
(kg.rdf.direct), each statement judged by all the union says of it.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.project import Project
from kg.rdf.convert import add_to_graph, oxigraph_quads, to_oxigraph
from kg.rdf.direct import direct_edges
from kg.rdf.load import LoadedGraph, context_files, load_files
from kg.rdf.namespaces import KG


def project_context(project: Project, changed: list[Path]) -> Graph:
    """The project's manifest, entity files and ontology as they are now: a changed source file cites a
    source and names entities that the store, loaded before they were added, may not hold yet."""
    resolved = {path.resolve() for path in changed}
    return load_files([p for p in context_files(project) if p.resolve() not in resolved]).graph


def add_derived_edges(union: ox.Store, additions: LoadedGraph) -> None:
    """Add to the additions, and to the union, the direct edges that the statements the files add to or
    change imply (kg.rdf.direct), each statement judged by all the union says of it: a file may give a
    stored statement its object."""
    statement_terms = (KG.subject, KG.predicate, KG.object, KG.value, KG.status)
    changed = {s for p in statement_terms for s in additions.graph.subjects(p, None)}
    described = Graph()
    for statement in changed:
        term = to_oxigraph(statement)
        if not isinstance(term, ox.Literal):  # a subject never is; the check narrows the type
            add_to_graph(described, union.quads_for_pattern(term, None, None, ox.DefaultGraph()))
    edges = [edge for edge in direct_edges(described) if edge not in additions.graph]
    for edge in edges:
        additions.graph.add(edge)
    additions.derived.update(edges)
    union.extend(oxigraph_quads(edges))
