"""The fast SHACL engine gives pySHACL's results for every constraint component kg lets it run.

kg.validate.fast_engine sends a shape to the `shacl` engine only if every constraint parameter it uses is in
VERIFIED. Each case below holds shapes and data with nodes that pass and nodes that fail in several
ways; both engines must report the same (focus node, path, constraint component, severity) multiset,
and the same values and messages. A coverage test checks that every VERIFIED parameter is used by
some case, so the list cannot grow without a test. The rest of the file covers the plan (which shapes
go to pySHACL and why) and the fallbacks.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import BNode, Node

from kg.errors import InputError
from kg.rdf.load import LoadedGraph, load_files
from kg.validate import fast_engine as fastshacl
from kg.validate import fast_plan as shaclplan
from kg.validate.describe import Describer
from kg.validate.report import ValidationResult
from kg.validate.shapes import shacl_results
from support.paths import REPO
from support.results import assert_same
from support.shapes import targeted_shapes

PREFIXES = """\
@prefix ex:   <http://example.org/> .
@prefix sh:   <http://www.w3.org/ns/shacl#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
EX = "http://example.org/"

# name -> (shapes, data). Each shape is named, as kg's are, so that results can be traced to it.
CASES: dict[str, tuple[str, str]] = {
    "class": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:Car ; sh:property ex:S-maker .\n"
        "ex:S-maker sh:path ex:maker ; sh:class ex:Company .",
        "ex:Carmaker rdfs:subClassOf ex:Company .\n"
        "ex:c1 a ex:Car ; ex:maker ex:m1 . ex:m1 a ex:Company .\n"
        "ex:c2 a ex:Car ; ex:maker ex:m2 . ex:m2 a ex:Carmaker .\n"
        "ex:c3 a ex:Car ; ex:maker ex:m3 . ex:m3 a ex:Person .\n"
        'ex:c4 a ex:Car ; ex:maker ex:m4 . ex:c5 a ex:Car ; ex:maker "Acme" .',
    ),
    "datatype": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property ex:S-i, ex:S-s, ex:S-l, ex:S-d .\n"
        "ex:S-i sh:path ex:i ; sh:datatype xsd:integer .\nex:S-s sh:path ex:s ; sh:datatype xsd:string .\n"
        "ex:S-l sh:path ex:l ; sh:datatype rdf:langString .\nex:S-d sh:path ex:d ; sh:datatype xsd:date .",
        'ex:good a ex:T ; ex:i 5 ; ex:s "x" ; ex:l "x"@en ; ex:d "2024-01-31"^^xsd:date .\n'
        'ex:b1 a ex:T ; ex:i "5" ; ex:s "x"@en ; ex:l "x" ; ex:d "2024-02-30"^^xsd:date .\n'
        'ex:b2 a ex:T ; ex:i "abc"^^xsd:integer ; ex:s ex:iri ; ex:d "2024-01-31" .\n'
        'ex:b3 a ex:T ; ex:i "5"^^xsd:int, 5.0 ; ex:s 3 ; ex:d "2023-02-29"^^xsd:date .',
    ),
    "node_kind": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property ex:S-1, ex:S-2, ex:S-3, ex:S-4, ex:S-5, ex:S-6 .\n"
        "ex:S-1 sh:path ex:iri ; sh:nodeKind sh:IRI .\nex:S-2 sh:path ex:lit ; sh:nodeKind sh:Literal .\n"
        "ex:S-3 sh:path ex:bn ; sh:nodeKind sh:BlankNode .\nex:S-4 sh:path ex:boi ; sh:nodeKind sh:BlankNodeOrIRI .\n"
        "ex:S-5 sh:path ex:iol ; sh:nodeKind sh:IRIOrLiteral .\n"
        "ex:S-6 sh:path ex:bol ; sh:nodeKind sh:BlankNodeOrLiteral .",
        'ex:good a ex:T ; ex:iri ex:x ; ex:lit "l" ; ex:bn [] ; ex:boi ex:x ; ex:iol 1 ; ex:bol [] .\n'
        'ex:bad a ex:T ; ex:iri "l" ; ex:lit ex:x ; ex:bn ex:x ; ex:boi 1 ; ex:iol [] ; ex:bol ex:x .',
    ),
    "counts": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property ex:S-one, ex:S-two, ex:S-none .\n"
        "ex:S-one sh:path ex:one ; sh:minCount 1 ; sh:maxCount 1 .\nex:S-two sh:path ex:two ; sh:minCount 2 .\n"
        "ex:S-none sh:path ex:none ; sh:maxCount 0 .",
        "ex:good a ex:T ; ex:one 1 ; ex:two 1, 2 .\nex:b1 a ex:T ; ex:two 1 .\n"
        'ex:b2 a ex:T ; ex:one 1, 2 ; ex:two 1, 2 ; ex:none "x" .\nex:b3 a ex:T ; ex:one 1, "1" ; ex:two 3, 3.0 .',
    ),
    "numeric_range": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property ex:S-a, ex:S-b, ex:S-c, ex:S-d .\n"
        "ex:S-a sh:path ex:a ; sh:minInclusive 0 ; sh:maxInclusive 100 .\n"
        "ex:S-b sh:path ex:b ; sh:minExclusive 0 ; sh:maxExclusive 10.5 .\n"
        'ex:S-c sh:path ex:c ; sh:minInclusive "2020-01-01"^^xsd:date .\n'
        "ex:S-d sh:path ex:d ; sh:maxExclusive 1.0e2 .",
        'ex:good a ex:T ; ex:a 0, 100, 50.5, "7"^^xsd:byte ; ex:b 10 ; ex:c "2020-01-01"^^xsd:date ; ex:d 99 .\n'
        'ex:b1 a ex:T ; ex:a -1, 101, "5" ; ex:b 0, 10.5, 11.0e0 ; ex:c "2019-12-31"^^xsd:date ; ex:d 100 .\n'
        'ex:b2 a ex:T ; ex:a ex:iri, "abc"^^xsd:integer, "NaN"^^xsd:double ; ex:c "2020"^^xsd:gYear, 5 .\n'
        'ex:b3 a ex:T ; ex:a "01"^^xsd:integer, "1e3"^^xsd:double ; ex:d "INF"^^xsd:double .',
    ),
    "string_constraints": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property ex:S-len, ex:S-pat, ex:S-flags, ex:S-iri .\n"
        "ex:S-len sh:path ex:len ; sh:minLength 2 ; sh:maxLength 4 .\n"
        'ex:S-pat sh:path ex:pat ; sh:pattern "^[A-Z]{3}$" .\n'
        'ex:S-flags sh:path ex:flags ; sh:pattern "^abc" ; sh:flags "i" .\n'
        'ex:S-iri sh:path ex:iri ; sh:pattern "^http://example\\\\.org/ok" .',
        'ex:good a ex:T ; ex:len "ab", "abcd"@en, 12 ; ex:pat "EUR" ; ex:flags "ABCdef" ; ex:iri ex:ok1 .\n'
        'ex:bad a ex:T ; ex:len "a", "abcde", ex:x ; ex:pat "eur", "EURO", 123 ; ex:flags "xabc" ; ex:iri ex:no .',
    ),
    "languages": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property ex:S-in, ex:S-unique .\n"
        'ex:S-in sh:path ex:name ; sh:languageIn ( "en" "de" ) .\nex:S-unique sh:path ex:label ; sh:uniqueLang true .',
        'ex:good a ex:T ; ex:name "a"@en, "b"@en-GB, "c"@DE ; ex:label "a"@en, "b"@de, "c" .\n'
        'ex:bad a ex:T ; ex:name "a"@fr, "b", ex:x ; ex:label "a"@en, "b"@en, "c"@de, "d"@de .',
    ),
    "pairs": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property ex:S-eq, ex:S-dis .\n"
        "ex:S-eq sh:path ex:a ; sh:equals ex:b .\nex:S-dis sh:path ex:c ; sh:disjoint ex:d .",
        "ex:good a ex:T ; ex:a 1, 2 ; ex:b 1, 2 ; ex:c ex:x ; ex:d ex:y .\n"
        'ex:bad a ex:T ; ex:a 1, 3 ; ex:b 1, "1" ; ex:c ex:x, 1 ; ex:d ex:x, 1 .',
    ),
    "logical": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property ex:S-not, ex:S-and, ex:S-or, ex:S-xone .\n"
        "ex:S-not sh:path ex:n ; sh:not [ sh:datatype xsd:string ] .\n"
        "ex:S-and sh:path ex:a ; sh:and ( [ sh:datatype xsd:integer ] [ sh:in ( 1 2 3 ) ] ) .\n"
        "ex:S-or sh:path ex:o ; sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:decimal ] ) .\n"
        "ex:S-xone sh:path ex:x ; sh:xone ( [ sh:class ex:A ] [ sh:class ex:B ] ) .",
        "ex:good a ex:T ; ex:n 1 ; ex:a 3 ; ex:o 1, 1.5 ; ex:x ex:onlyA . ex:onlyA a ex:A .\n"
        'ex:bad a ex:T ; ex:n "s" ; ex:a 4, 1.5 ; ex:o "x", 1.0e0 ; ex:x ex:both, ex:neither .\n'
        "ex:both a ex:A, ex:B .",
    ),
    "node_and_property": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property ex:S-owner ; sh:node ex:Named .\n"
        "ex:S-owner sh:path ex:owner ; sh:node ex:Named .\n"
        "ex:Named a sh:NodeShape ; sh:property ex:Named-name .\n"
        "ex:Named-name sh:path ex:name ; sh:minCount 1 ; sh:datatype xsd:string .",
        'ex:good a ex:T ; ex:name "g" ; ex:owner ex:o1 . ex:o1 ex:name "o" .\n'
        'ex:bad a ex:T ; ex:owner ex:o2, "lit" . ex:o2 ex:name 5 .',
    ),
    "qualified": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:Car ; sh:property ex:S-wheel, ex:S-spare .\n"
        "ex:S-wheel sh:path ex:part ; sh:qualifiedValueShape [ sh:class ex:Wheel ] ;\n"
        "    sh:qualifiedMinCount 4 ; sh:qualifiedMaxCount 4 ; sh:qualifiedValueShapesDisjoint true .\n"
        "ex:S-spare sh:path ex:part ; sh:qualifiedValueShape [ sh:class ex:Spare ] ; sh:qualifiedMaxCount 1 ;\n"
        "    sh:qualifiedValueShapesDisjoint true .",
        "ex:w1 a ex:Wheel . ex:w2 a ex:Wheel . ex:w3 a ex:Wheel . ex:w4 a ex:Wheel . ex:w5 a ex:Wheel, ex:Spare .\n"
        "ex:s1 a ex:Spare . ex:s2 a ex:Spare .\n"
        "ex:good a ex:Car ; ex:part ex:w1, ex:w2, ex:w3, ex:w4, ex:s1 .\n"
        "ex:few a ex:Car ; ex:part ex:w1, ex:w2, ex:s1, ex:s2 .\n"
        "ex:shared a ex:Car ; ex:part ex:w1, ex:w2, ex:w3, ex:w5 .",
    ),
    "closed": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:closed true ; sh:ignoredProperties ( rdf:type ) ;\n"
        "    sh:property ex:S-name .\nex:S-name sh:path ex:name .",
        'ex:good a ex:T ; ex:name "g" .\nex:bad a ex:T ; ex:name "b" ; ex:extra 1, 2 ; ex:other ex:x .',
    ),
    "values": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property ex:S-has, ex:S-in .\n"
        "ex:S-has sh:path ex:status ; sh:hasValue ex:active .\n"
        'ex:S-in sh:path ex:code ; sh:in ( "EUR" "USD" 1 ex:x ) .',
        'ex:good a ex:T ; ex:status ex:active, ex:other ; ex:code "EUR", 1, ex:x .\n'
        'ex:bad a ex:T ; ex:status ex:inactive ; ex:code "eur", "EUR"@en, 1.0, "01"^^xsd:integer, ex:y .',
    ),
    "targets": (
        "ex:ByNode a sh:NodeShape ; sh:targetNode ex:n1, ex:n2, ex:absent ; sh:property ex:ByNode-p .\n"
        "ex:ByNode-p sh:path ex:p ; sh:minCount 1 .\n"
        "ex:BySubject a sh:NodeShape ; sh:targetSubjectsOf ex:owns ; sh:property ex:BySubject-name .\n"
        "ex:BySubject-name sh:path ex:name ; sh:minCount 1 .\n"
        "ex:ByObject a sh:NodeShape ; sh:targetObjectsOf ex:owns ; sh:nodeKind sh:IRI .\n"
        "ex:Vehicle a rdfs:Class, sh:NodeShape ; sh:property ex:Vehicle-wheels .\n"
        "ex:Vehicle-wheels sh:path ex:wheels ; sh:minCount 1 .",
        'ex:n1 ex:p 1 . ex:n2 ex:q 2 .\nex:x ex:owns ex:y, "lit" ; ex:name "x" . ex:z ex:owns ex:w .\n'
        "ex:Bike rdfs:subClassOf ex:Vehicle .\n"
        "ex:v1 a ex:Vehicle ; ex:wheels 4 . ex:v2 a ex:Vehicle . ex:v3 a ex:Bike .",
    ),
    "paths": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ;\n"
        "    sh:property ex:S-inv, ex:S-seq, ex:S-alt, ex:S-star, ex:S-plus, ex:S-opt .\n"
        "ex:S-inv sh:path [ sh:inversePath ex:child ] ; sh:maxCount 1 .\n"
        "ex:S-seq sh:path ( ex:maker ex:country ) ; sh:class ex:Country .\n"
        "ex:S-alt sh:path [ sh:alternativePath ( ex:name ex:label ) ] ; sh:minCount 1 .\n"
        "ex:S-star sh:path ( ex:maker [ sh:zeroOrMorePath ex:parent ] ) ; sh:class ex:Company .\n"
        "ex:S-plus sh:path [ sh:oneOrMorePath ex:parent ] ; sh:maxCount 2 .\n"
        "ex:S-opt sh:path [ sh:zeroOrOnePath ex:next ] ; sh:nodeKind sh:IRI .",
        'ex:good a ex:T ; ex:label "g" ; ex:maker ex:m1 .\n'
        "ex:m1 a ex:Company ; ex:country ex:de . ex:de a ex:Country .\n"
        "ex:p1 ex:child ex:bad . ex:p2 ex:child ex:bad .\n"
        'ex:bad a ex:T ; ex:maker ex:m2 ; ex:parent ex:a1 ; ex:next "n" .\n'
        "ex:m2 a ex:Company ; ex:country ex:nowhere ; ex:parent ex:m3 . ex:m3 ex:parent ex:m4 . ex:m4 a ex:Company .\n"
        "ex:a1 ex:parent ex:a2 . ex:a2 ex:parent ex:a3 .",
    ),
    "severity_message_deactivated": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property ex:S-warn, ex:S-info, ex:S-off .\n"
        'ex:S-warn sh:path ex:w ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "needs w"@en, "braucht w"@de .\n'
        'ex:S-info sh:path ex:i ; sh:maxCount 0 ; sh:severity sh:Info ; sh:message "no i" .\n'
        "ex:S-off sh:path ex:o ; sh:minCount 1 ; sh:deactivated true .\n"
        "ex:Off a sh:NodeShape ; sh:targetClass ex:T ; sh:deactivated true ; sh:property ex:S-warn .",
        "ex:good a ex:T ; ex:w 1 .\nex:bad a ex:T ; ex:i 1 .",
    ),
    "blank_nodes": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property ex:S-p, ex:S-q .\n"
        "ex:S-p sh:path ex:p ; sh:minCount 1 ; sh:class ex:C .\nex:S-q sh:path ex:q ; sh:nodeKind sh:IRI .",
        "[ a ex:T ; ex:p [ a ex:D ] ] .\n[ a ex:T ] .\nex:named a ex:T ; ex:p ex:c ; ex:q [] . ex:c a ex:C .",
    ),
}


