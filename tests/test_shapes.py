"""The shapes and violation queries catch what they claim to, on small good and bad fixtures.

Each folder in tests/fixtures/shapes/ is named after a node shape (or, under checks/, a violation query)
and holds good.ttl, which must pass with no result at all, and bad.ttl, whose ``# expect:`` lines list
every result it must give: focus node, constraint component and source shape. Fixtures are validated as
ontology + base.ttl + the fixture; shape fixtures by the shapes alone, check fixtures by the queries alone.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import OWL, SH
from rdflib.term import Node

from kg.project import Project
from kg.rdf.load import parse_file
from kg.rdf.namespaces import KG
from kg.validate.checks import CHECK_SUFFIX
from kg.validate.report import KGSH, ValidationResult
from support.paths import REPO
from support.shapes import (
    CHECK_CASES,
    SHAPE_CASES,
    SHAPE_FIXTURES,
    FixtureValidation,
    reportable_shapes,
    shapes_graph,
    targeted_shapes,
)

FIXTURES = SHAPE_FIXTURES
EXPECT = re.compile(r"^# expect: (\S+) (\S+) (\S+)\s*$")

Triple = tuple[Node, Node, Node]
Found = tuple[Node, URIRef, Node | None]


def found(results: list[ValidationResult]) -> Counter[Found]:
    return Counter((r.focus_node, r.component, r.source_shape) for r in results)


def expected(path: Path) -> Counter[Found]:
    """The ``# expect:`` lines of a fixture, their prefixed names expanded with the fixture's prefixes."""
    graph = parse_file(path)
    graph.bind("sh", SH)
    graph.bind("kgsh", KGSH)
    lines = [EXPECT.match(line) for line in path.read_text(encoding="utf-8").splitlines()]
    expand = graph.namespace_manager.expand_curie
    return Counter((expand(m[1]), expand(m[2]), expand(m[3])) for m in lines if m)


# --- every fixture ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", SHAPE_CASES)
def test_good_fixture_passes_the_shapes(case: str, fixture_validation: FixtureValidation) -> None:
    good = FIXTURES / case / "good.ttl"
    assert [(r.focus_node, r.source_shape, r.message) for r in fixture_validation.shape_results(good)] == []
    assert targeted_nodes(KGSH[case], fixture_validation.loaded(good).graph), f"good.ttl gives {case} nothing to check"


@pytest.mark.parametrize("case", SHAPE_CASES)
def test_bad_fixture_gives_exactly_the_expected_results(case: str, fixture_validation: FixtureValidation) -> None:
    bad = FIXTURES / case / "bad.ttl"
    want = expected(bad)
    assert want, f"{bad} has no '# expect:' lines"
    assert found(fixture_validation.shape_results(bad)) == want


@pytest.mark.parametrize("case", CHECK_CASES)
def test_good_fixture_passes_the_checks(case: str, fixture_validation: FixtureValidation) -> None:
    assert [
        (r.focus_node, r.source_shape)
        for r in fixture_validation.check_results(FIXTURES / "checks" / case / "good.ttl")
    ] == []


@pytest.mark.parametrize("case", CHECK_CASES)
def test_bad_fixture_trips_exactly_the_expected_checks(case: str, fixture_validation: FixtureValidation) -> None:
    bad = FIXTURES / "checks" / case / "bad.ttl"
    want = expected(bad)
    assert any(shape == KGSH[case] for _, _, shape in want), f"{bad} does not expect its own check to fire"
    assert found(fixture_validation.check_results(bad)) == want


def targeted_nodes(shape: URIRef, data: Graph) -> set[Node]:
    """The focus nodes ``shape``'s targets select in ``data`` (class targets through subclasses)."""
    shapes = shapes_graph()
    nodes: set[Node] = set()
    for cls in shapes.objects(shape, SH.targetClass):
        for sub in data.transitive_subjects(RDFS.subClassOf, cls):
            nodes.update(data.subjects(RDF.type, sub))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        nodes.update(data.subjects(prop, None))
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        nodes.update(data.objects(None, prop))
    return nodes - set(parse_file(FIXTURES / "base.ttl").subjects())


# --- coverage --------------------------------------------------------------------------------------------


def test_every_node_shape_with_a_target_has_a_fixture_folder() -> None:
    assert {str(s).removeprefix(str(KGSH)) for s in targeted_shapes(shapes_graph())} == set(SHAPE_CASES)


def test_every_shape_and_property_shape_fires_in_some_bad_fixture(fixture_validation: FixtureValidation) -> None:
    fired = {
        r.source_shape for case in SHAPE_CASES for r in fixture_validation.shape_results(FIXTURES / case / "bad.ttl")
    }
    assert reportable_shapes(shapes_graph()) - fired == set()


