"""The OWL export (kg.export.owl): every literal inside the OWL 2 datatype map, and nothing lost on the way.

The reasoners' verdicts on it are in test_owl.py, which needs Java; these tests need only rdflib.
"""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, XSD
from rdflib.term import Node

from kg.errors import InputError
from kg.export.bundle import BundleExports
from kg.export.owl import OWL2_DATATYPES, RDF_DATATYPE, owl_export, owl_graph
from kg.project import Project
from support.cli import run_kg

EX = "https://example.org/"


def from_owl(owl: Graph) -> Graph:
    """The inverse of the OWL export, as docs/owl.md states it: each annotated literal back in its datatype,
    the annotations and their property's declaration dropped."""
    restore: dict[tuple[Node, Node, Node], Literal] = {}
    for axiom, datatype in owl.subject_objects(RDF_DATATYPE):
        source, prop, target = (
            owl.value(axiom, OWL[name]) for name in ("annotatedSource", "annotatedProperty", "annotatedTarget")
        )
        assert source is not None and prop is not None and isinstance(target, Literal)
        restore[(source, prop, target)] = Literal(str(target), datatype=datatype)
    axioms = set(owl.subjects(RDF_DATATYPE))
    graph = Graph()
    for s, p, o in owl:
        if s not in axioms and s != RDF_DATATYPE:
            graph.add((s, p, restore.get((s, p, o), o)))
    return graph


@pytest.fixture(scope="module")
def exported(curated_exports: BundleExports) -> Graph:
    return Graph().parse(data=curated_exports.render("owl"), format="xml")


def test_the_owl_export_gives_back_the_graph_of_the_rdf_exports(
    curated_exports: BundleExports, exported: Graph
) -> None:
    assert not isomorphic(exported, curated_exports.union)  # the year-precision literals differ
    assert isomorphic(from_owl(exported), curated_exports.union)


def test_every_literal_of_the_owl_export_is_in_the_owl2_datatype_map(
    curated_exports: BundleExports, exported: Graph
) -> None:
    outside = {
        o
        for o in curated_exports.union.objects()
        if isinstance(o, Literal) and o.datatype and o.datatype not in OWL2_DATATYPES
    }
    assert {o.datatype for o in outside} >= {XSD.gYear, XSD.gYearMonth}  # what the curated data holds
    datatypes = {o.datatype for o in exported.objects() if isinstance(o, Literal) and o.datatype is not None}
    assert datatypes <= OWL2_DATATYPES
    annotated = list(exported.subject_objects(RDF_DATATYPE))
    assert len(annotated) == sum(1 for _, _, o in curated_exports.union if o in outside)
    assert {datatype for _, datatype in annotated} == {o.datatype for o in outside}


def test_literals_in_the_datatype_map_are_left_as_they_are() -> None:
    subject, prop = URIRef(EX + "s"), URIRef(EX + "p")
    kept = [
        Literal("2024-03-28T10:00:00Z", datatype=XSD.dateTime),
        Literal("7", datatype=XSD.integer),
        Literal("text", lang="en"),
        Literal("plain"),
    ]
    graph = Graph()
    for value in [*kept, Literal("2024-03-28", datatype=XSD.date)]:
        graph.add((subject, prop, value))
    mapped = owl_graph(graph)
    assert set(mapped.objects(subject, prop)) == {*kept, Literal("2024-03-28", datatype=XSD.string)}
    (axiom,) = mapped.subjects(RDF.type, OWL.Axiom)
    assert isinstance(axiom, BNode)
    assert mapped.value(axiom, RDF_DATATYPE) == XSD.date
    assert mapped.value(axiom, OWL.annotatedTarget) == Literal("2024-03-28", datatype=XSD.string)


def test_a_date_and_a_string_of_the_same_text_on_one_property_are_refused() -> None:
    # Both would become one assertion, and the export could no longer tell them apart.
    graph = Graph()
    graph.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("2024", datatype=XSD.gYear)))
    graph.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("2024")))
    with pytest.raises(InputError, match="same assertion"):
        owl_export(graph)


def test_kg_export_writes_it_the_same_every_time(project: Project, curated_exports: BundleExports) -> None:
    first, second = (
        run_kg("export", "--format", "owl", project=project),
        run_kg("export", "--format", "owl", project=project),
    )
    assert first.exit_code == 0, first.output
    assert first.stdout_bytes == second.stdout_bytes == curated_exports.render("owl")
    assert first.stdout_bytes.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF')


def test_an_output_named_owl_gets_the_owl_export(project: Project, curated_exports: BundleExports, tmp_path) -> None:
    out = tmp_path / "graph.owl"
    assert run_kg("export", "--out", str(out), project=project).exit_code == 0
    assert out.read_bytes() == curated_exports.render("owl") != curated_exports.render("rdfxml")


def test_inferred_triples_are_refused_in_the_owl_export(project: Project) -> None:
    result = run_kg("export", "--format", "owl", "--reason", "rdfs", project=project)
    assert result.exit_code == 2
    assert "cannot mark inferred triples in owl" in result.stderr