def run_case(tmp_path: Path, shapes_text: str, data_text: str, *engines: str) -> list[list[ValidationResult]]:
    """The results of each engine on the same loaded data (blank nodes differ from one load to the next)."""
    data = tmp_path / "data.ttl"
    data.write_text(PREFIXES + data_text, encoding="utf-8")
    shapes = Graph().parse(data=PREFIXES + shapes_text, format="turtle")
    loaded = load_files([data])
    return [shacl_results(loaded.graph, shapes, Describer(loaded, tmp_path), engine=e) for e in engines]


# --- every verified component ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(CASES))
def test_fast_engine_matches_pyshacl(case: str, tmp_path: Path) -> None:
    shapes, data = CASES[case]
    fast, slow = run_case(tmp_path, shapes, data, "fast", "pyshacl")
    assert slow, f"{case}: the case must make pySHACL report something"
    assert_same(fast, slow, messages=case == "severity_message_deactivated")


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_case_runs_in_the_fast_engine_alone(case: str) -> None:
    plan = shaclplan.plan_shapes(Graph().parse(data=PREFIXES + CASES[case][0], format="turtle"))
    assert plan.fast_roots and not plan.slow_roots and plan.unplannable is None, plan.reasons


def test_every_verified_parameter_is_exercised_by_a_case() -> None:
    used: set[Node] = set()
    for shapes, _ in CASES.values():
        used |= set(Graph().parse(data=PREFIXES + shapes, format="turtle").predicates())
    assert shaclplan.VERIFIED - used == set()