def test_every_check_has_a_fixture_folder_and_fires(fixture_validation: FixtureValidation) -> None:
    checks = {p.name.removesuffix(".rq") for p in (REPO / "queries" / "checks").glob(f"*{CHECK_SUFFIX}")}
    assert set(CHECK_CASES) == checks
    fired = {
        r.source_shape
        for case in CHECK_CASES
        for r in fixture_validation.check_results(FIXTURES / "checks" / case / "bad.ttl")
    }
    assert {KGSH[name] for name in checks} - fired == set()


def test_every_class_of_the_ontology_is_checked_by_some_shape(project: Project) -> None:
    ontology = parse_file(project.ontology_dir / "kg.ttl")
    targeted = set(shapes_graph().objects(None, SH.targetClass))
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if not str(cls).startswith(str(KG)):
            continue  # a declaration of another vocabulary's class (OWL 2 DL), not ours to check
        lineage = set(ontology.transitive_objects(cls, RDFS.subClassOf))
        assert lineage & targeted, f"no shape targets {cls} or a superclass of it"


def test_every_entity_valued_claim_property_has_a_class_constraint(project: Project) -> None:
    """The direct layer: sh:class on every object property whose range is a class of entities."""
    ontology = parse_file(project.ontology_dir / "kg.ttl")
    shapes = shapes_graph()
    constrained = {shapes.value(s, SH.path) for s in shapes.subjects(SH.path, None) if has_class_check(shapes, s)}
    claims = set(ontology.subjects(RDF.type, KG.ClaimProperty)) & set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    assert claims - constrained == set()


def has_class_check(shapes: Graph, shape: Node) -> bool:
    if (shape, SH["class"], None) in shapes:
        return True
    members = (m for alternatives in shapes.objects(shape, SH["or"]) for m in shapes.items(alternatives))
    return any((m, SH["class"], None) in shapes for m in members)


# --- the shapes graph itself ------------------------------------------------------------------------------


def test_shapes_graph_is_valid_against_shacl_for_shacl(shapes_meta_validation: tuple[bool, str]) -> None:
    conforms, text = shapes_meta_validation
    assert conforms, text


def test_every_reportable_shape_says_its_severity_and_message_in_english() -> None:
    shapes = shapes_graph()
    for shape in reportable_shapes(shapes):
        assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info), shape
        messages = list(shapes.objects(shape, SH.message))
        assert [m.language for m in messages] == ["en"], shape
        assert messages[0].endswith(".") and len(messages[0]) > 30, shape


def test_every_reportable_shape_is_named_and_paths_are_plain_properties() -> None:
    shapes = shapes_graph()
    for shape in reportable_shapes(shapes):
        assert isinstance(shape, URIRef) and shape.startswith(str(KGSH)), shape
        assert isinstance(shapes.value(shape, SH.path), URIRef | None), shape


def test_warnings_and_infos_are_few_and_deliberate() -> None:
    """Most rules are errors; each softer one is listed in docs/validation.md with the reason it is soft."""
    shapes = shapes_graph()
    soft = [s for s in reportable_shapes(shapes) if shapes.value(s, SH.severity) != SH.Violation]
    docs = (REPO / "docs" / "validation.md").read_text(encoding="utf-8")
    assert 0 < len(soft) <= 8
    for shape in soft:
        name = str(shape).removeprefix(str(KGSH))
        severity = str(shapes.value(shape, SH.severity)).removeprefix(str(SH)).lower()
        assert re.search(rf"`{re.escape(name)}`[^\n]*\b{severity}\b", docs), f"{name} ({severity}) not in the docs"


def test_currency_list_holds_iso_codes_only() -> None:
    shapes = shapes_graph()
    codes = [str(c) for c in shapes.items(shapes.value(KGSH["Statement-currency"], SH["in"]))]
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in codes)
    assert len(codes) == len(set(codes)) > 150
    assert {"EUR", "USD", "CNY", "JPY", "GBP"} <= set(codes)
    assert not {"XXX", "XTS", "RMB", "EURO"} & set(codes)


def test_ill_typed_dates_are_reported_not_accepted(fixture_validation: FixtureValidation) -> None:
    """rdflib marks "2024-02-30"^^xsd:date ill-typed but accepts "2022-13"^^xsd:gYearMonth; both must fail."""
    results = fixture_validation.shape_results(FIXTURES / "EntityShape" / "bad.ttl")
    failing = {r.focus_node for r in results if r.source_shape == KGSH["Entity-date"]}
    ex = "https://example.org/fixture/"
    assert {URIRef(ex + "month-13"), URIRef(ex + "february-30"), URIRef(ex + "untyped-date")} <= failing


def test_checks_and_shapes_are_documented() -> None:
    docs = (REPO / "docs" / "validation.md").read_text(encoding="utf-8")
    for name in [*SHAPE_CASES, *CHECK_CASES]:
        assert f"`{name}`" in docs, name
