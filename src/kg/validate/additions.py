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
from rdflib.term import Node

from kg.project import Project
from kg.rdf.convert import add_to_graph, from_oxigraph, oxigraph_quads, to_oxigraph
from kg.rdf.direct import direct_edges, is_edge, statement_edges
from kg.rdf.load import LoadedGraph, context_files, load_files
from kg.rdf.namespaces import KG


def project_context(project: Project, changed: list[Path]) -> Graph:
    """The project's manifest, entity files and ontology as they are now: a changed source file cites a
    source and names entities that the store, loaded before they were added, may not hold yet."""
    resolved = {path.resolve() for path in changed}
    return load_files([p for p in context_files(project) if p.resolve() not in resolved]).graph


def add_derived_edges(union: ox.Store, additions: LoadedGraph) -> None:
    """Add to the additions, and to the union, the direct edges that the statements the files add to or
    change imply (kg.rdf.direct), each statement judged by all the union says of it and of its rivals (the
    statements with its subject and predicate, which a preferred rank outranks): a file may give a stored
    statement its object. The union is a scratch copy, so edges that a newly preferred rival takes away are
    removed from it."""
    statement_terms = (KG.subject, KG.predicate, KG.object, KG.value, KG.attribution, KG.likelihood, KG.rank)
    changed = {s for p in statement_terms for s in additions.graph.subjects(p, None)}
    described = Graph()
    for statement in changed:
        describe(described, union, statement)
    for statement in rivals(described, union):
        describe(described, union, statement)
    edges = [edge for edge in direct_edges(described) if edge not in additions.graph]
    for edge in edges:
        additions.graph.add(edge)
    additions.derived.update(edges)
    union.extend(oxigraph_quads(edges))
    admitted = set(direct_edges(described))
    for statement in set(described.subjects(KG.predicate, None)):
        for edge in statement_edges(described, statement):
            if edge not in admitted and is_edge(edge):
                union.remove(next(oxigraph_quads([edge])))


def describe(described: Graph, union: ox.Store, statement: Node) -> None:
    term = to_oxigraph(statement)
    if not isinstance(term, ox.Literal):  # a subject never is; the check narrows the type
        add_to_graph(described, union.quads_for_pattern(term, None, None, ox.DefaultGraph()))


def rivals(described: Graph, union: ox.Store) -> set[Node]:
    """The stored statements that share a subject and predicate with a described one."""
    found: set[Node] = set()
    for statement in set(described.subjects(KG.predicate, None)):
        for subject in described.objects(statement, KG.subject):
            for quad in union.quads_for_pattern(None, ox.NamedNode(str(KG.subject)), to_oxigraph(subject), None):
                found.add(from_oxigraph(quad.subject))
    return found - set(described.subjects(KG.predicate, None))