def test_blank_node_results_name_the_data_blank_nodes(tmp_path: Path) -> None:
    """`shacl` renames blank nodes; kg takes those results from pySHACL, so they name the data's nodes."""
    shapes, data = CASES["blank_nodes"]
    path = tmp_path / "data.ttl"
    path.write_text(PREFIXES + data, encoding="utf-8")
    loaded = load_files([path])
    results = shacl_results(loaded.graph, Graph().parse(data=PREFIXES + shapes, format="turtle"), describe(loaded))
    blank = [r for r in results if isinstance(r.focus_node, BNode) or isinstance(r.value, BNode)]
    assert len(blank) == 3
    assert all((r.focus_node, None, None) in loaded.graph for r in blank)


def describe(loaded: LoadedGraph) -> Describer:
    return Describer(loaded, Path.cwd())


# --- the plan: what goes to pySHACL --------------------------------------------------------------------------

SLOW_SHAPES = {
    "less_than": "ex:Slow a sh:NodeShape ; sh:targetClass ex:T ; sh:property ex:Slow-p .\n"
    "ex:Slow-p sh:path ex:start ; sh:lessThan ex:end .",
    "sparql": "ex:Slow a sh:NodeShape ; sh:targetClass ex:T ;\n"
    '    sh:sparql [ sh:select "SELECT $this WHERE { $this <http://example.org/start> ?s . FILTER(?s > 5) }" ] .',
    "custom_component": "ex:Positive a sh:ConstraintComponent ; sh:parameter [ sh:path ex:positive ] ;\n"
    '    sh:validator [ a sh:SPARQLAskValidator ; sh:ask "ASK { FILTER ($value > 0) }" ] .\n'
    "ex:Slow a sh:NodeShape ; sh:targetClass ex:T ; sh:property ex:Slow-p .\n"
    "ex:Slow-p sh:path ex:start ; ex:positive true .",
    "dangling_reference": "ex:Slow a sh:NodeShape ; sh:targetClass ex:T ; sh:node ex:NotDescribed .",
    "range_on_values": "ex:Slow a sh:NodeShape ; sh:targetClass ex:T ; sh:property ex:Slow-p .\n"
    "ex:Slow-p sh:path ex:start ; sh:node [ sh:minInclusive 0 ] .",
}
FAST_SHAPE = (
    "ex:Fast a sh:NodeShape ; sh:targetClass ex:T ; sh:property ex:Fast-p .\n"
    "ex:Fast-p sh:path ex:name ; sh:minCount 1 ."
)
SLOW_DATA = "ex:a a ex:T ; ex:start 9 ; ex:end 3 .\nex:b a ex:T ; ex:name 1 ; ex:start -1 ; ex:end 0 ."


@pytest.mark.parametrize("kind", sorted(SLOW_SHAPES))
def test_unverified_shapes_run_in_pyshacl_and_the_rest_in_the_fast_engine(
    kind: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shapes = f"{SLOW_SHAPES[kind]}\n{FAST_SHAPE}"
    plan = shaclplan.plan_shapes(Graph().parse(data=PREFIXES + shapes, format="turtle"))
    assert plan.slow_roots == (URIRef(EX + "Slow"),) and plan.fast_roots == (URIRef(EX + "Fast"),)
    assert (URIRef(EX + "Slow"), SH.targetClass, None) not in plan.only(plan.fast_roots)
    assert (URIRef(EX + "Fast"), SH.targetClass, None) not in plan.only(plan.slow_roots)
    with caplog.at_level(logging.WARNING, logger="kg.validate.fast_engine"):
        fast, slow = run_case(tmp_path, shapes, SLOW_DATA, "fast", "pyshacl")
    assert f"pySHACL runs the shape <{EX}Slow>" in caplog.text
    assert_same(fast, slow)


def test_an_unnamed_shape_that_needs_pyshacl_sends_everything_there(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    unnamed = "[ a sh:NodeShape ; sh:targetClass ex:T ; sh:property [ sh:path ex:start ; sh:lessThan ex:end ] ] ."
    shapes = f"{unnamed}\n{FAST_SHAPE}"
    plan = shaclplan.plan_shapes(Graph().parse(data=PREFIXES + shapes, format="turtle"))
    assert plan.unplannable is not None
    with caplog.at_level(logging.WARNING, logger="kg.validate.fast_engine"):
        fast, slow = run_case(tmp_path, shapes, SLOW_DATA, "fast", "pyshacl")
    assert "validating with pySHACL: the unnamed shape" in caplog.text
    assert_same(fast, slow)


def test_kg_shapes_run_entirely_in_the_fast_engine() -> None:
    shapes = Graph().parse(REPO / "ontology" / "shapes.ttl")
    plan = shaclplan.plan_shapes(shapes)
    assert plan.slow_roots == () and plan.unplannable is None and plan.reasons == ()
    assert set(plan.fast_roots) == targeted_shapes(shapes)


# --- fallbacks ------------------------------------------------------------------------------------------------


def test_missing_engine_falls_back_to_pyshacl_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shapes, data = CASES["counts"]
    monkeypatch.setattr(fastshacl, "load_engine", lambda: None)
    with caplog.at_level(logging.WARNING, logger="kg.validate.fast_engine"):
        fast, slow = run_case(tmp_path, shapes, data, "fast", "pyshacl")
    assert "the shacl package) is not installed; validating with pySHACL" in caplog.text
    assert_same(fast, slow)


def test_failing_engine_falls_back_to_pyshacl_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("engine exploded")

    shapes, data = CASES["counts"]
    monkeypatch.setattr(fastshacl, "run_engine", broken)
    with caplog.at_level(logging.WARNING, logger="kg.validate.fast_engine"):
        fast, slow = run_case(tmp_path, shapes, data, "fast", "pyshacl")
    assert "the fast SHACL engine failed (RuntimeError: engine exploded); validating with pySHACL" in caplog.text
    assert_same(fast, slow)


def test_ill_formed_shapes_are_reported_as_pyshacl_reports_them(tmp_path: Path) -> None:
    shapes = 'ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:minCount "one" .'
    errors = []
    for engine in fastshacl.ENGINES:
        with pytest.raises(InputError) as caught:
            run_case(tmp_path, shapes, "ex:a a ex:T .", engine)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert "invalid shapes: MinCountConstraintComponent can only be present" in errors[0]
